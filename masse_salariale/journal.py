"""How the space's « dernière activité » words the payroll's audit rows (espace/activite.py gathers them)."""

PHRASES = {
    "masse_salariale.import": "a déposé un fichier de masse salariale",
    "masse_salariale.confirmation": "a confirmé un lot de masse salariale",
    "masse_salariale.abandon": "a abandonné un lot de masse salariale",
}
