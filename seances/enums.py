from django.db import models


class Etape(models.TextChoices):
    GT1 = "GT1", "GT1 – se connaître, partager (liste des activités)"
    GT2 = "GT2", "GT2 – analyse interne et externe (grille AFOR)"
    GT3 = "GT3", "GT3 – préconisations (activités mutualisables)"
    AUTRE = "AUTRE", "Autre réunion du groupe"


class StatutSeance(models.TextChoices):
    PLANIFIEE = "planifiee", "Planifiée"
    TENUE = "tenue", "Tenue"
    ANNULEE = "annulee", "Annulée"


class Presence(models.TextChoices):
    INVITE = "invite", "Invité"
    PRESENT = "present", "Présent"
    EXCUSE = "excuse", "Excusé"
    ABSENT = "absent", "Absent"
