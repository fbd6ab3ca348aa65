"""How the space's « dernière activité » words the mandate letters' audit rows."""

from documents.enums import StatutLettre

PHRASES = {
    "lettre.modele": "a modifié le modèle des lettres de mission",
    "lettre.modele_retabli": "a rétabli le modèle par défaut des lettres de mission",
    "lettre.generation": "a généré une lettre de mission",
    "lettre.statut": "a changé le statut d'une lettre de mission",
}

# The rows of a status change carry the codes `avant` and `apres`, worded with these labels.
ETATS = {"lettre.statut": StatutLettre}
