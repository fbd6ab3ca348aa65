"""GT2 and GT3 spreadsheet round trip (livrables/tableur_gt2.py, tableur_gt3.py): the group's deliverable
exported to XLSX or ODS, re-imported with a validation report (400), a conflict page when the app
changed a cell the file changed too (409), then written in one transaction and one version.

Rights as the web pages that edit these deliverables: GT2 export and import are `peut_contribuer`
(rewording an existing item, `peut_consolider`, is checked per row); GT3 export and import are
`peut_consolider`. 403 otherwise; 409 when the deliverable is locked. The URL's `livrable` (« GT2 » or
« GT3 ») picks the deliverable; the shared helpers are views_tableur.py's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from comptes.perms import exiger, get_groupe_pour
from formats.errors import InvalidFile
from livrables import actions, tableur_gt2, tableur_gt3
from livrables import tableur_commun as commun
from livrables.enums import TypeLivrable
from livrables.models import Livrable
from livrables.tableur_commun import RangImport
from livrables.views_afor import REFUS_CONTRIBUER
from livrables.views_mutualisables import REFUS_CONSOLIDER
from livrables.views_tableur import (
    CONSEQUENCE,
    ERREUR_JETON,
    ImportForm,
    _page,
    arbitrer,
    avertir,
    choix_postes,
    lire_jeton,
    reponse_classeur,
)
from mutualis.erreurs import ActionRefusee

SELS = {"GT2": "livrables.tableur.gt2", "GT3": "livrables.tableur.gt3"}
PAGES = {"GT2": "livrables:afor", "GT3": "livrables:gt3"}
NOMS = {"GT2": "la grille AFOR", "GT3": "la liste des activités mutualisables"}
CONSIGNES = {
    "GT2": "complétez la colonne « Élément » (un élément par ligne), puis importez le fichier ici. Pour ajouter un "
    "élément, écrivez sur une ligne vide le code ou l'intitulé de l'activité, le quadrant (Avantages, "
    "Faiblesses, Opportunités ou Risques) et l'élément : il sera marqué de votre organisation. Seuls l'équipe "
    "projet, les co-pilotes et les consultants reformulent les éléments existants.",
    "GT3": "complétez les colonnes « pourquoi ? », « Qualification (/4) », « Faisabilité (de 0 à 4+) », "
    "« Préconisation : modalité » (code ou intitulé) et « Préconisation : communes » (« toutes », ou les "
    "codes INSEE ou noms des communes séparés par des virgules), puis importez le fichier ici. Pour ajouter "
    "une activité, écrivez son code ou son intitulé sur une ligne vide.",
}


def _activites(territoire, groupe):
    return territoire.activites.filter(theme=groupe.theme).order_by("ordre", "code")


def _communes(territoire):
    return territoire.organisations.communes().filter(membre=True).order_by("code")


def _contexte(request, code, theme, livrable_type):
    """The territory, group and rights of the URL; 403 for who may not edit the deliverable."""
    if livrable_type not in SELS:
        raise Http404("Livrable inconnu.")
    territoire, acces, groupe = get_groupe_pour(request.user, code, theme)
    if livrable_type == "GT2":
        exiger(acces.peut_contribuer(groupe), REFUS_CONTRIBUER)
    else:
        exiger(acces.peut_consolider(groupe), REFUS_CONSOLIDER)
    livrable = actions.livrable_de(groupe, TypeLivrable(livrable_type))
    args = (territoire.code, groupe.theme)
    n = livrable_type.lower()
    ctx = {
        "territoire": territoire,
        "acces": acces,
        "groupe": groupe,
        "livrable": livrable,
        "modifiable": livrable.modifiable,
        "tableur": {
            "titre_page": f"{livrable_type} – importer un classeur – {groupe.libelle}",
            "titre_conflits": f"{livrable_type} – conflits d'import – {groupe.libelle}",
            "titre": f"Importer {NOMS[livrable_type]} : {groupe.libelle}",
            "nom": NOMS[livrable_type],
            "u_retour": reverse(PAGES[livrable_type], args=args),
            "retour_libelle": livrable.get_type_display(),
            "retour_bouton": f"Revenir à {NOMS[livrable_type]}",
            "u_xlsx": reverse(f"livrables:{n}_tableur_xlsx", args=args),
            "u_ods": reverse(f"livrables:{n}_tableur_ods", args=args),
            "u_importer": reverse(f"livrables:{n}_tableur_importer", args=args),
            "u_resoudre": reverse(f"livrables:{n}_tableur_resoudre", args=args),
            "consigne": CONSIGNES[livrable_type],
        },
    }
    return ctx


@login_required
@require_safe
def exporter(request, code, theme, livrable, format):
    ctx = _contexte(request, code, theme, livrable)
    groupe, acces, objet = ctx["groupe"], ctx["acces"], ctx["livrable"]
    if livrable == "GT2":
        export = tableur_gt2.construire_export(
            objet, groupe, acces.organisation, acces.peut_consolider(groupe), timezone.now()
        )
        module = tableur_gt2
    else:
        export = tableur_gt3.construire_export(objet, groupe, acces.organisation, timezone.now())
        module = tableur_gt3
    contenu = module.exporter_xlsx(export) if format == "xlsx" else module.exporter_ods(export)
    return reponse_classeur(contenu, format, f"{livrable}-{groupe.theme}")


def _lire(ctx, livrable_type, f):
    territoire, groupe, acces, objet = ctx["territoire"], ctx["groupe"], ctx["acces"], ctx["livrable"]
    if livrable_type == "GT2":
        return tableur_gt2.lire_import(
            f.read(),
            f.name,
            _activites(territoire, groupe),
            objet.pk,
            tableur_gt2.nom_feuille(str(groupe.libelle)),
            acces.peut_consolider(groupe),
        )
    return tableur_gt3.lire_import(
        f.read(),
        f.name,
        _activites(territoire, groupe),
        _communes(territoire),
        objet.pk,
        tableur_gt3.nom_feuille(str(groupe.libelle)),
    )


def _appliquer(request, ctx, livrable_type, rangs, choix, jeton=None):
    """Merge under the deliverable's lock and write; the conflict page while a cell is undecided.
    `jeton` is the conflict page's token when answering it."""
    territoire, groupe, acces, livrable = ctx["territoire"], ctx["groupe"], ctx["acces"], ctx["livrable"]
    module = tableur_gt2 if livrable_type == "GT2" else tableur_gt3
    activites = {a.code: a for a in _activites(territoire, groupe)}
    communes = {c.code: c for c in _communes(territoire)}
    try:
        with transaction.atomic():
            version = Livrable.objects.select_for_update().values_list("version", flat=True).get(pk=livrable.pk)
            fusion = module.fusionner(
                rangs, module.actuelles(livrable), choix, (jeton or {}).get("montres"), module.existantes(livrable)
            )
            fusion.erreurs += commun.activites_disparues(rangs, fusion, activites)
            if livrable_type == "GT3":
                fusion.erreurs += tableur_gt3.communes_disparues(rangs, fusion, communes)
            refus = arbitrer(
                request, ctx, SELS[livrable_type], {"livrable": livrable.pk}, version, rangs, fusion, choix, jeton
            )
            if refus is not None:
                return refus
            if livrable_type == "GT2":
                ajouts, modifs = tableur_gt2.do_importer(
                    livrable,
                    request.user,
                    acces.organisation,
                    rangs,
                    fusion.valeurs,
                    activites,
                    acces.peut_consolider(groupe),
                )
            else:
                ajouts, modifs = tableur_gt3.do_importer(
                    livrable, request.user, rangs, fusion.valeurs, activites, communes
                )
    except ActionRefusee as exc:
        return _page(request, {**ctx, "refus": exc.messages}, status=409)
    if ajouts or modifs:
        livrable.refresh_from_db(fields=["version"])
        quoi = ("élément", "reformulé") if livrable_type == "GT2" else ("ligne", "modifiée")
        messages.success(
            request,
            f"Classeur importé : {ajouts} {quoi[0]}{'s' if ajouts > 1 else ''} "
            f"ajouté{'e' if quoi[0] == 'ligne' else ''}{'s' if ajouts > 1 else ''}, {modifs} "
            f"{quoi[1]}{'s' if modifs > 1 else ''} (version {livrable.version} du livrable).",
        )
    else:
        messages.info(request, "Classeur importé : aucune modification.")
    avertir(request, fusion)
    return redirect(ctx["tableur"]["u_retour"])


@login_required
@require_http_methods(["GET", "POST"])
def importer(request, code, theme, livrable):
    ctx = _contexte(request, code, theme, livrable)
    if request.method == "GET":
        return _page(request, {**ctx, "form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    ctx["form"] = form
    objet = ctx["livrable"]
    if objet.verrouille:
        return _page(
            request,
            {**ctx, "refus": [f"{objet} est {objet.LIBELLE_FINAL} : il faut le rouvrir pour le modifier"]},
            status=409,
        )
    if not form.is_valid():
        return _page(request, {**ctx, "erreurs": form.errors["fichier"], "consequence": CONSEQUENCE}, status=400)
    try:
        lu = _lire(ctx, livrable, form.cleaned_data["fichier"])
    except InvalidFile as exc:
        return _page(
            request,
            {**ctx, "erreurs": exc.errors, "avertissements": exc.warnings, "consequence": CONSEQUENCE},
            status=400,
        )
    return _appliquer(request, ctx, livrable, lu.rangs, {})


@login_required
@require_http_methods(["GET", "POST"])
def resoudre(request, code, theme, livrable):
    """The conflict page's answer: the signed import and one choice per conflicting cell (POST only,
    answered 405 after the rights)."""
    ctx = _contexte(request, code, theme, livrable)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ctx["form"] = ImportForm()
    donnees = lire_jeton(request, SELS[livrable])
    if donnees is None:
        return _page(request, {**ctx, "erreurs": [ERREUR_JETON], "consequence": CONSEQUENCE}, status=400)
    if donnees.get("livrable") != ctx["livrable"].pk:
        raise PermissionDenied("Cet import concerne un autre livrable.")
    rangs = [RangImport.de_json(r) for r in donnees["rangs"]]
    return _appliquer(request, ctx, livrable, rangs, choix_postes(request), donnees)
