from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from commun.erreurs import ActionRefusee
from commun.tri import trie_par_nom
from comptes.actions import (
    do_desactiver,
    do_designer_referent_paie,
    do_inviter,
    do_modifier_compte,
    do_reactiver,
    do_renvoyer_invitation,
)
from comptes.enums import ROLES_DANS_GROUPE, Role
from comptes.forms import CompteForm, ConnexionForm, InvitationForm, ReferentPaieForm
from comptes.models import Habilitation, Utilisateur, cle_personne
from comptes.perms import get_territoire_ou_404, get_utilisateur_ou_404, territoires_visibles
from groupes.models import GroupeTravail
from territoire.models import Evenement

REFUS = "Seule l'équipe projet gère les comptes du territoire."
# How the account page words its journal lines.
PHRASES = {
    "comptes.equipe_projet": "compte créé dans l'équipe projet (ligne de commande)",
    "comptes.invitation": "invitation",
    "comptes.ajout_roles": "rôles ajoutés par une invitation",
    "comptes.modification": "compte modifié",
    "comptes.desactivation": "compte désactivé",
    "comptes.reactivation": "compte réactivé",
    "comptes.relance": "invitation renvoyée",
}


class Connexion(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    authentication_form = ConnexionForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.bloque:
            response.status_code = 429  # Too Many Requests
        return response


@login_required
def accueil(request):
    territoires = trie_par_nom(territoires_visibles(request.user))
    if len(territoires) == 1:
        return redirect("espace:accueil", code=territoires[0].code)
    return render(request, "comptes/accueil.html", {"territoires": territoires})


# --- The territory's accounts (project team) ------------------------------------------------------------


def _donnees(request):
    """The submitted data, or None on GET (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _gestionnaire(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    if not acces.peut_gerer_comptes():
        raise PermissionDenied(REFUS)
    return territoire, acces


def _groupes(territoire):
    return list(GroupeTravail.objects.du_territoire(territoire).avec_participants())


@login_required
@require_safe
def liste(request, code):
    territoire, acces = _gestionnaire(request, code)
    roles_ici = Prefetch(
        "habilitations",
        to_attr="roles_ici",
        queryset=Habilitation.objects.filter(territoire=territoire)
        .select_related("groupe")
        .order_by("groupe_id", "role"),
    )
    utilisateurs = sorted(
        Utilisateur.objects.du_territoire(territoire).select_related("organisation").prefetch_related(roles_ici),
        key=cle_personne,
    )
    return render(
        request,
        "comptes/utilisateurs.html",
        {
            "territoire": territoire,
            "acces": acces,
            "utilisateurs": utilisateurs,
            "nb_actifs": sum(1 for u in utilisateurs if u.is_active),
            "nb_en_attente": sum(1 for u in utilisateurs if u.invitation_en_attente),
            "nb_desactives": sum(1 for u in utilisateurs if not u.is_active),
        },
    )


def _message_changements(request, changements):
    if changements.remplaces:
        messages.warning(
            request, "Rôles repris à leur titulaire précédent : " + " ; ".join(changements.remplaces) + "."
        )


@login_required
@require_http_methods(["GET", "POST"])
def inviter(request, code):
    territoire, acces = _gestionnaire(request, code)
    groupes = _groupes(territoire)
    form = InvitationForm(_donnees(request), territoire=territoire, groupes=groupes)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # The e-mail is queued (comptes/courriels.py): a failing mail server is tried again by the worker,
        # and a message never delivered is told to the project team in the audit trail.
        invitation = do_inviter(
            territoire,
            email=d["email"],
            prenom=d["prenom"],
            nom=d["nom"],
            organisation=d["organisation"],
            roles_territoire=form.roles_territoire(),
            roles_groupes=form.roles_groupes(),
            auteur=request.user,
        )
        user = invitation.utilisateur
        if invitation.cree:
            messages.success(
                request,
                f"Invitation envoyée à {user} ({user.email}) : le courriel contient le lien "
                "pour choisir son mot de passe.",
            )
        else:
            ajout = ", ".join(invitation.changements.ajoutes) or "aucun nouveau rôle"
            reactive = " Son compte, désactivé, est réactivé." if invitation.reactive else ""
            messages.success(
                request,
                f"{user} ({user.email}) avait déjà un compte : rôles ajoutés ({ajout}), courriel envoyé.{reactive}",
            )
        _message_changements(request, invitation.changements)
        return redirect("utilisateurs:liste", code=territoire.code)
    return render(
        request,
        "comptes/inviter.html",
        {"territoire": territoire, "acces": acces, "form": form},
        status=400 if form.is_bound else 200,
    )


def _initial(territoire, user, groupes) -> dict:
    habilitations = list(user.habilitations.filter(territoire=territoire))
    initial = {
        "prenom": user.first_name,
        "nom": user.last_name,
        "organisation": user.organisation,
        "roles": [h.role for h in habilitations if h.groupe_id is None],
    }
    ordre = list(ROLES_DANS_GROUPE)
    for groupe in groupes:
        roles = sorted((h.role for h in habilitations if h.groupe_id == groupe.pk), key=ordre.index)
        initial[CompteForm.nom_champ(groupe)] = roles[-1] if roles else ""  # the strongest one
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def compte(request, code, pk):
    territoire, acces = get_territoire_ou_404(request.user, code)
    user = get_utilisateur_ou_404(acces, pk)
    groupes = _groupes(territoire)
    form = CompteForm(
        _donnees(request),
        territoire=territoire,
        groupes=groupes,
        utilisateur=user,
        initial=_initial(territoire, user, groupes),
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        changements = do_modifier_compte(
            territoire,
            user,
            prenom=d["prenom"],
            nom=d["nom"],
            organisation=d.get("organisation"),
            roles_territoire=form.roles_territoire(),
            roles_groupes=form.roles_groupes(),
            auteur=request.user,
            changer_organisation=not form.org_externe,
        )
        _message_changements(request, changements)
        if not Utilisateur.objects.du_territoire(territoire).filter(pk=user.pk).exists():
            # A consultant with no role left is no longer of the territory: her page is gone.
            messages.success(request, f"{user} n'a plus de rôle dans {territoire.nom}.")
            return redirect("utilisateurs:liste", code=territoire.code)
        messages.success(request, f"Compte de {user} enregistré.")
        return redirect("utilisateurs:compte", code=territoire.code, pk=user.pk)
    journal = [
        {
            "quand": e.quand,
            "qui": e.utilisateur,
            "quoi": PHRASES.get(e.action, e.action),
            "ajoutes": e.details.get("ajoutes", []),
            "retires": e.details.get("retires", []),
        }
        for e in Evenement.objects.filter(
            territoire=territoire, action__startswith="comptes.", details__compte=user.pk
        ).select_related("utilisateur")[:10]
    ]
    return render(
        request,
        "comptes/compte.html",
        {
            "territoire": territoire,
            "acces": acces,
            "form": form,
            "compte": user,
            "journal": journal,
            "autres_territoires": user.habilitations.exclude(territoire=territoire).exists(),
        },
        status=400 if form.is_bound else 200,
    )


def _action_sur_compte(request, code, pk, action, succes):
    territoire, acces = get_territoire_ou_404(request.user, code)
    user = get_utilisateur_ou_404(acces, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        action(territoire, user, request.user)
    except ActionRefusee as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, succes.format(user=user))
    return redirect("utilisateurs:compte", code=territoire.code, pk=user.pk)


@login_required
def desactiver(request, code, pk):
    return _action_sur_compte(
        request,
        code,
        pk,
        do_desactiver,
        "Compte de {user} désactivé : la personne ne peut plus se connecter. Ses rôles et "
        "son historique sont conservés.",
    )


@login_required
def reactiver(request, code, pk):
    return _action_sur_compte(request, code, pk, do_reactiver, "Compte de {user} réactivé.")


@login_required
def renvoyer(request, code, pk):
    return _action_sur_compte(
        request, code, pk, do_renvoyer_invitation, "Invitation renvoyée à {user} ({user.email}) avec un nouveau lien."
    )


# --- Payroll referents (a DGS, in her organisation) ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def referents_paie(request, code):
    """The people of the DGS's organisation, and who among them reads its payroll amounts as she does."""
    territoire, acces = get_territoire_ou_404(request.user, code)
    if not acces.peut_designer_referents_paie():
        raise PermissionDenied(
            "Le DGS d'une organisation désigne ses référents paie ; l'équipe projet le fait "
            "depuis la page de chaque compte."
        )
    organisation = acces.organisation
    form = ReferentPaieForm(_donnees(request), territoire=territoire, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        user, designe = form.cleaned_data["utilisateur"], form.cleaned_data["designe"]
        try:
            change = do_designer_referent_paie(territoire, organisation, user, designe, request.user)
        except ActionRefusee as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            if change:
                messages.success(
                    request,
                    f"{user} est désormais référent paie de {organisation.nom}."
                    if designe
                    else f"{user} n'est plus référent paie de {organisation.nom}.",
                )
        return redirect("utilisateurs:referents_paie", code=territoire.code)
    referents = set(
        Habilitation.objects.filter(territoire=territoire, role=Role.REFERENT_PAIE).values_list(
            "utilisateur_id", flat=True
        )
    )
    personnes = [
        {"u": u, "referent": u.pk in referents}
        for u in sorted(
            Utilisateur.objects.du_territoire(territoire).filter(organisation=organisation), key=cle_personne
        )
        if u.pk != request.user.pk
    ]
    return render(
        request,
        "comptes/referents_paie.html",
        {"territoire": territoire, "acces": acces, "organisation": organisation, "personnes": personnes, "form": form},
        status=400 if form.is_bound else 200,
    )
