"""Regression tests of the review of the decision-support feature (issue 5). Each test demonstrates one
confirmed defect; they fail until the code is fixed. Small payroll of tests/cast.py unless said."""

import io
import re

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX, EPCI, MERIGNAC, TALENCE, payroll_csv

pytestmark = pytest.mark.django_db


def u(territoire, name, **kwargs):
    return reverse(f"scenarios:{name}", kwargs={"code": territoire.code, **kwargs})


def action_post(territoire, communes=(BORDEAUX,), **champs):
    orgs = {o.code: o.pk for o in territoire.organisations.all()}
    data = {
        "theme": "RH",
        "activite": "RH-PAIE",
        "modalite": "service_commun",
        "part": "100",
        "gain": "10",
        "annee": "2027",
        "communes": [orgs[c] for c in communes],
    }
    data.update(champs)
    return data


def ligne_gt3(cast, territoire, theme, activite, modalite, communes, faisabilite="3"):
    from livrables.gt3.actions import livrable_gt3
    from livrables.models import LigneMutualisable

    livrable = livrable_gt3(territoire.schemas.get().groupes.get(theme=theme), cast["equipe_projet"])
    ligne = LigneMutualisable.objects.create(
        livrable=livrable,
        activite=territoire.activites.get(code=activite),
        modalite=modalite,
        faisabilite=faisabilite,
        qualification=3,
    )
    ligne.communes.set([territoire.organisations.get(code=c) for c in communes])
    return ligne


def erreurs_affichees(html: str) -> list[str]:
    bloc = re.search(r"Rien n.a été enregistré.*?</div>", html, re.S)
    return [re.sub("<[^>]+>", "", x) for x in re.findall(r"<li>(.*?)</li>", bloc.group(0), re.S)] if bloc else []


@pytest.fixture
def scenario(cast, territoire, lot_courant, connecte):
    connecte(cast["equipe_projet"]).post(u(territoire, "liste"), {"nom": "Paie commune", "partage_gains": "0"})
    from scenarios.models import Scenario

    return Scenario.objects.get(nom="Paie commune")


# 1. templates/scenarios/scenario.html:2 — the title block is not closed: the history table ends up in <title>.
def test_page_title_does_not_contain_the_history_table(cast, territoire, scenario, connecte):
    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire))
    text = client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    titre = re.search(r"<title>(.*?)</title>", text, re.S).group(1)
    assert "<table" not in titre and "Historique" not in titre
    assert text.count('id="historique-titre"') == 1


# 2. scenarios/secret.py:23 — agents per employer × theme include the `mad` agents, but an action's base
# excludes them: one agent's salary passes for a 3-agent cell (page, comparison, XLSX).
@pytest.fixture
def talence_un_agent_propre(cast, territoire, scenario, connecte):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    rows = [
        f"{TALENCE};T1;RH;41234;1;1;propre;;RH-PAIE;C",
        f"{TALENCE};T2;RH;30000;1;1;mad;{EPCI};RH-FORM;C",
        f"{TALENCE};T3;RH;30000;1;1;mad;{EPCI};RH-FORM;C",
    ]
    lot = do_preparer_lot(territoire, payroll_csv(*rows), "talence.csv", 2025, cast["equipe_projet"])
    do_confirmer_lot(lot, cast["equipe_projet"])
    response = connecte(cast["equipe_projet"]).post(
        u(territoire, "action_ajouter", pk=scenario.pk),
        action_post(territoire, communes=(TALENCE,), activite="", gain="0"),
    )
    assert response.status_code == 302
    return scenario


def test_one_agent_base_beside_mad_agents_is_secret_on_the_scenario_page(
    cast, territoire, talence_un_agent_propre, connecte
):
    text = connecte(cast["elu_copil"]).get(u(territoire, "scenario", pk=talence_un_agent_propre.pk)).content.decode()
    assert "41\u202f234" not in text  # Talence's only non-mad RH agent: moved payroll, AC, impact row


def test_one_agent_base_beside_mad_agents_is_secret_in_comparison_and_xlsx(
    cast, territoire, talence_un_agent_propre, connecte
):
    from openpyxl import load_workbook

    client = connecte(cast["dgs_bordeaux"])
    text = client.get(u(territoire, "comparer") + f"?s={talence_un_agent_propre.pk}").content.decode()
    assert "41\u202f234" not in text
    ws = load_workbook(io.BytesIO(client.get(u(territoire, "impact", pk=talence_un_agent_propre.pk)).content)).active
    valeurs = [abs(v) for r in ws.iter_rows(values_only=True) for v in r if isinstance(v, int | float)]
    assert 41234 not in valeurs


# 3. templates/scenarios/optimiser.html:31 (scenarios/views_optimiseur.py) — no secrecy at all: the AC total
# of a selection of one GT3 line on a one-agent base is that agent's salary.
def test_optimiser_does_not_show_one_agents_salary_as_the_ac_total(cast, territoire, lot_courant, connecte):
    ligne_gt3(cast, territoire, "RH", "RH-FORM", "service_commun", [MERIGNAC])  # M2 alone: 38 000 €
    for qui in ("dgs_metropole", "consultant"):
        text = (
            connecte(cast[qui])
            .post(u(territoire, "optimiser"), {"mode": "budget", "budget": "5", "annee": "2026"})
            .content.decode()
        )
        assert "Sélection optimale" in text
        assert "38\u202f000" not in text, qui


# 4. scenarios/views.py:250-255 — the copy's name is truncated to 120 characters after the uniqueness loop:
# a 120-character name gives back the original name, do_creer raises ActionRefusee, nobody catches it (500).
def test_duplicating_a_scenario_with_a_120_character_name_is_not_a_server_error(
    cast, territoire, lot_courant, connecte
):
    client = connecte(cast["equipe_projet"])
    client.raise_request_exception = False
    nom = "N" * 120
    assert client.post(u(territoire, "liste"), {"nom": nom, "partage_gains": "0"}).status_code == 302
    from scenarios.models import Scenario

    s = Scenario.objects.get(nom=nom)
    response = client.post(u(territoire, "dupliquer", pk=s.pk))
    assert response.status_code in (302, 400)
    assert Scenario.objects.count() == (2 if response.status_code == 302 else 1)


# 5. scenarios/views_optimiseur.py:122-135 — creating the scenario of a selection is not atomic (the scenario
# is created, then adding its actions is refused: an empty scenario stays, under « Scénario non créé »);
# and candidats_gt3 (line 45) proposes lines the scenario rules refuse (a commune no longer a member).
def test_optimiser_scenario_creation_is_all_or_nothing(cast, territoire, lot_courant, connecte):
    ligne_gt3(cast, territoire, "RH", "RH-FORM", "service_commun", [MERIGNAC])
    territoire.organisations.filter(code=MERIGNAC).update(membre=False)  # left the EPCI (territoire update)
    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "optimiser"), {"mode": "budget", "budget": "5", "annee": "2026", "creer": "1"})
    from scenarios.models import Scenario

    assert not Scenario.objects.exists()


def test_optimiser_does_not_select_a_line_on_a_commune_that_left_the_epci(cast, territoire, lot_courant, connecte):
    ligne_gt3(cast, territoire, "RH", "RH-FORM", "service_commun", [MERIGNAC])
    territoire.organisations.filter(code=MERIGNAC).update(membre=False)
    text = (
        connecte(cast["equipe_projet"])
        .post(u(territoire, "optimiser"), {"mode": "budget", "budget": "5", "annee": "2026"})
        .content.decode()
    )
    selection = text.split('id="tableau-selection"')[1].split("</table>")[0] if 'id="tableau-selection"' in text else ""
    assert "Formation" not in selection and "Mérignac" not in selection


# 6. scenarios/views_matrice.py:51 (livrables/gt3/enjeux.py, masse_de_ligne) — a line's payroll over several
# communes is shown when it covers 3 agents in all, even when all but one commune are public elsewhere:
# 148 000 € (Bordeaux RH-PAIE 126 000 €, 3 agents, + Mérignac's one agent made available, 22 000 €) on
# the matrix, minus Bordeaux's RH cell of the coefficient page, gives one agent's pay.
def test_matrix_sum_does_not_reveal_one_agent_by_difference(cast, territoire, lot_courant, connecte):
    ligne_gt3(cast, territoire, "RH", "RH-PAIE", "service_commun", [BORDEAUX, MERIGNAC])
    for qui in ("elu_copil", "dgs_bordeaux"):
        client = connecte(cast[qui])
        matrice = client.get(reverse("scenarios:matrice", kwargs={"code": territoire.code})).content.decode()
        coefficient = client.get(f"/t/{territoire.code}/coefficient/").content.decode()
        assert not ("148\u202f000" in matrice and "126\u202f000" in coefficient), qui


# 7. scenarios/actions.py:54 — the engine's file messages are shown as they are on the web form: field keys
# and modalité codes of docs/contrats §5 (charges_associees, cout_unitaire, service_commun…) the form never shows.
@pytest.mark.parametrize(
    "champs",
    [
        {"modalite": "entente", "charges_associees": "100"},
        {"modalite": "service_commun", "economie": "100"},
        {"modalite": "service_commun", "cout_unitaire": "100", "unites": "3"},
    ],
)
def test_refusals_on_the_web_speak_the_forms_language(cast, territoire, scenario, connecte, champs):
    response = connecte(cast["equipe_projet"]).post(
        u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire, **champs)
    )
    assert response.status_code == 400
    messages = " ".join(erreurs_affichees(response.content.decode()))
    assert messages
    assert not re.search(
        r"charges_associees|cout_unitaire|\bunites\b|\beconomie\b|service_commun|mad_|"
        r"groupement_commandes|mise_en_commun_biens",
        messages,
    ), messages
    assert scenario.actions.count() == 0
