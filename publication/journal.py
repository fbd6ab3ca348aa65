"""How the space's « dernière activité » words the audit rows of the schéma's documents (espace/activite.py)."""

PHRASES = {
    "publication.choix": "a choisi la présentation des montants du document du schéma",
    "publication.demande": "a demandé le document du schéma",
    "publication.document": "a obtenu le document du schéma préparé",
    "publication.gabarit": "a modifié la mise en page des documents du schéma",
}
