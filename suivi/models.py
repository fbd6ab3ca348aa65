"""The follow-up of the approved schéma (docs/suivi.md): one item per action of the approved version, kept
across revisions (by the action's identifier), with its status, progress, milestones and conventions; what
the project team records each year (reimbursements billed, AC deductions voted, harmonisation costs,
avoided costs); the yearly progress report and its generated documents."""

from django.conf import settings
from django.core.validators import FileExtensionValidator, MaxValueValidator
from django.db import models

from engine.themes import THEME_CHOICES
from publication.models import Generation
from suivi.enums import EtatRapport, GenreConvention, InstanceRapport, Jalon, StatutElement


class Element(models.Model):
    """An action of the approved schéma being carried out. `version` is the approved version it now follows
    (a revision moves it on; an action the revision drops is abandoned with that reason)."""

    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="elements")
    version = models.ForeignKey("parcours.VersionSchema", on_delete=models.PROTECT, related_name="+")
    identifiant = models.CharField("identifiant de l'action", max_length=40)
    theme = models.CharField("thème", max_length=5, choices=THEME_CHOICES)
    activite = models.CharField("activité", max_length=20, blank=True)
    modalite = models.CharField("modalité", max_length=20)
    toutes = models.BooleanField("toutes les communes membres", default=False)
    communes = models.ManyToManyField("territoire.Organisation", related_name="+", blank=True)
    annee_prevue = models.PositiveSmallIntegerField("année prévue")
    responsable = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    statut = models.CharField("statut", max_length=10, choices=StatutElement.choices, default=StatutElement.A_LANCER)
    motif = models.TextField("motif", blank=True, max_length=2000)
    annee_reportee = models.PositiveSmallIntegerField("reportée à", null=True, blank=True)
    # None: no progress recorded (counted 0 in the weighted progress, and listed apart).
    progression = models.PositiveSmallIntegerField(
        "avancement (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "élément de suivi"
        verbose_name_plural = "éléments de suivi"
        ordering = ["annee_prevue", "identifiant"]
        constraints = [models.UniqueConstraint(fields=["schema", "identifiant"], name="element_identifiant_unique")]

    def __str__(self):
        return self.identifiant


class JalonElement(models.Model):
    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="jalons")
    genre = models.CharField("jalon", max_length=10, choices=Jalon.choices)
    date = models.DateField("date")

    class Meta:
        verbose_name = "jalon"
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["element", "genre"], name="jalon_unique")]


class Convention(models.Model):
    """A convention of a service commun or of a mise à disposition, with its members and its document."""

    element = models.ForeignKey(Element, on_delete=models.CASCADE, related_name="conventions")
    genre = models.CharField("convention", max_length=20, choices=GenreConvention.choices)
    objet = models.CharField("objet", max_length=300)
    signee_le = models.DateField("signée le")
    debut = models.DateField("prend effet le")
    fin = models.DateField("prend fin le", null=True, blank=True)
    membres = models.ManyToManyField("territoire.Organisation", related_name="+")
    fichier = models.FileField(
        "convention (PDF)", upload_to="suivi/conventions/", blank=True, validators=[FileExtensionValidator(["pdf"])]
    )
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    enregistree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "convention"
        ordering = ["signee_le", "pk"]


class BilanAnnuel(models.Model):
    """What the project team records for a year: amounts that are no payroll line (no invented figure:
    empty means not recorded)."""

    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="bilans")
    annee = models.PositiveSmallIntegerField("année")
    remboursements = models.DecimalField("remboursements facturés (€)", max_digits=14, decimal_places=0, null=True)
    ac_votee = models.DecimalField("réfactions d'AC votées (€)", max_digits=14, decimal_places=0, null=True)
    surcouts = models.DecimalField("surcoûts d'harmonisation (€)", max_digits=14, decimal_places=0, null=True)
    couts_evites = models.DecimalField("coûts évités (€)", max_digits=14, decimal_places=0, null=True)
    commentaire = models.TextField("commentaire", blank=True, max_length=3000)
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bilan annuel"
        constraints = [models.UniqueConstraint(fields=["schema", "annee"], name="bilan_annee_unique")]


class RapportAnnuel(models.Model):
    """The « état d'avancement du schéma de mutualisation » of year N, presented at the débat d'orientation
    budgétaire (or the budget vote) of that year; its figures frozen when it is presented."""

    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="rapports")
    annee = models.PositiveSmallIntegerField("année du rapport")
    instance = models.CharField("présenté au", max_length=6, choices=InstanceRapport.choices)
    seance_le = models.DateField("date de la séance")
    etat = models.CharField("état", max_length=11, choices=EtatRapport.choices, default=EtatRapport.PREPARATION)
    presente_le = models.DateField("présenté le", null=True, blank=True)
    # When presented: the report as plain values (publication/blocs.Document as JSON), never recomputed.
    fige = models.JSONField("contenu figé", null=True, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = "rapport annuel d'avancement"
        ordering = ["-annee"]
        constraints = [models.UniqueConstraint(fields=["schema", "annee"], name="rapport_annee_unique")]


class DocumentRapport(Generation):
    """A generation of a yearly report's document."""

    rapport = models.ForeignKey(RapportAnnuel, on_delete=models.CASCADE, related_name="documents")
    parametres = models.CharField("empreinte des paramètres", max_length=64)

    class Meta(Generation.Meta):
        verbose_name = "document du rapport annuel"
