"""The foundation journey in a real browser: log in, upload a payroll file with errors and read each
one with its line, upload a valid one, confirm, and read the coefficient and its breakdowns."""

import re

import pytest

from tests.cast import BORDEAUX, EPCI, MOT_DE_PASSE, payroll_csv, payroll_rows_small
from tests.e2e.conftest import check_accessibility, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_errors_then_valid_file_then_coefficient(page, cast, territoire, tmp_path):
    bad = tmp_path / "paie_erreurs.csv"
    bad.write_bytes(
        payroll_csv(
            f"{EPCI};E1;FIN;50000;1;1;propre;;;A",
            f"{BORDEAUX};B1;FIN;40 000,50;150 %;1;propre;;;B",
            "99999;X1;RH;30000;1;1;propre;;;C",
            f"{BORDEAUX};B2;FIN;abc;1;1;mad;;;B",
        )
    )
    good = tmp_path / "paie_2025.csv"
    good.write_bytes(payroll_csv(*payroll_rows_small()))

    login(page, "equipe-projet", MOT_DE_PASSE)
    page.get_by_role("link", name="Masse salariale").click()
    check_accessibility(page)

    page.get_by_label("Fichier de masse salariale").set_input_files(str(bad))
    page.get_by_label("Année de référence").fill("2025")
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_role("heading", name=re.compile("n'a pas été importé")).wait_for()
    errors = page.get_by_role("list", name="Erreurs").get_by_role("listitem").all_inner_texts()
    assert any(e.startswith("ligne 3 : quotite « 150 % »") for e in errors), errors
    assert any(e.startswith("ligne 4 : employeur « 99999 »") for e in errors), errors
    assert any(e.startswith("ligne 5 : cout_annuel « abc »") for e in errors), errors
    assert any(e.startswith("ligne 5 : ") and "beneficiaire" in e for e in errors), errors
    check_accessibility(page)

    page.get_by_role("link", name="Importer un autre fichier").click()
    page.get_by_label("Fichier de masse salariale").set_input_files(str(good))
    page.get_by_label("Année de référence").fill("2025")
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_role("button", name="Confirmer l'import").wait_for()
    assert "Mérignac" in page.content()
    check_accessibility(page)
    page.get_by_role("button", name="Confirmer l'import").click()

    page.get_by_role("heading", name="Coefficient de mutualisation des services").wait_for()
    assert "40,03" in page.locator(".chiffre-principal").inner_text()
    assert "267 000" in page.get_by_role("link", name=re.compile("267")).first.inner_text().replace("\u202f", " ")
    themes = page.get_by_role("table", name="Coefficient par thème fonctionnel")
    assert "Finances" in themes.inner_text() and "Ressources humaines" in themes.inner_text()
    assert page.get_by_role("img", name=re.compile("Coefficient par thème")).count() == 1
    check_accessibility(page)

    page.get_by_role("link", name="Ressources humaines").first.click()
    page.get_by_role("heading", name="Ce qu'il y a derrière le chiffre").wait_for()
    assert "RH-PAIE" in page.content()
    check_accessibility(page)


def test_dgs_sees_only_commune_theme_level_for_another_commune(page, cast, territoire, lot_courant):
    login(page, "dgs-merignac", MOT_DE_PASSE)
    page.goto(page.base + f"/t/{territoire.code}/coefficient/detail/?employeur={BORDEAUX}")
    content = page.content()
    assert "FIN-BUDG" not in content and "Bordeaux" in content
    page.goto(page.base + f"/t/{territoire.code}/")
    check_accessibility(page)


def test_dgs_reads_her_own_detail_and_designates_a_payroll_referent(page, cast, territoire, lot_courant):
    from tests.cast import MERIGNAC, creer_utilisateur

    creer_utilisateur(territoire, "rh-merignac", "membre", MERIGNAC, theme="RH")
    login(page, "dgs-merignac", MOT_DE_PASSE)
    page.goto(page.base + f"/t/{territoire.code}/coefficient/detail/?employeur={MERIGNAC}")
    assert "non diffusé" not in page.content() and "RH-FORM" in page.content()
    assert "Confidentialité des rémunérations" in page.content()
    check_accessibility(page)
    page.goto(page.base + f"/t/{territoire.code}/masse-salariale/")
    page.get_by_role("link", name="référents paie de Mérignac").click()
    check_accessibility(page)
    page.get_by_role("button", name="Désigner référent paie : rh-merignac").click()
    assert "est désormais référent paie de Mérignac" in page.content()
    check_accessibility(page)
