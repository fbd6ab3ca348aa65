from django.db import models

from engine.vocabulaire import SITUATIONS


class StatutLot(models.TextChoices):
    A_CONFIRMER = "a_confirmer", "À confirmer"
    CONFIRME = "confirme", "Confirmé"
    ABANDONNE = "abandonne", "Abandonné"


# The situations of a payroll line are the engine's vocabulary (engine/vocabulaire.py), as choices.
Situation = models.TextChoices("Situation", [(code.upper(), (code, label)) for code, label in SITUATIONS.items()])


class CleRegle(models.TextChoices):
    """What a correspondence rule matches (docs/contrats/9-dsn.md), in order of precedence."""

    MATRICULE = "matricule", "Matricule"
    SERVICE = "service", "Service"
    EMPLOI = "emploi", "Libellé de l'emploi"
    DEFAUT = "defaut", "Par défaut"


class StatutLecture(models.TextChoices):
    A_PLACER = "a_placer", "Agents à placer"
    PREPAREE = "preparee", "Lot préparé"
    ABANDONNEE = "abandonnee", "Abandonnée"


class GenreImport(models.TextChoices):
    """What an upload read in the background is (masse_salariale/imports.py)."""

    FICHIER = "fichier", "Fichier de masse salariale"
    DSN = "dsn", "DSN d'une année"


class StatutImport(models.TextChoices):
    EN_ATTENTE = "attente", "En attente"
    EN_COURS = "cours", "En cours"
    LU = "lu", "Lu"  # a batch prepared, or a DSN reading whose agents remain to be placed
    REFUSE = "refuse", "Refusé"  # the file's errors, as in the request
    ECHEC = "echec", "Échec"  # the reading itself failed (interrupted, an error of Mutualis)
