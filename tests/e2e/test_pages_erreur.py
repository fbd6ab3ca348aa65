"""The error pages in a real browser: French, accessible (axe), with the way home."""

import pytest

from tests.cast import MOT_DE_PASSE
from tests.e2e.conftest import check_accessibility, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_not_found_and_forbidden_pages_are_french_and_accessible(page, cast, territoire):
    login(page, "elu-copil", MOT_DE_PASSE)
    for path, titre in ((f"/t/{territoire.code}/comptes/", "Accès refusé"), ("/nulle-part/", "Page introuvable")):
        page.goto(page.base + path)
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("h1").inner_text() == titre
        check_accessibility(page)
    page.get_by_role("link", name="L'accueil de Mutualis").click()
    assert page.locator("h1").count() == 1
