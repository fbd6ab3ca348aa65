"""The working groups' three deliverables (docs/domaine.md §2): GT1 list of activities per commune, GT2 AFOR
grid, GT3 list of poolable activities. Each deliverable is validated by both co-pilots through the
shared workflow (validation app): its content snapshot is the list of its rows.

Rows carry a `version` (bumped on each change) so that an offline spreadsheet re-imported later can
tell an untouched row from one edited in the app in the meantime (a conflict)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from livrables.enums import Faisabilite, Modalite, Quadrant, TypeLivrable
from validation.models import Validable


class Livrable(Validable):
    groupe = models.ForeignKey("groupes.GroupeTravail", on_delete=models.CASCADE, related_name="livrables")
    type = models.CharField("livrable", max_length=3, choices=TypeLivrable.choices)

    class Meta:
        verbose_name = "livrable"
        constraints = [models.UniqueConstraint(fields=["groupe", "type"], name="livrable_unique")]

    def __str__(self):
        return f"{self.get_type_display()} – {self.groupe.libelle}"

    def lignes(self):
        """The rows of this deliverable (whichever its type)."""
        return {
            TypeLivrable.INVENTAIRE: self.inventaire,
            TypeLivrable.AFOR: self.elements_afor,
            TypeLivrable.MUTUALISABLES: self.lignes_mutualisables,
        }[self.type]

    def contenu(self) -> dict:
        from livrables.circuit.instantanes import instantane

        return instantane(self)

    def appliquer_contenu(self, contenu: dict) -> None:
        from livrables.circuit.instantanes import restaurer

        restaurer(self, contenu)

    def copilotes(self):
        return {role: self.groupe.participants(role) for role in ("copilote_commune", "copilote_epci")}


class Ligne(models.Model):
    """What every deliverable row has: its version and who changed it last."""

    version = models.PositiveIntegerField("version de la ligne", default=1)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        abstract = True


class LigneInventaire(Ligne):
    """GT1: does commune C exercise activity A, with how many ETP and which specifics."""

    livrable = models.ForeignKey(Livrable, on_delete=models.CASCADE, related_name="inventaire")
    commune = models.ForeignKey("territoire.Organisation", on_delete=models.CASCADE, related_name="+")
    activite = models.ForeignKey("referentiel.Activite", on_delete=models.CASCADE, related_name="+")
    exerce = models.BooleanField("exerce l'activité", null=True, blank=True)
    etp = models.DecimalField(
        "ETP", max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    etp_paie = models.DecimalField(
        "ETP d'après la masse salariale", max_digits=8, decimal_places=2, null=True, blank=True
    )
    sous_activites = models.TextField("sous-activités", blank=True)
    specificites = models.TextField("spécificités", blank=True)

    class Meta:
        verbose_name = "ligne de la liste des activités"
        ordering = ["activite__ordre", "commune__code"]
        constraints = [models.UniqueConstraint(fields=["livrable", "commune", "activite"], name="inventaire_unique")]


class ElementAfor(Ligne):
    """GT2: one item of the AFOR grid of an activity, contributed by a member for her organisation."""

    livrable = models.ForeignKey(Livrable, on_delete=models.CASCADE, related_name="elements_afor")
    activite = models.ForeignKey("referentiel.Activite", on_delete=models.CASCADE, related_name="+")
    quadrant = models.CharField("quadrant", max_length=11, choices=Quadrant.choices)
    texte = models.TextField("élément")
    organisation = models.ForeignKey(
        "territoire.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="organisation du contributeur",
    )
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    fusionne_dans = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="fusionnes", verbose_name="fusionné dans"
    )

    class Meta:
        verbose_name = "élément de la grille AFOR"
        ordering = ["activite__ordre", "quadrant", "id"]


class LigneMutualisable(Ligne):
    """GT3: a poolable activity with why, the group's consensus scores and the préconisation."""

    livrable = models.ForeignKey(Livrable, on_delete=models.CASCADE, related_name="lignes_mutualisables")
    activite = models.ForeignKey("referentiel.Activite", on_delete=models.CASCADE, related_name="+")
    sous_activites = models.TextField("sous-activités", blank=True)
    pourquoi = models.TextField("si opportunité de mutualisation, pourquoi ?", blank=True)
    qualification = models.PositiveSmallIntegerField(
        "qualification (/4)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    faisabilite = models.CharField("faisabilité (de 0 à 4+)", max_length=2, choices=Faisabilite.choices, blank=True)
    modalite = models.CharField("modalité suggérée", max_length=20, choices=Modalite.choices, blank=True)
    toutes_communes = models.BooleanField("toutes les communes", default=False)
    communes = models.ManyToManyField(
        "territoire.Organisation", blank=True, related_name="+", verbose_name="communes concernées"
    )
    preconisation = models.TextField("préconisation", blank=True)

    class Meta:
        verbose_name = "ligne de la liste des activités mutualisables"
        ordering = ["activite__ordre", "id"]


class Notation(models.Model):
    """A co-pilot's or the consultant's own scores of a GT3 line (the group then records a consensus)."""

    ligne = models.ForeignKey(LigneMutualisable, on_delete=models.CASCADE, related_name="notations")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField("au titre de", max_length=20)
    qualification = models.PositiveSmallIntegerField(
        "qualification (/4)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    faisabilite = models.CharField("faisabilité", max_length=2, choices=Faisabilite.choices, blank=True)
    quand = models.DateTimeField("date", auto_now=True)

    class Meta:
        verbose_name = "notation"
        constraints = [models.UniqueConstraint(fields=["ligne", "utilisateur"], name="notation_unique")]
