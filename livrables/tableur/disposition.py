"""The layout of a deliverable's workbook, shared by the three round trips (GT1 gt1.py, GT2 gt2.py, GT3
gt3.py): its columns in French, which cells a user may change, the values the merge compares
(`Disposition`), and the sheet names.

Layout of every export: one data sheet named after the theme, header on row 1 (bold, frozen, with
filters), the first column hidden (the row's identifier), cells that must not change locked in a
protected sheet (no password: it guards against slips); blank unlocked rows below the data for additions;
a hidden sheet `_mutualis` with `type | cle | valeur | identifiant | activite | version | <champs>`:
« meta » rows (format, schéma, deliverable, commune, export time…) and one « ligne » row per exported row
(its identifier, activity, version and the canonical values exported)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from formats.tabular import normalize_header

FEUILLE_META = "_mutualis"
LIGNES_AJOUT = 30


@dataclass(frozen=True)
class Colonne:
    cle: str
    titre: str
    largeur: float = 16  # Excel character widths (ODS: × 0.2 cm)
    editable: bool = False  # unlocked on the exported rows
    ajout: bool = False  # unlocked on the blank rows left for additions (editable columns always are)
    long: bool = False  # wrapped text
    format_nombre: str | None = None
    cachee: bool = False
    requise: bool = True  # a file without this column is refused


@dataclass(frozen=True)
class Controle:
    """A data validation of a column (XLSX): a drop-down list, or a number ≥ 0."""

    cle: str
    type: str  # "list" | "decimal"
    formule: str
    titre: str
    message: str


def _affiche_brut(champ: str, valeur: str) -> str:
    return valeur


def _canon_brut(champ: str, texte: str) -> str:
    return texte.strip()


@dataclass(frozen=True)
class Disposition:
    format: str  # « mutualis-gt1 »: the meta sheet's `format`
    nom: str  # « la liste des activités »: in messages
    decrit: str  # « une liste des activités (GT1) »
    colonnes: tuple[Colonne, ...]
    champs: tuple[str, ...]  # the values merged cell by cell, recorded per row in the meta sheet
    libelles: dict[str, str]  # field → column heading, in messages and on the conflict page
    controles: tuple[Controle, ...] = ()
    lignes_ajout: int = LIGNES_AJOUT
    feuille_defaut: str = "Livrable"
    affiche: Callable[[str, str], str] = _affiche_brut  # a canonical value as a French reader sees it
    canon_meta: Callable[[str, str], str] = _canon_brut  # a meta sheet value back to canonical
    # Checks of a merged row (rules that span cells): (row, final values) → French messages.
    verifier: Callable[[RangImport, dict[str, str]], list[str]] | None = None

    @property
    def vide(self) -> dict[str, str]:
        return {c: "" for c in self.champs}

    @property
    def en_tetes(self) -> list[str]:
        return [c.titre for c in self.colonnes]

    @property
    def meta_en_tetes(self) -> list[str]:
        return ["type", "cle", "valeur", "identifiant", "activite", "version", *self.champs]


def nom_feuille(libelle: str, defaut: str = "Livrable") -> str:
    """A sheet name Excel accepts: no []:*?/\\, 31 characters at most, never the meta sheet's."""
    nom = re.sub(r"[\[\]:*?/\\]", " ", libelle).strip()[:31].strip() or defaut
    return defaut if normalize_header(nom) == normalize_header(FEUILLE_META) else nom


@dataclass
class RangImport:
    """A validated row of the file: its key in the merge (GT1: the activity code; GT2/GT3: the identifier,
    or « +<row> » for an addition), what was exported (an identified row) and the file's values."""

    ligne: int
    cle: str
    identifiant: str
    version: int
    exporte: dict[str, str]
    fichier: dict[str, str]
    activite_code: str = ""
    ajout: dict[str, str] = field(default_factory=dict)  # what an added row needs besides its values

    @property
    def est_ajout(self) -> bool:
        return not self.identifiant

    def en_json(self) -> dict:
        return {
            "l": self.ligne,
            "k": self.cle,
            "i": self.identifiant,
            "v": self.version,
            "e": self.exporte,
            "f": self.fichier,
            "a": self.activite_code,
            "j": self.ajout,
        }

    @classmethod
    def de_json(cls, d: dict) -> RangImport:
        return cls(d["l"], d["k"], d["i"], d["v"], d["e"], d["f"], d.get("a", ""), d.get("j", {}))
