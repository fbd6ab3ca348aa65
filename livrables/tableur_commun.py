"""What the spreadsheet round trips of the three deliverables share (issue 4, point 5): writing the
workbook (XLSX with openpyxl, ODS with odfpy), the hidden meta sheet, reading a filled workbook back
(formats.tabular.read_table) and the cell-by-cell three-way merge with its conflicts.

A deliverable describes its workbook with a `Disposition` (its columns in French, which cells a user may
change, the values the merge compares) and builds an `Export` of `RangExport`s; reading back gives
`RangImport`s (what was exported, what the file says), and `fusionner` merges them with the rows in the
app now. livrables/tableur.py (GT1), tableur_gt2.py and tableur_gt3.py hold what is particular to each.

Layout of every export: one data sheet named after the theme, header on row 1 (bold, frozen, with
filters), the first column hidden (the row's identifier), cells that must not change locked in a
protected sheet (no password: it guards against slips); blank unlocked rows below the data for additions;
a hidden sheet `_mutualis` with `type | cle | valeur | identifiant | activite | version | <champs>`:
« meta » rows (format, schéma, deliverable, commune, export time…) and one « ligne » row per exported row
(its identifier, activity, version and the canonical values exported).

Conflicts are decided on values, not on row versions: a restored version of the deliverable gives rows a
version unrelated to the export's, while the values exported, in the app and in the file always tell
who changed what. The row versions stay in the meta sheet for information."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from formats.errors import InvalidFile, Report
from formats.tabular import ODS, XLSX, _sniff, column_letter, normalize_header, read_table

FEUILLE_META = "_mutualis"
LIGNES_AJOUT = 30
# What makes a spreadsheet take typed text for a formula (Excel also reads « + », « - » and « @ » so).
DEBUTS_FORMULE = ("=", "+", "-", "@")


# --- the layout of a deliverable's workbook ------------------------------------------------------------


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


# --- export -------------------------------------------------------------------------------------------


@dataclass
class RangExport:
    identifiant: str
    activite: str  # the activity's code (meta sheet)
    version: int
    valeurs: dict[str, str]  # canonical values of the disposition's `champs`
    cellules: dict[str, object]  # what the data sheet shows, by column key (None: empty)
    verrous: frozenset[str] = frozenset()  # editable columns locked on this row (a right the exporter lacks)


@dataclass
class Export:
    feuille: str
    meta: list[tuple[str, str]]
    rangs: list[RangExport]


def export_du_groupe(format_: str, version: str, groupe, livrable, commune: str, quand, rangs) -> Export:
    """A deliverable's workbook: one sheet named after the group, the meta rows a re-import checks (format,
    schéma, deliverable and its version, theme, commune or exporter's organisation, export time)."""
    meta = [
        ("format", format_),
        ("format_version", version),
        ("schema", str(groupe.schema_id)),
        ("livrable", str(livrable.pk)),
        ("livrable_version", str(livrable.version)),
        ("theme", groupe.theme),
        ("commune", commune),
        ("exporte_le", quand.isoformat()),
    ]
    return Export(feuille=nom_feuille(str(groupe.libelle)), meta=meta, rangs=rangs)


def _meta_lignes(d: Disposition, export: Export) -> list[list]:
    blancs = [""] * (3 + len(d.champs))
    lignes = [d.meta_en_tetes]
    lignes += [["meta", k, v, *blancs] for k, v in export.meta]
    lignes += [
        ["ligne", "", "", r.identifiant, r.activite, str(r.version), *(r.valeurs[c] for c in d.champs)]
        for r in export.rangs
    ]
    return lignes


def _en_texte(cell) -> None:
    """Keep a text a text. openpyxl writes any str beginning with « = » as a formula: a user's text (a
    member's AFOR item) would run as a live formula in the reader's Excel, and the untouched export would
    not re-import (a formula without cached value is refused). The quote prefix keeps Excel from turning
    the text into a formula when the cell is edited. ODS cells are typed as strings already."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(DEBUTS_FORMULE):
            cell.quotePrefix = True


def _libre(col: Colonne, rang: RangExport | None) -> bool:
    if rang is None:  # a blank row for additions
        return col.editable or col.ajout
    return col.editable and col.cle not in rang.verrous


def exporter_xlsx(d: Disposition, export: Export) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = export.feuille
    ws.append(d.en_tetes)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for rang in export.rangs:
        ws.append([rang.cellules.get(c.cle) for c in d.colonnes])
    dernier = len(export.rangs) + 1
    fin = dernier + d.lignes_ajout
    for cell in ws[1]:
        _en_texte(cell)
    for row in ws.iter_rows(min_row=2, max_row=fin, max_col=len(d.colonnes)):
        for col, cell in zip(d.colonnes, row, strict=True):
            _en_texte(cell)
            rang = export.rangs[cell.row - 2] if cell.row <= dernier else None
            cell.protection = Protection(locked=not _libre(col, rang))
            if col.long:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if col.format_nombre:
                cell.number_format = col.format_nombre
    lettres = {c.cle: column_letter(i) for i, c in enumerate(d.colonnes)}
    for c in d.colonnes:
        ws.column_dimensions[lettres[c.cle]].width = c.largeur
        ws.column_dimensions[lettres[c.cle]].hidden = c.cachee
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{column_letter(len(d.colonnes) - 1)}{dernier}"
    for ctl in d.controles:
        if ctl.type == "list":
            dv = DataValidation(type="list", formula1=ctl.formule, allow_blank=True)
        else:
            dv = DataValidation(type=ctl.type, operator="greaterThanOrEqual", formula1=ctl.formule, allow_blank=True)
        dv.showErrorMessage, dv.errorTitle, dv.error = True, ctl.titre, ctl.message
        dv.add(f"{lettres[ctl.cle]}2:{lettres[ctl.cle]}{fin}")
        ws.add_data_validation(dv)
    # No password: the protection guards against slips, not against the commune (it may unprotect).
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    meta = wb.create_sheet(FEUILLE_META)
    for ligne in _meta_lignes(d, export):
        meta.append(ligne)
        for cell in meta[meta.max_row]:
            _en_texte(cell)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _ods_adresse(feuille: str, fin_colonne: int, fin_ligne: int) -> str:
    nom = "'" + feuille.replace("'", "''") + "'"
    return f"{nom}.A1:{nom}.{column_letter(fin_colonne)}{fin_ligne}"


def _ods_figer_en_tete(doc, feuille: str) -> None:
    """LibreOffice's view settings freezing row 1 of the data sheet (what « Figer la première ligne » writes)."""
    from odf.config import ConfigItem, ConfigItemMapEntry, ConfigItemMapIndexed, ConfigItemMapNamed, ConfigItemSet

    def item(nom, type_, valeur):
        i = ConfigItem(name=nom, type=type_)
        i.addText(str(valeur))
        return i

    reglages = ConfigItemSet(name="ooo:view-settings")
    vues = ConfigItemMapIndexed(name="Views")
    vue = ConfigItemMapEntry()
    vue.addElement(item("ViewId", "string", "view1"))
    tables = ConfigItemMapNamed(name="Tables")
    table = ConfigItemMapEntry(name=feuille)
    for nom, type_, valeur in (
        ("HorizontalSplitMode", "short", 0),
        ("VerticalSplitMode", "short", 2),
        ("HorizontalSplitPosition", "int", 0),
        ("VerticalSplitPosition", "int", 1),
        ("ActiveSplitRange", "short", 2),
        ("PositionLeft", "int", 0),
        ("PositionRight", "int", 0),
        ("PositionTop", "int", 0),
        ("PositionBottom", "int", 1),
    ):
        table.addElement(item(nom, type_, valeur))
    tables.addElement(table)
    vue.addElement(tables)
    vue.addElement(item("ActiveTable", "string", feuille))
    vues.addElement(vue)
    reglages.addElement(vues)
    doc.settings.addElement(reglages)


def exporter_ods(d: Disposition, export: Export) -> bytes:
    """The same workbook in ODS: header frozen (view settings), filter buttons (an anonymous database
    range), sheet protected with the editable cells unprotected (style:cell-protect), column A hidden.
    No drop-down lists: the import validates every cell anyway."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableCellProperties, TableColumnProperties, TableProperties, TextProperties
    from odf.table import DatabaseRange, DatabaseRanges, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()

    def style(nom, famille, *proprietes):
        s = Style(name=nom, family=famille)
        for p in proprietes:
            s.addElement(p)
        doc.automaticstyles.addElement(s)
        return s

    entete = style(
        "entete", "table-cell", TextProperties(fontweight="bold"), TableCellProperties(cellprotect="protected")
    )
    verrouillee = style(
        "verrouillee",
        "table-cell",
        TableCellProperties(cellprotect="protected", wrapoption="wrap", verticalalign="top"),
    )
    libre = style(
        "libre", "table-cell", TableCellProperties(cellprotect="none", wrapoption="wrap", verticalalign="top")
    )
    invisible = style("tablecachee", "table", TableProperties(display=False))
    largeurs = {}

    def style_colonne(largeur):
        cm = f"{round(largeur * 0.2, 1)}cm"
        if cm not in largeurs:
            largeurs[cm] = style(f"col{len(largeurs)}", "table-column", TableColumnProperties(columnwidth=cm))
        return largeurs[cm]

    def cellule(valeur, style_=None):
        attrs = {"stylename": style_} if style_ is not None else {}
        if valeur is None or valeur == "":
            return TableCell(**attrs)
        if isinstance(valeur, (Decimal, int, float)) and not isinstance(valeur, bool):
            c = TableCell(valuetype="float", value=str(valeur), **attrs)
            c.addElement(P(text=str(valeur).replace(".", ",")))
            return c
        c = TableCell(valuetype="string", **attrs)
        for morceau in str(valeur).split("\n"):
            c.addElement(P(text=morceau))
        return c

    feuille = Table(name=export.feuille, protected=True)
    for col in d.colonnes:
        attrs = {"visibility": "collapse"} if col.cachee else {}
        feuille.addElement(TableColumn(stylename=style_colonne(col.largeur), **attrs))
    tr = TableRow()
    for t in d.en_tetes:
        tr.addElement(cellule(t, entete))
    feuille.addElement(tr)
    for rang in [*export.rangs, *([None] * d.lignes_ajout)]:
        tr = TableRow()
        for col in d.colonnes:
            valeur = rang.cellules.get(col.cle) if rang is not None else None
            tr.addElement(cellule(valeur, libre if _libre(col, rang) else verrouillee))
        feuille.addElement(tr)
    doc.spreadsheet.addElement(feuille)

    meta = Table(name=FEUILLE_META, stylename=invisible, protected=True)
    for ligne in _meta_lignes(d, export):
        tr = TableRow()
        for valeur in ligne:
            tr.addElement(cellule(valeur))
        meta.addElement(tr)
    doc.spreadsheet.addElement(meta)
    plages = DatabaseRanges()
    plages.addElement(
        DatabaseRange(
            name="__Anonymous_Sheet_DB__0",
            displayfilterbuttons=True,
            targetrangeaddress=_ods_adresse(export.feuille, len(d.colonnes) - 1, len(export.rangs) + 1),
        )
    )
    doc.spreadsheet.addElement(plages)
    _ods_figer_en_tete(doc, export.feuille)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


# --- import: reading ----------------------------------------------------------------------------------


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


@dataclass
class Import:
    livrable: int
    commune: str
    exporte_le: str
    rangs: list[RangImport] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)


def verifier_classeur(data: bytes) -> None:
    if _sniff(data) not in (XLSX, ODS):
        raise InvalidFile(["fichier : importez le classeur XLSX ou ODS exporté par Mutualis"])


def lire_meta(d: Disposition, data: bytes, nom: str) -> tuple[dict[str, str], dict[str, dict]]:
    """({key: value} of the meta rows, {identifier: {activite, version, valeurs}} of the exported rows)."""
    verifier_classeur(data)
    try:
        table = read_table(data, nom, FEUILLE_META)
    except InvalidFile:
        table = None
    if table is None or normalize_header(table.sheet or "") != normalize_header(FEUILLE_META):
        raise InvalidFile(
            [
                f"fichier : la feuille cachée « _mutualis » manque : ce fichier n'a pas été exporté "
                f"par Mutualis (exportez {d.nom} puis remplissez ce fichier)"
            ]
        )
    pos = {normalize_header(h): i for i, h in enumerate(table.headers)}
    modifiee = InvalidFile(
        ["fichier : la feuille cachée « _mutualis » a été modifiée : exportez de nouveau le fichier"]
    )
    if any(k not in pos for k in ("type", "cle", "valeur")):
        raise modifiee
    rows = list(table.frame.iter_rows(named=True))

    def v(row, k):
        texte = row[table.column(pos[k])] or ""
        return texte if k in d.champs else texte.strip()

    meta = {v(row, "cle"): v(row, "valeur") for row in rows if v(row, "type") == "meta"}
    # The format first: another deliverable's export has other columns.
    if meta.get("format") != d.format:
        raise InvalidFile([f"fichier : la feuille cachée « _mutualis » ne décrit pas {d.decrit}"])
    if any(k not in pos for k in d.meta_en_tetes):
        raise modifiee
    lignes = {}
    for row in rows:
        if v(row, "type") == "ligne":
            try:
                version = int(float(v(row, "version") or 0))
            except ValueError:
                version = 0
            lignes[v(row, "identifiant")] = {
                "activite": v(row, "activite"),
                "version": version,
                "valeurs": {c: d.canon_meta(c, v(row, c)) for c in d.champs},
            }
    return meta, lignes


class Feuille:
    """The data sheet of a filled workbook: its rows, each cell by column key."""

    def __init__(self, d: Disposition, data: bytes, nom: str, feuille: str):
        self.d = d
        table = read_table(data, nom, feuille)
        if normalize_header(table.sheet or "") == normalize_header(FEUILLE_META):
            raise InvalidFile([f"fichier : la feuille de {d.nom} manque"])
        positions = {}
        for i, h in enumerate(table.headers):
            positions.setdefault(normalize_header(h), i)
        manquantes = [c.titre for c in d.colonnes if c.requise and normalize_header(c.titre) not in positions]
        if manquantes:
            s = "s" if len(manquantes) > 1 else ""
            raise InvalidFile([f"fichier : colonne{s} manquante{s} : {', '.join('« ' + m + ' »' for m in manquantes)}"])
        self.table = table
        self.pos = {c.cle: positions.get(normalize_header(c.titre)) for c in d.colonnes}
        self.titres = {c.cle: c.titre for c in d.colonnes}

    def lignes(self):
        for row in self.table.frame.iter_rows(named=True):
            yield LigneLue(self, row)


class LigneLue:
    def __init__(self, feuille: Feuille, row: dict):
        self.feuille, self.row, self.numero = feuille, row, row["ligne"]

    def __call__(self, cle: str) -> str:
        p = self.feuille.pos[cle]
        return (self.row[self.feuille.table.column(p)] or "") if p is not None else ""

    def numerique(self, cle: str) -> bool:
        p = self.feuille.pos[cle]
        col = self.feuille.table.numeric_column(p) if p is not None else None
        return bool(col and col in self.row and self.row[col])

    def position(self, cle: str) -> int:
        return self.feuille.pos[cle] if self.feuille.pos[cle] is not None else 0

    def erreur(self, report: Report, cle: str, valeur, regle: str, colonne: str | None = None) -> None:
        """« ligne N : <column> « <value> » : <rule> »."""
        report.error(self.numero, self.position(cle), colonne or self.feuille.titres[cle], valeur, regle)

    def signaler_cellules(self, report: Report, cles) -> bool:
        """Report formulas without a value, error cells, dates and booleans in these columns; True if any."""
        trouve = False
        for k in cles:
            p = self.feuille.pos[k]
            issue = self.feuille.table.issues.get(p, {}).get(self.numero) if p is not None else None
            if issue is not None:
                trouve = True
                report.error(
                    self.numero,
                    p,
                    self.feuille.titres[k],
                    issue.shown,
                    "une formule sans valeur ou une erreur : saisissez une valeur"
                    if issue.kind in ("formule", "erreur")
                    else "saisissez du texte ou un nombre",
                )
        return trouve

    def identifiant_inconnu(self, report: Report, ident: str, ajout: str) -> None:
        self.erreur(
            report,
            "identifiant",
            ident,
            f"identifiant inconnu : ne modifiez pas la colonne cachée A (laissez-la vide pour {ajout})",
        )

    def rang_exporte(
        self,
        report: Report,
        ident: str,
        meta_lignes: dict,
        vus: dict[str, int],
        prefixe: str,
        codes,
        ajout: str,
        nom: str,
    ) -> dict | None:
        """The hidden sheet's record of an exported row (its activity, version and exported values), or None
        with the error reported: an identifier this file did not export, or a row copied twice."""
        info = meta_lignes.get(ident)
        if info is None or not ident.startswith(prefixe) or info["activite"] not in codes:
            self.identifiant_inconnu(report, ident, ajout)
            return None
        if ident in vus:
            self.erreur(
                report,
                "identifiant",
                ident,
                f"{nom} déjà à la ligne {vus[ident]} du fichier : ne copiez "
                "pas une ligne, ajoutez-la sur une ligne vide",
            )
            return None
        vus[ident] = self.numero
        return info


def entier(texte: str, numerique: bool) -> str:
    """A whole number as written: « 3 », « 3.0 » (a numeric cell) → « 3 »; anything else unchanged."""
    t = texte.strip()
    if numerique:
        try:
            f = float(t)
        except ValueError:
            return t
        if f.is_integer():
            return str(int(f))
    return t


def textes_lignes(texte: str) -> str:
    """A multi-line text as compared: each line trimmed, blank lines dropped."""
    return "\n".join(l.strip() for l in (texte or "").splitlines() if l.strip())


def texte_normalise(texte: str) -> str:
    """A free text as compared: trimmed, its line breaks as « \n » (a browser's textarea sends « \r\n »,
    a spreadsheet cell « \n »: the same text must not look changed)."""
    return (texte or "").replace("\r\n", "\n").replace("\r", "\n").strip()


# --- import: the merge --------------------------------------------------------------------------------


@dataclass
class Conflit:
    ligne: int
    rang: str  # the row's key
    libelle: str  # the row as the conflict page names it
    champ: str
    colonne: str
    exporte: str
    application: str
    fichier: str
    affichees: tuple[str, str, str] = ("", "", "")
    # The app value changed since the conflict page showed this cell: the choice made there is void.
    nouvelle_valeur: bool = False

    @property
    def cle(self) -> str:
        return f"{self.rang}|{self.champ}"

    @property
    def activite_code(self) -> str:
        return self.libelle

    def valeurs_affichees(self):
        return self.affichees


@dataclass
class Fusion:
    valeurs: dict[str, dict[str, str]]  # row key -> final canonical values (only rows that change)
    conflits: list[Conflit]  # every conflicting cell (resolved or not)
    non_resolus: list[Conflit]
    erreurs: list[str]
    avertissements: list[str] = field(default_factory=list)  # rows left out, said after the import

    def montres(self) -> dict[str, str]:
        """{conflict key: app value} as the conflict page shows them: carried by the page's token, so that a
        choice is applied only to the value the user saw (`fusionner`'s `montres`)."""
        return {c.cle: c.application for c in self.conflits}


def fusionner(
    d: Disposition,
    rangs: list[RangImport],
    actuelles: dict[str, tuple[int, dict[str, str]]],
    choix: dict[str, str] | None = None,
    libelle: Callable[[RangImport], str] | None = None,
    montres: dict[str, str] | None = None,
) -> Fusion:
    """Merge the file cell by cell. `actuelles` is {row key: (stored version, canonical values)} of the
    rows in the app now (a key absent: a row not in the app, e.g. an addition); `choix` is
    {conflict key: "application" | "fichier"} and `montres` {conflict key: app value} as the conflict
    page showed them.

    With f the file's value, e the exported one and a the app's: a cell the file did not change (f = e)
    or changed to the app's value (f = a) keeps the app's value; a cell the file changed takes the
    file's value, unless the app changed it too since the export (a ≠ e): then it is a conflict, never
    silently overwritten. Values decide, not row versions (a restored version brings back older values
    with any version). A conflict is settled by its choice only if the app value is still the one shown
    with it: a choice is never applied to a value the user did not see."""
    choix, montres = choix or {}, montres or {}
    libelle = libelle or (lambda r: r.activite_code or r.cle)
    valeurs, conflits, non_resolus, erreurs = {}, [], [], []
    for r in rangs:
        _, app = actuelles.get(r.cle, (0, d.vide))
        final = dict(app)
        for champ in d.champs:
            f, e, a = r.fichier[champ], r.exporte[champ], app[champ]
            if f in (e, a):
                continue
            if a != e:
                c = Conflit(
                    r.ligne,
                    r.cle,
                    libelle(r),
                    champ,
                    d.libelles[champ],
                    e,
                    a,
                    f,
                    (d.affiche(champ, e), d.affiche(champ, a), d.affiche(champ, f)),
                )
                conflits.append(c)
                vu = c.cle in montres and montres[c.cle] == a
                c.nouvelle_valeur = c.cle in montres and not vu
                decision = choix.get(c.cle) if vu else None
                if decision == "fichier":
                    final[champ] = f
                elif decision != "application":
                    non_resolus.append(c)
                continue
            final[champ] = f
        if d.verifier is not None:
            erreurs += d.verifier(r, final)
        if final != app or r.est_ajout:
            valeurs[r.cle] = final
    return Fusion(valeurs, conflits, non_resolus, erreurs)


def ecarter_doublons(
    rangs: list[RangImport], existantes, signature: Callable[[RangImport], object]
) -> tuple[list[RangImport], list[str]]:
    """Additions identical to a row already in the app (or to an earlier row of the file) are left out,
    with a message: importing the same filled file twice, e.g. after fixing a typo in it, must not add
    its rows twice. `existantes` are the signatures of the rows in the app (`signature` of an addition)."""
    vues = set(existantes)
    gardes, messages = [], []
    for r in rangs:
        if r.est_ajout:
            cle = signature(r)
            if cle in vues:
                messages.append(f"ligne {r.ligne} : déjà présente, ignorée")
                continue
            vues.add(cle)
        gardes.append(r)
    return gardes, messages


def activites_disparues(rangs: list[RangImport], fusion: Fusion, codes) -> list[str]:
    """Rows to write whose activity left the theme's referential since the file was read (a conflict page
    answered later): their values have nowhere to go."""
    return [
        f"ligne {r.ligne} : l'activité « {r.activite_code} » n'est plus dans le référentiel de ce thème : "
        f"réimportez le fichier"
        for r in rangs
        if r.cle in fusion.valeurs and r.activite_code not in codes
    ]


def ecarter_disparus(
    d: Disposition, rangs: list[RangImport], actuelles: dict, regle: str
) -> tuple[list[RangImport], list[str]]:
    """Rows exported but gone from the app since (deleted, merged): left out when the file did not change
    them, an error when it did (the change has nowhere to go; `regle` says what to do)."""
    gardes, erreurs = [], []
    for r in rangs:
        if r.est_ajout or r.cle in actuelles:
            gardes.append(r)
        elif r.fichier != r.exporte:
            champ = next(c for c in d.champs if r.fichier[c] != r.exporte[c])
            erreurs.append(f"ligne {r.ligne} : {d.libelles[champ]} « {d.affiche(champ, r.fichier[champ])} » : {regle}")
    return gardes, erreurs


class Referentiel:
    """The theme's activities, matched by code or label (normalised) on an added row."""

    def __init__(self, activites):
        self.par_code = {normalize_header(a.code): a for a in activites}
        self.par_libelle = {normalize_header(a.libelle): a for a in activites}
        self.codes = {a.code for a in activites}

    def trouver(self, cell: LigneLue, report: Report):
        code, libelle = cell("code").strip(), cell("activite").strip()
        activite = self.par_code.get(normalize_header(code)) if code else None
        if activite is None and libelle:
            activite = self.par_libelle.get(normalize_header(libelle))
        if activite is None:
            cle, shown = ("code", code) if code else ("activite", libelle)
            cell.erreur(
                report,
                cle,
                shown,
                "activité inconnue du référentiel de ce thème : écrivez le code "
                "ou l'intitulé d'une activité du référentiel",
            )
        return activite


def erreurs_formulaire(cell: LigneLue, report: Report, form, colonnes: dict[str, str], valeurs: dict[str, str]):
    """A web form's errors (the same rules as the pages) as row errors: field → column key."""
    for champ, messages in form.errors.items():
        cle = colonnes.get(champ) or next(iter(colonnes.values()))
        for m in messages:
            cell.erreur(report, cle, valeurs.get(cle, cell(cle)), m.rstrip("."))
