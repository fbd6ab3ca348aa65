"""Pages of the groups' meetings: list, planning, edition, cancellation, the meeting's page, invitations,
attendance, and the agendas of the four stages (the minutes are in seances.views_comptes_rendus). Every
view loads the territory through the chokepoint (comptes.perms), then the group by its theme, then asks
`acces` what the user may do: 404 outside the territory, 403 for a member without the right, 409 when the
meeting's state refuses the action (the page is shown again with the reason)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from commun.concurrence import ModifieEntreTemps
from commun.erreurs import ActionRefusee
from comptes.perms import exiger, get_territoire_ou_404
from seances import actions, ics
from seances.enums import Etape, Presence
from seances.etat import ETAPES_GT, compte_rendu_charge, etat_compte_rendu, url_seance
from seances.forms import AnnulationForm, ModificationSeanceForm, PresencesForm, SeanceForm, TramesForm
from seances.pages import _groupe, _page_seance, _seance, _vers_seance

REFUS_PLANIFIER = "Seuls l'équipe projet, les co-pilotes du groupe et les consultants planifient ses séances."
REFUS_TRAMES = "Seule l'équipe projet modifie les trames d'animation."


_exiger = exiger


# --- meetings list, creation, edition --------------------------------------------------------------


@login_required
@require_safe
def liste(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    now = timezone.now()
    seances = list(
        groupe.seances.select_related("compte_rendu")
        .annotate(
            nb_invites=Count("participations"),
            nb_presents=Count("participations", filter=Q(participations__presence=Presence.PRESENT)),
        )
        .order_by("debut", "pk")
    )
    lignes = []
    for seance in seances:
        seance.groupe = groupe
        lignes.append({"seance": seance, "compte_rendu": etat_compte_rendu(seance, compte_rendu_charge(seance), now)})
    prevues = {s.etape for s in seances if not s.annulee}
    return render(
        request,
        "seances/liste.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "a_venir": [l for l in lignes if not l["seance"].annulee and not l["seance"].commencee(now)],
            "passees": [l for l in reversed(lignes) if l["seance"].annulee or l["seance"].commencee(now)],
            "peut_planifier": acces.peut_planifier(groupe),
            "etape_suivante": next((e for e in ETAPES_GT if e not in prevues), Etape.AUTRE),
            "etapes": Etape.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def creer(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    trames = {etape: trame.ordre_du_jour for etape, trame in actions.trames_du_schema(groupe.schema).items()}
    status = 200
    if request.method == "POST":
        form = SeanceForm(request.POST, trames=trames)
        if form.is_valid():
            seance = actions.do_planifier_seance(groupe, request.user, form.valeurs())
            seance.groupe = groupe
            messages.success(request, "Séance planifiée. Envoyez les invitations quand l'ordre du jour est prêt.")
            return _vers_seance(seance)
        status = 400
    else:
        etape = request.GET.get("etape")
        etape = etape if etape in Etape.values else Etape.GT1
        form = SeanceForm(initial={"etape": etape, "ordre_du_jour": trames[etape]})
    return render(
        request,
        "seances/formulaire.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "form": form,
            "seance": None,
            "trames": [{"etape": e, "libelle": l, "texte": trames[e]} for e, l in Etape.choices],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    if not seance.modifiable:
        return _page_seance(
            request,
            territoire,
            acces,
            groupe,
            seance,
            erreurs=["cette séance est annulée : elle ne peut plus être modifiée"],
            status=409,
        )
    status = 200
    if request.method == "POST":
        form = ModificationSeanceForm(request.POST, seance=seance)
        if form.is_valid():
            avant = seance.sequence_envoyee
            try:
                changes = actions.do_modifier_seance(
                    seance, request.user, form.valeurs(), prevenir=form.cleaned_data.get("prevenir", False)
                )
            except ActionRefusee as exc:
                return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
            if not changes:
                messages.info(request, "Aucune modification.")
            elif seance.sequence_envoyee != avant:
                messages.success(
                    request, "Séance modifiée ; la mise à jour de l'invitation est envoyée aux participants."
                )
            elif seance.mise_a_jour_non_envoyee:
                messages.warning(
                    request,
                    "Séance modifiée. Les agendas des participants ont l'ancienne version : "
                    "envoyez la mise à jour de l'invitation.",
                )
            else:
                messages.success(request, "Séance modifiée.")
            return _vers_seance(seance)
        status = 400
    else:
        form = ModificationSeanceForm(seance=seance)
    return render(
        request,
        "seances/formulaire.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "form": form,
            "seance": seance,
            "trames": [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def annuler(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    form = AnnulationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            envoyes = actions.do_annuler_seance(seance, request.user, form.cleaned_data["motif"])
        except ActionRefusee as exc:
            return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
        messages.success(
            request,
            "Séance annulée."
            + (f" L'annulation est envoyée à {envoyes} participant{'s' if envoyes > 1 else ''}." if envoyes else ""),
        )
        return _vers_seance(seance)
    return render(
        request,
        "seances/annuler.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "seance": seance,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- the meeting's page ----------------------------------------------------------------------------


@login_required
@require_safe
def seance(request, code, theme, pk):
    territoire, acces, groupe, seance_ = _seance(request, code, theme, pk)
    return _page_seance(request, territoire, acces, groupe, seance_)


@login_required
@require_safe
def calendrier(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    invites = [p.utilisateur for p in seance.participations.select_related("utilisateur")]
    # The address the reader used, not the configured one: the file is for her calendar.
    page = request.build_absolute_uri(url_seance(seance, territoire.code))
    contenu = ics.calendrier(seance, invites, page, timezone.now())
    response = HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics.nom_fichier(seance)}"'
    return response


@login_required
def inviter(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    mise_a_jour = seance.invitations_envoyees
    try:
        envoyes = actions.do_envoyer_invitations(seance, request.user)
    except ActionRefusee as exc:
        return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
    quoi = "La mise à jour de l'invitation est envoyée" if mise_a_jour else "L'invitation est envoyée"
    messages.success(request, f"{quoi} à {envoyes} participant{'s' if envoyes > 1 else ''}.")
    return _vers_seance(seance, "#participants")


@login_required
@require_http_methods(["GET", "POST"])
def presences(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    if not seance.peut_saisir_presences(timezone.now()):
        return _page_seance(
            request,
            territoire,
            acces,
            groupe,
            seance,
            status=409,
            erreurs=["les présences se saisissent à partir du début de la séance, jamais pour une séance annulée"],
        )
    participations = seance.participations_par_nom()
    form = PresencesForm(request.POST if request.method == "POST" else None, participations=participations)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_enregistrer_presences(seance, request.user, form.presences())
        except ActionRefusee as exc:
            return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
        messages.success(request, "Présences enregistrées : la séance est marquée comme tenue.")
        return _vers_seance(seance, "#participants")
    return render(
        request,
        "seances/presences.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "seance": seance,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- agendas of the four stages --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def trames(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    _exiger(acces.peut_gerer_groupes(), REFUS_TRAMES)
    schema = territoire.schemas.order_by("-mandat").first()
    if schema is None:
        raise Http404("Ce territoire n'a pas de schéma.")
    existantes = actions.trames_du_schema(schema)
    form = TramesForm(
        request.POST if request.method == "POST" else None,
        trames=existantes,
        initial={"empreinte": actions.empreinte_trames(schema)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            changees = actions.do_enregistrer_trames(schema, form.textes(), request.user, form.empreinte_lue())
        except ModifieEntreTemps as exc:
            form.rafraichir(exc)
        except ActionRefusee as exc:
            exc.au_formulaire(form)
        else:
            messages.success(
                request, f"Trames enregistrées ({', '.join(changees)})." if changees else "Aucune modification."
            )
            return redirect("seances:trames", code=code)
    return render(
        request,
        "seances/trames.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "form": form,
        },
        status=409 if form.conflit else 400 if request.method == "POST" else 200,
    )
