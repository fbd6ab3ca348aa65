"""The working groups (GT): one per theme and schéma, with their members and optional sub-groups.
Who holds which role in a group is an habilitation (comptes.models.Habilitation with `groupe`)."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from comptes.models import cle_personne
from engine.themes import THEME_BY_CODE, THEME_CHOICES


class GroupeTravailQuerySet(models.QuerySet):
    def avec_participants(self):
        return self.prefetch_related("habilitations__utilisateur__organisation")

    def du_territoire(self, territoire):
        """The groups of the territory's current schéma (the latest mandate), in the order of the themes."""
        schema = territoire.schemas.order_by("-mandat").first()
        return self.filter(schema=schema).order_by("id")


class GroupeTravail(models.Model):
    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="groupes")
    theme = models.CharField("thème", max_length=4, choices=THEME_CHOICES)
    perimetre = models.TextField(
        "périmètre", blank=True, help_text="Les activités que le groupe étudie ; repris dans la lettre de mission."
    )

    objects = GroupeTravailQuerySet.as_manager()

    class Meta:
        verbose_name = "groupe de travail"
        verbose_name_plural = "groupes de travail"
        ordering = ["schema", "id"]
        constraints = [models.UniqueConstraint(fields=["schema", "theme"], name="groupe_theme_unique")]

    def __str__(self):
        return f"GT {self.libelle}"

    @property
    def libelle(self) -> str:
        return THEME_BY_CODE[self.theme].label

    @property
    def territoire(self):
        return self.schema.territoire

    def participants(self, role: str) -> list:
        """Users holding `role` in this group, in French order of their names (pages, letters); uses the
        prefetch of `avec_participants` when present."""
        return sorted((h.utilisateur for h in self.habilitations.all() if h.role == role), key=cle_personne)

    def elaguer_sous_groupes(self) -> int:
        """Take out of the sub-groups whoever no longer holds a role in the group; returns how many."""
        dans_le_groupe = self.habilitations.values("utilisateur")
        deleted, _ = (
            SousGroupe.membres.through.objects.filter(sousgroupe__groupe=self)
            .exclude(utilisateur__in=dans_le_groupe)
            .delete()
        )
        return deleted


class SousGroupe(models.Model):
    groupe = models.ForeignKey(GroupeTravail, on_delete=models.CASCADE, related_name="sous_groupes")
    nom = models.CharField("nom", max_length=200)
    description = models.TextField("description", blank=True)
    membres = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sous_groupes", verbose_name="membres"
    )

    class Meta:
        verbose_name = "sous-groupe"
        ordering = ["nom"]
        constraints = [
            models.UniqueConstraint("groupe", Lower("nom"), name="sous_groupe_nom_unique"),
        ]

    def __str__(self):
        return self.nom
