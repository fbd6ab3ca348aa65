"""The schéma document (issue 13, points 1 and 6): its chapters in every format, its table of contents'
page numbers, its impact table equal to the version page's, the command line."""

import re

import pytest

from publication.contenu import CHAPITRES
from publication.generation import ecrire
from publication.impact import REEL, tableau_publie
from tests.cast import BORDEAUX, EPCI, run_command
from tests.publication.conftest import libreoffice_texte, pdftotext

pytestmark = pytest.mark.django_db


def plat(texte: str) -> str:
    return " ".join(texte.split())


def euros_fr(valeur: int) -> str:
    """An amount as commun/formatage writes it, spaces normalised (the sign aside)."""
    return f"{abs(valeur):,}".replace(",", " ") + " €"


def test_the_pdf_has_every_chapter_and_its_table_of_contents_gives_the_pages_they_start_on(version, tmp_path):
    contenu, pages = ecrire(version, "pdf")
    assert contenu.startswith(b"%PDF")
    texte = pdftotext(contenu, tmp_path)
    feuilles = [plat(f) for f in texte.split("\f")]
    assert len([f for f in feuilles if f]) == pages
    assert "Rapport relatif aux mutualisations de services et projet de schéma" in feuilles[0]
    assert "Version 1, pour le comité de pilotage" in feuilles[0]
    sommaire = next(k for k, f in enumerate(feuilles) if f.startswith("Sommaire") or " Sommaire " in f[:200])
    for titre in CHAPITRES.values():
        m = re.search(re.escape(titre) + r"[ .]*?(\d+)(?!\d)", feuilles[sommaire])
        assert m, f"« {titre} » absent du sommaire"
        annonce = int(m.group(1))
        debut = next(k for k, f in enumerate(feuilles) if k > sommaire and titre in f) + 1
        assert annonce == debut, f"« {titre} » : sommaire page {annonce}, chapitre page {debut}"
    tout = plat(texte)
    for mot in ("L5211-39-1", "2019", "indicateur de pilotage", "Ressources humaines", "Actions retenues"):
        assert mot in tout


def test_the_impact_table_of_every_format_carries_the_version_pages_figures(version, tmp_path, writer):
    tp = tableau_publie(version)
    bordeaux = next(l for l in tp.lignes if l.code == BORDEAUX)
    epci = next(l for l in tp.lignes if l.code == EPCI)
    assert bordeaux.presentation == REEL and epci.presentation == REEL
    attendus = [euros_fr(round(bordeaux.montants["d_cost"])), euros_fr(round(epci.montants["d_cost"]))]
    textes = {"pdf": pdftotext(ecrire(version, "pdf")[0], tmp_path)}
    for f in ("docx", "odt"):
        textes[f] = libreoffice_texte(ecrire(version, f)[0], f, tmp_path, writer)
    for f, texte in textes.items():
        t = plat(texte).replace("\u202f", " ").replace("\u00a0", " ")
        for a in attendus:
            assert a in t, (f, a)
        for titre in CHAPITRES.values():
            assert titre in t, (f, titre)


def test_the_office_files_have_real_headings_and_tables(version):
    import io
    import zipfile

    docx = zipfile.ZipFile(io.BytesIO(ecrire(version, "docx")[0])).read("word/document.xml").decode()
    assert docx.count('w:val="Heading1"') == len(CHAPITRES)
    assert "<w:tblHeader/>" in docx and 'TOC \\o "1-1"' in docx
    odt = zipfile.ZipFile(io.BytesIO(ecrire(version, "odt")[0]))
    contenu = odt.read("content.xml").decode()
    assert contenu.count('text:outline-level="1"') >= len(CHAPITRES)
    assert "<table:table-header-rows>" in contenu and "<text:table-of-content" in contenu
    assert any(n.endswith(".svg") for n in odt.namelist())  # the trajectory chart, as vectors


def test_the_command_writes_the_document_and_refuses_what_does_not_exist(version, capsys, tmp_path):
    sortie = tmp_path / "schema.pdf"
    status, _, err = run_command(
        capsys, "document", "schema", "--siren", EPCI, "--format", "pdf", "--output", str(sortie)
    )
    assert status == 0, err
    assert sortie.read_bytes().startswith(b"%PDF")
    sortie = tmp_path / "schema.odt"
    status, _, _ = run_command(
        capsys, "document", "schema", "--siren", EPCI, "--version", "1", "--format", "odt", "--output", str(sortie)
    )
    assert status == 0 and sortie.read_bytes().startswith(b"PK")
    cas = [
        (["--siren", "200000000", "--format", "pdf"], "territoire : aucun territoire de SIREN 200000000 dans la base"),
        (["--siren", EPCI, "--version", "7", "--format", "pdf"], "n'a pas de version 7 (versions : 1)"),
        (["--siren", EPCI, "--version", "un", "--format", "pdf"], "« un » n'est pas un numéro de version"),
        (["--siren", EPCI, "--format", "rtf"], "format « rtf » inconnu : attendu pdf, odt ou docx"),
    ]
    for arguments, message in cas:
        status, out, err = run_command(capsys, "document", "schema", *arguments, "--output", str(tmp_path / "x"))
        assert status == 2 and message in err and not out, (arguments, err)
    assert not (tmp_path / "x").exists()


def test_the_command_says_when_the_schema_has_no_version(cast, territoire, capsys, tmp_path):
    status, _, err = run_command(
        capsys, "document", "schema", "--siren", EPCI, "--format", "docx", "--output", str(tmp_path / "x")
    )
    assert status == 2 and "n'a aucune version figée" in err


def test_a_long_table_repeats_its_header_on_every_page_and_never_splits_a_row(tmp_path):
    from publication.blocs import Chapitre, Couverture, Document, Tableau
    from publication.pdf import pdf

    lignes = [[f"Commune numéro {i}", f"{i},0", f"{1000 * i} €"] for i in range(150)]
    doc = Document(
        Couverture("Territoire", "Titre", "Sous-titre", "2026-2032", "Version 1", "7 décembre 2026"),
        [Chapitre("impact", "Un long tableau", [Tableau("Légende", ["Organisation", "ETP", "Montant"], lignes)])],
        entete="Territoire – Schéma de mutualisation 2026-2032",
    )
    contenu, pages = pdf(doc)
    feuilles = pdftotext(contenu, tmp_path).split("\f")
    avec_le_tableau = [f for f in feuilles if "Commune numéro" in f]
    assert pages >= 4 and len(avec_le_tableau) >= 2
    assert all("Organisation" in f and "Montant" in f for f in avec_le_tableau)  # the header, on every page
    for i in range(150):  # each row whole on one page: its name and its amount together
        nom, montant = re.compile(rf"Commune numéro {i}(?!\d)"), re.compile(rf"(?<!\d){1000 * i}\s?€")
        page = next(f for f in avec_le_tableau if nom.search(f))
        assert montant.search(page), i
