"""How the space's « dernière activité » words the territory's audit rows (espace/activite.py gathers them)."""

PHRASES = {
    "territoire.creation": "a créé le territoire",
    "territoire.mise_a_jour": "a mis à jour le territoire",
    "territoire.fonctionnels": "a changé la liste des services fonctionnels",
    "territoire.sirets": "a renseigné les SIRET des collectivités",
}
