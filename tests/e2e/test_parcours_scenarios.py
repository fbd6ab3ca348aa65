"""Issue 5's journey in a real browser: the project team builds a scenario from GT3 lines, reads the
coefficient and the legal impact table, changes an action and sees both change, duplicates it, compares
the two side by side, and runs the optimiser, then turns its selection into a scenario. axe-core on each
page. Small payroll of tests/cast.py: 267 000 / 667 000 = 40,03 % before."""

import re

import pytest

from tests.cast import BORDEAUX, MOT_DE_PASSE
from tests.e2e.conftest import check_accessibility, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def lignes(cast, territoire, lot_courant):
    from livrables.gt3.actions import do_creer_ligne

    groupes = {g.theme: g for g in territoire.schemas.get().groupes.all()}
    bordeaux = territoire.organisations.get(code=BORDEAUX)

    def creer(theme, code, faisabilite):
        return do_creer_ligne(
            groupes[theme],
            cast["equipe_projet"],
            {
                "activite": territoire.activites.get(code=code),
                "modalite": "service_commun",
                "toutes_communes": False,
                "communes": [bordeaux],
                "qualification": 4,
                "faisabilite": faisabilite,
            },
        )

    return {"paie": creer("RH", "RH-PAIE", "3"), "budget": creer("FIN", "FIN-BUDG", "2")}


def texte(locator) -> str:
    """The text with French number spaces (narrow and no-break) as plain spaces."""
    return locator.inner_text().replace("\u202f", " ").replace("\u00a0", " ")


def coefficient(page) -> str:
    return texte(page.locator("#coefficient-apres"))


def test_scenario_depuis_le_gt3_comparaison_et_optimiseur(page, territoire, lignes):
    login(page, "equipe-projet", MOT_DE_PASSE)
    page.wait_for_url(lambda url: "/comptes/connexion/" not in url)
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Scénarios").click()
    page.get_by_role("heading", name="Scénarios de mutualisation").wait_for()
    check_accessibility(page)

    # A new scenario, then the RH payroll line of GT3 added for 2027 with a 10 % productivity gain.
    page.get_by_label("Nom du scénario").fill("Paie en 2027")
    page.get_by_role("button", name="Créer le scénario").click()
    page.get_by_role("heading", name="Paie en 2027").wait_for()
    formulaire = page.locator("#form-gt3")
    formulaire.get_by_label("Paie et gestion administrative des carrières").check()
    formulaire.get_by_label("Année d'effet (1er janvier)").select_option("2027")
    formulaire.get_by_label("Gain de productivité (%)").fill("10")
    formulaire.get_by_role("button", name="Ajouter les lignes cochées").click()
    page.get_by_text("1 action ajoutée depuis les lignes GT3").wait_for()
    # 380 400 / 654 400 after the service commun (docs/contrats §5).
    assert coefficient(page) == "58,13 %"
    impact = texte(page.locator("#tableau-impact"))
    assert "Bordeaux" in impact and "−126 000 €" in impact and "+12 600 €" in impact
    trajectoire = texte(page.locator("#tableau-trajectoire"))
    assert re.search(r"2026\s+40,03", trajectoire) and re.search(r"2027\s+58,13", trajectoire)
    check_accessibility(page)

    # Without the gain: the coefficient and the impact table change.
    page.get_by_role("link", name=re.compile("Modifier l'action GT3-")).click()
    page.get_by_label("Gain de productivité (%)").fill("0")
    page.get_by_role("button", name="Enregistrer l'action").click()
    page.wait_for_load_state()
    if page.locator(".erreur").count():
        raise AssertionError(page.locator("main").inner_text()[:3000])
    page.get_by_text(re.compile("Action « GT3-.* » modifiée")).wait_for()
    assert coefficient(page) == "58,92 %"
    assert "+12 600 €" not in texte(page.locator("#tableau-impact"))  # the EPCI no longer keeps a gain

    # A variant with the budget line too, compared side by side.
    page.get_by_role("button", name="Dupliquer le scénario").click()
    page.get_by_role("heading", name="Paie en 2027 (copie)").wait_for()
    page.locator("#form-gt3").get_by_label("Préparation et exécution budgétaire").check()
    page.locator("#form-gt3").get_by_role("button", name="Ajouter les lignes cochées").click()
    page.get_by_text("1 action ajoutée depuis les lignes GT3").wait_for()
    assert coefficient(page) == "88,91 %"  # (267 000 + 126 000 + 200 000) / 667 000
    page.get_by_role("link", name="Scénarios", exact=True).first.click()
    page.get_by_label("Comparer « Paie en 2027 »").check()
    page.get_by_label("Comparer « Paie en 2027 (copie) »").check()
    page.get_by_role("button", name="Comparer les scénarios cochés").click()
    page.get_by_role("heading", name="Synthèse").wait_for()
    synthese = texte(page.locator("#tableau-comparaison"))
    assert "58,92 %" in synthese and "88,91 %" in synthese
    assert page.locator("figure.graphique svg polyline").count() == 2
    check_accessibility(page)

    # The optimiser: reach 55 % with the least moved ETP → the payroll line alone (3 ETP, not 5).
    page.goto(page.base + f"/t/{territoire.code}/decision/optimiseur/")
    page.get_by_label("Coefficient cible (%)").fill("55")
    page.get_by_role("button", name="Calculer la sélection optimale").click()
    page.get_by_role("heading", name="Sélection optimale").wait_for()
    selection = page.locator("#tableau-selection").inner_text()
    assert "Paie et gestion" in selection and "budgétaire" not in selection
    check_accessibility(page)
    page.get_by_role("button", name="Créer un scénario avec cette sélection").click()
    page.get_by_text("créé avec la sélection de l'optimiseur").wait_for()
    assert coefficient(page) == "58,92 %"
