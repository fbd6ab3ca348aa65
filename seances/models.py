"""Meetings (séances) of the working groups, their agenda templates (trames d'animation), attendance,
and their minutes (comptes rendus), validated through the shared workflow (validation app)."""

import uuid

from django.conf import settings
from django.db import models

from comptes.models import cle_personne
from seances.enums import Etape, Presence, StatutSeance
from validation.models import Validable


class TrameAnimation(models.Model):
    """The agenda a new meeting of a stage starts from; one per schéma and stage, edited by the project team."""

    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="trames")
    etape = models.CharField("étape", max_length=5, choices=Etape.choices)
    ordre_du_jour = models.TextField("ordre du jour type", blank=True)  # empty: « autre réunion » by default

    class Meta:
        verbose_name = "trame d'animation"
        verbose_name_plural = "trames d'animation"
        constraints = [models.UniqueConstraint(fields=["schema", "etape"], name="trame_etape_unique")]


class SeanceQuerySet(models.QuerySet):
    def a_venir(self, now):
        return self.filter(statut=StatutSeance.PLANIFIEE, debut__gte=now).order_by("debut")

    def actives(self):
        return self.exclude(statut=StatutSeance.ANNULEE)

    def commencees(self, now):
        """Meetings that took place or are taking place: not cancelled, started."""
        return self.actives().filter(debut__lte=now)


class Seance(models.Model):
    groupe = models.ForeignKey("groupes.GroupeTravail", on_delete=models.CASCADE, related_name="seances")
    etape = models.CharField("étape", max_length=5, choices=Etape.choices)
    titre = models.CharField("titre", max_length=200, blank=True)
    debut = models.DateTimeField("début")
    fin = models.DateTimeField("fin")
    lieu = models.CharField("lieu", max_length=300, blank=True)
    lien_visio = models.URLField("lien de visioconférence", blank=True)
    ordre_du_jour = models.TextField("ordre du jour", blank=True)
    statut = models.CharField("statut", max_length=10, choices=StatutSeance.choices, default=StatutSeance.PLANIFIEE)
    uid = models.UUIDField("identifiant de calendrier", default=uuid.uuid4, editable=False, unique=True)
    sequence = models.PositiveIntegerField("révision de l'invitation", default=0)
    invitations_envoyees_le = models.DateTimeField("invitations envoyées le", null=True, blank=True)
    # The SEQUENCE of the last invitation (or cancellation) sent: below `sequence`, an update is unsent.
    sequence_envoyee = models.PositiveIntegerField("révision envoyée", null=True, blank=True)
    motif_annulation = models.TextField("motif de l'annulation", blank=True)
    presences_saisies_le = models.DateTimeField("présences saisies le", null=True, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cree_le = models.DateTimeField("créée le", auto_now_add=True)

    objects = SeanceQuerySet.as_manager()

    class Meta:
        verbose_name = "séance"
        ordering = ["debut"]

    def __str__(self):
        return self.titre or f"{self.etape_courte} {self.groupe.libelle}"

    @property
    def etape_courte(self) -> str:
        return "Réunion" if self.etape == Etape.AUTRE else self.etape

    @property
    def annulee(self) -> bool:
        return self.statut == StatutSeance.ANNULEE

    @property
    def tenue(self) -> bool:
        return self.statut == StatutSeance.TENUE

    @property
    def modifiable(self) -> bool:
        return not self.annulee

    @property
    def invitations_envoyees(self) -> bool:
        return self.invitations_envoyees_le is not None

    @property
    def mise_a_jour_non_envoyee(self) -> bool:
        """Changed since the last invitation sent: the invitees' calendars are out of date."""
        return (
            self.statut == StatutSeance.PLANIFIEE
            and self.invitations_envoyees
            and self.sequence_envoyee != self.sequence
        )

    def commencee(self, now) -> bool:
        return self.debut <= now

    def peut_inviter(self, now) -> bool:
        """Invitations (or their update) are sent for a meeting still to come."""
        return self.statut == StatutSeance.PLANIFIEE and self.debut > now

    def peut_saisir_presences(self, now) -> bool:
        return not self.annulee and self.commencee(now)

    def peut_avoir_compte_rendu(self, now) -> bool:
        """Minutes are written from the start of the meeting, never for a cancelled one."""
        return not self.annulee and self.commencee(now)

    def participations_par_nom(self) -> list:
        """Its participations, with their users and organisations, in French order of the users' names."""
        participations = self.participations.select_related("utilisateur__organisation")
        return sorted(participations, key=lambda p: cle_personne(p.utilisateur))


class Participation(models.Model):
    seance = models.ForeignKey(Seance, on_delete=models.CASCADE, related_name="participations")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participations")
    presence = models.CharField("présence", max_length=8, choices=Presence.choices, default=Presence.INVITE)

    class Meta:
        verbose_name = "participation"
        constraints = [models.UniqueConstraint(fields=["seance", "utilisateur"], name="participation_unique")]


class CompteRendu(Validable):
    """The minutes of a meeting: written in the app, validated by both co-pilots, then published and locked."""

    seance = models.OneToOneField(Seance, on_delete=models.CASCADE, related_name="compte_rendu")
    texte = models.TextField("compte rendu", blank=True)
    decisions = models.TextField("décisions et suites à donner", blank=True)

    LIBELLE_FINAL = "publié"

    class Meta:
        verbose_name = "compte rendu"
        verbose_name_plural = "comptes rendus"

    def __str__(self):
        return f"Compte rendu {self.seance}"

    def contenu(self) -> dict:
        return {"texte": self.texte, "decisions": self.decisions}

    def appliquer_contenu(self, contenu: dict) -> None:
        self.texte = contenu.get("texte", "")
        self.decisions = contenu.get("decisions", "")

    def copilotes(self):
        groupe = self.seance.groupe
        return {role: groupe.participants(role) for role in ("copilote_commune", "copilote_epci")}
