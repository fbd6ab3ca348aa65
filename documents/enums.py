from django.db import models


class StatutLettre(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    ENVOYEE = "envoyee", "Envoyée"
    SIGNEE = "signee", "Signée"
