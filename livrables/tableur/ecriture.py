"""Writing a deliverable's workbook (livrables/tableur/disposition.py): XLSX with openpyxl, ODS with
odfpy, the data sheet and the hidden meta sheet. A deliverable builds an `Export` of `RangExport`s (what
each row shows, and the canonical values recorded for the merge of a later re-import)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from formats.ecriture import en_texte
from formats.impression import mettre_en_page_ods, mettre_en_page_xlsx
from formats.tabular import column_letter
from livrables.tableur.disposition import FEUILLE_META, Colonne, Disposition, nom_feuille


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
    titre: str  # the printed pages' footer (formats/impression.py)


def export_du_groupe(
    format_: str, version: str, groupe, livrable, commune: str, quand, rangs, pour: str = ""
) -> Export:
    """A deliverable's workbook: one sheet named after the group, the meta rows a re-import checks (format,
    schéma, deliverable and its version, theme, commune or exporter's organisation, export time), and the
    title its printed pages carry (« GT1 – liste des activités par domaine – Ressources humaines »,
    followed by ``pour``, the commune of a GT1 list)."""
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
    titre = " – ".join(t for t in (str(livrable), pour) if t)
    return Export(feuille=nom_feuille(str(groupe.libelle)), meta=meta, rangs=rangs, titre=titre)


def _meta_lignes(d: Disposition, export: Export) -> list[list]:
    blancs = [""] * (3 + len(d.champs))
    lignes = [d.meta_en_tetes]
    lignes += [["meta", k, v, *blancs] for k, v in export.meta]
    lignes += [
        ["ligne", "", "", r.identifiant, r.activite, str(r.version), *(r.valeurs[c] for c in d.champs)]
        for r in export.rangs
    ]
    return lignes


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
        en_texte(cell)
    for row in ws.iter_rows(min_row=2, max_row=fin, max_col=len(d.colonnes)):
        for col, cell in zip(d.colonnes, row, strict=True):
            en_texte(cell)
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
            en_texte(cell)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    mettre_en_page_xlsx(wb, export.titre)
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
    mettre_en_page_ods(doc, export.titre)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()
