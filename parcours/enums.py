"""The vocabulary of the legal path (docs/consultation.md), declared once."""

from django.db import models


class EtatVersion(models.TextChoices):
    COMITE = "comite", "Pour le comité de pilotage"
    PROJET = "projet", "Projet transmis aux communes"
    APPROUVE = "approuve", "Approuvé"


class ModeEnvoi(models.TextChoices):
    RECOMMANDE = "recommande", "Lettre recommandée avec accusé de réception"
    COURRIEL = "courriel", "Courriel avec accusé de réception"
    PLATEFORME = "plateforme", "Plateforme de dématérialisation"
    MAIN_PROPRE = "main_propre", "Remise en main propre contre récépissé"


class IssueAvis(models.TextChoices):
    FAVORABLE = "favorable", "Favorable"
    RESERVES = "reserves", "Favorable avec réserves"
    DEFAVORABLE = "defavorable", "Défavorable"
    PREND_ACTE = "prend_acte", "Prend acte"


class Instance(models.TextChoices):
    """The bodies whose sittings Mutualis records (they meet in their own deliberation software)."""

    BUREAU = "bureau", "Bureau communautaire"
    CONSEIL_COMMUNAUTAIRE = "conseil", "Conseil communautaire"
    CONSEIL_MUNICIPAL = "municipal", "Conseil municipal"
    CONFERENCE_MAIRES = "maires", "Conférence des maires (L5211-11-3)"
    PACTE = "pacte", "Pacte de gouvernance (L5211-11-2)"


class InstanceInterne(models.TextChoices):
    """The bodies that meet in Mutualis (membership, meetings, agenda, decisions)."""

    COPIL = "copil", "Comité de pilotage"
    CDGS = "cdgs", "Conférence des DGS"


class IssueDecision(models.TextChoices):
    RETENUE = "retenue", "Retenue"
    AJOURNEE = "ajournee", "Ajournée"
    REJETEE = "rejetee", "Rejetée"
    A_APPROFONDIR = "approfondir", "À approfondir"
