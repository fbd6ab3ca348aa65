from django.db import models


class Etat(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SOUMIS = "soumis", "Soumis aux co-pilotes"
    RENVOYE = "renvoye", "Renvoyé avec commentaires"
    VALIDE = "valide", "Validé et verrouillé"


class Action(models.TextChoices):
    CREATION = "creation", "création"
    MODIFICATION = "modification", "modification"
    SOUMISSION = "soumission", "soumission aux co-pilotes"
    VALIDATION = "validation", "validation"
    RENVOI = "renvoi", "renvoi avec commentaires"
    VERROUILLAGE = "verrouillage", "validation par les deux co-pilotes : verrouillé"
    REOUVERTURE = "reouverture", "réouverture"
    RESTAURATION = "restauration", "restauration d'une version"
