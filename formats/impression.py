"""How every workbook the application writes prints (issue 11, point 10): A4, landscape when the sheet is
wide, scaled to one page wide (as many pages down as needed), the table's header row repeated on every
page, and a footer with the document's title on the left and « Page N sur M » on the right.

One rule, two writers: `mettre_en_page_xlsx` for an openpyxl workbook, `mettre_en_page_ods` for an odfpy
spreadsheet. Each is called on the finished workbook, just before it is saved, and sets up every sheet
(hidden ones too: a user may show them). Each library is imported inside the function that uses it.

Wide means: the visible columns, side by side, are wider than the printable width of a portrait A4 page
with the spreadsheets' usual 2 cm margins (17 cm). Counting columns would misjudge the exports: the GT2
grid has five visible columns, but one of them is 70 characters wide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# An Excel column width unit (one character of the default font), in cm; the ODS exports use the same
# factor (livrables/tableur/ecriture.py).
CM_PAR_CARACTERE = 0.2
LARGEUR_PORTRAIT_CM = 17.0  # A4 (21 cm) less two margins of 2 cm
LARGEUR_EXCEL_DEFAUT = 8.43  # a column whose width was never set, in characters
LARGEUR_ODS_DEFAUT_CM = 2.258  # the same in LibreOffice Calc
PAGE = "Page &P sur &N"  # XLSX footer codes: &P this page, &N the number of pages
# Excel refuses a workbook whose header or footer passes 255 characters (codes included).
TITRE_MAX = 200


def paysage(largeurs_cm: Iterable[float]) -> bool:
    """Whether a sheet whose visible columns have these widths prints in landscape."""
    return sum(largeurs_cm) > LARGEUR_PORTRAIT_CM


def titre_du_pied(titre: str) -> str:
    titre = " ".join(titre.split())
    return titre if len(titre) <= TITRE_MAX else titre[: TITRE_MAX - 1].rstrip() + "…"


# --- XLSX -------------------------------------------------------------------------------------------------


def mettre_en_page_xlsx(classeur, titre: str, entetes: Mapping[str, int] | None = None) -> None:
    """Set up the printing of every sheet of an openpyxl workbook. ``entetes``: the header row of a
    sheet's table, by sheet name, when it is not row 1 (the rows above it are not repeated)."""
    from openpyxl.utils import get_column_letter

    entetes = entetes or {}
    gauche = titre_du_pied(titre).replace("&", "&&")  # « & » starts a code in a footer
    for feuille in classeur.worksheets:
        largeurs = []
        for position in range(1, feuille.max_column + 1):
            dimension = feuille.column_dimensions.get(get_column_letter(position))
            if dimension is None or not dimension.hidden:
                largeur = dimension.width if dimension is not None and dimension.width else None
                largeurs.append((largeur or LARGEUR_EXCEL_DEFAUT) * CM_PAR_CARACTERE)
        mise_en_page = feuille.page_setup
        mise_en_page.paperSize = feuille.PAPERSIZE_A4
        mise_en_page.orientation = feuille.ORIENTATION_LANDSCAPE if paysage(largeurs) else feuille.ORIENTATION_PORTRAIT
        mise_en_page.fitToWidth = 1
        mise_en_page.fitToHeight = 0  # as many pages down as the rows need
        feuille.sheet_properties.pageSetUpPr.fitToPage = True
        entete = entetes.get(feuille.title, 1)
        feuille.print_title_rows = f"{entete}:{entete}"
        feuille.oddFooter.left.text = gauche
        feuille.oddFooter.right.text = PAGE


# --- ODS --------------------------------------------------------------------------------------------------

_LONGUEUR = re.compile(r"^\s*([0-9.]+)\s*(cm|mm|in|pt)\s*$")
_EN_CM = {"cm": 1.0, "mm": 0.1, "in": 2.54, "pt": 2.54 / 72}


def _cm(longueur: str | None) -> float | None:
    m = _LONGUEUR.match(longueur or "")
    return float(m.group(1)) * _EN_CM[m.group(2)] if m else None


def mettre_en_page_ods(doc, titre: str, entetes: Mapping[str, int] | None = None) -> None:
    """Set up the printing of every sheet of an odfpy spreadsheet: a master page per orientation (A4,
    scaled to one page wide, the footer) named by each table's style, and the header row (row
    ``entetes[name]``, default 1) moved into ``table:table-header-rows``, which is repeated on every page."""
    from odf.namespaces import LOEXTNS, TABLENS
    from odf.style import (
        Footer,
        FooterStyle,
        HeaderFooterProperties,
        MasterPage,
        PageLayout,
        PageLayoutProperties,
        RegionLeft,
        RegionRight,
        Style,
        TableColumnProperties,
        TableProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import P, PageCount, PageNumber

    entetes = entetes or {}
    styles = {s.getAttribute("name"): s for s in doc.automaticstyles.childNodes if s.qname[1] == "style"}
    pages: dict[bool, str] = {}

    def page(en_paysage: bool) -> str:
        if en_paysage not in pages:
            nom = "Mutualis-paysage" if en_paysage else "Mutualis-portrait"
            largeur, hauteur = ("29.7cm", "21cm") if en_paysage else ("21cm", "29.7cm")
            disposition = PageLayout(name=f"{nom}-pl")
            disposition.addElement(
                PageLayoutProperties(
                    pagewidth=largeur,
                    pageheight=hauteur,
                    printorientation="landscape" if en_paysage else "portrait",
                    qattributes={(LOEXTNS, "scale-to-X"): "1", (LOEXTNS, "scale-to-Y"): "0"},
                )
            )
            # LibreOffice prints no footer unless the page layout gives it a style.
            style_du_pied = FooterStyle()
            style_du_pied.addElement(HeaderFooterProperties(minheight="0.6cm", margintop="0.25cm"))
            disposition.addElement(style_du_pied)
            doc.automaticstyles.addElement(disposition)
            maitre = MasterPage(name=nom, pagelayoutname=disposition)
            pied = Footer()
            gauche, droite = RegionLeft(), RegionRight()
            gauche.addElement(P(text=titre_du_pied(titre)))
            numero = P(text="Page ")
            numero.addElement(PageNumber(selectpage="current", text="1"))
            numero.addText(" sur ")
            numero.addElement(PageCount(text="1"))
            droite.addElement(numero)
            pied.addElement(gauche)
            pied.addElement(droite)
            maitre.addElement(pied)
            doc.masterstyles.addElement(maitre)
            pages[en_paysage] = nom
        return pages[en_paysage]

    for table in doc.spreadsheet.getElementsByType(Table):
        largeurs = []
        for colonne in table.getElementsByType(TableColumn):
            if colonne.getAttribute("visibility") == "collapse":
                continue
            style = styles.get(colonne.getAttribute("stylename"))
            proprietes = style.getElementsByType(TableColumnProperties) if style is not None else []
            largeur = _cm(proprietes[0].getAttribute("columnwidth")) if proprietes else None
            repete = int(colonne.getAttribute("numbercolumnsrepeated") or 1)
            largeurs += [largeur or LARGEUR_ODS_DEFAUT_CM] * repete
        if not table.getElementsByType(TableColumn):  # no column declared: as many as the widest row's cells
            cellules = max(
                (
                    sum(int(c.getAttribute("numbercolumnsrepeated") or 1) for c in r.getElementsByType(TableCell))
                    for r in table.getElementsByType(TableRow)
                ),
                default=0,
            )
            largeurs = [LARGEUR_ODS_DEFAUT_CM] * cellules
        maitre = page(paysage(largeurs))
        # A table names its master page through its style: a table without one gets the style of its
        # orientation (one per orientation, shared); a table's own style gets the master page.
        if not table.getAttribute("stylename"):
            nom = f"impression-{maitre}"
            if nom not in styles:
                styles[nom] = Style(name=nom, family="table")
                styles[nom].addElement(TableProperties(display=True))
                doc.automaticstyles.addElement(styles[nom])
            table.setAttribute("stylename", styles[nom])
        styles[table.getAttribute("stylename")].setAttribute("masterpagename", maitre)

        lignes = [n for n in table.childNodes if n.qname == (TABLENS, "table-row")]
        entete = entetes.get(table.getAttribute("name"), 1)
        if len(lignes) >= entete:
            repetee = TableHeaderRows()
            table.insertBefore(repetee, lignes[entete - 1])
            table.removeChild(lignes[entete - 1])
            repetee.appendChild(lignes[entete - 1])
