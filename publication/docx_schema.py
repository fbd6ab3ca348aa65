"""The schéma document as DOCX (python-docx), for the communication team to edit (docs/publication.md):
the same value as the PDF (publication/blocs.py), with Word's own heading styles (so its navigation pane
and table of contents work), a table of contents field that Word updates on opening, tables with a
repeated header row, a running header and page numbers. The chart is in the PDF and the ODT; its figures
are in the table that follows it here. No Django import."""

import io

from documents.bureautique import LANGUE, POLICE, champ_docx, normal_docx
from publication.blocs import Document, Graphique, Liste, Paragraphe, Tableau, TexteRiche, Titre, typographie
from publication.gabarit import alineas


def _hex(couleur: str) -> str:
    return couleur.lstrip("#").upper()


def docx(doc: Document) -> bytes:
    from docx import Document as Word
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    w = Word()
    couleur = RGBColor.from_string(_hex(doc.couleur))
    styles = w.styles
    normal_docx(w, 10, 5)
    for nom, taille, avant in (("Heading 1", 17, 0), ("Heading 2", 13, 12), ("Heading 3", 11, 9)):
        s = styles[nom]
        s.font.name, s.font.size, s.font.bold = POLICE, Pt(taille), True
        s.font.color.rgb = couleur if nom != "Heading 3" else RGBColor(0x1B, 0x1B, 0x1B)
        s.paragraph_format.space_before, s.paragraph_format.space_after = Pt(avant), Pt(4)
        s.paragraph_format.keep_with_next = True
    styles["Heading 1"].paragraph_format.page_break_before = True
    for nom in ("Title", "Subtitle", "Caption", "List Bullet"):
        styles[nom].font.name = POLICE
    styles["Caption"].font.size, styles["Caption"].font.bold = Pt(9), True
    styles["Caption"].font.color.rgb = RGBColor(0x1B, 0x1B, 0x1B)
    styles["Caption"].paragraph_format.keep_with_next = True

    section = w.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin, section.right_margin = Mm(20), Mm(18)
    section.different_first_page_header_footer = True  # the cover has neither

    entete = section.header.paragraphs[0]
    entete.add_run(doc.entete).font.size = Pt(8)
    pied = section.footer.paragraphs[0]
    pied.add_run(doc.couverture.version + "\t\tPage ").font.size = Pt(8)
    champ_docx(pied, "PAGE")
    pied.add_run(" sur ").font.size = Pt(8)
    champ_docx(pied, "NUMPAGES")

    def couverture_et_sommaire():
        # Cover
        c = doc.couverture
        if c.logo:
            w.add_picture(io.BytesIO(c.logo), height=Mm(25))
        p = w.add_paragraph()
        p.paragraph_format.space_before = Pt(60)
        r = p.add_run(c.territoire)
        r.bold, r.font.size, r.font.color.rgb = True, Pt(16), couleur
        w.add_paragraph(c.titre, style="Title")
        w.add_paragraph(c.sous_titre, style="Subtitle")
        p = w.add_paragraph()
        p.paragraph_format.space_before = Pt(30)
        p.add_run(c.version).bold = True
        p.add_run().add_break()
        p.add_run(c.date)
        if doc.brouillon:
            r = w.add_paragraph().add_run(doc.filigrane)
            r.bold, r.font.color.rgb = True, RGBColor(0xA4, 0x16, 0x1A)
        if c.mention:
            w.add_paragraph(c.mention)
        w.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

        # Table of contents: a field Word fills on opening (settings: updateFields), listing the chapters until then.
        titre = w.add_paragraph()
        r = titre.add_run("Sommaire")
        r.bold, r.font.size, r.font.color.rgb = True, Pt(17), couleur
        toc = w.add_paragraph()
        for genre, texte in (("begin", None), (None, ' TOC \\o "1-1" \\h \\z \\u '), ("separate", None)):
            run = toc.add_run()
            if genre:
                e = OxmlElement("w:fldChar")
                e.set(qn("w:fldCharType"), genre)
            else:
                e = OxmlElement("w:instrText")
                e.set(qn("xml:space"), "preserve")
                e.text = texte
            run._r.append(e)
        for k, chapitre in enumerate(doc.chapitres):
            if k:
                toc.add_run().add_break()
            toc.add_run(chapitre.titre)
        fin = OxmlElement("w:fldChar")
        fin.set(qn("w:fldCharType"), "end")
        toc.add_run()._r.append(fin)
        reglages = w.settings.element
        maj = OxmlElement("w:updateFields")
        maj.set(qn("w:val"), "true")
        reglages.append(maj)

    if doc.section:
        w.add_paragraph(typographie(doc.couverture.titre), style="Heading 1").paragraph_format.page_break_before = False
    else:
        couverture_et_sommaire()

    def ombre(cellule, teinte):
        tc = cellule._tc.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), teinte)
        tc.append(shd)

    def tableau(b: Tableau):
        w.add_paragraph(typographie(b.legende), style="Caption")
        t = w.add_table(rows=1, cols=len(b.entetes))
        t.style = "Table Grid"
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        entete = t.rows[0]
        trpr = entete._tr.get_or_add_trPr()
        for balise in ("w:tblHeader", "w:cantSplit"):  # repeated on each page, never split
            trpr.append(OxmlElement(balise))
        for i, texte in enumerate(b.entetes):
            cellule = entete.cells[i]
            par = cellule.paragraphs[0]
            run = par.add_run(texte)
            run.bold, run.font.size, run.font.color.rgb = True, Pt(8), RGBColor(0xFF, 0xFF, 0xFF)
            if i in b.nombres:
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            ombre(cellule, _hex(doc.couleur))
        rangees = b.rangees + ([("total", b.pied)] if b.pied else [])
        for marque, ligne in rangees:
            row = t.add_row()
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for i, texte in enumerate(ligne):
                par = row.cells[i].paragraphs[0]
                run = par.add_run(typographie(texte))
                run.font.size = Pt(8)
                run.bold = marque in ("epci", "total")
                run.italic = marque == "estimee"
                if i in b.nombres:
                    par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if marque == "total":
                    ombre(row.cells[i], _hex(doc.couleur_secondaire))
        if b.largeurs:
            largeur = 172  # mm between the margins
            total = sum(b.largeurs)
            for i, col in enumerate(t.columns):
                for cellule in col.cells:
                    cellule.width = Mm(largeur * b.largeurs[i] / total)
        w.add_paragraph()

    decalage = 1 if doc.section else 0  # a section's chapters sit under its title
    for chapitre in doc.chapitres:
        titre_chapitre = w.add_paragraph(typographie(chapitre.titre), style=f"Heading {1 + decalage}")
        if doc.section:
            titre_chapitre.paragraph_format.page_break_before = False
        for b in chapitre.blocs:
            if isinstance(b, Titre):
                w.add_paragraph(typographie(b.texte), style=f"Heading {min(3, b.niveau + decalage)}")
            elif isinstance(b, Paragraphe):
                p = w.add_paragraph(typographie(b.texte))
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                if b.note:
                    for run in p.runs:
                        run.font.size = Pt(8.5)
            elif isinstance(b, Liste):
                for item in b.items:
                    w.add_paragraph(typographie(item), style="List Bullet")
            elif isinstance(b, Tableau):
                tableau(b)
            elif isinstance(b, TexteRiche):
                for a in alineas(b.html):
                    p = w.add_paragraph(style="List Bullet" if a.puce else None)
                    for m in a.morceaux:
                        if m.texte == "\n":
                            p.add_run().add_break()
                            continue
                        run = p.add_run(m.texte)
                        run.bold, run.italic = m.gras, m.italique
            elif isinstance(b, Graphique):
                w.add_paragraph(f"{b.legende} : le graphique est dans la version PDF, ses chiffres dans ce tableau.")

    proprietes = w.core_properties
    proprietes.title, proprietes.subject = doc.titre_complet, doc.couverture.sous_titre
    proprietes.author = proprietes.last_modified_by = doc.couverture.territoire
    proprietes.language = LANGUE
    sortie = io.BytesIO()
    w.save(sortie)
    return sortie.getvalue()
