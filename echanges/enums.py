from django.db import models


class Motif(models.TextChoices):
    MENTION = "mention", "vous a mentionné"
    REPONSE = "reponse", "a répondu dans une discussion où vous avez écrit"
    TACHE = "tache", "une action vous attend"


class Frequence(models.TextChoices):
    IMMEDIAT = "immediat", "chaque notification"
    QUOTIDIEN = "quotidien", "un résumé quotidien"
    AUCUN = "aucun", "aucun courriel"
