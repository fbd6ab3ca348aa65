from django.db import models

from livrables.enums import Modalite  # noqa: F401 — one list of modalités, the GT3 préconisation's


class Origine(models.TextChoices):
    MANUEL = "manuel", "Construit à la main"
    GT3 = "gt3", "Construit depuis les lignes GT3"
    OPTIMISEUR = "optimiseur", "Proposé par l'optimiseur"
