"""The page of a payroll upload read in the background (masse_salariale/imports.py), seen only by who sent it
while she may still import that payroll: its progress while the worker reads it (read again by
static/js/progression.js, or « Actualiser »), then its outcome: the batch to confirm or the DSN reading to
place (a redirection), the file's errors (the page the request showed before), or the failure of the
reading."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from masse_salariale import views_dsn
from masse_salariale.enums import GenreImport, StatutImport
from masse_salariale.forms import DSNForm
from masse_salariale.models import ImportPaie


def _envoi(request, code, pk):
    territoire, acces = views_dsn._importateur(request, code)
    envoi = get_object_or_404(
        ImportPaie.objects.select_related("organisation"), pk=pk, territoire=territoire, demande_par=request.user
    )
    if envoi.organisation is not None:
        views_dsn._organisation(acces, envoi.organisation.code)
    return territoire, acces, envoi


@login_required
def import_paie(request, code, pk):
    territoire, acces, envoi = _envoi(request, code, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    if envoi.statut == StatutImport.LU:
        for message in envoi.erreurs:  # a DSN reading whose batch could not be prepared at once
            messages.error(request, message)
        if envoi.lot_id:
            return redirect("masse_salariale:lot", code=code, pk=envoi.lot_id)
        if envoi.lecture_id:
            return redirect("masse_salariale:dsn_lecture", code=code, pk=envoi.lecture_id)
        return redirect("masse_salariale:lots", code=code)  # what it gave was deleted since
    if envoi.statut == StatutImport.REFUSE and envoi.genre == GenreImport.DSN:
        return views_dsn.page(
            request,
            territoire,
            acces,
            DSNForm(initial=_saisie(envoi), organisations=acces.organisations_importables()),
            envoi.organisation,
            envoi.annee,
            erreurs=envoi.erreurs,
            avertissements=envoi.avertissements,
        )
    if envoi.statut == StatutImport.REFUSE:
        contexte = {
            "erreurs": envoi.erreurs,
            "avertissements": envoi.avertissements,
            "fichier": envoi.fichiers[0]["nom"],
        }
        return render(request, "masse_salariale/rapport.html", {"territoire": territoire, "acces": acces, **contexte})
    return render(
        request,
        "masse_salariale/import.html",
        {
            "territoire": territoire,
            "acces": acces,
            "envoi": envoi,
            "noms": [f["nom"] for f in envoi.fichiers if f["role"] != "agents"],
            "taille": sum(f["taille"] for f in envoi.fichiers),
        },
    )


def _saisie(envoi: ImportPaie) -> dict:
    """The DSN form as it was sent (the files are to be chosen again)."""
    taux = envoi.parametres.get("taux", {})
    return {
        "organisation": envoi.organisation.code,
        "annee": envoi.annee,
        "taux_cnracl": views_dsn._pourcent(_decimal(taux.get("cnracl"))),
        "taux_general": views_dsn._pourcent(_decimal(taux.get("general"))),
        "chapitre_012": _decimal(envoi.parametres.get("chapitre_012")),
        "mois_manquants": envoi.parametres.get("mois_manquants", False),
    }


def _decimal(texte):
    return None if texte is None else Decimal(texte)


@login_required
def import_etat(request, code, pk):
    """The progress, read by static/js/progression.js: once the reading is over (« pret » or « echec »), the
    script reads the page again, which shows the outcome."""
    _, _, envoi = _envoi(request, code, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    statut = {StatutImport.LU: "pret", StatutImport.REFUSE: "pret"}.get(envoi.statut, envoi.statut)
    return JsonResponse(
        {
            "statut": statut,
            "libelle": envoi.get_statut_display(),
            "progression": envoi.progression,
            "etape": envoi.etape,
            "erreur": " ; ".join(envoi.erreurs) if envoi.statut == StatutImport.ECHEC else "",
        },
        headers={"Cache-Control": "no-store"},
    )
