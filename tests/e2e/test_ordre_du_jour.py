"""Planning a meeting in a real browser: the agenda follows the chosen stage (static/js/ordre_du_jour.js)
until the user writes her own, which a change of stage then keeps (issue 11, point 7)."""

import re

import pytest

from seances.models import Seance
from seances.trames import ORDRES_DU_JOUR
from tests.cast import MOT_DE_PASSE
from tests.e2e.conftest import check_accessibility, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_agenda_follows_the_stage_until_the_user_writes_her_own(page, cast, territoire):
    login(page, "copilote-rh-commune", MOT_DE_PASSE)
    page.wait_for_url(re.compile(rf"/t/{territoire.code}/$"))
    page.goto(f"{page.base}/t/{territoire.code}/groupes/RH/seances/nouvelle/?etape=GT1")
    etape, texte = page.get_by_label("Étape"), page.get_by_label("Ordre du jour")
    assert texte.input_value() == ORDRES_DU_JOUR["GT1"]
    check_accessibility(page)

    etape.select_option("GT3")
    assert texte.input_value() == ORDRES_DU_JOUR["GT3"]
    assert "trame de l'étape « GT3" in page.locator("[data-annonce-trame]").inner_text()
    etape.select_option("AUTRE")
    assert texte.input_value() == ""
    etape.select_option("GT2")
    assert texte.input_value() == ORDRES_DU_JOUR["GT2"]

    texte.fill("1. Point sur la paie\n2. Calendrier")
    etape.select_option("GT3")
    assert texte.input_value() == "1. Point sur la paie\n2. Calendrier"
    assert "est gardé" in page.locator("[data-annonce-trame]").inner_text()
    etape.select_option("AUTRE")
    assert texte.input_value() == "1. Point sur la paie\n2. Calendrier"

    page.get_by_label("Date").fill("2030-07-03")
    page.get_by_label("Heure de début").fill("09:30")
    page.get_by_label("Heure de fin").fill("12:00")
    page.get_by_label("Lieu").fill("Salle du conseil")
    page.get_by_role("button", name="Planifier la séance").click()
    page.get_by_text("Séance planifiée.").wait_for()
    seance = Seance.objects.get()
    assert seance.etape == "AUTRE"
    assert seance.ordre_du_jour.replace("\r\n", "\n") == "1. Point sur la paie\n2. Calendrier"  # as sent
