"""The default agendas of the four kinds of meeting (docs/domaine.md §2: three meetings, three deliverables).

The project team edits them per schéma (TrameAnimation); a new meeting starts from its stage's agenda, and
follows the stage chosen in the form as long as the user has not written her own (`ordre_du_jour_suivi`)."""

from seances.enums import Etape

ORDRES_DU_JOUR = {
    Etape.GT1: """Séance 1 – Se connaître et partager la feuille de route

1. Accueil et tour de table : chaque participant présente son organisation, son service, ses missions et ses attentes.
2. La démarche : le schéma de mutualisation, ses enjeux (coefficient de mutualisation, maîtrise des dépenses de fonctionnement, meilleur service aux habitants, fin des doublons) et le calendrier des trois séances.
3. La feuille de route du groupe : la lettre de mission des co-pilotes, le rôle du consultant accompagnant, les livrables attendus.
4. Le périmètre des activités du thème, à partir de la liste de référence des activités.
5. Travail en séance : compléter la liste des activités par domaine (Activités | Sous-activités | Spécificités de chaque organisation).
6. Livrable : la liste des activités du groupe, à valider par les co-pilotes.
7. Suites à donner et date de la séance 2.""",
    Etape.GT2: """Séance 2 – Analyse interne et externe

1. Retour sur le compte rendu de la séance 1 et sur la liste des activités.
2. La méthode de la grille AFOR : Avantages et Faiblesses (analyse interne), Opportunités et Risques (analyse externe).
3. Travail en séance : une grille AFOR par domaine ou par activité.
4. Mise en commun : les points forts à conserver, les fragilités communes, les risques à maîtriser.
5. Livrable : les grilles AFOR du groupe, à valider par les co-pilotes.
6. Suites à donner et date de la séance 3.""",
    Etape.GT3: """Séance 3 – Préconisations

1. Retour sur le compte rendu de la séance 2 et sur les grilles AFOR.
2. Pour chaque activité : si opportunité de mutualisation, pourquoi ?
3. Qualification de l'opportunité (note sur 4) et faisabilité (de 0 à 4+).
4. Préconisation par activité et modalité envisagée (service commun, mise à disposition, groupement de commandes…).
5. Livrable : la liste des activités mutualisables, présentée au comité de pilotage après validation des co-pilotes.
6. Suites à donner : formalisation et calendrier de validation.""",
    # Another meeting of the group has no common shape: it starts from an empty agenda (the project team
    # may still write one on the trames page).
    Etape.AUTRE: "",
}


def _normal(texte: str) -> str:
    """A text as compared: browsers send a textarea's lines with CRLF, and surrounding blanks do not count."""
    return texte.replace("\r\n", "\n").replace("\r", "\n").strip()


def ordre_du_jour_suivi(etape: str, saisi: str, trames: dict[str, str]) -> str:
    """The agenda of a new meeting of `etape` from what the form sent: the trame of `etape` when the text
    is empty or is, as it was, the trame of a stage (the form was pre-filled with one stage's trame, then
    the stage changed); otherwise the user's own text, kept. static/js/ordre_du_jour.js applies the same
    rule in the page; this one decides when the page runs without JavaScript."""
    texte = _normal(saisi)
    if not texte or any(texte == _normal(t) for t in trames.values()):
        return trames.get(etape, "")
    return saisi
