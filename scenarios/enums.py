from django.db import models

from livrables.enums import Modalite  # noqa: F401 — one list of modalités, the GT3 préconisation's


class Origine(models.TextChoices):
    """How a scenario was built, stored by the writes that build it (scenarios/actions.py): created empty it
    is « manuel »; the first GT3 lines added make it « gt3 »; the optimiser's stays « optimiseur »."""

    MANUEL = "manuel", "Construit à la main"
    GT3 = "gt3", "Construit à partir des lignes GT3"
    OPTIMISEUR = "optimiseur", "Proposé par l'optimiseur"
