"""Mandate letters (lettres de mission) of the co-pilot tandems, generated from a template that the
project team edits with placeholders from a fixed list (documents/lettres.py), never a Django template."""

from django.conf import settings
from django.db import models

from documents.enums import StatutLettre


class ModeleLettreMission(models.Model):
    schema = models.OneToOneField("territoire.Schema", on_delete=models.CASCADE, related_name="modele_lettre")
    objet = models.CharField("objet", max_length=300)
    corps = models.TextField("texte", help_text="Champs disponibles entre accolades, par exemple {theme}.")
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "modèle de lettre de mission"


class LettreMission(models.Model):
    """One per working group (its co-pilot tandem). The text is fixed when generated, so that a sent or
    signed letter does not change when the template does."""

    groupe = models.OneToOneField("groupes.GroupeTravail", on_delete=models.CASCADE, related_name="lettre")
    objet = models.CharField("objet", max_length=300)
    texte = models.TextField("texte")
    statut = models.CharField("statut", max_length=10, choices=StatutLettre.choices, default=StatutLettre.BROUILLON)
    generee_le = models.DateTimeField("générée le")
    envoyee_le = models.DateTimeField("envoyée le", null=True, blank=True)
    signee_le = models.DateTimeField("signée le", null=True, blank=True)
    modifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")

    class Meta:
        verbose_name = "lettre de mission"
        verbose_name_plural = "lettres de mission"

    def __str__(self):
        return f"Lettre de mission – {self.groupe}"
