"""What every workbook the application writes carries for printing (issue 11, point 10;
formats/impression.py), read back from the file as a spreadsheet reads it: A4, the expected orientation,
one page wide, the header row repeated, and a footer with the title and « Page N sur M ». Written from the
file formats, not from formats/impression.py, so that a mistake there shows here."""

import io
import zipfile
from xml.etree import ElementTree as ET

from openpyxl import load_workbook

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "loext": "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0",
}


def _a(prefix: str, nom: str) -> str:
    return f"{{{NS[prefix]}}}{nom}"


def verifier_xlsx(data: bytes, titre: str, paysage: set[str], entetes: dict[str, int] | None = None):
    """Every sheet of the XLSX ``data`` prints on A4, one page wide, with row 1 (or ``entetes[sheet]``)
    repeated and ``titre`` in the footer; the visible sheets named in ``paysage`` in landscape, the other
    visible ones in portrait (a hidden sheet's orientation is not checked). Returns the workbook."""
    entetes = entetes or {}
    classeur = load_workbook(io.BytesIO(data))
    assert paysage <= set(classeur.sheetnames), classeur.sheetnames
    for feuille in classeur.worksheets:
        page = feuille.page_setup
        attendue = "landscape" if feuille.title in paysage else "portrait"
        if feuille.sheet_state == "visible":
            assert page.orientation == attendue, feuille.title
        else:
            assert page.orientation in ("portrait", "landscape"), feuille.title
        assert int(page.paperSize) == 9, feuille.title  # A4
        assert feuille.sheet_properties.pageSetUpPr.fitToPage, feuille.title
        assert (page.fitToWidth, page.fitToHeight) == (1, 0), feuille.title
        ligne = entetes.get(feuille.title, 1)
        assert feuille.print_title_rows == f"${ligne}:${ligne}", feuille.title
        assert feuille.oddFooter.left.text == titre.replace("&", "&&"), feuille.title
        assert feuille.oddFooter.right.text == "Page &P sur &N", feuille.title
    return classeur


def verifier_ods(data: bytes, titre: str, paysage: set[str]) -> dict[str, list[str]]:
    """The same for the ODS ``data``: each table's style names a master page whose page layout is A4 in
    the expected orientation, scaled to one page wide, with a footer (title left, page number and count
    right); the table's first row sits in ``table:table-header-rows``. Returns each table's header texts."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        contenu = ET.fromstring(archive.read("content.xml"))
        styles = ET.fromstring(archive.read("styles.xml"))
    styles_tables = {s.get(_a("style", "name")): s for s in contenu.iter(_a("style", "style"))}
    maitres = {m.get(_a("style", "name")): m for m in styles.iter(_a("style", "master-page"))}
    dispositions = {p.get(_a("style", "name")): p for p in styles.iter(_a("style", "page-layout"))}
    tables = list(contenu.iter(_a("table", "table")))
    noms = {t.get(_a("table", "name")) for t in tables}
    assert paysage <= noms, noms
    en_tetes = {}
    for table in tables:
        nom = table.get(_a("table", "name"))
        style = styles_tables[table.get(_a("table", "style-name"))]
        affichage = style.find("style:table-properties", NS)
        visible = affichage is None or affichage.get(_a("table", "display")) != "false"
        maitre = maitres[style.get(_a("style", "master-page-name"))]
        disposition = dispositions[maitre.get(_a("style", "page-layout-name"))]
        proprietes = disposition.find("style:page-layout-properties", NS)
        orientation = proprietes.get(_a("style", "print-orientation"))
        if visible:
            assert orientation == ("landscape" if nom in paysage else "portrait"), nom
        dimensions = (proprietes.get(_a("fo", "page-width")), proprietes.get(_a("fo", "page-height")))
        assert dimensions == (("29.7cm", "21cm") if orientation == "landscape" else ("21cm", "29.7cm")), nom
        echelle = [proprietes.get(_a(ns, a)) for ns in ("loext", "style") for a in ("scale-to-X", "scale-to-Y")]
        assert echelle[:2] == ["1", "0"] or echelle[2:] == ["1", "0"], (nom, echelle)
        assert disposition.find("style:footer-style", NS) is not None, nom  # else LibreOffice prints none
        pied = maitre.find("style:footer", NS)
        assert "".join(pied.find("style:region-left", NS).itertext()) == titre, nom
        droite = pied.find("style:region-right", NS)
        assert droite.find(".//text:page-number", NS) is not None and droite.find(".//text:page-count", NS) is not None
        assert "".join(droite.itertext()) == "Page 1 sur 1", nom  # the fields' placeholders
        lignes = [e for e in table if e.tag in (_a("table", "table-row"), _a("table", "table-header-rows"))]
        assert lignes[0].tag == _a("table", "table-header-rows"), nom
        repetees = lignes[0].findall("table:table-row", NS)
        assert len(repetees) == 1, nom
        en_tetes[nom] = ["".join(c.itertext()) for c in repetees[0].findall("table:table-cell", NS)]
    return en_tetes
