"""The office files of a mandate letter (DOCX with python-docx, ODT with odfpy), for those who edit the
letter afterwards (STYLE.md point 13). No Django import: the writers take a `MiseEnPage`, the same
plain value the PDF template is rendered from (documents/rendu.py)."""

import io
from dataclasses import dataclass, field

from documents.lettres import Bloc

PRIMAIRE = "0B5D6B"  # the product's primary colour (static/css/mutualis.css)
POLICE = "Liberation Sans"  # metric-compatible with Arial; office suites substitute it when missing
LANGUE = "fr-FR"


@dataclass
class MiseEnPage:
    territoire: str
    sous_titre: str  # « Schéma de mutualisation des services 2026-2032 »
    date: str  # « Le 3 juillet 2026 »
    destinataires: list[str]
    objet: str
    blocs: list[Bloc]
    signatures: list[dict] = field(default_factory=list)  # LettreMission.signatures
    pied: str = ""  # « Lettre de mission – GT Ressources humaines »
    brouillon: bool = False

    @property
    def titre(self) -> str:
        return f"{self.objet} – {self.territoire}"


def lignes_signature(signature: dict) -> list[str]:
    """The lines under a signature: « Pour accord, » for a co-pilot, the role, the name, the organisation."""
    lignes = ["Pour accord,"] if signature.get("role", "").startswith("copilote") else []
    lignes.append(signature.get("qualite", ""))
    if signature.get("nom"):
        lignes.append(signature["nom"])
    elif signature.get("role", "").startswith("copilote"):
        lignes.append("[à désigner]")
    if signature.get("organisation") and signature.get("role", "").startswith("copilote"):
        lignes.append(signature["organisation"])
    return lignes


# --- DOCX ---------------------------------------------------------------------------------------------


def docx(page: MiseEnPage) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    couleur = RGBColor.from_string(PRIMAIRE)

    styles = doc.styles
    normal_docx(doc, 10.5, 6)
    for nom in ("Heading 2", "List Bullet", "Title"):
        styles[nom].font.name = POLICE
    titre = styles["Heading 2"]
    titre.font.size, titre.font.color.rgb, titre.font.bold = Pt(12), couleur, True
    titre.paragraph_format.space_before, titre.paragraph_format.space_after = Pt(12), Pt(4)
    titre.paragraph_format.keep_with_next = True

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(22)
    section.left_margin, section.right_margin = Mm(22), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    entete = section.header.paragraphs[0]
    run = entete.add_run(page.territoire)
    run.bold, run.font.size, run.font.color.rgb = True, Pt(14), couleur
    entete.add_run().add_break()
    sous = entete.add_run(page.sous_titre)
    sous.font.size = Pt(9)
    if page.brouillon:
        marque = entete.add_run("\tBROUILLON")
        marque.bold, marque.font.size, marque.font.color.rgb = True, Pt(9), RGBColor(0xA4, 0x16, 0x1A)

    pied = section.footer.paragraphs[0]
    pied.add_run(page.pied + " – page ").font.size = Pt(8)
    champ_docx(pied, "PAGE")
    pied.add_run(" sur ").font.size = Pt(8)
    champ_docx(pied, "NUMPAGES")

    date = doc.add_paragraph(page.date)
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if page.destinataires:
        dest = doc.add_paragraph()
        dest.add_run("À l'attention de :").bold = True
        for ligne in page.destinataires:
            dest.add_run().add_break()
            dest.add_run(ligne)
    objet = doc.add_paragraph()
    objet.paragraph_format.space_before = Pt(12)
    objet.add_run("Objet : ").bold = True
    objet.add_run(page.objet).bold = True

    for bloc in page.blocs:
        if bloc.genre == "titre":
            doc.add_paragraph(bloc.texte, style="Heading 2")
        elif bloc.genre == "liste":
            for item in bloc.lignes:
                doc.add_paragraph(item, style="List Bullet")
        else:
            paragraphe = doc.add_paragraph()
            for i, ligne in enumerate(bloc.lignes):
                if i:
                    paragraphe.add_run().add_break()
                paragraphe.add_run(ligne)

    if page.signatures:
        # The closing formula stays on the page of the signatures, and the row is never split.
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
        espace = doc.add_paragraph()
        espace.paragraph_format.space_before, espace.paragraph_format.keep_with_next = Pt(12), True
        table = doc.add_table(rows=1, cols=len(page.signatures))
        ne_pas_couper = OxmlElement("w:cantSplit")
        table.rows[0]._tr.get_or_add_trPr().append(ne_pas_couper)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = True
        for cellule, signature in zip(table.rows[0].cells, page.signatures, strict=True):
            paragraphe = cellule.paragraphs[0]
            paragraphe.paragraph_format.keep_with_next = True
            for i, ligne in enumerate(lignes_signature(signature)):
                if i:
                    paragraphe.add_run().add_break()
                paragraphe.add_run(ligne).bold = ligne == signature.get("qualite")
            # Room to sign by hand.
            cellule.add_paragraph().paragraph_format.space_after = Pt(48)

    proprietes = doc.core_properties
    proprietes.title, proprietes.subject = page.titre, page.sous_titre
    proprietes.author = proprietes.last_modified_by = page.territoire
    proprietes.language = LANGUE
    sortie = io.BytesIO()
    doc.save(sortie)
    return sortie.getvalue()


def normal_docx(doc, taille: float, apres: float) -> None:
    """The Normal style of a DOCX: the font, its size, the spacing, and the French language. The font of
    East Asian text and the language (French spell-checking) live in rPr only."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = POLICE, Pt(taille)
    normal.paragraph_format.space_after = Pt(apres)
    normal.paragraph_format.line_spacing = 1.15
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    for attribut in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attribut), POLICE)
    langue = OxmlElement("w:lang")
    langue.set(qn("w:val"), LANGUE)
    rpr.append(langue)


def champ_docx(paragraphe, code: str, taille: float = 8) -> None:
    """A field the word processor computes (PAGE, NUMPAGES)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraphe.add_run()
    run.font.size = Pt(taille)
    debut, instruction, fin = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    debut.set(qn("w:fldCharType"), "begin")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = f" {code} "
    fin.set(qn("w:fldCharType"), "end")
    run._r.append(debut)
    run._r.append(instruction)
    run._r.append(fin)


def police_odt(doc, taille: str, **texte) -> None:
    """An ODT's font and default paragraph text: the font, its size, French."""
    from odf import style

    doc.fontfacedecls.addElement(
        style.FontFace(name=POLICE, fontfamily=f"'{POLICE}'", fontfamilygeneric="swiss", fontpitch="variable")
    )
    defaut = style.DefaultStyle(family="paragraph")
    defaut.addElement(style.TextProperties(fontname=POLICE, fontsize=taille, language="fr", country="FR", **texte))
    doc.styles.addElement(defaut)


def page_odt(doc, nom: str, marges: tuple[str, str, str, str], entete=None, pied=None):
    """An A4 portrait page layout (`marges`: top, bottom, left, right), with a header and a footer when
    given as (minimum height, spacing from the text)."""
    from odf import style

    mise = style.PageLayout(name=nom)
    haut, bas, gauche, droite = marges
    mise.addElement(
        style.PageLayoutProperties(
            pagewidth="21cm",
            pageheight="29.7cm",
            printorientation="portrait",
            margintop=haut,
            marginbottom=bas,
            marginleft=gauche,
            marginright=droite,
        )
    )
    if entete:
        e = style.HeaderStyle()
        e.addElement(style.HeaderFooterProperties(minheight=entete[0], marginbottom=entete[1]))
        mise.addElement(e)
    if pied:
        f = style.FooterStyle()
        f.addElement(style.HeaderFooterProperties(minheight=pied[0], margintop=pied[1]))
        mise.addElement(f)
    doc.automaticstyles.addElement(mise)
    return mise


def puces_odt(doc):
    """The bulleted list style of an ODT."""
    from odf import style, text

    puces = text.ListStyle(name="Puces")
    niveau = text.ListLevelStyleBullet(level=1, bulletchar="•")
    niveau.addElement(style.ListLevelProperties(spacebefore="0.3cm", minlabelwidth="0.5cm"))
    puces.addElement(niveau)
    doc.automaticstyles.addElement(puces)
    return puces


# --- ODT ----------------------------------------------------------------------------------------------


def odt(page: MiseEnPage) -> bytes:
    from odf import dc, meta, style, table, text
    from odf.opendocument import OpenDocumentText

    doc = OpenDocumentText()
    couleur = f"#{PRIMAIRE.lower()}"

    police_odt(doc, "10.5pt")

    def style_paragraphe(nom, parent="Standard", auto=False, texte=None, **para):
        s = (
            style.Style(name=nom, family="paragraph", parentstylename=parent)
            if parent
            else style.Style(name=nom, family="paragraph")
        )
        s.addElement(style.ParagraphProperties(**para))
        if texte:
            s.addElement(style.TextProperties(**texte))
        (doc.automaticstyles if auto else doc.styles).addElement(s)
        return s

    standard = style.Style(name="Standard", family="paragraph")
    standard.addElement(style.ParagraphProperties(marginbottom="0.2cm", lineheight="115%"))
    doc.styles.addElement(standard)
    style_paragraphe("Texte", textalign="justify")
    # A paragraph of several short lines (« Madame, / Monsieur, ») is not justified: LibreOffice would
    # stretch each line ending in a manual break.
    style_paragraphe("Lignes")
    style_paragraphe("Fin", textalign="justify", keepwithnext="always")
    style_paragraphe(
        "Intertitre",
        margintop="0.4cm",
        marginbottom="0.15cm",
        keepwithnext="always",
        texte={"fontsize": "12pt", "fontweight": "bold", "color": couleur},
    )
    style_paragraphe("Date", textalign="end", marginbottom="0.4cm")
    style_paragraphe("Objet", margintop="0.3cm", marginbottom="0.3cm", texte={"fontweight": "bold"})
    style_paragraphe("Puce", marginbottom="0.05cm")
    style_paragraphe("Signature", keepwithnext="always")
    style_paragraphe("Emargement", marginbottom="1.8cm")
    style_paragraphe("Entete", marginbottom="0cm", texte={"fontsize": "14pt", "fontweight": "bold", "color": couleur})
    style_paragraphe("SousEntete", marginbottom="0cm", texte={"fontsize": "9pt"})
    style_paragraphe("Pied", textalign="center", texte={"fontsize": "8pt"})
    gras = style.Style(name="Gras", family="text")
    gras.addElement(style.TextProperties(fontweight="bold"))
    doc.styles.addElement(gras)
    rouge = style.Style(name="Brouillon", family="text")
    rouge.addElement(style.TextProperties(fontweight="bold", color="#a4161a"))
    doc.styles.addElement(rouge)

    mise = page_odt(doc, "A4", ("1.2cm", "1.2cm", "2.2cm", "2cm"), ("1.2cm", "0.6cm"), ("0.6cm", "0.5cm"))
    maitre = style.MasterPage(name="Standard", pagelayoutname=mise)
    entete = style.Header()
    entete.addElement(text.P(stylename="Entete", text=page.territoire))
    sous = text.P(stylename="SousEntete", text=page.sous_titre)
    if page.brouillon:
        sous.addElement(text.Tab())
        sous.addElement(text.Span(stylename=rouge, text="BROUILLON"))
    entete.addElement(sous)
    maitre.addElement(entete)
    pied = style.Footer()
    p = text.P(stylename="Pied", text=f"{page.pied} – page ")
    p.addElement(text.PageNumber(selectpage="current", text="1"))
    p.addText(" sur ")
    p.addElement(text.PageCount(text="1"))
    pied.addElement(p)
    maitre.addElement(pied)
    doc.masterstyles.addElement(maitre)

    puces = puces_odt(doc)

    corps = doc.text
    corps.addElement(text.P(stylename="Date", text=page.date))
    if page.destinataires:
        dest = text.P(stylename="Lignes")
        dest.addElement(text.Span(stylename=gras, text="À l'attention de :"))
        for ligne in page.destinataires:
            dest.addElement(text.LineBreak())
            dest.addText(ligne)
        corps.addElement(dest)
    corps.addElement(text.P(stylename="Objet", text=f"Objet : {page.objet}"))
    for bloc in page.blocs:
        if bloc.genre == "titre":
            corps.addElement(text.P(stylename="Intertitre", text=bloc.texte))
        elif bloc.genre == "liste":
            liste = text.List(stylename=puces)
            for item in bloc.lignes:
                element = text.ListItem()
                element.addElement(text.P(stylename="Puce", text=item))
                liste.addElement(element)
            corps.addElement(liste)
        else:
            dernier = bloc is page.blocs[-1] and page.signatures
            paragraphe = text.P(stylename="Fin" if dernier else "Texte" if len(bloc.lignes) == 1 else "Lignes")
            for i, ligne in enumerate(bloc.lignes):
                if i:
                    paragraphe.addElement(text.LineBreak())
                paragraphe.addText(ligne)
            corps.addElement(paragraphe)

    if page.signatures:
        corps.addElement(text.P(stylename="Fin"))
        style_grille = style.Style(name="Signatures", family="table")
        style_grille.addElement(style.TableProperties(width="16.8cm", align="left", maybreakbetweenrows="false"))
        doc.automaticstyles.addElement(style_grille)
        style_rang = style.Style(name="RangSignatures", family="table-row")
        style_rang.addElement(style.TableRowProperties(keeptogether="always"))
        doc.automaticstyles.addElement(style_rang)
        style_colonne = style.Style(name="ColonneSignature", family="table-column")
        style_colonne.addElement(style.TableColumnProperties(columnwidth=f"{16.8 / len(page.signatures):.2f}cm"))
        doc.automaticstyles.addElement(style_colonne)
        grille = table.Table(name="Signatures", stylename=style_grille)
        grille.addElement(table.TableColumn(numbercolumnsrepeated=len(page.signatures), stylename=style_colonne))
        rang = table.TableRow(stylename=style_rang)
        for signature in page.signatures:
            cellule = table.TableCell()
            paragraphe = text.P(stylename="Signature")
            for i, ligne in enumerate(lignes_signature(signature)):
                if i:
                    paragraphe.addElement(text.LineBreak())
                if ligne == signature.get("qualite"):
                    paragraphe.addElement(text.Span(stylename=gras, text=ligne))
                else:
                    paragraphe.addText(ligne)
            cellule.addElement(paragraphe)
            cellule.addElement(text.P(stylename="Emargement"))  # room to sign by hand
            rang.addElement(cellule)
        grille.addElement(rang)
        corps.addElement(grille)

    doc.meta.addElement(dc.Title(text=page.titre))
    doc.meta.addElement(dc.Subject(text=page.sous_titre))
    doc.meta.addElement(dc.Language(text=LANGUE))
    doc.meta.addElement(meta.InitialCreator(text=page.territoire))
    sortie = io.BytesIO()
    doc.write(sortie)
    return sortie.getvalue()
