"""The downloads of a letter: the PDF (WeasyPrint), the DOCX (python-docx) and the ODT (odfpy)."""

import io
import shutil
import subprocess
import zipfile

import pytest

from documents import rendu
from documents.enums import StatutLettre

pytestmark = pytest.mark.django_db


def texte_du_pdf(contenu: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) n'est pas installé")
    resultat = subprocess.run(["pdftotext", "-layout", "-", "-"], input=contenu, capture_output=True, check=True)
    return " ".join(resultat.stdout.decode().split())


def test_pdf_is_an_a4_letter_with_theme_tandem_and_signatures(lettre_rh):
    contenu = rendu.pdf(lettre_rh)
    assert contenu.startswith(b"%PDF")
    texte = texte_du_pdf(contenu)
    assert "Bordeaux Métropole" in texte
    assert "Schéma de mutualisation des services 2026-2032" in texte
    assert "Objet : Lettre de mission des co-pilotes du groupe de travail « Ressources humaines »" in texte
    assert "Marie Durand" in texte and "Karim Benali" in texte
    assert "Le Président de" in texte  # the signatory, under the signatures
    assert "Brouillon – document de travail".upper() in texte
    assert "page 1 sur" in texte


def test_pdf_of_a_sent_letter_has_no_draft_mark(lettre_rh, tandem):
    from documents.actions import do_changer_statut

    lettre = do_changer_statut(lettre_rh, StatutLettre.ENVOYEE, tandem["equipe_projet"])
    assert "BROUILLON" not in texte_du_pdf(rendu.pdf(lettre))


def test_docx_opens_and_holds_the_letter(lettre_rh):
    from docx import Document

    doc = Document(io.BytesIO(rendu.docx(lettre_rh)))
    paragraphes = [p.text for p in doc.paragraphs]
    texte = "\n".join(paragraphes)
    assert "Objet : Lettre de mission des co-pilotes du groupe de travail « Ressources humaines »" in paragraphes
    assert "Marie Durand" in texte and "Karim Benali" in texte
    assert "garantissez la production du groupe et validez ses comptes rendus ;" in paragraphes
    assert [p.style.name for p in doc.paragraphs if p.text == "Vos missions"] == ["Heading 2"]
    signatures = " ".join(c.text for c in doc.tables[0].rows[0].cells)
    assert "Co-pilote commune" in signatures and "Marie Durand" in signatures and "Le Président" in signatures
    assert "Bordeaux Métropole" in doc.sections[0].header.paragraphs[0].text
    assert doc.core_properties.language == "fr-FR"
    assert round(doc.sections[0].page_width.mm) == 210


def test_odt_opens_and_holds_the_letter(lettre_rh):
    from odf import teletype, text
    from odf.opendocument import load

    contenu = rendu.odt(lettre_rh)
    with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
    doc = load(io.BytesIO(contenu))
    paragraphes = [teletype.extractText(p) for p in doc.getElementsByType(text.P)]
    texte = "\n".join(paragraphes)
    assert "Objet : Lettre de mission des co-pilotes du groupe de travail « Ressources humaines »" in paragraphes
    assert "Marie Durand" in texte and "Karim Benali" in texte
    assert "préparez les propositions du groupe pour le comité de pilotage." in paragraphes
    assert "Bordeaux Métropole" in paragraphes  # the header of the master page
