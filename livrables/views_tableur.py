"""GT1 spreadsheet round trip (livrables/tableur.py): export of a commune's inventory to XLSX or ODS,
re-import with a validation report (400), a conflict page when the app changed a cell the file changed
too, and the application of the merge (one transaction, one version of the deliverable).

Rights as the commune's page: the export is readable by every member of the territory; importing is
`peut_remplir_inventaire` (403), refused with 409 when the deliverable is locked. The helpers at the top
(form, file response, signed import, pages) are shared with views_tableur_groupe.py (GT2, GT3)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from formats.errors import InvalidFile
from livrables import actions, tableur
from livrables import tableur_commun as commun
from livrables.enums import TypeLivrable
from livrables.models import Livrable
from livrables.views_inventaire import REFUS_REMPLIR, _groupe, activites_du_theme, etp_paie_visible
from mutualis.erreurs import ActionRefusee
from mutualis.forms import FichierField

SEL = "livrables.tableur.gt1"
TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
CONSEQUENCE = "rien n'a été enregistré."


JETON_DUREE = 24 * 3600
ERREUR_JETON = "fichier : l'import a expiré ou a été altéré : importez de nouveau le classeur"
JETON_PERIME = "fichier : l'import a déjà été appliqué ou le livrable a changé depuis : importez de nouveau le fichier"


class ImportForm(forms.Form):
    fichier = FichierField(label="Classeur rempli (XLSX ou ODS)", accept=".xlsx,.ods")


def reponse_classeur(contenu: bytes, format: str, nom: str) -> HttpResponse:
    response = HttpResponse(contenu, content_type=TYPES[format])
    response["Content-Disposition"] = f'attachment; filename="{nom}.{format}"'
    return response


def signer(sel: str, donnees: dict) -> str:
    """The parsed import, signed, carried by the conflict page (nothing is stored server-side)."""
    return signing.dumps(donnees, salt=sel, compress=True)


def lire_jeton(request, sel: str) -> dict | None:
    try:
        return signing.loads(request.POST.get("jeton", ""), salt=sel, max_age=JETON_DUREE)
    except signing.BadSignature:
        return None


def choix_postes(request) -> dict[str, str]:
    """{conflict key: "application" | "fichier"} of the conflict page's radio buttons."""
    return {
        k[len("choix:") :]: v
        for k, v in request.POST.items()
        if k.startswith("choix:") and v in ("application", "fichier")
    }


def page_conflits(request, ctx, conflits, jeton, choix):
    return _page(
        request,
        {
            **ctx,
            "conflits": conflits,
            "jeton": jeton,
            "choix": choix,
            "nouvelles_valeurs": any(c.nouvelle_valeur for c in conflits),
        },
        template="livrables/tableur_conflits.html",
        status=409,
    )


def arbitrer(request, ctx, sel: str, cible: dict, version: int, rangs, fusion, choix, jeton: dict | None):
    """What to answer before writing a merge (under the deliverable's lock), or None to write it.

    Errors: the report (400). A cell undecided, or whose app value changed since the conflict page showed
    it: the conflict page (409) with a new token carrying `cible` (which deliverable), the deliverable's
    `version`, the rows and the app values shown. A token (`jeton`, when answering the page) issued at
    another version of the deliverable: refused (409), since it was applied already (a second submit, the
    back button) or the deliverable changed since. Showing the page writes nothing, so a page shown again
    with a fresh token is answered at the version it was issued at."""
    if fusion.erreurs:
        return _page(request, {**ctx, "erreurs": fusion.erreurs, "consequence": CONSEQUENCE}, status=400)
    if fusion.non_resolus:
        nouveau = signer(
            sel, {**cible, "version": version, "rangs": [r.en_json() for r in rangs], "montres": fusion.montres()}
        )
        return page_conflits(request, ctx, fusion.conflits, nouveau, choix)
    if jeton is not None and jeton.get("version") != version:
        return _page(request, {**ctx, "erreurs": [JETON_PERIME], "consequence": CONSEQUENCE}, status=409)
    return None


def avertir(request, fusion) -> None:
    """The rows the merge left out (an addition already present), said after the import."""
    for message in fusion.avertissements:
        messages.warning(request, message[:1].upper() + message[1:] + ".")


def _contexte(request, code, theme, commune):
    territoire, acces, groupe = _groupe(request, code, theme)
    org = territoire.organisations.communes().filter(code=commune).first()
    if org is None:
        raise Http404("Commune introuvable dans ce territoire.")
    return territoire, acces, groupe, org


def _actuelles(livrable, org) -> dict[str, tuple[int, dict[str, str]]]:
    return {
        l.activite.code: (l.version, tableur.canon(l))
        for l in livrable.inventaire.filter(commune=org).select_related("activite")
    }


@login_required
@require_safe
def exporter(request, code, theme, commune, format):
    territoire, acces, groupe, org = _contexte(request, code, theme, commune)
    livrable = actions.livrable_de(groupe, TypeLivrable.INVENTAIRE)
    activites = activites_du_theme(territoire, groupe.theme)
    lignes = {l.activite_id: l for l in livrable.inventaire.filter(commune=org)}
    etp_paie = etp_paie_visible(territoire, acces, groupe, org, activites)
    export = tableur.construire_export(livrable, groupe, org, activites, lignes, timezone.now(), etp_paie)
    contenu = tableur.exporter_xlsx(export) if format == "xlsx" else tableur.exporter_ods(export)
    return reponse_classeur(contenu, format, f"GT1-{groupe.theme}-{org.code}")


def exporter_xlsx(request, code, theme, commune):
    return exporter(request, code, theme, commune, "xlsx")


def exporter_ods(request, code, theme, commune):
    return exporter(request, code, theme, commune, "ods")


def _page(request, ctx, template="livrables/tableur_import.html", status=200):
    """The import page (form, error report, refusal) or, with `template`, the conflict page."""
    return render(request, template, ctx, status=status)


def _appliquer(request, ctx, livrable, org, rangs, choix, jeton=None):
    """Merge under the deliverable's lock and write; the conflict page when a cell is still undecided.
    `jeton` is the conflict page's token when answering it."""
    territoire, groupe = ctx["territoire"], ctx["groupe"]
    liste = activites_du_theme(territoire, groupe.theme)
    activites = {a.code: a for a in liste}
    try:
        with transaction.atomic():
            version = Livrable.objects.select_for_update().values_list("version", flat=True).get(pk=livrable.pk)
            fusion = tableur.fusionner(rangs, _actuelles(livrable, org), choix, (jeton or {}).get("montres"))
            fusion.erreurs += commun.activites_disparues(rangs, fusion, activites)
            refus = arbitrer(
                request, ctx, SEL, {"livrable": livrable.pk, "commune": org.code}, version, rangs, fusion, choix, jeton
            )
            if refus is not None:
                return refus
            valeurs = {activites[c].pk: tableur.vers_modele(v) for c, v in fusion.valeurs.items()}
            # The payroll's ETP recorded with a new row, as the commune's page does.
            etp_paie = etp_paie_visible(territoire, ctx["acces"], groupe, org, liste) if valeurs else {}
            n = actions.do_enregistrer_inventaire(livrable, org, request.user, valeurs, etp_paie) if valeurs else 0
            if n:
                actions.evenement(
                    livrable,
                    request.user,
                    "livrables.import_tableur",
                    commune=org.code,
                    lignes=n,
                    conflits=len(fusion.conflits),
                )
    except ActionRefusee as exc:
        return _page(request, {**ctx, "refus": exc.messages}, status=409)
    if n:
        messages.success(
            request,
            f"Classeur importé : {n} activité{'s' if n > 1 else ''} modifiée"
            f"{'s' if n > 1 else ''} (version {livrable.version} du livrable).",
        )
    else:
        messages.info(request, "Classeur importé : aucune modification.")
    return redirect("livrables:gt1_commune", code=territoire.code, theme=groupe.theme, commune=org.code)


def _prealable(request, code, theme, commune):
    territoire, acces, groupe, org = _contexte(request, code, theme, commune)
    if not acces.peut_remplir_inventaire(groupe, org):
        raise PermissionDenied(REFUS_REMPLIR)
    livrable = actions.livrable_de(groupe, TypeLivrable.INVENTAIRE)
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
def importer(request, code, theme, commune):
    ctx, livrable, org = _prealable(request, code, theme, commune)
    if request.method == "GET":
        return _page(request, {**ctx, "form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    ctx["form"] = form
    if livrable.verrouille:
        return _page(
            request,
            {**ctx, "refus": [f"{livrable} est {livrable.LIBELLE_FINAL} : il faut le rouvrir pour le modifier"]},
            status=409,
        )
    if not form.is_valid():
        return _page(request, {**ctx, "erreurs": form.errors["fichier"], "consequence": CONSEQUENCE}, status=400)
    f = form.cleaned_data["fichier"]
    activites = activites_du_theme(ctx["territoire"], ctx["groupe"].theme)
    try:
        lu = tableur.lire_import(
            f.read(), f.name, activites, livrable.pk, org.code, tableur.nom_feuille(str(ctx["groupe"].libelle))
        )
    except InvalidFile as exc:
        return _page(
            request,
            {**ctx, "erreurs": exc.errors, "avertissements": exc.warnings, "consequence": CONSEQUENCE},
            status=400,
        )
    return _appliquer(request, ctx, livrable, org, lu.rangs, {})


@login_required
@require_http_methods(["GET", "POST"])
def resoudre(request, code, theme, commune):
    """The conflict page's answer: the signed import and one choice per conflicting cell (POST only,
    answered 405 after the rights, like the other actions)."""
    ctx, livrable, org = _prealable(request, code, theme, commune)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    donnees = lire_jeton(request, SEL)
    if donnees is None:
        return _page(
            request, {**ctx, "form": ImportForm(), "erreurs": [ERREUR_JETON], "consequence": CONSEQUENCE}, status=400
        )
    if donnees.get("livrable") != livrable.pk or donnees.get("commune") != org.code:
        raise PermissionDenied("Cet import concerne une autre liste des activités.")
    rangs = [tableur.RangImport.de_json(r) for r in donnees["rangs"]]
    ctx["form"] = ImportForm()
    return _appliquer(request, ctx, livrable, org, rangs, choix_postes(request), donnees)
