"""The working groups (GT): one per theme and schéma. The shared-space issue extends them."""

from django.db import models

from engine.themes import THEME_BY_CODE, THEMES

THEME_CHOICES = [(t.code, t.label) for t in THEMES]


class GroupeTravail(models.Model):
    schema = models.ForeignKey("territoire.Schema", on_delete=models.CASCADE, related_name="groupes")
    theme = models.CharField("thème", max_length=4, choices=THEME_CHOICES)

    class Meta:
        verbose_name = "groupe de travail"
        verbose_name_plural = "groupes de travail"
        ordering = ["schema", "id"]
        constraints = [models.UniqueConstraint(fields=["schema", "theme"], name="groupe_theme_unique")]

    def __str__(self):
        return f"GT {THEME_BY_CODE[self.theme].label}"
