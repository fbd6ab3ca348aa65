"""How the space's « dernière activité » words the referential's audit rows (espace/activite.py gathers them)."""

PHRASES = {
    "referentiel.ajout": "a ajouté une activité au référentiel",
    "referentiel.modification": "a modifié le référentiel des activités",
    "referentiel.suppression": "a supprimé une activité du référentiel",
    "referentiel.import": "a importé le référentiel des activités",
}
