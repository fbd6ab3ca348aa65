from django.db import models


class TypeOrganisation(models.TextChoices):
    EPCI = "epci", "EPCI"
    COMMUNE = "commune", "Commune"


class Nature(models.TextChoices):
    CC = "CC", "Communauté de communes"
    CA = "CA", "Communauté d'agglomération"
    CU = "CU", "Communauté urbaine"
    METRO = "METRO", "Métropole"


class Fiscalite(models.TextChoices):
    FPU = "FPU", "Fiscalité professionnelle unique"
    FA = "FA", "Fiscalité additionnelle"


class StatutSchema(models.TextChoices):
    ELABORATION = "elaboration", "En élaboration"
    CONSULTATION = "consultation", "En consultation des communes"
    ADOPTE = "adopte", "Adopté"


class Phase(models.TextChoices):
    """The phases of the process, in order (the cockpit's timeline)."""

    GROUPES = "groupes", "Groupes de travail"
    COMITE = "comite", "Comité de pilotage"
    BUREAU = "bureau", "Bureau communautaire"
    CONSULTATION = "consultation", "Consultation des conseils municipaux"
    APPROBATION = "approbation", "Approbation par le conseil communautaire"
    SUIVI = "suivi", "Suivi annuel"


# The default calendar: the source document's 2014 round (groups July to mid-October, Bureau October to
# November, councils December to February, adoption in March), shifted to the mandate's first year; the
# follow-up starts at the next year's débat d'orientation budgétaire. (years after the first, month, day).
CALENDRIER_SOURCE = {
    Phase.GROUPES: ((0, 7, 1), (0, 10, 15)),
    Phase.COMITE: ((0, 10, 16), (0, 10, 31)),
    Phase.BUREAU: ((0, 11, 1), (0, 11, 30)),
    Phase.CONSULTATION: ((0, 12, 1), (1, 2, 28)),
    Phase.APPROBATION: ((1, 3, 1), (1, 3, 31)),
    Phase.SUIVI: ((2, 1, 1), (2, 3, 31)),
}
