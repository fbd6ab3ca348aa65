"""What the import views of the three deliverables share (livrables/tableur/views.py): the workbook
response, the signed import carried by the conflict page (nothing is stored server-side), the choices
made there, the arbitration before writing a merge, and the import and conflict pages."""

from django.contrib import messages
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render

TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
CONSEQUENCE = "rien n'a été enregistré."
JETON_DUREE = 24 * 3600
ERREUR_JETON = "fichier : l'import a expiré ou a été altéré : importez de nouveau le classeur"
JETON_PERIME = "fichier : l'import a déjà été appliqué ou le livrable a changé depuis : importez de nouveau le fichier"


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


def page(request, ctx, template="livrables/tableur_import.html", status=200):
    """The import page (form, error report, refusal) or, with `template`, the conflict page."""
    return render(request, template, ctx, status=status)


def page_conflits(request, ctx, conflits, jeton, choix):
    return page(
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
        return page(request, {**ctx, "erreurs": fusion.erreurs, "consequence": CONSEQUENCE}, status=400)
    if fusion.non_resolus:
        nouveau = signer(
            sel, {**cible, "version": version, "rangs": [r.en_json() for r in rangs], "montres": fusion.montres()}
        )
        return page_conflits(request, ctx, fusion.conflits, nouveau, choix)
    if jeton is not None and jeton.get("version") != version:
        return page(request, {**ctx, "erreurs": [JETON_PERIME], "consequence": CONSEQUENCE}, status=409)
    return None


def avertir(request, fusion) -> None:
    """The rows the merge left out (an addition already present), said after the import."""
    for message in fusion.avertissements:
        messages.warning(request, message[:1].upper() + message[1:] + ".")
