"""The one place that decides who may see or change what (STYLE.md point 6).

Views load every object through these helpers; templates ask them through the `acces` object
built by `acces_pour`. docs/permissions.md is the matrix these functions implement."""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.http import Http404

from comptes.enums import Role
from territoire.models import Organisation, Territoire


@dataclass
class Acces:
    """What one user may do in one territory."""

    utilisateur: object
    territoire: Territoire

    @cached_property
    def habilitations(self) -> list[tuple[str, int | None]]:
        """(role, group id or None) of every habilitation of the user in this territory: one query."""
        if not self.utilisateur.is_authenticated:
            return []
        return list(self.territoire.habilitations.filter(utilisateur=self.utilisateur).values_list("role", "groupe_id"))

    @cached_property
    def roles(self) -> set[str]:
        return {role for role, _ in self.habilitations}

    def roles_dans_groupe(self, groupe) -> set[str]:
        return {role for role, groupe_id in self.habilitations if groupe_id == groupe.pk}

    @property
    def organisation(self) -> Organisation | None:
        org = getattr(self.utilisateur, "organisation", None)
        return org if org is not None and org.territoire_id == self.territoire.pk else None

    @property
    def est_membre(self) -> bool:
        return bool(self.roles)

    @property
    def est_equipe_projet(self) -> bool:
        return Role.EQUIPE_PROJET in self.roles

    @property
    def est_dgs(self) -> bool:
        return Role.DGS in self.roles

    # Territory and schéma
    def peut_administrer(self) -> bool:
        return self.est_equipe_projet

    # Payroll
    def organisations_importables(self):
        """Organisations whose payroll lines this user may import."""
        if self.est_equipe_projet:
            return self.territoire.organisations.all()
        if self.est_dgs and self.organisation is not None:
            return self.territoire.organisations.filter(pk=self.organisation.pk)
        return self.territoire.organisations.none()

    def peut_importer(self) -> bool:
        return self.est_equipe_projet or (self.est_dgs and self.organisation is not None)

    @property
    def code_employeur(self) -> str | None:
        """The organisation whose payroll this user reads as its own: its DGS and the people designated
        for its payroll (docs/confidentialite.md). An élu attached to an organisation is not one of them."""
        if self.organisation is None or not (self.roles & {Role.DGS, Role.REFERENT_PAIE}):
            return None
        return self.organisation.code

    def est_employeur(self, code: str) -> bool:
        """Is the user one of this employer's own users?"""
        return self.code_employeur == code

    def peut_designer_referents_paie(self) -> bool:
        """The DGS designates the people of her organisation who read its payroll as she does (the project
        team does it for any organisation on the account page)."""
        return self.est_dgs and self.organisation is not None

    def voit_detail(self, code: str) -> bool:
        """Every figure of an employer, finer than organisation × theme and whatever its size (pay amounts
        through masse_salariale.confidentialite, which reads the same two notions): its own users and the
        project team."""
        return self.est_equipe_projet or self.est_employeur(code)

    def voit_lot(self, lot) -> bool:
        """A batch's page (its employers, totals, warnings): the project team, or whoever imported it."""
        return self.est_equipe_projet or lot.importe_par_id == self.utilisateur.pk

    def peut_decider_lot(self, lot) -> bool:
        """Confirm or abandon a staged batch: who may still import every one of its employers."""
        if not (self.voit_lot(lot) and self.peut_importer()):
            return False
        allowed = set(self.organisations_importables().values_list("pk", flat=True))
        return set(lot.employeurs.values_list("organisation_id", flat=True)) <= allowed

    def peut_editer_referentiel(self) -> bool:
        return self.est_equipe_projet

    # The legal path (docs/consultation.md)
    def peut_conduire_parcours(self) -> bool:
        """Freeze versions of the schéma, send the projet, record receipts, deliberations and sittings,
        approve, edit the calendar: the project team."""
        return self.est_equipe_projet

    def peut_enregistrer_avis(self, organisation) -> bool:
        """Record a commune's receipt of the projet and its council's deliberation: the project team, or
        the commune's own DGS (she holds the acknowledgement and the register)."""
        return self.est_equipe_projet or (
            self.est_dgs and self.organisation is not None and self.organisation.pk == organisation.pk
        )

    # Working groups, meetings, minutes, mandate letters
    @property
    def est_consultant(self) -> bool:
        return Role.CONSULTANT in self.roles

    def peut_gerer_groupes(self) -> bool:
        """Co-pilots, consultants (the répartition) and members of the groups; templates."""
        return self.est_equipe_projet

    def est_copilote(self, groupe) -> bool:
        return bool(self.roles_dans_groupe(groupe) & {Role.COPILOTE_COMMUNE, Role.COPILOTE_EPCI})

    def peut_coordonner(self, groupe) -> bool:
        """The group's périmètre and its sub-groups: the project team and the group's co-pilots, who
        "keep the work of the group and its sub-groups coherent" (source document)."""
        return self.est_equipe_projet or self.est_copilote(groupe)

    # Accounts
    def peut_gerer_comptes(self) -> bool:
        """The territory's users: list them, invite, change roles and organisation, deactivate."""
        return self.est_equipe_projet

    def participe(self, groupe) -> bool:
        """A co-pilot, member or consultant of the group."""
        return bool(self.roles_dans_groupe(groupe)) or self.est_consultant

    def peut_planifier(self, groupe) -> bool:
        """Schedule a meeting, edit its agenda, send invitations, record attendance."""
        return self.est_equipe_projet or self.est_copilote(groupe) or self.est_consultant

    def peut_rediger(self, groupe) -> bool:
        """Write and submit the group's minutes (any member of the group)."""
        return self.est_equipe_projet or self.participe(groupe)

    def voit_brouillons(self, groupe) -> bool:
        """Minutes not yet published: the group's participants and the project team."""
        return self.peut_rediger(groupe)

    def peut_rouvrir(self) -> bool:
        return self.est_equipe_projet

    def voit_compte_rendu(self, cr) -> bool:
        """Published minutes: every member; drafts: the group's participants and the project team."""
        return self.est_membre and (cr.verrouille or self.voit_brouillons(cr.seance.groupe))

    # Deliverables (GT1 inventory, GT2 AFOR grid, GT3 poolable activities)
    def peut_remplir_inventaire(self, groupe, commune) -> bool:
        """A commune's GT1 lines: its DGS or a delegate (a user of that commune taking part in the group),
        and the project team."""
        if self.est_equipe_projet:
            return True
        own = self.organisation is not None and self.organisation.pk == commune.pk
        return own and (self.est_dgs or bool(self.roles_dans_groupe(groupe)))

    def peut_contribuer(self, groupe) -> bool:
        """Add AFOR items: the group's participants, the DGS of the communes and of the EPCI, the project team."""
        return self.peut_rediger(groupe) or self.est_dgs

    def peut_consolider(self, groupe) -> bool:
        """Merge and reword AFOR items, consolidate the inventory, edit GT3 lines and their consensus."""
        return self.est_equipe_projet or self.est_copilote(groupe) or self.est_consultant

    def peut_noter(self, groupe) -> bool:
        """Score GT3 lines: each co-pilot and the consultant."""
        return self.est_copilote(groupe) or self.est_consultant

    def peut_soumettre_livrable(self, groupe) -> bool:
        """Submit a deliverable to the co-pilots: any participant of the group, a DGS, the project team."""
        return self.peut_rediger(groupe) or self.est_dgs

    # Decision support (scenarios, optimiser)
    def voit_scenarios(self) -> bool:
        """Scenarios and the priority matrix: every member (the comité de pilotage, the communes)."""
        return self.est_membre

    def peut_scenariser(self) -> bool:
        """Build, change, delete scenarios and run the optimiser: the project team, the consultants who
        prepare the comité de pilotage's choices, and the EPCI's DGS."""
        if self.est_equipe_projet or self.est_consultant:
            return True
        return self.est_dgs and self.organisation is not None and self.organisation.code == self.territoire.code


def territoires_visibles(user):
    return Territoire.objects.pour_utilisateur(user)


def get_territoire_ou_404(user, code: str) -> tuple[Territoire, Acces]:
    """The territory `code` with the user's access, or 404 when the user has no role in it
    (a 404 rather than a 403, so that the existence of other territories is not disclosed)."""
    territoire = territoires_visibles(user).filter(code=code).first()
    if territoire is None:
        raise Http404("Territoire introuvable.")
    return territoire, Acces(user, territoire)


def exiger(autorise: bool, message: str) -> None:
    """403 with a French reason when the access helper says no."""
    if not autorise:
        raise PermissionDenied(message)


def get_utilisateur_ou_404(acces: Acces, pk: int):
    """A user of the territory, for whoever manages its accounts (403 for other members, 404 for a
    user who is not of the territory)."""
    from comptes.models import Utilisateur

    if not acces.peut_gerer_comptes():
        raise PermissionDenied("Seule l'équipe projet gère les comptes du territoire.")
    user = Utilisateur.objects.du_territoire(acces.territoire).select_related("organisation").filter(pk=pk).first()
    if user is None:
        raise Http404("Utilisateur introuvable dans ce territoire.")
    return user


def acces_pour(user, territoire: Territoire) -> Acces:
    return Acces(user, territoire)
