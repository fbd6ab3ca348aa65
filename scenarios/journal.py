"""How the space's « dernière activité » words the scenarios' audit rows (espace/activite.py merges them)."""

PHRASES = {
    "scenarios.creation": "a créé un scénario de mutualisation",
    "scenarios.modification": "a modifié un scénario de mutualisation",
    "scenarios.suppression": "a supprimé un scénario de mutualisation",
    "scenarios.duplication": "a dupliqué un scénario de mutualisation",
    "scenarios.ajout_actions": "a ajouté des actions à un scénario",
    "scenarios.modification_action": "a modifié une action d'un scénario",
    "scenarios.suppression_action": "a retiré une action d'un scénario",
}
