"""How the space's « dernière activité » words the follow-up's audit rows (espace/activite.py)."""

from suivi.enums import StatutElement

PHRASES = {
    "suivi.elements": "a mis à jour les éléments de suivi du schéma approuvé",
    "suivi.element": "a mis à jour une action du schéma",
    "suivi.convention": "a enregistré une convention",
    "suivi.bilan": "a enregistré le bilan d'une année du schéma",
    "suivi.rapport": "a préparé l'état d'avancement du schéma",
    "suivi.presentation": "a présenté l'état d'avancement du schéma",
    "suivi.demande": "a demandé le document de l'état d'avancement",
    "suivi.document": "a obtenu le document de l'état d'avancement préparé",
}

ETATS = {"suivi.element": StatutElement}
