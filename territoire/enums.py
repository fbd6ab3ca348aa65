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
