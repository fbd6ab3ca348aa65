"""How the space's « dernière activité » words the payroll's audit rows (espace/activite.py gathers them)."""

from masse_salariale.enums import StatutLot

PHRASES = {
    "masse_salariale.import": "a déposé un fichier de masse salariale",
    "masse_salariale.confirmation": "a confirmé un lot de masse salariale",
    "masse_salariale.abandon": "a abandonné un lot de masse salariale",
}

# The rows of a status change carry the batch's status before and after (`avant`, `apres`).
ETATS = {"masse_salariale.confirmation": StatutLot, "masse_salariale.abandon": StatutLot}
