"""The spreadsheet round trips' pages: export of a deliverable to XLSX or ODS, re-import with a validation
report (400), a conflict page when the app changed a cell the file changed too (409), and the application
of the merge (livrables/tableur/actions.py: one transaction, one version of the deliverable).

GT1 (a commune's inventory, livrables/tableur/gt1.py): rights as the commune's page; the export is
readable by every member of the territory; importing is `peut_remplir_inventaire` (403). GT2 and GT3
(the group's deliverable, gt2.py and gt3.py; the URL's `livrable`, « GT2 » or « GT3 », picks it): rights
as the web pages that edit them; GT2 export and import are `peut_contribuer` (rewording an existing item,
`peut_consolider`, is checked per row); GT3 export and import are `peut_consolider`. Refused with 409 when
the deliverable is locked."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from commun.erreurs import ActionRefusee
from comptes.perms import exiger
from formats.errors import InvalidFile
from groupes.acces import get_groupe_pour
from livrables.actions import livrable_de
from livrables.enums import TypeLivrable
from livrables.gt1.actions import REFUS_REMPLIR
from livrables.gt1.regles import activites_du_theme, etp_paie_visible
from livrables.gt2.actions import REFUS_CONTRIBUER
from livrables.gt3.actions import REFUS_CONSOLIDER
from livrables.models import Livrable
from livrables.tableur import actions, gt1, gt2, gt3
from livrables.tableur.disposition import RangImport
from livrables.tableur.forms import ImportForm
from livrables.tableur.fusion import activites_disparues
from livrables.tableur.pages import (
    CONSEQUENCE,
    ERREUR_JETON,
    arbitrer,
    avertir,
    choix_postes,
    lire_jeton,
    page,
    reponse_classeur,
)

# The signing salts of the conflict pages' tokens, GT1's here and GT2's and GT3's in SELS below (kept as they
# are: a conflict page open during a deploy must still be answered).
SEL = "livrables.tableur.gt1"


# --- GT1: a commune's inventory ---------------------------------------------------------------------


def _contexte_commune(request, code, theme, commune):
    territoire, acces, groupe = get_groupe_pour(request.user, code, theme)
    org = territoire.organisations.communes().filter(code=commune).first()
    if org is None:
        raise Http404("Commune introuvable dans ce territoire.")
    return territoire, acces, groupe, org


def _actuelles_commune(livrable, org) -> dict[str, tuple[int, dict[str, str]]]:
    return {
        l.activite.code: (l.version, gt1.canon(l))
        for l in livrable.inventaire.filter(commune=org).select_related("activite")
    }


@login_required
@require_safe
def commune_exporter(request, code, theme, commune, format):
    territoire, acces, groupe, org = _contexte_commune(request, code, theme, commune)
    livrable = livrable_de(groupe, TypeLivrable.INVENTAIRE)
    activites = activites_du_theme(territoire, groupe.theme)
    lignes = {l.activite_id: l for l in livrable.inventaire.filter(commune=org)}
    etp_paie = etp_paie_visible(territoire, acces, groupe, org, activites)
    export = gt1.construire_export(livrable, groupe, org, activites, lignes, timezone.now(), etp_paie)
    contenu = gt1.exporter_xlsx(export) if format == "xlsx" else gt1.exporter_ods(export)
    return reponse_classeur(contenu, format, f"GT1-{groupe.theme}-{org.code}")


def commune_xlsx(request, code, theme, commune):
    return commune_exporter(request, code, theme, commune, "xlsx")


def commune_ods(request, code, theme, commune):
    return commune_exporter(request, code, theme, commune, "ods")


def _appliquer_commune(request, ctx, livrable, org, rangs, choix, jeton=None):
    """Merge under the deliverable's lock and write; the conflict page when a cell is still undecided.
    `jeton` is the conflict page's token when answering it."""
    territoire, groupe = ctx["territoire"], ctx["groupe"]
    liste = activites_du_theme(territoire, groupe.theme)
    activites = {a.code: a for a in liste}
    try:
        with transaction.atomic():
            version = Livrable.objects.select_for_update().values_list("version", flat=True).get(pk=livrable.pk)
            fusion = gt1.fusionner(rangs, _actuelles_commune(livrable, org), choix, (jeton or {}).get("montres"))
            fusion.erreurs += activites_disparues(rangs, fusion, activites)
            refus = arbitrer(
                request, ctx, SEL, {"livrable": livrable.pk, "commune": org.code}, version, rangs, fusion, choix, jeton
            )
            if refus is not None:
                return refus
            valeurs = {activites[c].pk: gt1.vers_modele(v) for c, v in fusion.valeurs.items()}
            # The payroll's ETP recorded with a new row, as the commune's page does.
            etp_paie = etp_paie_visible(territoire, ctx["acces"], groupe, org, liste) if valeurs else {}
            n = actions.do_importer_inventaire(livrable, org, request.user, valeurs, etp_paie, len(fusion.conflits))
    except ActionRefusee as exc:
        return page(request, {**ctx, "refus": exc.messages}, status=409)
    if n:
        messages.success(
            request,
            f"Classeur importé : {n} activité{'s' if n > 1 else ''} modifiée"
            f"{'s' if n > 1 else ''} (version {livrable.version} du livrable).",
        )
    else:
        messages.info(request, "Classeur importé : aucune modification.")
    return redirect("livrables:gt1_commune", code=territoire.code, theme=groupe.theme, commune=org.code)


def _prealable_commune(request, code, theme, commune):
    territoire, acces, groupe, org = _contexte_commune(request, code, theme, commune)
    if not acces.peut_remplir_inventaire(groupe, org):
        raise PermissionDenied(REFUS_REMPLIR)
    livrable = livrable_de(groupe, TypeLivrable.INVENTAIRE)
    args = (territoire.code, groupe.theme, org.code)
    ctx = {
        "territoire": territoire,
        "acces": acces,
        "groupe": groupe,
        "commune": org,
        "livrable": livrable,
        "modifiable": livrable.modifiable,
        "tableur": {
            "titre_page": f"GT1 – importer un classeur – {org.nom} – {groupe.libelle}",
            "titre_conflits": f"GT1 – conflits d'import – {org.nom} – {groupe.libelle}",
            "titre": f"Importer la liste des activités de {org.nom} : {groupe.libelle}",
            "nom": "la liste",
            "u_retour": reverse("livrables:gt1_commune", args=args),
            "retour_libelle": org.nom,
            "retour_bouton": f"Revenir à la liste de {org.nom}",
            "u_xlsx": reverse("livrables:gt1_tableur_xlsx", args=args),
            "u_ods": reverse("livrables:gt1_tableur_ods", args=args),
            "u_importer": reverse("livrables:gt1_tableur_importer", args=args),
            "u_resoudre": reverse("livrables:gt1_tableur_resoudre", args=args),
            "consigne": "remplissez les colonnes « Sous-activités », « Spécificités », « Exerce (oui/non) » et "
            "« ETP », puis importez le fichier ici. Pour ajouter une activité du référentiel, écrivez "
            "son code ou son intitulé sur une ligne vide.",
        },
    }
    return ctx, livrable, org


@login_required
@require_http_methods(["GET", "POST"])
def commune_importer(request, code, theme, commune):
    ctx, livrable, org = _prealable_commune(request, code, theme, commune)
    if request.method == "GET":
        return page(request, {**ctx, "form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    ctx["form"] = form
    if livrable.verrouille:
        return page(
            request,
            {**ctx, "refus": [f"{livrable} est {livrable.LIBELLE_FINAL} : il faut le rouvrir pour le modifier"]},
            status=409,
        )
    if not form.is_valid():
        return page(request, {**ctx, "erreurs": form.errors["fichier"], "consequence": CONSEQUENCE}, status=400)
    f = form.cleaned_data["fichier"]
    activites = activites_du_theme(ctx["territoire"], ctx["groupe"].theme)
    try:
        lu = gt1.lire_import(
            f.read(), f.name, activites, livrable.pk, org.code, gt1.nom_feuille(str(ctx["groupe"].libelle))
        )
    except InvalidFile as exc:
        return page(
            request,
            {**ctx, "erreurs": exc.errors, "avertissements": exc.warnings, "consequence": CONSEQUENCE},
            status=400,
        )
    return _appliquer_commune(request, ctx, livrable, org, lu.rangs, {})


@login_required
@require_http_methods(["GET", "POST"])
def commune_resoudre(request, code, theme, commune):
    """The conflict page's answer: the signed import and one choice per conflicting cell (POST only,
    answered 405 after the rights, like the other actions)."""
    ctx, livrable, org = _prealable_commune(request, code, theme, commune)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    donnees = lire_jeton(request, SEL)
    if donnees is None:
        return page(
            request, {**ctx, "form": ImportForm(), "erreurs": [ERREUR_JETON], "consequence": CONSEQUENCE}, status=400
        )
    if donnees.get("livrable") != livrable.pk or donnees.get("commune") != org.code:
        raise PermissionDenied("Cet import concerne une autre liste des activités.")
    rangs = [RangImport.de_json(r) for r in donnees["rangs"]]
    ctx["form"] = ImportForm()
    return _appliquer_commune(request, ctx, livrable, org, rangs, choix_postes(request), donnees)


# --- GT2 and GT3: the group's deliverable ----------------------------------------------------------


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


def _activites_groupe(territoire, groupe):
    return territoire.activites.filter(theme=groupe.theme).order_by("ordre", "code")


def _communes_groupe(territoire):
    return territoire.organisations.communes().filter(membre=True).order_by("code")


def _contexte_groupe(request, code, theme, livrable_type):
    """The territory, group and rights of the URL; 403 for who may not edit the deliverable."""
    if livrable_type not in SELS:
        raise Http404("Livrable inconnu.")
    territoire, acces, groupe = get_groupe_pour(request.user, code, theme)
    if livrable_type == "GT2":
        exiger(acces.peut_contribuer(groupe), REFUS_CONTRIBUER)
    else:
        exiger(acces.peut_consolider(groupe), REFUS_CONSOLIDER)
    livrable = livrable_de(groupe, TypeLivrable(livrable_type))
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
def groupe_exporter(request, code, theme, livrable, format):
    ctx = _contexte_groupe(request, code, theme, livrable)
    groupe, acces, objet = ctx["groupe"], ctx["acces"], ctx["livrable"]
    if livrable == "GT2":
        export = gt2.construire_export(objet, groupe, acces.organisation, acces.peut_consolider(groupe), timezone.now())
        module = gt2
    else:
        export = gt3.construire_export(objet, groupe, acces.organisation, timezone.now())
        module = gt3
    contenu = module.exporter_xlsx(export) if format == "xlsx" else module.exporter_ods(export)
    return reponse_classeur(contenu, format, f"{livrable}-{groupe.theme}")


def _lire_groupe(ctx, livrable_type, f):
    territoire, groupe, acces, objet = ctx["territoire"], ctx["groupe"], ctx["acces"], ctx["livrable"]
    if livrable_type == "GT2":
        return gt2.lire_import(
            f.read(),
            f.name,
            _activites_groupe(territoire, groupe),
            objet.pk,
            gt2.nom_feuille(str(groupe.libelle)),
            acces.peut_consolider(groupe),
        )
    return gt3.lire_import(
        f.read(),
        f.name,
        _activites_groupe(territoire, groupe),
        _communes_groupe(territoire),
        objet.pk,
        gt3.nom_feuille(str(groupe.libelle)),
    )


def _appliquer_groupe(request, ctx, livrable_type, rangs, choix, jeton=None):
    """Merge under the deliverable's lock and write; the conflict page while a cell is undecided.
    `jeton` is the conflict page's token when answering it."""
    territoire, groupe, acces, livrable = ctx["territoire"], ctx["groupe"], ctx["acces"], ctx["livrable"]
    module = gt2 if livrable_type == "GT2" else gt3
    activites = {a.code: a for a in _activites_groupe(territoire, groupe)}
    communes = {c.code: c for c in _communes_groupe(territoire)}
    try:
        with transaction.atomic():
            version = Livrable.objects.select_for_update().values_list("version", flat=True).get(pk=livrable.pk)
            fusion = module.fusionner(
                rangs, module.actuelles(livrable), choix, (jeton or {}).get("montres"), module.existantes(livrable)
            )
            fusion.erreurs += activites_disparues(rangs, fusion, activites)
            if livrable_type == "GT3":
                fusion.erreurs += gt3.communes_disparues(rangs, fusion, communes)
            refus = arbitrer(
                request, ctx, SELS[livrable_type], {"livrable": livrable.pk}, version, rangs, fusion, choix, jeton
            )
            if refus is not None:
                return refus
            if livrable_type == "GT2":
                ajouts, modifs = actions.do_importer_afor(
                    livrable,
                    request.user,
                    acces.organisation,
                    rangs,
                    fusion.valeurs,
                    activites,
                    acces.peut_consolider(groupe),
                )
            else:
                ajouts, modifs = actions.do_importer_mutualisables(
                    livrable, request.user, rangs, fusion.valeurs, activites, communes
                )
    except ActionRefusee as exc:
        return page(request, {**ctx, "refus": exc.messages}, status=409)
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
def groupe_importer(request, code, theme, livrable):
    ctx = _contexte_groupe(request, code, theme, livrable)
    if request.method == "GET":
        return page(request, {**ctx, "form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    ctx["form"] = form
    objet = ctx["livrable"]
    if objet.verrouille:
        return page(
            request,
            {**ctx, "refus": [f"{objet} est {objet.LIBELLE_FINAL} : il faut le rouvrir pour le modifier"]},
            status=409,
        )
    if not form.is_valid():
        return page(request, {**ctx, "erreurs": form.errors["fichier"], "consequence": CONSEQUENCE}, status=400)
    try:
        lu = _lire_groupe(ctx, livrable, form.cleaned_data["fichier"])
    except InvalidFile as exc:
        return page(
            request,
            {**ctx, "erreurs": exc.errors, "avertissements": exc.warnings, "consequence": CONSEQUENCE},
            status=400,
        )
    return _appliquer_groupe(request, ctx, livrable, lu.rangs, {})


@login_required
@require_http_methods(["GET", "POST"])
def groupe_resoudre(request, code, theme, livrable):
    """The conflict page's answer: the signed import and one choice per conflicting cell (POST only,
    answered 405 after the rights)."""
    ctx = _contexte_groupe(request, code, theme, livrable)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ctx["form"] = ImportForm()
    donnees = lire_jeton(request, SELS[livrable])
    if donnees is None:
        return page(request, {**ctx, "erreurs": [ERREUR_JETON], "consequence": CONSEQUENCE}, status=400)
    if donnees.get("livrable") != ctx["livrable"].pk:
        raise PermissionDenied("Cet import concerne un autre livrable.")
    rangs = [RangImport.de_json(r) for r in donnees["rangs"]]
    return _appliquer_groupe(request, ctx, livrable, rangs, choix_postes(request), donnees)
