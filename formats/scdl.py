"""The SCDL « Délibérations » open-data file (docs/contrats §10): one CSV per collectivité, written as the
published schema asks (`formats/schemas/scdl-deliberations.json`, SCDL Délibérations 2.1.5).

Pure Python, no Django: callers build `DeliberationScdl` values from their models and get bytes back.
The writer checks nothing but the one-collectivité rule; `valider_siret` is there for callers that want
to refuse a bad SIRET before writing, and the tests validate the output against the schema.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

SCHEMA = Path(__file__).resolve().parent / "schemas" / "scdl-deliberations.json"

# The schema's field order; the SCDL asks for every column, in this order, even when empty.
COLONNES: tuple[str, ...] = (
    "COLL_NOM",
    "COLL_SIRET",
    "DELIB_ID",
    "DELIB_DATE",
    "DELIB_MATIERE_CODE",
    "DELIB_MATIERE_NOM",
    "DELIB_OBJET",
    "BUDGET_ANNEE",
    "BUDGET_NOM",
    "PREF_ID",
    "PREF_DATE",
    "VOTE_EFFECTIF",
    "VOTE_REEL",
    "VOTE_POUR",
    "VOTE_CONTRE",
    "VOTE_ABSTENTION",
    "DELIB_URL",
)

# The ACTES nomenclature (Aide au Contrôle de légaliTé dématErialiSé): its nine matières, and the
# sub-matières of « Institutions et vie politique » that an intercommunal body uses (5.1 to 5.8, the range
# the SCDL lists). Only what Mutualis needs; another code's name is given by the caller.
MATIERES: dict[str, str] = {
    "1": "Commande publique",
    "2": "Urbanisme",
    "3": "Domaine et patrimoine",
    "4": "Fonction publique",
    "5": "Institutions et vie politique",
    "6": "Libertés publiques et pouvoirs de police",
    "7": "Finances locales",
    "8": "Domaines de compétences par thèmes",
    "9": "Autres domaines de compétences",
    "5.1": "Élection exécutif",
    "5.2": "Fonctionnement des assemblées",
    "5.3": "Désignation de représentants",
    "5.4": "Délégation de fonctions",
    "5.5": "Délégation de signature",
    "5.6": "Exercice des mandats locaux",
    "5.7": "Intercommunalité",
    "5.8": "Décision d'ester en justice",
}
MATIERE_DEFAUT = "5.7"

# La Poste's establishments all share this SIREN; their NICs do not follow the Luhn key (see valider_siret).
SIREN_LA_POSTE = "356000000"


def nom_matiere(code: str) -> str:
    """DELIB_MATIERE_NOM for an ACTES sub-matière, as the SCDL writes it: the matière and the sub-matière
    in lower case, with their accents, joined by « / » (``5.7`` -> ``institutions et vie politique/
    intercommunalité``). KeyError for a code missing from MATIERES or without a sub-matière."""
    matiere, _, sous_matiere = code.partition(".")
    if not sous_matiere:
        raise KeyError(code)
    return f"{MATIERES[matiere].lower()}/{MATIERES[code].lower()}"


@dataclass(frozen=True, kw_only=True)
class DeliberationScdl:
    """One line of the file: one field per column, named as the column in lower case.

    Text and identifiers are written as given (an empty text is an empty cell); ``None`` is an empty cell.
    Without ``delib_matiere_nom``, the ACTES name of ``delib_matiere_code`` is taken from MATIERES.
    """

    coll_nom: str
    coll_siret: str
    delib_id: str  # the body's own register number, never an identifier of ours
    delib_date: date
    delib_matiere_code: str = MATIERE_DEFAUT
    delib_matiere_nom: str | None = None
    delib_objet: str
    budget_annee: str | None = None  # AAAA or AAAA/AAAA
    budget_nom: str | None = None
    pref_id: str | None = None  # PREFNNN, SPREFNNNM or SGARNNN, from the préfecture's acknowledgement
    pref_date: date | None = None
    vote_effectif: int | None = None
    vote_reel: int | None = None
    vote_pour: int | None = None
    vote_contre: int | None = None
    vote_abstention: int | None = None
    delib_url: str | None = None

    def __post_init__(self):
        if self.delib_matiere_nom is None:
            try:
                nom = nom_matiere(self.delib_matiere_code)
            except KeyError:
                raise ValueError(
                    f"DELIB_MATIERE_NOM : la matière {self.delib_matiere_code} n'est pas dans la table, "
                    "son nom doit être donné"
                ) from None
            object.__setattr__(self, "delib_matiere_nom", nom)


def _luhn(chiffres: str) -> bool:
    total = 0
    for rang, chiffre in enumerate(reversed(chiffres)):
        valeur = int(chiffre)
        if rang % 2:
            valeur = valeur * 2 - 9 if valeur > 4 else valeur * 2
        total += valeur
    return total % 10 == 0


def valider_siret(siret: str) -> str | None:
    """A French message saying why ``siret`` is not a valid SIRET, or None.

    A SIRET is 14 digits (nothing else: no spaces, as the schema's pattern wants) whose SIREN (the first
    nine) and whole number both pass the Luhn key. La Poste's establishments (SIREN 356000000) that fail
    it are valid when the sum of their digits is a multiple of 5: the rule of INSEE's own validation
    package (github InseeFrLab/validinsee, ``validation_siret``).
    """
    if len(siret) != 14 or not siret.isascii() or not siret.isdigit():
        return f"le SIRET doit compter 14 chiffres, sans espace ni autre signe : « {siret} »"
    if _luhn(siret[:9]) and _luhn(siret):
        return None
    if siret.startswith(SIREN_LA_POSTE):
        if sum(int(c) for c in siret) % 5 == 0:
            return None
        return f"le SIRET {siret} (La Poste) est invalide : la somme de ses chiffres n'est pas un multiple de 5"
    if not _luhn(siret[:9]):
        return f"le SIRET {siret} est invalide : la clé de son SIREN {siret[:9]} est fausse"
    return f"le SIRET {siret} est invalide : sa clé de contrôle est fausse"


def _cellule(valeur: object) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        # The schema has no boolean column: a bool here is a caller's mistake, not a "True" cell.
        raise TypeError(f"valeur booléenne inattendue : {valeur!r}")
    if isinstance(valeur, date):
        return valeur.isoformat()  # AAAA-MM-JJ
    return str(valeur)


def ecrire_csv(lignes: Iterable[DeliberationScdl]) -> bytes:
    """The SCDL file of one collectivité: UTF-8 without BOM, comma separator, double quotes around a cell
    that needs them, CRLF line ends (RFC 4180, the text/csv the SCDL names), a header line with every
    column, then one line per deliberation in the order given.

    ValueError when the lines belong to more than one collectivité (several COLL_SIRET).
    """
    lignes = list(lignes)
    sirets = sorted({ligne.coll_siret for ligne in lignes})
    if len(sirets) > 1:
        raise ValueError(f"un fichier SCDL par collectivité : les lignes portent les SIRET {', '.join(sirets)}")
    sortie = io.StringIO()
    ecrivain = csv.writer(sortie, delimiter=",", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    ecrivain.writerow(COLONNES)
    for ligne in lignes:
        ecrivain.writerow(_cellule(getattr(ligne, colonne.lower())) for colonne in COLONNES)
    return sortie.getvalue().encode("utf-8")
