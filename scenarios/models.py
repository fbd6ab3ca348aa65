"""Pooling scenarios of a schéma (issue 5): a named list of actions (docs/contrats §5) that the engine
simulates against the territory's current payroll. A scenario is a working document of the project
team: every change bumps its version and leaves a row in the audit trail (scenarios/actions.py)."""

from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from engine.themes import THEME_CHOICES
from scenarios.enums import Modalite, Origine

PREMIERE_ANNEE, DERNIERE_ANNEE = 2026, 2032


class Provenance(NamedTuple):
    """What a scenario's origin label says: `debut`, then the working groups whose GT3 lines its actions
    come from (« du groupe … », each linked to its GT3 list by the template), then `fin`."""

    debut: str
    groupes: list
    fin: str = ""


class ScenarioQuerySet(models.QuerySet):
    def du_schema(self, schema):
        """The working scenarios of a schéma (not the copies frozen in a version of the schéma)."""
        return self.filter(schema=schema, figee=False).order_by("-modifie_le", "-pk")


class Scenario(models.Model):
    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="scenarios")
    nom = models.CharField("nom", max_length=120)
    description = models.TextField("description", blank=True, max_length=5000)
    partage_gains = models.DecimalField(
        "part des gains rendue aux communes",
        max_digits=5,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=(
            "Entre 0 et 1 : la part des gains de productivité reversée aux communes par l'attribution de compensation."
        ),
    )
    origine = models.CharField("origine", max_length=10, choices=Origine.choices, default=Origine.MANUEL)
    annee_paie = models.PositiveSmallIntegerField(
        "année de la masse salariale",
        null=True,
        blank=True,
        help_text="Vide : la dernière année où chaque employeur du territoire (l'EPCI et ses communes membres) "
        "a un lot de paie courant.",
    )
    version = models.PositiveIntegerField("version", default=1)
    # A copy frozen in a version of the schéma (parcours.VersionSchema): never edited, not in the lists.
    figee = models.BooleanField("figé dans une version du schéma", default=False, editable=False)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cree_le = models.DateTimeField("créé le", auto_now_add=True)
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        verbose_name = "scénario"
        constraints = [
            models.UniqueConstraint(
                fields=["schema", "nom"], condition=models.Q(figee=False), name="scenario_nom_unique"
            )
        ]

    def __str__(self):
        return self.nom

    def provenance(self, actions) -> Provenance:
        """The origin label (templates/scenarios/includes/origine.html). `actions`: the scenario's actions
        with `ligne_gt3__livrable__groupe` loaded; the groups come in the order of their first action. An
        action whose GT3 line was deleted since counts as added by hand (its link is gone)."""
        if self.origine == Origine.MANUEL:
            return Provenance(Origine.MANUEL.label, [])
        groupes = list(dict.fromkeys(a.ligne_gt3.livrable.groupe for a in actions if a.ligne_gt3_id))
        a_la_main = any(a.ligne_gt3_id is None for a in actions)
        if self.origine == Origine.OPTIMISEUR:
            debut = "Proposé par l'optimiseur parmi les lignes GT3" if groupes else Origine.OPTIMISEUR.label
            return Provenance(debut, groupes, ", complété à la main" if a_la_main else "")
        return Provenance(Origine.GT3.label, groupes, ", et à la main" if a_la_main else "")


class ActionScenario(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveIntegerField("position")
    identifiant = models.CharField("identifiant", max_length=40)
    theme = models.CharField("thème", max_length=5, choices=THEME_CHOICES)
    activite = models.CharField("activité", max_length=20, blank=True, help_text="Vide : tout le thème.")
    toutes = models.BooleanField("toutes les communes membres", default=False)
    communes = models.ManyToManyField(
        "territoire.Organisation", blank=True, related_name="+", verbose_name="communes concernées"
    )
    modalite = models.CharField("modalité", max_length=20, choices=Modalite.choices)
    part = models.DecimalField(
        "part déplacée",
        max_digits=5,
        decimal_places=4,
        default=1,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    gain = models.DecimalField(
        "gain de productivité",
        max_digits=5,
        decimal_places=4,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    annee = models.PositiveSmallIntegerField(
        "année d'effet",
        default=PREMIERE_ANNEE,
        validators=[MinValueValidator(PREMIERE_ANNEE), MaxValueValidator(DERNIERE_ANNEE)],
    )
    economie = models.DecimalField(
        "économies hors masse salariale (€ par an)",
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    charges_associees = models.DecimalField(
        "charges associées transférées (€ par an)",
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    cout_unitaire = models.DecimalField(
        "coût unitaire (D5211-16)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unites = models.DecimalField(
        "unités de fonctionnement",
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    ligne_gt3 = models.ForeignKey(
        "livrables.LigneMutualisable",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ligne GT3 d'origine",
    )

    class Meta:
        verbose_name = "action d'un scénario"
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["scenario", "identifiant"], name="action_identifiant_unique")]

    def __str__(self):
        return self.identifiant
