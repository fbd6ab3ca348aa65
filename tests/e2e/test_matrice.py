"""The schéma's priority matrix in a real browser: an élu reads it from the navigation, axe-core finds no
serious or critical violation, the theme filter narrows the chart, the keyboard reaches a bubble and
following it opens the GT3 line; a hidden payroll amount shows neither in the chart nor in the table."""

import re

import pytest

from tests.cast import BORDEAUX, MERIGNAC, MOT_DE_PASSE
from tests.e2e.conftest import check_accessibility, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lignes(cast, territoire, lot_courant):
    from livrables.gt3.actions import do_creer_ligne

    groupes = {g.theme: g for g in territoire.schemas.get().groupes.all()}

    def creer(theme, code, communes=(), **valeurs):
        return do_creer_ligne(
            groupes[theme],
            cast["equipe_projet"],
            {
                "activite": territoire.activites.get(code=code),
                "modalite": "service_commun",
                "toutes_communes": not communes,
                "communes": [territoire.organisations.get(code=c) for c in communes],
                **valeurs,
            },
        )

    return {
        "paie": creer("RH", "RH-PAIE", qualification=4, faisabilite="3"),
        "formation": creer("RH", "RH-FORM", [MERIGNAC, BORDEAUX], qualification=4, faisabilite="3"),
        "budget": creer("FIN", "FIN-BUDG", [BORDEAUX], qualification=2, faisabilite="4+"),
        "comptabilite": creer("FIN", "FIN-COMP", [BORDEAUX], qualification=3),
    }


def test_un_elu_lit_la_matrice_filtre_et_suit_une_bulle(page, territoire, lignes):
    from commun.formatage import euros

    login(page, "elu-copil", MOT_DE_PASSE)
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Matrice de priorité").click()
    page.wait_for_url(re.compile(r"/decision/matrice/$"))
    page.get_by_role("heading", name="Matrice de priorité du schéma").wait_for()
    assert page.locator("a.matrice-bulle").count() == 3
    # Bordeaux's budget (one commune's detail), Mérignac's training (one agent) and the payroll over every
    # commune (Mérignac's one agent would be its difference with Bordeaux's public RH cell): hidden
    assert page.locator("a.matrice-bulle.matrice-secret").count() == 3
    assert euros(200_000) not in page.content()
    assert page.get_by_role("table", name=re.compile("3 activités placées")).is_visible()
    assert "pas de faisabilité retenue par le groupe" in page.locator("#non-placees ~ div table").inner_text()
    check_accessibility(page)

    page.get_by_label("Thème", exact=True).select_option("RH")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url(re.compile(r"theme=RH"))
    assert page.locator("a.matrice-bulle").count() == 2
    assert page.locator("a.matrice-bulle[data-theme='FIN']").count() == 0
    check_accessibility(page)

    # the keyboard reaches the bubbles; following one opens its GT3 line
    bulle = page.locator(f"a.matrice-bulle[data-ligne='{lignes['paie'].pk}']")
    bulle.focus()
    assert bulle.evaluate("el => document.activeElement === el")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/groupes/RH/livrables/gt3/{lignes['paie'].pk}/$"))
