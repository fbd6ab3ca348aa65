"""Writes of the validation circuit of a deliverable (any type): each runs validation/actions.py's
transition and leaves the territory's audit row, in one transaction."""

from django.db import transaction

from livrables.actions import evenement
from livrables.circuit import courriels
from validation import actions as validation


@transaction.atomic
def do_soumettre(livrable, user):
    validation.do_soumettre(livrable, user)
    evenement(livrable, user, "livrables.soumission")
    courriels.envoyer_apres_validation(courriels.demande_de_visa(livrable, user))
    return livrable


@transaction.atomic
def do_viser(livrable, user):
    validation.do_viser(livrable, user)
    evenement(livrable, user, "livrables.verrouillage" if livrable.verrouille else "livrables.validation")
    return livrable


@transaction.atomic
def do_renvoyer(livrable, user, commentaire: str):
    validation.do_renvoyer(livrable, user, commentaire)
    evenement(livrable, user, "livrables.renvoi")
    return livrable


@transaction.atomic
def do_rouvrir(livrable, user, motif: str):
    validation.do_rouvrir(livrable, user, motif)
    evenement(livrable, user, "livrables.reouverture")
    return livrable


@transaction.atomic
def do_restaurer(livrable, user, numero: int):
    validation.do_restaurer(livrable, user, numero)
    evenement(livrable, user, "livrables.restauration", numero=numero)
    return livrable
