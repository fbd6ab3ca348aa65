"""The referential as a spreadsheet: writing the export, reading and validating an import.

One sheet `referentiel`, one row per sub-activity (an activity without sub-activity has one row with the
sub-activity columns empty):

    theme | code_activite | activite | description | reserve_cdg | code_sous_activite | sous_activite

The export writes French headers (`Code activité`...), which the import matches as docs/contrats §1 says
(trimmed, case and accents ignored). The import reads what `formats.lecture.read_table` reads (XLSX, and
also ODS and CSV, as every tabular file of the project), validates every row and raises `InvalidFile`
with every message, `ligne N : <colonne> « <valeur> » : <règle>`; nothing is returned on error, so the
caller has nothing to import.

`reserve_cdg` is the row's mark: the sub-activity's; an activity is reserved when all its rows are
(regles.aligner_reserve keeps the stored marks consistent with this reading).

Pure Python: no Django import. Values in and out are the dataclasses of referentiel/defaut.py.
"""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from engine.themes import THEME_BY_CODE, THEMES
from formats.columns import TEXT, Field, bind
from formats.ecriture import ajouter_ligne
from formats.errors import InvalidFile, Report, row_list
from formats.impression import mettre_en_page_xlsx
from formats.lecture import read_table
from referentiel.defaut import Activite, SousActivite
from referentiel.regles import (
    THEMES_ATTENDUS,
    aligner_reserve,
    lire_oui_non,
    lire_theme,
    normaliser_code,
    normaliser_libelle,
    regle_code_activite,
    regle_code_sous_activite,
    regle_libelle,
)

logger = logging.getLogger(__name__)

SHEET = "referentiel"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Colonne:
    cle: str
    entete: str  # what the export writes; normalize_header(entete) == cle
    largeur: int
    requise: bool = False


COLONNES: tuple[Colonne, ...] = (
    Colonne("theme", "Thème", 10, requise=True),
    Colonne("code_activite", "Code activité", 16, requise=True),
    Colonne("activite", "Activité", 48, requise=True),
    Colonne("description", "Description", 60),
    Colonne("reserve_cdg", "Réservé CDG", 14),
    Colonne("code_sous_activite", "Code sous-activité", 20),
    Colonne("sous_activite", "Sous-activité", 70),
)
FIELDS = tuple(Field(c.cle, TEXT, required=c.requise) for c in COLONNES)

# What an absent optional column means: the import replaces the whole referential, so say it.
_ABSENTE = {
    "description": "colonne description absente : les activités importées n'auront pas de description",
    "reserve_cdg": "colonne reserve_cdg absente : aucune activité ne sera marquée comme réservée aux centres "
    "de gestion",
    "code_sous_activite": "colonne code_sous_activite absente : les activités importées n'auront pas de sous-activité",
    "sous_activite": "colonne sous_activite absente : les activités importées n'auront pas de sous-activité",
}


# --- export -----------------------------------------------------------------------------------------


def write_referential(activites: Iterable[Activite], titre: str = "Référentiel des activités") -> bytes:
    """The XLSX export: frozen header row, auto-filter, readable widths, drop-down lists for `theme` and
    `reserve_cdg`, a `themes` sheet giving each theme code its label, and ``titre`` in the printed pages'
    footer."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([c.entete for c in COLONNES])
    for activite in activites:
        debut = [activite.theme, activite.code, activite.libelle, activite.description]
        if not activite.sous_activites:
            ajouter_ligne(sheet, [*debut, _oui_non(activite.reserve_cdg), "", ""])
        for sous in activite.sous_activites:
            ajouter_ligne(sheet, [*debut, _oui_non(activite.reserve_cdg or sous.reserve_cdg), sous.code, sous.libelle])

    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for position, colonne in enumerate(COLONNES, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = colonne.largeur
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    last = max(sheet.max_row, 2)
    # Warnings, not refusals: the import also accepts a theme's full label, which Excel would refuse.
    themes = DataValidation(
        type="list",
        formula1=f'"{",".join(THEME_BY_CODE)}"',
        allow_blank=False,
        errorStyle="warning",
        error="Thème attendu : " + THEMES_ATTENDUS,
    )
    themes.add(f"A2:A{last + 500}")
    oui_non = DataValidation(type="list", formula1='"oui,non"', allow_blank=True, errorStyle="warning")
    oui_non.add(f"E2:E{last + 500}")
    sheet.add_data_validation(themes)
    sheet.add_data_validation(oui_non)

    legende = book.create_sheet("themes")
    legende.append(["Code", "Thème"])
    for cell in legende[1]:
        cell.font = bold
    for theme in THEMES:
        legende.append([theme.code, theme.label])
    legende.column_dimensions["A"].width = 8
    legende.column_dimensions["B"].width = 50
    mettre_en_page_xlsx(book, titre)

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _oui_non(value: bool) -> str:
    return "oui" if value else "non"


# --- import -----------------------------------------------------------------------------------------


@dataclass
class FichierReferentiel:
    """A valid referential file: its activities in file order, and the warnings it raised."""

    activites: tuple[Activite, ...]
    warnings: list[str] = field(default_factory=list)

    @property
    def nb_sous_activites(self) -> int:
        return sum(len(a.sous_activites) for a in self.activites)


@dataclass
class _Ligne:
    numero: int
    theme_brut: str
    theme: str | None  # None: empty, unknown or already reported
    code: str
    libelle: str
    description: str
    reserve: bool | None
    code_sous: str
    libelle_sous: str


def read_referential(data: bytes, filename: str) -> FichierReferentiel:
    """Read and validate a referential file; raise `InvalidFile` with every error if there is any."""
    report = Report()
    try:
        table = read_table(data, filename, SHEET, expected=tuple(c.cle for c in COLONNES))
    except InvalidFile:
        raise
    except Exception:  # a user's file must never become a server error; the trace goes to the logs
        logger.exception("referential file %r could not be read", filename)
        raise InvalidFile(["fichier : fichier illisible : enregistrez-le au format XLSX et réessayez"]) from None
    bound = bind(table, FIELDS, report)
    for cle, texte in _ABSENTE.items():
        if not bound.present(cle) and not (cle == "sous_activite" and not bound.present("code_sous_activite")):
            report.file_warning(texte)
    pos = {c.cle: bound.position(c.cle) for c in COLONNES}

    lignes: list[_Ligne] = []
    for row in bound.frame.iter_rows(named=True):
        lignes.append(_lire_ligne(row, pos, report))
    _verifier_activites(lignes, pos, report)
    _verifier_sous_activites(lignes, pos, report)
    report.raise_if_errors()
    return FichierReferentiel(_assembler(lignes), report.warnings)


def _lire_ligne(row: dict, pos: dict[str, int], report: Report) -> _Ligne:
    n = row["ligne"]

    def valeur(cle: str) -> str | None:
        """The cell's text, or None when the cell was already reported (formula without value...)."""
        return None if row[cle + "__f"] else row[cle]

    theme_brut = valeur("theme")
    theme = None
    if theme_brut is not None:
        if not theme_brut:
            report.error(n, pos["theme"], "theme", theme_brut, "thème obligatoire")
        else:
            theme = lire_theme(theme_brut)
            if theme is None:
                report.error(
                    n,
                    pos["theme"],
                    "theme",
                    theme_brut,
                    f"thème inconnu : attendu l'un des codes {THEMES_ATTENDUS} ou le libellé d'un thème",
                )

    code = normaliser_code(valeur("code_activite") or "")
    if valeur("code_activite") is not None:
        regle = regle_code_activite(code, theme)
        if regle:
            report.error(n, pos["code_activite"], "code_activite", code, regle)

    libelle = normaliser_libelle(valeur("activite") or "")
    if valeur("activite") is not None:
        regle = regle_libelle(libelle, "de l'activité")
        if regle:
            report.error(n, pos["activite"], "activite", libelle, regle)

    reserve_brut = valeur("reserve_cdg")
    reserve = lire_oui_non(reserve_brut) if reserve_brut is not None else None
    if reserve_brut is not None and reserve is None:
        report.error(n, pos["reserve_cdg"], "reserve_cdg", reserve_brut, "attendu oui ou non (vide : non)")

    code_sous = normaliser_code(valeur("code_sous_activite") or "")
    libelle_sous = normaliser_libelle(valeur("sous_activite") or "")
    if code_sous or libelle_sous:
        if valeur("code_sous_activite") is not None:
            if not code_sous:
                report.error(
                    n,
                    pos["code_sous_activite"],
                    "code_sous_activite",
                    "",
                    "code obligatoire quand la ligne a une sous-activité",
                )
            else:
                prefixe = code if code and not regle_code_activite(code, None) else None
                regle = regle_code_sous_activite(code_sous, prefixe)
                if regle:
                    report.error(n, pos["code_sous_activite"], "code_sous_activite", code_sous, regle)
        if valeur("sous_activite") is not None:
            regle = (
                "libellé obligatoire quand la ligne a un code de sous-activité"
                if not libelle_sous
                else regle_libelle(libelle_sous, "de la sous-activité")
            )
            if regle:
                report.error(n, pos["sous_activite"], "sous_activite", libelle_sous, regle)

    return _Ligne(
        n,
        theme_brut or "",
        theme,
        code,
        libelle,
        (valeur("description") or "").strip(),
        reserve,
        code_sous,
        libelle_sous,
    )


def _verifier_activites(lignes: list[_Ligne], pos: dict[str, int], report: Report) -> None:
    """The rows of one activity code must describe one activity: one theme, one label, one description
    (a description may be left empty on all rows but one). Reported on each row involved, naming the
    others (docs/contrats §1)."""
    par_code: dict[str, list[_Ligne]] = defaultdict(list)
    for ligne in lignes:
        if ligne.code:
            par_code[ligne.code].append(ligne)
    for code, groupe in par_code.items():
        _conflits(
            groupe,
            lambda l: l.theme,
            "theme",
            lambda l: l.theme_brut,
            pos,
            report,
            lambda autres, code=code: f"l'activité {code} a un autre thème sur {autres} : une activité n'a qu'un thème",
        )
        _conflits(
            groupe,
            lambda l: l.libelle or None,
            "activite",
            lambda l: l.libelle,
            pos,
            report,
            lambda autres, code=code: (
                f"le code {code} désigne une autre activité sur {autres} : "
                "un code d'activité ne désigne qu'une activité"
            ),
        )
        _conflits(
            groupe,
            lambda l: l.description or None,
            "description",
            lambda l: l.description,
            pos,
            report,
            lambda autres, code=code: (
                f"l'activité {code} a une autre description sur {autres} : laissez la "
                "description vide ou identique sur les lignes d'une même activité"
            ),
        )


def _conflits(groupe, cle, colonne, montre, pos, report, regle) -> None:
    valeurs = {cle(l) for l in groupe} - {None}
    if len(valeurs) < 2:
        return
    for ligne in groupe:
        if cle(ligne) is None:
            continue
        autres = [l.numero for l in groupe if cle(l) is not None and cle(l) != cle(ligne)]
        report.error(ligne.numero, pos[colonne], colonne, montre(ligne), regle(row_list(autres)))


def _verifier_sous_activites(lignes: list[_Ligne], pos: dict[str, int], report: Report) -> None:
    """A sub-activity code is used once in the whole referential, and is no activity's code."""
    par_code: dict[str, list[int]] = defaultdict(list)
    for ligne in lignes:
        if ligne.code_sous:
            par_code[ligne.code_sous].append(ligne.numero)
    activites: dict[str, list[int]] = defaultdict(list)
    for ligne in lignes:
        if ligne.code:
            activites[ligne.code].append(ligne.numero)
    colonne = "code_sous_activite"
    for ligne in lignes:
        if not ligne.code_sous:
            continue
        autres = [n for n in par_code[ligne.code_sous] if n != ligne.numero]
        if autres:
            report.error(
                ligne.numero,
                pos[colonne],
                colonne,
                ligne.code_sous,
                f"code de sous-activité déjà utilisé sur {row_list(autres)} : "
                "un code de sous-activité n'apparaît qu'une fois",
            )
        if ligne.code_sous in activites:
            report.error(
                ligne.numero,
                pos[colonne],
                colonne,
                ligne.code_sous,
                f"c'est le code de l'activité de {row_list(activites[ligne.code_sous])} : "
                "un code ne désigne qu'une activité ou qu'une sous-activité",
            )


def _assembler(lignes: list[_Ligne]) -> tuple[Activite, ...]:
    """The activities of a valid file, in the order of their first row; sub-activities in row order."""
    groupes: dict[str, list[_Ligne]] = {}
    for ligne in lignes:
        groupes.setdefault(ligne.code, []).append(ligne)
    activites = []
    for code, groupe in groupes.items():
        premiere = groupe[0]
        sous = tuple(
            SousActivite(l.code_sous, l.libelle_sous, reserve_cdg=bool(l.reserve)) for l in groupe if l.code_sous
        )
        description = next((l.description for l in groupe if l.description), "")
        activite = Activite(
            code=code,
            theme=premiere.theme,
            libelle=premiere.libelle,
            description=description,
            sous_activites=sous,
            reserve_cdg=all(l.reserve for l in groupe),
        )
        activites.append(aligner_reserve(activite))
    return tuple(activites)
