from django.db import models


class StatutLot(models.TextChoices):
    A_CONFIRMER = "a_confirmer", "À confirmer"
    CONFIRME = "confirme", "Confirmé"
    ABANDONNE = "abandonne", "Abandonné"


class Situation(models.TextChoices):
    PROPRE = "propre", "Propre"
    TRANSFERE = "transfere", "Transféré"
    MAD = "mad", "Mis à disposition"
