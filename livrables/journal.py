"""How the space's « dernière activité » words the deliverables' audit rows (espace/activite.py merges
them): one entry per action name that the deliverables' actions write (livrables.actions.evenement);
tests/livrables/test_journal.py performs each action and checks its row."""

from validation.enums import Etat

PHRASES = {
    "livrables.inventaire": "a rempli la liste des activités (GT1) d'une commune",
    "livrables.soumission": "a soumis un livrable aux co-pilotes",
    "livrables.validation": "a validé un livrable",
    "livrables.verrouillage": "a validé un livrable, désormais verrouillé",
    "livrables.renvoi": "a renvoyé un livrable avec des commentaires",
    "livrables.reouverture": "a rouvert un livrable verrouillé",
    "livrables.restauration": "a restauré une version d'un livrable",
    "livrables.afor_ajout": "a ajouté un élément à une grille AFOR",
    "livrables.afor_reformulation": "a reformulé un élément d'une grille AFOR",
    "livrables.afor_fusion": "a fusionné des éléments d'une grille AFOR",
    "livrables.afor_suppression": "a supprimé un élément d'une grille AFOR",
    "livrables.gt3_ajout": "a ajouté une activité mutualisable (GT3)",
    "livrables.gt3_modification": "a modifié une activité mutualisable (GT3)",
    "livrables.gt3_suppression": "a supprimé une activité mutualisable (GT3)",
    "livrables.gt3_notation": "a noté une activité mutualisable (GT3)",
    "livrables.import_tableur": "a importé le classeur de la liste des activités (GT1) d'une commune",
    "livrables.afor_import": "a importé un classeur dans une grille AFOR",
    "livrables.gt3_import": "a importé un classeur dans la liste des activités mutualisables (GT3)",
}

# The validation circuit's rows carry the deliverable's state before and after (`avant`, `apres`).
ETATS = {
    action: Etat
    for action in (
        "livrables.soumission",
        "livrables.validation",
        "livrables.verrouillage",
        "livrables.renvoi",
        "livrables.reouverture",
    )
}
