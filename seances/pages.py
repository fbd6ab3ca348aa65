"""What the views of the meetings (seances.views) and of the minutes (seances.views_comptes_rendus)
share: loading the group and the meeting through the chokepoint, the redirection to the meeting's page,
and that page itself, shown again with the reason when an action is refused."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from comptes.enums import Role
from groupes.acces import get_groupe_pour
from seances import actions
from seances.enums import Presence
from seances.models import Seance
from validation import actions as validation
from validation.enums import Action, Etat
from validation.forms import RenvoiForm, ReouvertureForm


def _groupe(request, code, theme):
    return get_groupe_pour(request.user, code, theme)


def _seance(request, code, theme, pk):
    territoire, acces, groupe = _groupe(request, code, theme)
    seance = get_object_or_404(Seance, pk=pk, groupe=groupe)
    seance.groupe = groupe
    return territoire, acces, groupe, seance


def _vers_seance(seance, ancre=""):
    return redirect(
        reverse(
            "seances:seance",
            kwargs={"code": seance.groupe.schema.territoire.code, "theme": seance.groupe.theme, "pk": seance.pk},
        )
        + ancre
    )


def _roles_dans_groupe(groupe) -> dict[int, list[str]]:
    """{user id: French labels of her roles in the group} (habilitations of the group, consultants)."""
    from comptes.models import Habilitation

    libelles = dict(Role.choices)
    roles: dict[int, list[str]] = {}
    for user_id, role in (
        Habilitation.objects.filter(territoire_id=groupe.schema.territoire_id)
        .filter(Q(groupe=groupe) | Q(role=Role.CONSULTANT))
        .values_list("utilisateur_id", "role")
    ):
        if libelles[role] not in roles.setdefault(user_id, []):
            roles[user_id].append(libelles[role])
    return roles


def _panneau_visas(cr, user):
    """The two co-pilot roles with their holders and their visa on the current version."""
    copilotes = cr.copilotes()
    visas = validation.visas_courants(cr)
    precedents = validation.visas_courants(cr, cr.version - 1) if cr.etat == Etat.SOUMIS and not visas else {}
    mes_roles = validation.roles_copilote(cr, user)
    lignes = [
        {
            "role": dict(Role.choices)[role],
            "copilotes": copilotes.get(role, []),
            "visa": visas.get(role),
        }
        for role in validation.ROLES_VISA
    ]
    return {
        "lignes": lignes,
        # An edit after a co-pilot's validation voids it: say whose validation was lost.
        "annules": [v for v in precedents.values()],
        "a_viser": cr.etat == Etat.SOUMIS and any(role not in visas for role in mes_roles),
    }


def _page_seance(request, territoire, acces, groupe, seance, *, erreurs=(), status=200, **formulaires):
    now = timezone.now()
    roles = _roles_dans_groupe(groupe)
    participations = seance.participations_par_nom()
    for p in participations:
        p.roles = roles.get(p.utilisateur_id, [])
    cr = actions.compte_rendu_de(seance)
    voit_brouillons = acces.voit_brouillons(groupe)
    peut_rediger = acces.peut_rediger(groupe)
    contexte = {
        "territoire": territoire,
        "acces": acces,
        "groupe": groupe,
        "seance": seance,
        "erreurs": list(erreurs),
        "participations": participations,
        "presences_saisies": seance.presences_saisies_le is not None,
        "nb_presents": sum(1 for p in participations if p.presence == Presence.PRESENT),
        "peut_planifier": acces.peut_planifier(groupe),
        "peut_inviter": acces.peut_planifier(groupe) and seance.peut_inviter(now),
        "peut_saisir_presences": acces.peut_planifier(groupe) and seance.peut_saisir_presences(now),
        "peut_annuler": acces.peut_planifier(groupe) and seance.statut == "planifiee" and cr is None,
        "cr": cr,
        "cr_lisible": cr is not None and (cr.verrouille or voit_brouillons),
        "peut_ecrire": peut_rediger and seance.peut_avoir_compte_rendu(now) and (cr is None or cr.modifiable),
        "commence": seance.commencee(now),
        "voit_brouillons": voit_brouillons,
        "peut_rediger": peut_rediger,
        "est_copilote": acces.est_copilote(groupe),
        "peut_rouvrir": acces.peut_rouvrir(),
        "form_renvoi": formulaires.get("form_renvoi") or RenvoiForm(),
        "form_reouverture": formulaires.get("form_reouverture") or ReouvertureForm(),
        "visas": None,
        "traces": [],
        "versions": [],
        "dernier_renvoi": None,
    }
    from echanges import fils

    contexte.update(fils.contexte(cr, acces) if cr is not None else {"fil": None})
    if cr is not None and voit_brouillons:
        contexte["visas"] = _panneau_visas(cr, request.user)
        traces, versions = validation.historique(cr)
        contexte["traces"], contexte["versions"] = traces, versions
        if cr.etat == Etat.RENVOYE:
            contexte["dernier_renvoi"] = next((t for t in traces if t.action == Action.RENVOI), None)
    return render(request, "seances/seance.html", contexte, status=status)
