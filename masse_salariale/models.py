"""Payroll batches (lots): one file imported for a reference year, covering its employers.

Agent identifiers are stored only as keyed hashes. Pages and scenarios read the aggregates
(`Agregat`, `EffectifTheme`, `LotEmployeur`), never the lines."""

from django.conf import settings
from django.db import models

from engine.themes import THEME_OR_AUTRE
from masse_salariale.enums import Situation, StatutLot


class LotQuerySet(models.QuerySet):
    def a_confirmer(self):
        return self.filter(statut=StatutLot.A_CONFIRMER)

    def visibles(self, acces):
        """The batches of the territory this reader may open (comptes.perms `Acces.voit_lot`, for a list):
        all of them for the project team, those she imported for anyone else."""
        mine = self.filter(territoire=acces.territoire)
        return mine if acces.est_equipe_projet else mine.filter(importe_par=acces.utilisateur)


class Lot(models.Model):
    territoire = models.ForeignKey("territoire.Territoire", on_delete=models.CASCADE, related_name="lots")
    annee = models.PositiveSmallIntegerField("année de référence")
    statut = models.CharField("statut", max_length=12, choices=StatutLot.choices, default=StatutLot.A_CONFIRMER)
    fichier = models.CharField("nom du fichier", max_length=255)
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    taille = models.PositiveIntegerField("taille (octets)", default=0)
    importe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    importe_le = models.DateTimeField("importé le", auto_now_add=True)
    confirme_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirme_le = models.DateTimeField("confirmé le", null=True, blank=True)
    nb_lignes = models.PositiveIntegerField("lignes", default=0)
    nb_agents = models.PositiveIntegerField("agents", default=0)
    cout_total = models.DecimalField("coût total", max_digits=16, decimal_places=2, default=0)
    etp_total = models.DecimalField("ETP", max_digits=12, decimal_places=4, default=0)
    avertissements = models.JSONField("avertissements", default=list, blank=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = "lot de masse salariale"
        verbose_name_plural = "lots de masse salariale"
        ordering = ["-importe_le", "-id"]

    def __str__(self):
        return f"Lot {self.annee} – {self.fichier}"


class LotEmployeurQuerySet(models.QuerySet):
    def courants(self, annee=None):
        qs = self.filter(courant=True)
        return qs if annee is None else qs.filter(lot__annee=annee)


class LotEmployeur(models.Model):
    """One employer covered by a batch; `courant` marks the batch that counts for that employer and year."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="employeurs")
    organisation = models.ForeignKey("territoire.Organisation", on_delete=models.CASCADE, related_name="lots")
    annee = models.PositiveSmallIntegerField("année de référence")
    courant = models.BooleanField("courant", default=False)
    remplace = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remplace_par",
        verbose_name="lot remplacé",
    )
    nb_lignes = models.PositiveIntegerField("lignes", default=0)
    nb_agents = models.PositiveIntegerField("agents", default=0)
    cout = models.DecimalField("coût", max_digits=16, decimal_places=2, default=0)
    etp = models.DecimalField("ETP", max_digits=12, decimal_places=4, default=0)

    objects = LotEmployeurQuerySet.as_manager()

    class Meta:
        verbose_name = "employeur d'un lot"
        ordering = ["organisation__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "annee"], condition=models.Q(courant=True), name="un_lot_courant_par_employeur"
            ),
            models.UniqueConstraint(fields=["lot", "organisation"], name="lot_employeur_unique"),
        ]


class LignePaie(models.Model):
    """A validated payroll line, pseudonymised. Kept for history and later analysis; never displayed."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="lignes")
    ligne = models.PositiveIntegerField("ligne du fichier")
    employeur = models.CharField("employeur", max_length=9)
    agent = models.CharField("agent (pseudonyme)", max_length=32)
    theme = models.CharField("thème", max_length=5, choices=THEME_OR_AUTRE)
    activite = models.CharField("activité", max_length=20, blank=True)
    cout_annuel = models.DecimalField("coût annuel", max_digits=12, decimal_places=2)
    quotite = models.FloatField("quotité")
    etp = models.FloatField("ETP de l'agent")
    situation = models.CharField("situation", max_length=9, choices=Situation.choices)
    beneficiaire = models.CharField("bénéficiaire", max_length=9, blank=True)
    service = models.CharField("service", max_length=200, blank=True)
    statut = models.CharField("statut", max_length=100, blank=True)
    categorie = models.CharField("catégorie", max_length=1, blank=True)

    class Meta:
        verbose_name = "ligne de paie"
        ordering = ["lot", "ligne"]


class Agregat(models.Model):
    """Payroll summed by employer × theme × activity × situation × beneficiary × category."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="agregats")
    employeur = models.CharField("employeur", max_length=9)
    theme = models.CharField("thème", max_length=5, choices=THEME_OR_AUTRE)
    activite = models.CharField("activité", max_length=20, blank=True)
    situation = models.CharField("situation", max_length=9, choices=Situation.choices)
    beneficiaire = models.CharField("bénéficiaire", max_length=9, blank=True)
    categorie = models.CharField("catégorie", max_length=1, blank=True)
    nb_agents = models.PositiveIntegerField("agents")
    nb_lignes = models.PositiveIntegerField("lignes")
    montant = models.FloatField("montant")
    etp = models.FloatField("ETP")

    class Meta:
        verbose_name = "agrégat"
        indexes = [models.Index(fields=["lot", "employeur", "theme"])]


class EffectifTheme(models.Model):
    """Distinct agents of an employer in a theme: the count that decides whether a cell may be shown."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="effectifs")
    employeur = models.CharField("employeur", max_length=9)
    theme = models.CharField("thème", max_length=5, choices=THEME_OR_AUTRE)
    nb_agents = models.PositiveIntegerField("agents")
    montant = models.FloatField("montant")
    etp = models.FloatField("ETP")

    class Meta:
        verbose_name = "effectif par thème"
        constraints = [models.UniqueConstraint(fields=["lot", "employeur", "theme"], name="effectif_theme_unique")]
