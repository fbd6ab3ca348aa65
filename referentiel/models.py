"""Each territory's editable copy of the referential of activities (started from referentiel/defaut.py)."""

from django.db import models

from engine.themes import THEME_CHOICES


class Activite(models.Model):
    territoire = models.ForeignKey("territoire.Territoire", on_delete=models.CASCADE, related_name="activites")
    theme = models.CharField("thème", max_length=4, choices=THEME_CHOICES)
    code = models.CharField("code", max_length=20)
    libelle = models.CharField("activité", max_length=200)
    description = models.TextField("description", blank=True)
    reserve_cdg = models.BooleanField(
        "mission réservée aux centres de gestion",
        default=False,
        help_text=(
            "Mission que l'article 23 de la loi 84-53 réserve aux centres de gestion pour les communes affiliées."
        ),
    )
    ordre = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "activité"
        ordering = ["ordre", "code"]
        constraints = [models.UniqueConstraint(fields=["territoire", "code"], name="activite_code_unique")]

    def __str__(self):
        return f"{self.code} – {self.libelle}"


class SousActivite(models.Model):
    activite = models.ForeignKey(Activite, on_delete=models.CASCADE, related_name="sous_activites")
    code = models.CharField("code", max_length=24)
    libelle = models.CharField("sous-activité", max_length=200)
    reserve_cdg = models.BooleanField("mission réservée aux centres de gestion", default=False)
    ordre = models.PositiveIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "sous-activité"
        ordering = ["ordre", "code"]
        constraints = [models.UniqueConstraint(fields=["activite", "code"], name="sous_activite_code_unique")]

    def __str__(self):
        return f"{self.code} – {self.libelle}"
