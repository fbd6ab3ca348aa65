"""How the space's « dernière activité » words the meetings' audit rows (espace/activite.py merges them)."""

from seances.enums import StatutSeance
from validation.enums import Etat

PHRASES = {
    "seances.trames": "a modifié les trames d'animation des séances",
    "seances.planification": "a planifié une séance",
    "seances.modification": "a modifié une séance",
    "seances.invitations": "a envoyé les invitations d'une séance",
    "seances.mise_a_jour": "a envoyé la mise à jour d'une invitation",
    "seances.annulation": "a annulé une séance",
    "seances.presences": "a saisi les présences d'une séance",
    "seances.compte_rendu.redaction": "a rédigé un compte rendu",
    "seances.compte_rendu.soumission": "a soumis un compte rendu aux co-pilotes",
    "seances.compte_rendu.validation": "a validé un compte rendu",
    "seances.compte_rendu.publication": "a validé un compte rendu, désormais publié",
    "seances.compte_rendu.renvoi": "a renvoyé un compte rendu avec des commentaires",
    "seances.compte_rendu.reouverture": "a rouvert un compte rendu publié",
    "seances.compte_rendu.restauration": "a restauré une version d'un compte rendu",
}

# The rows of a status change carry the codes `avant` and `apres`: the meeting's status, the minutes' state.
ETATS = {
    "seances.annulation": StatutSeance,
    "seances.presences": StatutSeance,
    **{
        f"seances.compte_rendu.{transition}": Etat
        for transition in ("soumission", "validation", "publication", "renvoi", "reouverture")
    },
}
