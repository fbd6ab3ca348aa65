"""Issue 13 in a real browser: the project team opens the documents of a version, keeps Pessac at the
category average cost, shows Mérignac with its DGS's consent, asks for the PDF; the worker of the task
backend writes it while the page follows its progress (static/js/progression.js) and offers the file;
the layout page previews a cover. axe-core on each page."""

import pytest
from django.core.management import call_command

from tests.cast import MOT_DE_PASSE
from tests.e2e.conftest import check_accessibility, login
from tests.publication.conftest import figer_version

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def version(cast, territoire):
    return figer_version(cast, territoire)


def test_la_presentation_puis_le_document_prepare_en_arriere_plan(page, cast, territoire, version):
    login(page, "equipe-projet", MOT_DE_PASSE)
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
    page.goto(f"{page.base}/t/{territoire.code}/documents-du-schema/versions/{version.numero}/")
    check_accessibility(page)
    assert "moins de 5 agents" in page.locator("#ligne-33281").inner_text()
    page.get_by_label("Présentation de la ligne Mérignac").select_option("montrer")
    page.get_by_label("DGS qui a donné son accord (Mérignac)").select_option(label=str(cast["dgs_merignac"]))
    page.get_by_label("Accord donné le (Mérignac)").fill("2026-12-01")
    page.get_by_role("button", name="Enregistrer la présentation").click()
    page.get_by_text("Présentation des montants enregistrée avec la version.").wait_for()
    assert "accord de" in page.locator("#ligne-33281").inner_text()

    page.locator("#document-pdf").get_by_role("button", name="Préparer en PDF").click()
    page.get_by_text("Document demandé : il se prépare").wait_for()
    assert page.locator("#document-pdf progress").count() == 1
    check_accessibility(page)
    call_command(
        "db_worker", "--backend", "documents", "--queue-name", "documents", "--batch", "--no-startup-delay", verbosity=0
    )
    lien = page.locator("#document-pdf").get_by_role("link", name="télécharger")
    lien.wait_for(timeout=15000)  # the script read the progress and showed the ready file, with no click
    with page.expect_download() as attente:
        lien.click()
    assert attente.value.suggested_filename.endswith("-v1.pdf")

    page.goto(f"{page.base}/t/{territoire.code}/documents-du-schema/mise-en-page/")
    check_accessibility(page)
    page.locator("#id_titre").fill("Schéma de mutualisation 2026-2032")
    page.get_by_label("Introduction : Synthèse").fill("Le **bureau** a retenu trois priorités.")
    page.get_by_role("button", name="Prévisualiser").click()
    apercu = page.locator("#apercu")
    apercu.wait_for()
    assert "Schéma de mutualisation 2026-2032" in apercu.inner_text()
    assert apercu.locator("strong", has_text="bureau").count() == 1
    check_accessibility(page)
