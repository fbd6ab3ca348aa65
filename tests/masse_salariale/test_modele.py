"""The payroll file template and the import page's column table (issue 11, point 2): the template has the
exact headers and an example line on the downloader's employer that imports as it is; every error of a
file is reported at once, the other employers' lines and the too-long texts included."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from formats.payroll import FIELDS
from masse_salariale.models import Lot
from tests.cast import BORDEAUX, EPCI, HEADER, MERIGNAC, payroll_csv
from tests.impression import verifier_xlsx

pytestmark = pytest.mark.django_db


def u(territoire, name, **kwargs):
    return reverse(f"masse_salariale:{name}", kwargs={"code": territoire.code, **kwargs})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_template_of_a_commune_dgs_imports_as_it_is(connecte, cast, territoire, fmt):
    client = connecte(cast["dgs_bordeaux"])
    response = client.get(u(territoire, "modele"), {"format": fmt})
    assert response.status_code == 200 and f'modele-masse-salariale.{fmt}"' in response["Content-Disposition"]
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(response.content))
        rows = list(wb["masse_salariale"].iter_rows(values_only=True))
        assert [c for c, _, _ in wb["colonnes"].iter_rows(min_row=2, values_only=True)] == [f.name for f in FIELDS]
    else:
        rows = [line.split(";") for line in response.content.decode().splitlines()]
    assert list(rows[0]) == [f.name for f in FIELDS] and rows[1][0] == BORDEAUX
    envoi = client.post(
        u(territoire, "importer"), {"fichier": SimpleUploadedFile(f"modele.{fmt}", response.content), "annee": 2025}
    )
    assert envoi.status_code == 302, envoi.content.decode()[:2000]
    assert Lot.objects.get().employeurs.get().organisation.code == BORDEAUX


def test_the_xlsx_template_prints_one_page_wide_with_header_and_footer(connecte, cast, territoire):
    """Issue 11, point 10: both sheets (twelve columns; the column descriptions 100 characters wide) print
    on A4 landscape, one page wide, the header row on every page, the template's title in the footer."""
    response = connecte(cast["dgs_bordeaux"]).get(u(territoire, "modele"), {"format": "xlsx"})
    assert response.status_code == 200
    verifier_xlsx(response.content, "Modèle de fichier de masse salariale", paysage={"masse_salariale", "colonnes"})


def test_the_project_team_s_template_is_on_the_epci(connecte, cast, territoire):
    response = connecte(cast["equipe_projet"]).get(u(territoire, "modele"))
    assert response.content.decode().splitlines()[1].startswith(f"{EPCI};")


def test_the_import_page_shows_the_columns_and_the_template(connecte, cast, territoire):
    html = connecte(cast["dgs_bordeaux"]).get(u(territoire, "lots")).content.decode()
    assert "modèle XLSX" in html and "<code>cout_annuel</code>" in html and "<code>beneficiaire</code>" in html


def test_ten_errors_of_different_kinds_come_at_once(connecte, cast, territoire):
    lignes = [
        f"{BORDEAUX};B1;FIN;40000;1;1;propre;;FIN-BUDG;B",  # fine
        f"{BORDEAUX};;FIN;40000;1;1;propre;;;B",  # 1 agent missing
        f"{BORDEAUX};B2;XYZ;40000;1;1;propre;;;B",  # 2 unknown theme
        f"{BORDEAUX};B3;FIN;quarante;1;1;propre;;;B",  # 3 cost not a number
        f"{BORDEAUX};B4;FIN;-5;1;1;propre;;;B",  # 4 negative cost
        f"{BORDEAUX};B5;FIN;40000;2;1;propre;;;B",  # 5 share above 1
        f"{BORDEAUX};B6;FIN;40000;1;1;mad;;;B",  # 6 mad without beneficiary
        f"{BORDEAUX};B7;FIN;40000;1;1;propre;;;Z",  # 7 unknown category
        "99999;B8;FIN;40000;1;1;propre;;;B",  # 8 employer outside the territory
        f"{MERIGNAC};M1;FIN;40000;1;1;propre;;;B",  # 9 another commune's line
        f"{BORDEAUX};B9;FIN;40000;1;1;propre;;{'X' * 25};B",  # 10 activity code too long
    ]
    response = connecte(cast["dgs_bordeaux"]).post(
        u(territoire, "importer"),
        {"fichier": SimpleUploadedFile("paie.csv", payroll_csv(*lignes, header=HEADER)), "annee": 2025},
    )
    assert response.status_code == 400
    erreurs = [e for e in response.context["erreurs"] if e.startswith("ligne ")]
    lignes_en_erreur = {int(e.split()[1]) for e in erreurs}
    assert lignes_en_erreur == set(range(3, 13)), erreurs
    assert any("vous ne pouvez importer que les lignes de votre organisation" in e for e in erreurs)
    assert any("20 caractères au plus" in e for e in erreurs)
    assert not Lot.objects.exists()
