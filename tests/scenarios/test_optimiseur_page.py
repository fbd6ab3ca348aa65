"""The optimiser page: GT3 lines become candidates, the engine chooses, the page explains, and the
selection becomes a scenario. Small payroll of tests/cast.py: 267 000 / 667 000 before; Bordeaux has
126 000 € (3 ETP) of RH, all on RH-PAIE, and 200 000 € (5 ETP) of FIN-BUDG."""

from html import unescape

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX

pytestmark = pytest.mark.django_db


@pytest.fixture
def lignes(cast, territoire, lot_courant):
    from livrables.gt3.actions import livrable_gt3
    from livrables.models import LigneMutualisable

    schema = territoire.schemas.get()
    bordeaux = territoire.organisations.get(code=BORDEAUX)

    def ligne(theme, activite, modalite, faisabilite):
        livrable = livrable_gt3(schema.groupes.get(theme=theme), cast["equipe_projet"])
        l = LigneMutualisable.objects.create(
            livrable=livrable,
            activite=territoire.activites.get(code=activite),
            modalite=modalite,
            faisabilite=faisabilite,
            qualification=3,
        )
        l.communes.set([bordeaux])
        return l

    return {
        "paie": ligne("RH", "RH-PAIE", "service_commun", "3"),
        "formation": ligne("RH", "RH-FORM", "service_commun", "4"),  # no Bordeaux agent: left out
        "budget": ligne("FIN", "FIN-BUDG", "service_commun", "2"),
        "achats": ligne("FIN", "FIN-BUDG", "groupement_commandes", "4+"),
    }


def url(territoire):
    return reverse("scenarios:optimiser", kwargs={"code": territoire.code})


def test_a_line_whose_base_the_reader_may_not_see_is_no_candidate(cast, territoire, lignes, connecte):
    # Bordeaux's RH-PAIE is three agents: a consultant may not see it, and choosing a target would give it back.
    page = connecte(cast["consultant"]).get(url(territoire)).content.decode()
    assert "masse salariale non diffusée pour vous" in page
    response = connecte(cast["consultant"]).post(url(territoire), {"mode": "cible", "cible": "55", "annee": "2027"})
    assert "58,92\u00a0%" not in response.content.decode()


def test_target_with_least_etp_then_creates_a_scenario(cast, territoire, lignes, connecte):
    client = connecte(cast["equipe_projet"])
    page = client.get(url(territoire)).content.decode()
    assert "modalité sans transfert de personnel" in page  # the groupement de commandes is left out
    response = client.post(url(territoire), {"mode": "cible", "cible": "55", "annee": "2027"})
    assert response.status_code == 200
    text = response.content.decode()
    # RH-PAIE (3 ETP) reaches 393 000 / 667 000 = 58,92 %; FIN would need 5 ETP.
    assert "Sélection optimale" in text and "58,92\u00a0%" in text
    assert "Paie" in text.split("tableau-selection")[1].split("</table>")[0]
    assert "la cible de coefficient" in text
    response = client.post(url(territoire), {"mode": "cible", "cible": "55", "annee": "2027", "creer": "1"})
    assert response.status_code == 302
    from scenarios.models import Scenario

    scenario = Scenario.objects.get(origine="optimiseur")
    action = scenario.actions.get()
    assert (action.ligne_gt3_id, action.annee, action.identifiant) == (
        lignes["paie"].pk,
        2027,
        f"GT3-{lignes['paie'].pk}",
    )


def test_budget_mode_names_the_budget_that_binds(cast, territoire, lignes, connecte):
    text = (
        connecte(cast["equipe_projet"])
        .post(url(territoire), {"mode": "budget", "budget": "4", "annee": "2026"})
        .content.decode()
    )
    assert "58,92\u00a0%" in text and "le budget d&#x27;ETP déplacés" in text


def test_unreachable_target_gives_the_best_reachable(cast, territoire, lignes, connecte):
    response = connecte(cast["equipe_projet"]).post(url(territoire), {"mode": "cible", "cible": "95", "annee": "2026"})
    assert response.status_code == 422
    # Both lines: (267 000 + 126 000 + 200 000) / 667 000 = 88,91 %.
    assert "inatteignable" in response.content.decode() and "88,91\u00a0%" in response.content.decode()


def test_minimum_feasibility_excludes_and_binds(cast, territoire, lignes, connecte):
    text = (
        connecte(cast["equipe_projet"])
        .post(url(territoire), {"mode": "budget", "budget": "10", "faisabilite_min": "3", "annee": "2026"})
        .content.decode()
    )
    assert "58,92\u00a0%" in text and "la faisabilité minimale" in text


def test_missing_target_is_a_form_error(cast, territoire, lignes, connecte):
    response = connecte(cast["equipe_projet"]).post(url(territoire), {"mode": "cible", "annee": "2026"})
    assert response.status_code == 400 and "indiquez le coefficient" in response.content.decode()


def test_only_scenario_builders_run_it(cast, territoire, lignes, connecte):
    assert connecte(cast["elu_copil"]).get(url(territoire)).status_code == 403
    assert (
        connecte(cast["dgs_bordeaux"])
        .post(url(territoire), {"mode": "cible", "cible": "55", "annee": "2026"})
        .status_code
        == 403
    )


def test_without_payroll_there_is_nothing_to_optimise(cast, territoire, connecte):
    response = connecte(cast["equipe_projet"]).post(url(territoire), {"mode": "cible", "cible": "55", "annee": "2026"})
    assert response.status_code == 422 and "rien à optimiser" in response.content.decode()


def label(page: str, champ: str) -> str:
    return unescape(page.split(f'<label for="id_{champ}">')[1].split("</label>")[0])


def test_the_target_and_the_budget_say_which_objective_requires_them(cast, territoire, lignes, connecte):
    # The engine takes exactly one of a target and a budget: neither is « facultatif » (issue 11, point 9).
    client = connecte(cast["equipe_projet"])
    page = client.get(url(territoire)).content.decode()
    cible, budget = label(page, "cible"), label(page, "budget")
    assert "facultatif" not in cible and "obligatoire si l'objectif est d'atteindre un coefficient cible" in cible
    assert "facultatif" not in budget and "obligatoire si l'objectif est de maximiser le coefficient" in budget
    assert "(facultatif)" in label(page, "plafond_annuel")  # truly optional: no yearly cap
    # Empty target with the budget objective: it runs; empty budget with it: the error names the budget.
    response = client.post(url(territoire), {"mode": "budget", "cible": "", "budget": "4", "annee": "2026"})
    assert response.status_code == 200 and "Sélection optimale" in response.content.decode()
    response = client.post(url(territoire), {"mode": "budget", "cible": "55", "budget": "", "annee": "2026"})
    assert response.status_code == 400 and "indiquez le nombre d&#x27;ETP déplacés au plus" in response.content.decode()
