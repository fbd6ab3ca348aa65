"""What leaves Mutualis for other software: the deliberations recorded as open data (SCDL « délibérations »,
one CSV per collectivité, docs/contrats/10-scdl-deliberations.md), and each user's private calendar feed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from comptes.perms import acces_pour, get_territoire_ou_404
from parcours import actions, flux, scdl
from parcours.forms import SiretForm
from parcours.models import JetonCalendrier
from territoire.actions import do_changer_sirets


def _territoire(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    schema = territoire.schemas.order_by("-mandat").first()
    if schema is None:
        raise Http404("Ce territoire n'a pas encore de schéma.")
    return territoire, acces, schema


@login_required
def donnees_ouvertes(request, code):
    territoire, acces, schema = _territoire(request, code)
    form = SiretForm(organisations=territoire.organisations.filter(membre=True))
    status = 200
    if request.method == "POST":
        if not acces.peut_conduire_parcours():
            raise PermissionDenied("Seule l'équipe projet renseigne les SIRET des collectivités.")
        form = SiretForm(request.POST, organisations=territoire.organisations.filter(membre=True))
        if form.is_valid():
            n = do_changer_sirets(territoire, form.sirets(), request.user)
            messages.success(request, f"SIRET enregistrés ({n} modifié{'s' if n > 1 else ''}).")
            return redirect("parcours:donnees_ouvertes", code=code)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "parcours/donnees_ouvertes.html",
        {"territoire": territoire, "acces": acces, "collectivites": scdl.collectivites(schema), "form_siret": form},
        status=status,
    )


@login_required
def scdl_csv(request, code, organisation):
    territoire, acces, schema = _territoire(request, code)
    org = get_object_or_404(territoire.organisations, code=organisation)
    contenu = scdl.csv_de(schema, org)
    reponse = HttpResponse(contenu, content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="deliberations-{org.code}.csv"'
    return reponse


@login_required
def mon_calendrier(request, code):
    territoire, acces, schema = _territoire(request, code)
    if request.method == "POST":
        actions.do_nouveau_jeton(request.user, territoire)
        messages.success(request, "Nouvelle adresse créée : l'ancienne ne fonctionne plus.")
        return redirect("parcours:mon_calendrier", code=code)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    jeton = JetonCalendrier.objects.filter(utilisateur=request.user, territoire=territoire).first()
    adresse = request.build_absolute_uri(reverse("calendrier:flux", kwargs={"jeton": jeton.jeton})) if jeton else ""
    return render(
        request, "parcours/mon_calendrier.html", {"territoire": territoire, "acces": acces, "adresse": adresse}
    )


def flux_ics(request, jeton):
    """The feed at its private address: no session (a calendar application reads it), the address is the
    key; an inactive user, or one who left the territory, gets nothing."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    j = get_object_or_404(JetonCalendrier.objects.select_related("utilisateur", "territoire"), jeton=jeton)
    acces = acces_pour(j.utilisateur, j.territoire)
    if not j.utilisateur.is_active or not acces.est_membre:
        raise Http404("Calendrier introuvable.")
    schema = j.territoire.schemas.order_by("-mandat").first()
    if schema is None:
        raise Http404("Calendrier introuvable.")
    now = timezone.now()
    contenu = flux.flux(acces, schema, timezone.localdate(now), now, request.get_host())
    reponse = HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
    reponse["Cache-Control"] = "private, no-store"
    return reponse
