from django.db import models

from engine.vocabulaire import SITUATIONS


class StatutLot(models.TextChoices):
    A_CONFIRMER = "a_confirmer", "À confirmer"
    CONFIRME = "confirme", "Confirmé"
    ABANDONNE = "abandonne", "Abandonné"


# The situations of a payroll line are the engine's vocabulary (engine/vocabulaire.py), as choices.
Situation = models.TextChoices("Situation", [(code.upper(), (code, label)) for code, label in SITUATIONS.items()])
