"""Writes of the validation circuit of a deliverable (any type): each runs validation/actions.py's
transition and leaves the territory's audit row, in one transaction, with the state before and after
(`avant`, `apres`: validation.enums.Etat codes, worded by the home page's latest activity). The co-pilots
whose visa a submission awaits are told by the notification of their waiting action (livrables/taches.py,
echanges/attentes.py), e-mailed as each of them chose."""

from django.db import transaction

from livrables.actions import evenement
from validation import actions as validation


@transaction.atomic
def do_soumettre(livrable, user):
    avant = livrable.etat
    validation.do_soumettre(livrable, user)
    evenement(livrable, user, "livrables.soumission", avant=avant, apres=livrable.etat)
    return livrable


@transaction.atomic
def do_viser(livrable, user):
    avant = livrable.etat
    validation.do_viser(livrable, user)
    evenement(
        livrable,
        user,
        "livrables.verrouillage" if livrable.verrouille else "livrables.validation",
        avant=avant,
        apres=livrable.etat,
    )
    return livrable


@transaction.atomic
def do_renvoyer(livrable, user, commentaire: str):
    avant = livrable.etat
    validation.do_renvoyer(livrable, user, commentaire)
    evenement(livrable, user, "livrables.renvoi", avant=avant, apres=livrable.etat)
    return livrable


@transaction.atomic
def do_rouvrir(livrable, user, motif: str):
    avant = livrable.etat
    validation.do_rouvrir(livrable, user, motif)
    evenement(livrable, user, "livrables.reouverture", avant=avant, apres=livrable.etat)
    return livrable


@transaction.atomic
def do_restaurer(livrable, user, numero: int):
    validation.do_restaurer(livrable, user, numero)
    evenement(livrable, user, "livrables.restauration", numero=numero)
    return livrable
