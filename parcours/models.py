"""The legal path of a schéma (docs/consultation.md): its frozen versions, the sending of the projet to
each commune with its receipt, the deliberations recorded (the communes' opinions, the EPCI's approval),
the sittings of the bodies that meet outside Mutualis, the reminders sent, and each user's private calendar
address. The phases of the process belong to the schéma (territoire.EtapeCalendrier)."""

import secrets
import uuid

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models

from parcours.enums import EtatVersion, Instance, InstanceInterne, IssueAvis, IssueDecision, ModeEnvoi
from validation.models import Validable

TAILLE_PIECE = 20 * 1024 * 1024  # a deliberation's PDF or a receipt's scan
EXTENSIONS_PIECE = ["pdf", "png", "jpg", "jpeg"]


class VersionSchema(models.Model):
    """A frozen version of the schéma: exactly one scenario (a frozen copy), pinned to the payroll batches
    of one year, with the figures computed when it was frozen. Nothing in it changes afterwards; only its
    state moves forward (pour le comité → projet transmis → approuvé)."""

    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveSmallIntegerField("numéro")
    etat = models.CharField("état", max_length=8, choices=EtatVersion.choices)
    scenario = models.OneToOneField(
        "scenarios.Scenario", on_delete=models.PROTECT, related_name="version_schema", verbose_name="scénario figé"
    )
    origine = models.ForeignKey(
        "scenarios.Scenario",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="scénario de travail d'origine",
    )
    annee_paie = models.PositiveSmallIntegerField("année de la masse salariale")
    lots = models.ManyToManyField("masse_salariale.LotEmployeur", related_name="+", verbose_name="lots de paie gardés")
    figures = models.JSONField("chiffres calculés au moment de figer", default=dict)
    note = models.TextField("note", blank=True, max_length=2000)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cree_le = models.DateTimeField("figée le", auto_now_add=True)
    approuvee_le = models.DateField("approuvée le", null=True, blank=True)

    class Meta:
        verbose_name = "version du schéma"
        verbose_name_plural = "versions du schéma"
        ordering = ["schema", "-numero"]
        constraints = [models.UniqueConstraint(fields=["schema", "numero"], name="version_schema_numero_unique")]

    def __str__(self):
        return f"Version {self.numero} ({self.get_etat_display().lower()})"


class Envoi(models.Model):
    """The projet sent to one commune for its opinion (date and mode of sending, date of receipt and its
    proof: the receipt starts the commune's three months, engine/calendrier.py), or the approved schéma
    sent to it (`transmission`)."""

    version = models.ForeignKey(VersionSchema, on_delete=models.PROTECT, related_name="envois")
    organisation = models.ForeignKey("territoire.Organisation", on_delete=models.PROTECT, related_name="+")
    envoye_le = models.DateField("envoyé le")
    mode = models.CharField("mode d'envoi", max_length=12, choices=ModeEnvoi.choices)
    # False: the projet sent for the council's opinion; True: the approved schéma sent to the council.
    transmission = models.BooleanField("transmission du schéma approuvé", default=False)
    recu_le = models.DateField("reçu le", null=True, blank=True)
    preuve = models.FileField(
        "preuve de réception",
        upload_to="parcours/receptions/",
        blank=True,
        validators=[FileExtensionValidator(EXTENSIONS_PIECE)],
    )
    # Set by the daily command on the day after the deadline when no deliberation is dated in time.
    repute_favorable_le = models.DateField("avis réputé favorable le", null=True, blank=True)
    enregistre_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "envoi du projet"
        constraints = [models.UniqueConstraint(fields=["version", "organisation", "transmission"], name="envoi_unique")]

    def __str__(self):
        return f"{self.version} → {self.organisation}"


class Deliberation(models.Model):
    """A deliberation recorded from the body's own register: a commune's opinion on a version sent to it,
    or the EPCI council's approval of a version."""

    version = models.ForeignKey(VersionSchema, on_delete=models.PROTECT, related_name="deliberations")
    organisation = models.ForeignKey("territoire.Organisation", on_delete=models.PROTECT, related_name="+")
    approbation = models.BooleanField("approbation du schéma par le conseil communautaire", default=False)
    date = models.DateField("date de la délibération")
    numero = models.CharField("numéro au registre", max_length=40)
    objet = models.CharField("objet", max_length=300)
    issue = models.CharField("avis", max_length=12, choices=IssueAvis.choices, blank=True)
    motifs = models.TextField("réserves ou motifs", blank=True, max_length=5000)
    effectif = models.PositiveSmallIntegerField("membres en exercice", null=True, blank=True)
    presents = models.PositiveSmallIntegerField("votants (présents et représentés)", null=True, blank=True)
    pour = models.PositiveSmallIntegerField("pour", null=True, blank=True)
    contre = models.PositiveSmallIntegerField("contre", null=True, blank=True)
    abstention = models.PositiveSmallIntegerField("abstentions", null=True, blank=True)
    fichier = models.FileField(
        "délibération (PDF)",
        upload_to="parcours/deliberations/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    lien = models.URLField("lien de publication", blank=True)
    pref_id = models.CharField("identifiant de l'accusé de réception en préfecture", max_length=60, blank=True)
    pref_date = models.DateField("date de l'accusé de réception en préfecture", null=True, blank=True)
    matiere = models.CharField("matière (nomenclature ACTES)", max_length=8, default="5.7")
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    enregistree_le = models.DateTimeField("enregistrée le", auto_now_add=True)

    class Meta:
        verbose_name = "délibération"
        ordering = ["date", "enregistree_le", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "numero"], name="deliberation_numero_unique"),
        ]

    def __str__(self):
        return f"Délibération {self.numero} du {self.date:%d/%m/%Y}"


class SeanceInstance(models.Model):
    """A sitting of a body that meets in its own software (Bureau, conseils), or a context record
    (conférence des maires, pacte de gouvernance): Mutualis records it, it does not convene it."""

    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="seances_instances")
    instance = models.CharField("instance", max_length=10, choices=Instance.choices)
    organisation = models.ForeignKey(
        "territoire.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    date = models.DateField("date")
    objet = models.CharField("objet", max_length=300)
    numero = models.CharField("numéro de délibération", max_length=40, blank=True)
    fichier = models.FileField(
        "procès-verbal ou compte rendu (PDF)",
        upload_to="parcours/seances/",
        blank=True,
        validators=[FileExtensionValidator(["pdf"])],
    )
    lien = models.URLField("lien de publication", blank=True)
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    enregistree_le = models.DateTimeField("enregistrée le", auto_now_add=True)

    class Meta:
        verbose_name = "séance d'une instance"
        ordering = ["date", "pk"]

    def __str__(self):
        return f"{self.get_instance_display()} du {self.date:%d/%m/%Y}"


class RappelEnvoye(models.Model):
    """A reminder of a commune's deadline already sent (the daily command sends each one once)."""

    envoi = models.ForeignKey(Envoi, on_delete=models.CASCADE, related_name="rappels")
    code = models.CharField("rappel", max_length=12)
    le = models.DateField("le")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["envoi", "code"], name="rappel_unique")]


def nouveau_jeton() -> str:
    return secrets.token_urlsafe(24)


class JetonCalendrier(models.Model):
    """A user's private address of her calendar feed in one territory; revoked by drawing a new one."""

    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    territoire = models.ForeignKey("territoire.Territoire", on_delete=models.CASCADE, related_name="+")
    jeton = models.CharField("jeton", max_length=40, unique=True, default=nouveau_jeton)
    cree_le = models.DateTimeField("créé le", auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["utilisateur", "territoire"], name="jeton_unique")]


class Comite(models.Model):
    """A body that meets in Mutualis: the comité de pilotage, the conférence des DGS; its members."""

    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="comites")
    instance = models.CharField("instance", max_length=5, choices=InstanceInterne.choices)
    membres = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="membres")
    # The two co-presidents validate the minutes (validation's two visas), an élu of the EPCI and one of a
    # commune, as the groups' co-pilots; one person may hold both.
    copresident_epci = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="co-président pour l'EPCI",
    )
    copresident_commune = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="co-président pour les communes",
    )

    class Meta:
        verbose_name = "comité"
        constraints = [models.UniqueConstraint(fields=["schema", "instance"], name="comite_unique")]

    def __str__(self):
        return self.get_instance_display()


class SeanceComite(models.Model):
    """A meeting of a comité: its agenda (points), the decisions taken, its minutes (CompteRenduComite, on
    the validation workflow). Once the minutes are validated (`publie_le`), the decisions no longer change."""

    comite = models.ForeignKey(Comite, on_delete=models.CASCADE, related_name="seances")
    debut = models.DateTimeField("date et heure")
    lieu = models.CharField("lieu", max_length=300, blank=True)
    uid = models.UUIDField("identifiant de calendrier", default=uuid.uuid4, editable=False, unique=True)
    convoquee_le = models.DateTimeField("convocation envoyée le", null=True, blank=True)
    presents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name="membres présents"
    )
    presences_saisies_le = models.DateTimeField("présences saisies le", null=True, blank=True)
    publie_le = models.DateTimeField("compte rendu publié le", null=True, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cree_le = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "séance d'un comité"
        ordering = ["debut", "pk"]

    def __str__(self):
        return f"{self.comite}"


class CompteRenduComite(Validable):
    """The minutes of a comité meeting: written by the project team, submitted, validated by the comité's two
    co-presidents (validation's workflow, its versions and history), then published and locked."""

    seance = models.OneToOneField(SeanceComite, on_delete=models.CASCADE, related_name="compte_rendu")
    texte = models.TextField("compte rendu", blank=True, max_length=20000)

    LIBELLE_FINAL = "publié"

    class Meta:
        verbose_name = "compte rendu d'un comité"

    def __str__(self):
        return f"Le compte rendu du {str(self.seance.comite).lower()}"

    def contenu(self) -> dict:
        return {"texte": self.texte}

    def appliquer_contenu(self, contenu: dict) -> None:
        self.texte = contenu.get("texte", "")

    def copilotes(self):
        c = self.seance.comite
        return {
            "copilote_commune": [c.copresident_commune] if c.copresident_commune_id else [],
            "copilote_epci": [c.copresident_epci] if c.copresident_epci_id else [],
        }


class PointOrdreDuJour(models.Model):
    """An item of a comité's agenda, linked to what it decides on: a version of the schéma, a scenario, a
    GT3 line, or a working group's proposals (its deliverables)."""

    seance = models.ForeignKey(SeanceComite, on_delete=models.CASCADE, related_name="points")
    position = models.PositiveSmallIntegerField("position")
    objet = models.CharField("objet", max_length=300)
    version = models.ForeignKey(VersionSchema, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    scenario = models.ForeignKey(
        "scenarios.Scenario", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ligne_gt3 = models.ForeignKey(
        "livrables.LigneMutualisable", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    groupe = models.ForeignKey(
        "groupes.GroupeTravail", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "point de l'ordre du jour"
        ordering = ["position", "pk"]

    def __str__(self):
        return self.objet


class Decision(models.Model):
    """The comité's decision on one agenda item, with its vote and written outcome."""

    point = models.OneToOneField(PointOrdreDuJour, on_delete=models.CASCADE, related_name="decision")
    issue = models.CharField("décision", max_length=12, choices=IssueDecision.choices)
    presents = models.PositiveSmallIntegerField("membres présents", null=True, blank=True)
    pour = models.PositiveSmallIntegerField("pour", null=True, blank=True)
    contre = models.PositiveSmallIntegerField("contre", null=True, blank=True)
    abstention = models.PositiveSmallIntegerField("abstentions", null=True, blank=True)
    motifs = models.TextField("motifs", blank=True, max_length=5000)
    texte = models.TextField("relevé de décision", max_length=5000)
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "décision"


class Synthese(models.Model):
    """A working group's synthesis for the comité: the part generated from its deliverables (`contenu`: GT1
    coverage, AFOR highlights, GT3 lines with their scores and préconisations; never a pay amount, read
    for each reader when shown) and the co-pilots' own text. The working one (`seance` empty) is edited
    until a comité meeting puts the group on its agenda: a frozen copy is then kept for that meeting."""

    groupe = models.ForeignKey("groupes.GroupeTravail", on_delete=models.CASCADE, related_name="+")
    seance = models.ForeignKey(SeanceComite, on_delete=models.CASCADE, null=True, blank=True, related_name="syntheses")
    texte = models.TextField("synthèse des co-pilotes", blank=True, max_length=10000)
    contenu = models.JSONField("contenu tiré des livrables", default=dict)
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "synthèse d'un groupe"
        constraints = [
            models.UniqueConstraint(fields=["groupe", "seance"], name="synthese_par_seance"),
            models.UniqueConstraint(
                fields=["groupe"], condition=models.Q(seance__isnull=True), name="synthese_de_travail_unique"
            ),
        ]
