"""A territory built for the publication rule: one payroll where moving RH-PAIE from every commune moves
6 agents of Bordeaux (diffusible), 1 of Mérignac (61 237 €, category A), 2 of Pessac and 3 of Talence;
the version frozen from that scenario; helpers to read every format back as text."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest

from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE, payroll_csv

SALAIRE_MERIGNAC = 61237  # the one agent's loaded cost: it must never appear unless « montrer »


def lignes_paie() -> list[str]:
    rows = [f"{EPCI};E{i};FIN;50000;1;1;propre;;FIN-BUDG;A" for i in range(6)]
    rows += [f"{BORDEAUX};B{i};RH;{40000 + 1000 * i};1;1;propre;;RH-PAIE;C" for i in range(6)]
    rows += [f"{BORDEAUX};F{i};FIN;45000;1;1;propre;;FIN-BUDG;B" for i in range(5)]
    rows.append(f"{MERIGNAC};M1;RH;{SALAIRE_MERIGNAC};1;1;propre;;RH-PAIE;A")
    rows += [f"{MERIGNAC};MF{i};FIN;41000;1;1;propre;;FIN-BUDG;B" for i in range(5)]
    rows += [f"{PESSAC};P1;RH;30000;1;1;propre;;RH-PAIE;C", f"{PESSAC};P2;RH;31000;1;1;propre;;RH-PAIE;B"]
    rows += [f"{TALENCE};T{i};RH;{29000 + 3000 * i};1;1;propre;;RH-PAIE;C" for i in range(3)]
    return rows


@pytest.fixture
def version(cast, territoire):
    return figer_version(cast, territoire)


def figer_version(cast, territoire):
    """The payroll above imported, RH-PAIE of the four communes in a service commun, frozen for the comité."""
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot
    from parcours.actions import do_figer_version
    from scenarios import calcul
    from scenarios.actions import do_ajouter_actions, do_creer

    equipe = cast["equipe_projet"]
    lot = do_preparer_lot(territoire, payroll_csv(*lignes_paie()), "paie.csv", 2025, equipe)
    do_confirmer_lot(lot, equipe)
    schema = territoire.schemas.get()
    scenario = do_creer(schema, equipe, "Paie commune")
    valeurs = {
        "theme": "RH",
        "activite": "RH-PAIE",
        "modalite": "service_commun",
        "part": Decimal("1"),
        "gain": Decimal("0"),
        "annee": 2027,
    }
    communes = list(territoire.organisations.filter(code__in=[BORDEAUX, MERIGNAC, PESSAC, TALENCE]))
    do_ajouter_actions(calcul.contexte(territoire), scenario, equipe, [(valeurs, communes, None)])
    return do_figer_version(schema, scenario, "comite", equipe)


def organisation(territoire, code):
    return territoire.organisations.get(code=code)


AUJOURDHUI = dt.date(2026, 12, 7)


def pdftotext(contenu: bytes, tmp_path, nom="doc.pdf", *options) -> str:
    chemin = tmp_path / nom
    chemin.write_bytes(contenu)
    return subprocess.run(["pdftotext", *options, str(chemin), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def writer(tmp_path):
    """LibreOffice able to open a text document (CI installs it)."""
    import os

    skip = pytest.fail if os.environ.get("CI") == "true" else pytest.skip
    if not shutil.which("soffice"):
        skip("LibreOffice (soffice) absent")
    return tmp_path / "profil"


def libreoffice_texte(contenu: bytes, extension: str, tmp_path, profil) -> str:
    """Convert an office file with LibreOffice headless to PDF (it must succeed), then read the PDF's text."""
    source = tmp_path / f"document.{extension}"
    source.write_bytes(contenu)
    sortie = tmp_path / f"converti-{extension}"
    resultat = subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{profil}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(sortie),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )
    assert resultat.returncode == 0, resultat.stderr.decode()
    pdf = sortie / "document.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0, (resultat.stdout + resultat.stderr).decode()
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def sans_espaces(texte: str) -> str:
    """Text with every kind of space removed: amounts are grouped by narrow no-break spaces."""
    return "".join(texte.split()).replace("\u202f", "").replace("\u00a0", "")
