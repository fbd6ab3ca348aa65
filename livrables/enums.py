from django.db import models

from engine.vocabulaire import FAISABILITES, MODALITES_DU_SCHEMA


class TypeLivrable(models.TextChoices):
    INVENTAIRE = "GT1", "GT1 – liste des activités par domaine"
    AFOR = "GT2", "GT2 – grille AFOR"
    MUTUALISABLES = "GT3", "GT3 – liste des activités mutualisables"


class Quadrant(models.TextChoices):
    AVANTAGE = "avantage", "Avantages (internes)"
    FAIBLESSE = "faiblesse", "Faiblesses (internes)"
    OPPORTUNITE = "opportunite", "Opportunités (externes)"
    RISQUE = "risque", "Risques (externes)"


# The feasibility scale and the modalités are the engine's vocabulary (engine/vocabulaire.py), as choices.
Faisabilite = models.TextChoices("Faisabilite", [(f"F{f.replace('+', 'P')}", (f, f)) for f in FAISABILITES])
Modalite = models.TextChoices("Modalite", [(m.code.upper(), (m.code, m.label)) for m in MODALITES_DU_SCHEMA])
