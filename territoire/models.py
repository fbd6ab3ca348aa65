"""The territory (an EPCI and its member communes), its schémas, and its activity log."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from engine.themes import DEFAULT_FUNCTIONAL, THEME_CODES
from formats import scdl
from territoire.enums import Fiscalite, Nature, Phase, StatutSchema, TypeOrganisation

DEFAULT_MANDAT = "2026-2032"


class TerritoireQuerySet(models.QuerySet):
    def pour_utilisateur(self, user):
        """The territories where `user` holds at least one habilitation (the one access rule)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(habilitations__utilisateur=user).distinct()


class Territoire(models.Model):
    """An EPCI à fiscalité propre with its member communes, identified by the EPCI's SIREN."""

    code = models.CharField("SIREN de l'EPCI", max_length=9, unique=True)
    nom = models.CharField("nom", max_length=200)
    nature = models.CharField("nature juridique", max_length=5, choices=Nature.choices, blank=True)
    fiscalite = models.CharField("régime fiscal", max_length=3, choices=Fiscalite.choices, default=Fiscalite.FPU)
    fonctionnels = models.JSONField(
        "thèmes fonctionnels",
        default=list,
        help_text="Thèmes comptés dans le coefficient de mutualisation (par défaut FIN, RH, CPAJ, SI, BML).",
    )
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = TerritoireQuerySet.as_manager()

    class Meta:
        verbose_name = "territoire"
        ordering = ["nom"]

    def __str__(self):
        return self.nom

    @property
    def themes_fonctionnels(self) -> tuple[str, ...]:
        chosen = [code for code in self.fonctionnels if code in THEME_CODES]
        return tuple(code for code in THEME_CODES if code in chosen) or DEFAULT_FUNCTIONAL

    @property
    def epci(self) -> "Organisation":
        return self.organisations.get(type=TypeOrganisation.EPCI)

    @property
    def verse_ac(self) -> bool:
        """Only FPU EPCIs pay attributions de compensation."""
        return self.fiscalite == Fiscalite.FPU


def valider_siret(valeur: str) -> None:
    message = scdl.valider_siret(valeur)
    if message:
        raise ValidationError(message)


class OrganisationQuerySet(models.QuerySet):
    def communes(self):
        return self.filter(type=TypeOrganisation.COMMUNE)


class Organisation(models.Model):
    """A body of the territory: the EPCI itself or a member commune (an employer in payroll files)."""

    territoire = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="organisations")
    code = models.CharField("code", max_length=9, help_text="SIREN pour l'EPCI, code INSEE pour une commune.")
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=7, choices=TypeOrganisation.choices)
    population = models.PositiveIntegerField("population municipale", null=True, blank=True)
    siren = models.CharField("SIREN", max_length=9, blank=True)
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[valider_siret],
        help_text="Quatorze chiffres : l'établissement qui délibère (données ouvertes des délibérations).",
    )
    membre = models.BooleanField(
        "membre actuel",
        default=True,
        help_text="Faux pour une commune sortie du territoire mais qui garde des données.",
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["-type", "code"]  # the EPCI ("epci" > "commune") first, then communes by code
        constraints = [
            models.UniqueConstraint(fields=["territoire", "code"], name="organisation_code_unique"),
        ]

    def __str__(self):
        return self.nom

    @property
    def est_epci(self) -> bool:
        return self.type == TypeOrganisation.EPCI


class Schema(models.Model):
    """The schéma de mutualisation of one mandate; everything built later belongs to one schéma."""

    territoire = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="schemas")
    mandat = models.CharField("mandat", max_length=9, default=DEFAULT_MANDAT)
    statut = models.CharField("statut", max_length=12, choices=StatutSchema.choices, default=StatutSchema.ELABORATION)
    cree_le = models.DateTimeField("créé le", auto_now_add=True)

    class Meta:
        verbose_name = "schéma de mutualisation"
        verbose_name_plural = "schémas de mutualisation"
        ordering = ["-mandat"]
        constraints = [models.UniqueConstraint(fields=["territoire", "mandat"], name="schema_mandat_unique")]

    def __str__(self):
        return f"Schéma {self.mandat} – {self.territoire.nom}"

    @property
    def premiere_annee(self) -> int:
        return int(self.mandat.split("-")[0])


class EtapeCalendrier(models.Model):
    """A phase of the process with its dates (the cockpit's timeline), editable by the project team."""

    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField("phase", max_length=12, choices=Phase.choices)
    debut = models.DateField("début")
    fin = models.DateField("fin")

    class Meta:
        verbose_name = "phase du calendrier"
        verbose_name_plural = "phases du calendrier"
        constraints = [
            models.UniqueConstraint(fields=["schema", "phase"], name="phase_unique"),
            models.CheckConstraint(condition=models.Q(fin__gte=models.F("debut")), name="phase_dates_ordonnees"),
        ]

    def __str__(self):
        return self.get_phase_display()


class Evenement(models.Model):
    """The territory's audit trail: who did what, when, on which record."""

    territoire = models.ForeignKey(Territoire, on_delete=models.CASCADE, related_name="evenements")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quand = models.DateTimeField("date", auto_now_add=True, db_index=True)
    action = models.CharField("action", max_length=60)
    objet = models.CharField("objet", max_length=200, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["-quand", "-id"]

    def __str__(self):
        return f"{self.quand:%Y-%m-%d %H:%M} {self.action} {self.objet}"
