"""How the space's « dernière activité » words the groups' audit rows."""

PHRASES = {
    "groupes.repartition": "a désigné les co-pilotes ou le consultant d'un groupe",
    "groupes.perimetre": "a précisé le périmètre d'un groupe",
    "groupes.membre_ajout": "a ajouté un membre à un groupe",
    "groupes.membre_retrait": "a retiré un membre d'un groupe",
    "groupes.sous_groupe_creation": "a créé un sous-groupe",
    "groupes.sous_groupe_modification": "a modifié un sous-groupe",
    "groupes.sous_groupe_suppression": "a supprimé un sous-groupe",
}
