"""How the space's « dernière activité » words the payroll's audit rows (espace/activite.py gathers them)."""

from masse_salariale.enums import StatutLot

PHRASES = {
    "masse_salariale.import": "a déposé un fichier de masse salariale",
    "masse_salariale.confirmation": "a confirmé un lot de masse salariale",
    "masse_salariale.abandon": "a abandonné un lot de masse salariale",
    "masse_salariale.dsn": "a envoyé les DSN d'une année",
    "masse_salariale.dsn_refus": "a envoyé des DSN refusées",
    "masse_salariale.dsn_abandon": "a abandonné une lecture de DSN",
    "masse_salariale.dsn_expiree": "a laissé une lecture de DSN plus de trente jours : ses agents sont effacés",
    "masse_salariale.regle": "a placé un libellé ou un agent dans la correspondance de paie",
    "masse_salariale.regle_suppression": "a supprimé une règle de la correspondance de paie",
    "masse_salariale.regles_import": "a importé une table de correspondance de paie",
    "masse_salariale.profil": "a enregistré un profil de colonnes d'export de paie",
    "masse_salariale.profil_suppression": "a supprimé un profil de colonnes d'export de paie",
}

# The rows of a status change carry the batch's status before and after (`avant`, `apres`).
ETATS = {"masse_salariale.confirmation": StatutLot, "masse_salariale.abandon": StatutLot}
