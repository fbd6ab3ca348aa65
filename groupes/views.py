from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from commun.erreurs import ActionRefusee
from commun.tri import trie_par_nom
from comptes.enums import ROLES_DANS_GROUPE, ROLES_REPARTITION, Role
from comptes.models import Utilisateur
from comptes.perms import get_territoire_ou_404
from groupes import panneaux
from groupes.acces import get_groupe_ou_404
from groupes.actions import (
    do_ajouter_membre,
    do_creer_sous_groupe,
    do_modifier_perimetre,
    do_modifier_sous_groupe,
    do_repartir,
    do_retirer_membre,
    do_supprimer_sous_groupe,
)
from groupes.forms import MembreForm, PerimetreForm, RepartitionForm, SousGroupeForm, personnes_du_territoire
from groupes.models import GroupeTravail, SousGroupe

REFUS_EQUIPE = "Seule l'équipe projet choisit les co-pilotes, le consultant et les membres des groupes."
REFUS_COPILOTES = "Seuls l'équipe projet et les co-pilotes du groupe modifient son périmètre et ses sous-groupes."


def _donnees(request):
    """The submitted data, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _groupe(request, code, theme):
    territoire, acces = get_territoire_ou_404(request.user, code)
    groupe = get_groupe_ou_404(territoire, theme, GroupeTravail.objects.avec_participants())
    return territoire, acces, groupe


def _gestionnaire(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    if not acces.peut_gerer_groupes():
        raise PermissionDenied(REFUS_EQUIPE)
    return territoire, acces, groupe


def _coordinateur(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    if not acces.peut_coordonner(groupe):
        raise PermissionDenied(REFUS_COPILOTES)
    return territoire, acces, groupe


@login_required
@require_safe
def liste(request, code):
    """The source document's « répartition des thématiques »: a column per theme, a row per role."""
    territoire, acces = get_territoire_ou_404(request.user, code)
    groupes = list(
        GroupeTravail.objects.du_territoire(territoire)
        .avec_participants()
        .select_related("schema")
        .annotate(nb_sous_groupes=Count("sous_groupes"))
    )
    lignes = [
        {"libelle": ROLES_DANS_GROUPE[role], "cellules": [g.participants(role) for g in groupes]}
        for role in ROLES_REPARTITION
    ]
    for g in groupes:
        g.nb_membres = len(g.participants(Role.MEMBRE))
    return render(
        request,
        "groupes/liste.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupes": groupes,
            "lignes": lignes,
            "schema": groupes[0].schema if groupes else None,
        },
    )


def _page_groupe(request, territoire, acces, groupe, membre_form=None, status=200):
    # par_nom ranks the users it is given: those of the group's sub-groups, not every account
    dans_les_sous_groupes = Utilisateur.objects.filter(pk__in=groupe.sous_groupes.values("membres"))
    sous_groupes = trie_par_nom(
        groupe.sous_groupes.prefetch_related(
            Prefetch("membres", queryset=dans_les_sous_groupes.select_related("organisation").par_nom())
        )
    )
    if membre_form is None and acces.peut_gerer_groupes():
        membre_form = MembreForm(groupe=groupe, personnes=personnes_du_territoire(territoire))
    # The panels of the meetings, the mandate letter and the deliverables (apps above, groupes/panneaux.py)
    # bring their own keys; the page's own keys come last so that a panel cannot hide them.
    context = {
        **panneaux.contexte(groupe, acces, timezone.now()),
        "territoire": territoire,
        "acces": acces,
        "groupe": groupe,
        "copilotes_commune": groupe.participants(Role.COPILOTE_COMMUNE),
        "copilotes_epci": groupe.participants(Role.COPILOTE_EPCI),
        "consultants_groupe": groupe.participants(Role.CONSULTANT),
        "membres_groupe": groupe.participants(Role.MEMBRE),
        "sous_groupes": sous_groupes,
        "membre_form": membre_form,
        "gestionnaire": acces.peut_gerer_groupes(),
        "coordinateur": acces.peut_coordonner(groupe),
    }
    return render(request, "groupes/groupe.html", context, status=status)


@login_required
@require_safe
def groupe(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    return _page_groupe(request, territoire, acces, groupe)


def _vers(groupe, ancre=""):
    from django.urls import reverse

    url = reverse("groupes:groupe", kwargs={"code": groupe.schema.territoire.code, "theme": groupe.theme})
    return url + (f"#{ancre}" if ancre else "")


@login_required
@require_http_methods(["GET", "POST"])
def repartition(request, code, theme):
    territoire, acces, groupe = _gestionnaire(request, code, theme)
    form = RepartitionForm(_donnees(request), groupe=groupe, personnes=personnes_du_territoire(territoire))
    if request.method == "POST" and form.is_valid():
        changements = do_repartir(groupe, form.titulaires(), request.user)
        if changements:
            messages.success(
                request, f"Répartition du groupe {groupe.libelle} enregistrée : " + " ; ".join(changements) + "."
            )
        else:
            messages.info(request, f"Répartition du groupe {groupe.libelle} inchangée.")
        return redirect("groupes:liste", code=territoire.code)
    return render(
        request,
        "groupes/repartition.html",
        {"territoire": territoire, "acces": acces, "groupe": groupe, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def perimetre(request, code, theme):
    territoire, acces, groupe = _coordinateur(request, code, theme)
    form = PerimetreForm(_donnees(request), initial={"perimetre": groupe.perimetre})
    if request.method == "POST" and form.is_valid():
        do_modifier_perimetre(groupe, form.cleaned_data["perimetre"], request.user)
        messages.success(request, f"Périmètre du groupe {groupe.libelle} enregistré.")
        return redirect(_vers(groupe, "perimetre"))
    return render(
        request,
        "groupes/perimetre.html",
        {"territoire": territoire, "acces": acces, "groupe": groupe, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def ajouter_membre(request, code, theme):
    territoire, acces, groupe = _gestionnaire(request, code, theme)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = MembreForm(request.POST, groupe=groupe, personnes=personnes_du_territoire(territoire))
    if not form.is_valid():
        return _page_groupe(request, territoire, acces, groupe, membre_form=form, status=400)
    membre = form.cleaned_data["utilisateur"]
    do_ajouter_membre(groupe, membre, request.user)
    messages.success(request, f"{membre} est membre du groupe {groupe.libelle}.")
    return redirect(_vers(groupe, "membres"))


@login_required
def retirer_membre(request, code, theme, pk):
    territoire, acces, groupe = _gestionnaire(request, code, theme)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    membre = next((u for u in groupe.participants(Role.MEMBRE) if u.pk == pk), None)
    if membre is None:
        raise Http404("Cette personne n'est pas membre du groupe.")
    try:
        do_retirer_membre(groupe, membre, request.user)
    except ActionRefusee as exc:  # removed meanwhile by someone else
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membre} n'est plus membre du groupe {groupe.libelle} (ni de ses sous-groupes).")
    return redirect(_vers(groupe, "membres"))


def _edition_sous_groupe(request, territoire, acces, groupe, sous_groupe):
    form = SousGroupeForm(_donnees(request), groupe=groupe, sous_groupe=sous_groupe)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if sous_groupe is None:
            do_creer_sous_groupe(
                groupe, nom=d["nom"], description=d["description"], membres=d["membres"], auteur=request.user
            )
        else:
            do_modifier_sous_groupe(
                sous_groupe, nom=d["nom"], description=d["description"], membres=d["membres"], auteur=request.user
            )
        messages.success(request, f"Sous-groupe « {d['nom']} » enregistré.")
        return redirect(_vers(groupe, "sous-groupes"))
    return render(
        request,
        "groupes/sous_groupe.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "sous_groupe": sous_groupe,
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ajouter_sous_groupe(request, code, theme):
    territoire, acces, groupe = _coordinateur(request, code, theme)
    return _edition_sous_groupe(request, territoire, acces, groupe, None)


@login_required
@require_http_methods(["GET", "POST"])
def modifier_sous_groupe(request, code, theme, pk):
    territoire, acces, groupe = _coordinateur(request, code, theme)
    sous_groupe = get_object_or_404(SousGroupe, pk=pk, groupe=groupe)
    return _edition_sous_groupe(request, territoire, acces, groupe, sous_groupe)


@login_required
@require_http_methods(["GET", "POST"])
def supprimer_sous_groupe(request, code, theme, pk):
    territoire, acces, groupe = _coordinateur(request, code, theme)
    sous_groupe = get_object_or_404(SousGroupe.objects.prefetch_related("membres"), pk=pk, groupe=groupe)
    if request.method == "POST":
        do_supprimer_sous_groupe(sous_groupe, request.user)
        messages.success(request, f"Sous-groupe « {sous_groupe.nom} » supprimé.")
        return redirect(_vers(groupe, "sous-groupes"))
    return render(
        request,
        "groupes/supprimer_sous_groupe.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "sous_groupe": sous_groupe,
        },
    )
