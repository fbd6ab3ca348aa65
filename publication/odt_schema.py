"""The schéma document as ODT (odfpy), for the communication team to edit in LibreOffice (docs/
publication.md): the same value as the PDF (publication/blocs.py), with real headings (outline levels, so
the navigator and the table of contents work), a table of contents LibreOffice updates (filled with the
chapters), tables whose header row repeats on each page, a cover page without header, the chart as an
SVG picture. No Django import."""

import io

from documents.bureautique import page_odt, police_odt, puces_odt
from publication.blocs import Document, Graphique, Liste, Paragraphe, Tableau, TexteRiche, Titre, typographie
from publication.gabarit import alineas


def odt(doc: Document) -> bytes:
    from odf import dc, draw, meta, style, table, text
    from odf.opendocument import OpenDocumentText

    o = OpenDocumentText()
    couleur = doc.couleur.lower()
    police_odt(o, "10pt", hyphenate="true")

    def st(nom, famille="paragraph", parent=None, auto=False, para=None, texte=None, affiche=None, **attrs):
        s = style.Style(name=nom, family=famille, **({"parentstylename": parent} if parent else {}), **attrs)
        if affiche:
            s.setAttribute("displayname", affiche)
        if para:
            s.addElement(style.ParagraphProperties(**para))
        if texte:
            s.addElement(style.TextProperties(**texte))
        (o.automaticstyles if auto else o.styles).addElement(s)
        return s

    st("Standard", para={"marginbottom": "0.18cm", "lineheight": "115%"})
    st("Text_20_body", parent="Standard", affiche="Text body", para={"textalign": "justify"})
    st("Note", parent="Text_20_body", texte={"fontsize": "8.5pt"})
    st("Heading", parent="Standard", para={"keepwithnext": "always"}, texte={"fontweight": "bold"})
    titres = {
        1: st(
            "Heading_20_1",
            parent="Heading",
            affiche="Heading 1",
            defaultoutlinelevel="1",
            para={
                "breakbefore": "page",
                "marginbottom": "0.4cm",
                "borderbottom": f"1.5pt solid {couleur}",
                "padding": "0.1cm",
            },
            texte={"fontsize": "17pt", "color": couleur},
        ),
        2: st(
            "Heading_20_2",
            parent="Heading",
            affiche="Heading 2",
            defaultoutlinelevel="2",
            para={"margintop": "0.45cm", "marginbottom": "0.15cm"},
            texte={"fontsize": "13pt", "color": couleur},
        ),
        3: st(
            "Heading_20_3",
            parent="Heading",
            affiche="Heading 3",
            defaultoutlinelevel="3",
            para={"margintop": "0.35cm", "marginbottom": "0.1cm"},
            texte={"fontsize": "11pt"},
        ),
    }
    titre_section = st("TitreSection", parent="Heading_20_1", para={"breakbefore": "auto"}, texte={"fontsize": "15pt"})
    st(
        "Caption",
        parent="Standard",
        para={"keepwithnext": "always", "margintop": "0.2cm"},
        texte={"fontsize": "9pt", "fontweight": "bold"},
    )
    st("Cellule", parent="Standard", para={"marginbottom": "0cm"}, texte={"fontsize": "8pt"})
    st("CelluleNombre", parent="Cellule", para={"textalign": "end"})
    st("Entete", parent="Cellule", texte={"fontweight": "bold", "color": "#ffffff"})
    st("EnteteNombre", parent="Entete", para={"textalign": "end"})
    st("Puce", parent="Standard", para={"marginbottom": "0.05cm"})
    st(
        "Territoire",
        parent="Standard",
        para={"margintop": "4cm", "marginbottom": "0.8cm"},
        texte={"fontsize": "16pt", "fontweight": "bold", "color": couleur},
    )
    st(
        "Title",
        parent="Standard",
        affiche="Title",
        para={"marginbottom": "0.6cm"},
        texte={"fontsize": "24pt", "fontweight": "bold"},
    )
    st("Subtitle", parent="Standard", affiche="Subtitle", para={"marginbottom": "1.5cm"}, texte={"fontsize": "15pt"})
    st("Version", parent="Standard", texte={"fontsize": "12pt", "fontweight": "bold"})
    st("Brouillon", parent="Standard", para={"margintop": "1cm"}, texte={"fontweight": "bold", "color": "#a4161a"})
    st(
        "Contents_20_Heading",
        parent="Heading",
        affiche="Contents Heading",
        texte={"fontsize": "17pt", "color": couleur},
    )
    st("Contents_20_1", parent="Standard", affiche="Contents 1", para={"marginbottom": "0.12cm"})
    st("EnTete", parent="Standard", texte={"fontsize": "8pt", "color": "#555555"})
    st("Saut", parent="Standard", para={"breakafter": "page"})
    gras = st("Gras", famille="text", texte={"fontweight": "bold"})
    italique = st("Italique", famille="text", texte={"fontstyle": "italic"})
    gras_italique = st("GrasItalique", famille="text", texte={"fontweight": "bold", "fontstyle": "italic"})

    mise = page_odt(o, "A4", ("1.2cm", "1.2cm", "2cm", "1.8cm"), ("0.8cm", "0.5cm"), ("0.6cm", "0.4cm"))
    couverture_mise = page_odt(o, "Couverture", ("2cm", "2cm", "2.5cm", "2cm"))
    courante = style.MasterPage(name="Standard", pagelayoutname=mise)
    h = style.Header()
    h.addElement(text.P(stylename="EnTete", text=doc.entete))
    courante.addElement(h)
    f = style.Footer()
    p = text.P(stylename="EnTete", text=f"{doc.couverture.version} – page ")
    p.addElement(text.PageNumber(selectpage="current", text="1"))
    p.addText(" sur ")
    p.addElement(text.PageCount(text="1"))
    f.addElement(p)
    courante.addElement(f)
    o.masterstyles.addElement(courante)
    o.masterstyles.addElement(
        style.MasterPage(name="Couverture", pagelayoutname=couverture_mise, nextstylename="Standard")
    )
    premiere = st("PremierePage", parent="Standard", auto=True, masterpagename="Couverture")

    puces = puces_odt(o)
    cellule_entete = st("CelluleEntete", famille="table-cell", auto=True)
    cellule_entete.addElement(
        style.TableCellProperties(backgroundcolor=couleur, padding="0.08cm", border="0.5pt solid #b8c4c6")
    )
    cellule = st("CelluleCorps", famille="table-cell", auto=True)
    cellule.addElement(
        style.TableCellProperties(
            padding="0.08cm",
            borderbottom="0.5pt solid #b8c4c6",
            bordertop="none",
            borderleft="none",
            borderright="none",
        )
    )
    cellule_total = st("CelluleTotal", famille="table-cell", auto=True)
    cellule_total.addElement(
        style.TableCellProperties(
            backgroundcolor=doc.couleur_secondaire.lower(), padding="0.08cm", bordertop="1pt solid #1b1b1b"
        )
    )
    rang = st("Rang", famille="table-row", auto=True)
    rang.addElement(style.TableRowProperties(keeptogether="always"))

    corps = o.text
    c = doc.couverture

    def couverture_et_sommaire():
        corps.addElement(text.P(stylename=premiere))
        if c.logo:
            chemin = o.addPictureFromString(c.logo, c.logo_type)
            cadre = draw.Frame(width="5cm", height="2.5cm", anchortype="as-char")
            cadre.addElement(draw.Image(href=chemin))
            p = text.P(stylename="Standard")
            p.addElement(cadre)
            corps.addElement(p)
        corps.addElement(text.P(stylename="Territoire", text=c.territoire))
        corps.addElement(text.P(stylename="Title", text=c.titre))
        corps.addElement(text.P(stylename="Subtitle", text=c.sous_titre))
        corps.addElement(text.P(stylename="Version", text=c.version))
        corps.addElement(text.P(stylename="Standard", text=c.date))
        if doc.brouillon:
            corps.addElement(text.P(stylename="Brouillon", text=doc.filigrane))
        if c.mention:
            corps.addElement(text.P(stylename="Standard", text=c.mention))
        corps.addElement(text.P(stylename="Saut"))

        sommaire = text.TableOfContent(name="Sommaire", protected="true")
        source = text.TableOfContentSource(outlinelevel="1")
        source.addElement(text.IndexTitleTemplate(stylename="Contents_20_Heading", text="Sommaire"))
        modele = text.TableOfContentEntryTemplate(outlinelevel="1", stylename="Contents_20_1")
        modele.addElement(text.IndexEntryText())
        modele.addElement(text.IndexEntryTabStop(type="right", leaderchar="."))
        modele.addElement(text.IndexEntryPageNumber())
        source.addElement(modele)
        sommaire.addElement(source)
        contenu = text.IndexBody()
        titre_index = text.IndexTitle(name="Sommaire_titre")
        titre_index.addElement(text.P(stylename="Contents_20_Heading", text="Sommaire"))
        contenu.addElement(titre_index)
        for chapitre in doc.chapitres:
            contenu.addElement(text.P(stylename="Contents_20_1", text=chapitre.titre))
        sommaire.addElement(contenu)
        corps.addElement(sommaire)

    if doc.section:
        corps.addElement(text.H(outlinelevel=1, stylename=titre_section, text=typographie(c.titre)))
    else:
        couverture_et_sommaire()

    def paragraphe(stylename, texte, marque=""):
        p = text.P(stylename=stylename)
        if marque in ("epci", "total"):
            p.addElement(text.Span(stylename=gras, text=texte))
        elif marque == "estimee":
            p.addElement(text.Span(stylename=italique, text=texte))
        else:
            p.addText(texte)
        return p

    n_tableaux = 0
    decalage = 1 if doc.section else 0  # a section's chapters sit under its title
    for chapitre in doc.chapitres:
        corps.addElement(
            text.H(outlinelevel=1 + decalage, stylename=titres[1 + decalage], text=typographie(chapitre.titre))
        )
        for b in chapitre.blocs:
            if isinstance(b, Titre):
                niveau = min(3, b.niveau + decalage)
                corps.addElement(text.H(outlinelevel=niveau, stylename=titres[niveau], text=typographie(b.texte)))
            elif isinstance(b, Paragraphe):
                corps.addElement(text.P(stylename="Note" if b.note else "Text_20_body", text=typographie(b.texte)))
            elif isinstance(b, Liste):
                liste = text.List(stylename=puces)
                for item in b.items:
                    li = text.ListItem()
                    li.addElement(text.P(stylename="Puce", text=typographie(item)))
                    liste.addElement(li)
                corps.addElement(liste)
            elif isinstance(b, TexteRiche):
                for a in alineas(b.html):
                    p = text.P(stylename="Puce" if a.puce else "Text_20_body")
                    if a.puce:
                        p.addText("• ")
                    for m in a.morceaux:
                        if m.texte == "\n":
                            p.addElement(text.LineBreak())
                        elif m.gras or m.italique:
                            span = gras_italique if m.gras and m.italique else gras if m.gras else italique
                            p.addElement(text.Span(stylename=span, text=m.texte))
                        else:
                            p.addText(m.texte)
                    corps.addElement(p)
            elif isinstance(b, Graphique):
                chemin = o.addPictureFromString(b.svg.encode("utf-8"), "image/svg+xml")
                cadre = draw.Frame(width="17cm", height=f"{17 * _rapport(b.svg):.2f}cm", anchortype="as-char")
                cadre.addElement(draw.Image(href=chemin))
                p = text.P(stylename="Standard")
                p.addElement(cadre)
                corps.addElement(p)
                corps.addElement(
                    text.P(stylename="Note", text=f"{b.legende} (les chiffres sont dans le tableau qui suit)")
                )
            elif isinstance(b, Tableau):
                n_tableaux += 1
                corps.addElement(text.P(stylename="Caption", text=typographie(b.legende)))
                nom = f"Tableau{n_tableaux}"
                style_t = st(nom, famille="table", auto=True)
                style_t.addElement(style.TableProperties(width="17.2cm", align="left"))
                t = table.Table(name=nom, stylename=style_t)
                largeurs = b.largeurs or [1.0] * len(b.entetes)
                for i, w in enumerate(largeurs):
                    sc = st(f"{nom}.C{i}", famille="table-column", auto=True)
                    sc.addElement(style.TableColumnProperties(columnwidth=f"{17.2 * w / sum(largeurs):.2f}cm"))
                    t.addElement(table.TableColumn(stylename=sc))
                entetes = table.TableHeaderRows()
                tr = table.TableRow(stylename=rang)
                for i, e in enumerate(b.entetes):
                    td = table.TableCell(stylename=cellule_entete, valuetype="string")
                    td.addElement(text.P(stylename="EnteteNombre" if i in b.nombres else "Entete", text=e))
                    tr.addElement(td)
                entetes.addElement(tr)
                t.addElement(entetes)
                for marque, ligne in b.rangees + ([("total", b.pied)] if b.pied else []):
                    tr = table.TableRow(stylename=rang)
                    for i, v in enumerate(ligne):
                        td = table.TableCell(
                            stylename=cellule_total if marque == "total" else cellule, valuetype="string"
                        )
                        td.addElement(
                            paragraphe("CelluleNombre" if i in b.nombres else "Cellule", typographie(v), marque)
                        )
                        tr.addElement(td)
                    t.addElement(tr)
                corps.addElement(t)

    o.meta.addElement(dc.Title(text=doc.titre_complet))
    o.meta.addElement(dc.Subject(text=c.sous_titre))
    o.meta.addElement(dc.Language(text="fr-FR"))
    o.meta.addElement(meta.InitialCreator(text=c.territoire))
    sortie = io.BytesIO()
    o.write(sortie)
    return sortie.getvalue()


def _rapport(svg: str) -> float:
    """Height over width of an SVG from its viewBox."""
    debut = svg.index('viewBox="') + len('viewBox="')
    _, _, largeur, hauteur = (float(x) for x in svg[debut : svg.index('"', debut)].split())
    return hauteur / largeur
