"""Issue 14 in a real browser: on an approved schéma, the project team updates two items, imports the
payroll of 2026, reads planned versus actual, prepares the 2027 report (its PDF written by the worker)
and finds in it the figures of the page. axe-core on each page."""

import re

import pytest
from django.core.management import call_command

from tests.cast import MOT_DE_PASSE, payroll_csv
from tests.e2e.conftest import check_accessibility, login
from tests.publication.conftest import pdftotext
from tests.suivi.conftest import approuver_version, paie_2026

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approuvee(cast, territoire):
    return approuver_version(cast, territoire)


def test_le_suivi_de_l_annee_et_son_etat_d_avancement(page, cast, territoire, approuvee, tmp_path):
    login(page, "equipe-projet", MOT_DE_PASSE)
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
    suivi = f"{page.base}/t/{territoire.code}/suivi/"
    page.goto(suivi)
    check_accessibility(page)
    assert "Aucune masse salariale postérieure à 2025" in page.content()

    # Two items updated: A1 under way at 60 % with its convention signed; A3 done.
    for ident, statut, avancement in (("A1", "En cours", "60"), ("A3", "Réalisée", "")):
        page.goto(suivi)
        page.locator("#tableau-elements").get_by_role("link", name=ident, exact=True).click()
        page.get_by_label("Statut").select_option(label=statut)
        page.get_by_label("Avancement (%)").fill(avancement)
        if ident == "A1":
            page.locator("#id_jalon_convention").fill("2026-09-01")
        page.get_by_role("button", name="Enregistrer", exact=True).click()
        page.get_by_text(f"Action {ident} mise à jour.").wait_for()
    check_accessibility(page)

    # The payroll of 2026 imported through the usual page.
    fichier = tmp_path / "paie_2026.csv"
    fichier.write_bytes(payroll_csv(*paie_2026()))
    page.goto(f"{page.base}/t/{territoire.code}/masse-salariale/")
    page.get_by_label("Fichier de masse salariale").set_input_files(str(fichier))
    page.get_by_label("Année de référence").fill("2026")
    page.get_by_role("button", name="Vérifier le fichier").click()
    page.get_by_role("button", name="Confirmer l'import").click()
    page.get_by_role("heading", name="Coefficient de mutualisation des services").wait_for()

    page.goto(suivi)
    page.get_by_role("heading", name="Prévu et réalisé en 2026").wait_for()
    check_accessibility(page)
    elements = page.locator("#tableau-elements").inner_text()
    assert "réalisé en 2026 pour 2 communes sur 3" in elements
    orgs = page.get_by_role("table", name=re.compile("Par organisation")).inner_text()
    ligne_epci = next(l for l in orgs.splitlines() if l.startswith("Bordeaux Métropole"))
    chiffres_page = ligne_epci.split("\t")[1:5]
    assert chiffres_page == ["6,0", "22,0", "17,0", "27,0"]

    # The 2027 report: prepared, its PDF written in the background, the page's figures in it.
    page.get_by_role("link", name="États d'avancement").click()
    page.get_by_label("Année du rapport").fill("2027")
    page.get_by_label("Date de la séance").fill("2027-02-15")
    page.get_by_role("button", name="Préparer").click()
    page.get_by_role("heading", name="État d'avancement 2027 du schéma").wait_for()
    check_accessibility(page)
    page.locator("#document-pdf").get_by_role("button", name="Préparer en PDF").click()
    page.get_by_text("Document demandé").first.wait_for()
    call_command(
        "db_worker", "--backend", "documents", "--queue-name", "documents", "--batch", "--no-startup-delay", verbosity=0
    )
    lien = page.locator("#document-pdf").get_by_role("link", name="télécharger")
    lien.wait_for(timeout=15000)
    with page.expect_download() as attente:
        lien.click()
    texte = pdftotext(attente.value.path().read_bytes(), tmp_path)
    plat = " ".join(texte.split())
    assert "réalisé en 2026 pour 2 communes sur 3" in plat
    assert "Bordeaux Métropole " + " ".join(chiffres_page) in plat
    assert "En cours" in plat and "60 %" in plat
