"""The vocabulary of the follow-up of the approved schéma (docs/suivi.md), declared once."""

from django.db import models


class StatutElement(models.TextChoices):
    A_LANCER = "a_lancer", "À lancer"
    EN_COURS = "en_cours", "En cours"
    REALISEE = "realisee", "Réalisée"
    ABANDONNEE = "abandonnee", "Abandonnée"
    REPORTEE = "reportee", "Reportée"


# A status that needs its reason written.
AVEC_MOTIF = (StatutElement.ABANDONNEE, StatutElement.REPORTEE)


class Jalon(models.TextChoices):
    CONVENTION = "convention", "Convention signée"
    CST = "cst", "Comité social territorial consulté"
    AGENTS = "agents", "Agents informés"
    SERVICE = "service", "Service créé"


class GenreConvention(models.TextChoices):
    SERVICE_COMMUN = "service_commun", "Service commun (L5211-4-2)"
    MISE_A_DISPOSITION = "mise_a_disposition", "Mise à disposition de services (L5211-4-1)"


class InstanceRapport(models.TextChoices):
    DOB = "dob", "Débat d'orientation budgétaire"
    BUDGET = "budget", "Vote du budget"


class EtatRapport(models.TextChoices):
    PREPARATION = "preparation", "En préparation"
    PRESENTE = "presente", "Présenté"


RAPPEL_JOURS = 61  # the project team is reminded two months before the sitting
