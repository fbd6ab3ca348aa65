"""Scenarios in the web (issue 5, point 3): built by hand or from GT3 lines, figures from the engine on
the imported payroll (tests/cast.py's small payroll: coefficient 267 000 / 667 000 before), the legal
impact table, secrecy of small bases, all-or-nothing refusals, comparison and the JSON file."""

import json

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX, MERIGNAC
from tests.impression import verifier_xlsx

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


@pytest.fixture
def scenario(cast, territoire, lot_courant, connecte):
    client = connecte(cast["equipe_projet"])
    response = client.post(u(territoire, "liste"), {"nom": "Paie commune", "partage_gains": "0"})
    assert response.status_code == 302
    from scenarios.models import Scenario

    return Scenario.objects.get(nom="Paie commune")


def test_project_team_builds_a_scenario_and_reads_its_figures(cast, territoire, scenario, connecte):
    client = connecte(cast["equipe_projet"])
    response = client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire))
    assert response.status_code == 302
    text = client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    # Before 267 000 / 667 000; Bordeaux's payroll (126 000 €, 3 ETP) moves with a 10 % gain:
    # numerator + 113 400, denominator − 12 600 → 380 400 / 654 400.
    assert "40,03\u00a0%" in text and "58,13\u00a0%" in text
    assert "126\u202f000\u00a0€" in text  # moved payroll of the action
    assert "−126\u202f000\u00a0€" in text  # Bordeaux's attribution de compensation (FPU, no share of gains)
    assert "Impact prévisionnel sur les effectifs et les dépenses de fonctionnement" in text
    assert "+12\u202f600\u00a0€" in text  # the EPCI keeps the gain: its net effect
    assert "paie.csv" in text  # where the figures come from
    scenario.refresh_from_db()
    assert scenario.version == 2


def test_overlapping_action_is_refused_naming_both_and_nothing_is_saved(cast, territoire, scenario, connecte):
    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire, identifiant="paie"))
    response = client.post(
        u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire, activite="", identifiant="rh")
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "« paie »" in text and "« rh »" in text and "Rien n'a été enregistré" in text
    assert list(scenario.actions.values_list("identifiant", flat=True)) == ["paie"]


def test_form_errors_are_french_and_say_where(cast, territoire, scenario, connecte):
    client = connecte(cast["equipe_projet"])
    response = client.post(
        u(territoire, "action_ajouter", pk=scenario.pk),
        action_post(territoire, communes=(), part="150", gain="100", activite="FIN-BUDG"),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "au plus 100 %" in text and "au plus 99,99 %" in text
    assert "pas du thème choisi" in text
    assert "cochez au moins une commune" in text
    assert scenario.actions.count() == 0


def test_scenario_from_gt3_lines(cast, territoire, scenario, connecte):
    from livrables.gt3.actions import livrable_gt3
    from livrables.models import LigneMutualisable

    groupe = territoire.schemas.get().groupes.get(theme="RH")
    livrable = livrable_gt3(groupe, cast["equipe_projet"])
    ligne = LigneMutualisable.objects.create(
        livrable=livrable,
        activite=territoire.activites.get(code="RH-PAIE"),
        modalite="service_commun",
        qualification=4,
        faisabilite="3",
    )
    ligne.communes.set([territoire.organisations.get(code=BORDEAUX)])
    sans_modalite = LigneMutualisable.objects.create(
        livrable=livrable, activite=territoire.activites.get(code="RH-FORM")
    )
    client = connecte(cast["consultant"])
    page = client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    assert f'id="gt3-{ligne.pk}"' in page and f'id="gt3-{sans_modalite.pk}"' not in page
    response = client.post(
        u(territoire, "depuis_gt3", pk=scenario.pk), {"lignes": [ligne.pk], "annee": "2028", "part": "100", "gain": "0"}
    )
    assert response.status_code == 302
    action = scenario.actions.get()
    assert (action.identifiant, action.ligne_gt3_id, action.annee, action.theme, action.activite) == (
        f"GT3-{ligne.pk}",
        ligne.pk,
        2028,
        "RH",
        "RH-PAIE",
    )
    page = client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    assert "déjà dans le scénario" in page
    # Numerator + 126 000, denominator unchanged: 393 000 / 667 000 from 2028 on. The base is three agents: the
    # consultant who built the scenario may not see the coefficient (a chosen part would give the base back),
    # the project team does.
    assert "58,92\u00a0%" not in page and "non diffusé" in page
    assert (
        "58,92\u00a0%"
        in connecte(cast["equipe_projet"]).get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    )


def test_one_agent_base_and_the_coefficient_computed_from_it_are_hidden_outside(cast, territoire, scenario, connecte):
    connecte(cast["equipe_projet"]).post(
        u(territoire, "action_ajouter", pk=scenario.pk),
        action_post(territoire, communes=(MERIGNAC,), activite="RH-FORM"),
    )
    text = connecte(cast["elu_copil"]).get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    assert "non diffusé" in text
    assert "38\u202f000\u00a0€" not in text  # Mérignac's one agent in training
    assert "Coefficient après le scénario" in text


def test_readers_read_and_cannot_write(cast, territoire, scenario, connecte):
    client = connecte(cast["dgs_merignac"])
    assert client.get(u(territoire, "scenario", pk=scenario.pk)).status_code == 200
    assert "Ajouter une action" not in client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    assert client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire)).status_code == 403
    assert client.post(u(territoire, "liste"), {"nom": "Le mien", "partage_gains": "0"}).status_code == 403
    assert scenario.actions.count() == 0


def test_json_file_is_a_formats_scenario_the_command_line_reads(cast, territoire, scenario, connecte):
    from engine import scenario as moteur
    from formats.scenario import lire_scenario
    from scenarios.calcul import territoire_moteur

    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire, charges_associees="1000"))
    response = client.get(u(territoire, "export", pk=scenario.pk))
    document = json.loads(response.content)
    assert document["actions"] == [
        {
            "id": "A1",
            "theme": "RH",
            "activite": "RH-PAIE",
            "communes": [BORDEAUX],
            "modalite": "service_commun",
            "part": 1.0,
            "gain": 0.1,
            "annee": 2027,
            "charges_associees": 1000.0,
        }
    ]
    relu = lire_scenario(response.content, "s.json", territoire_moteur(territoire))
    assert isinstance(relu, moteur.Scenario) and relu.actions[0].charges_associees == 1000


def test_comparison_side_by_side(cast, territoire, scenario, connecte):
    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire))
    client.post(u(territoire, "dupliquer", pk=scenario.pk))
    from scenarios.models import Scenario

    copie = Scenario.objects.get(nom="Paie commune (copie)")
    action = copie.actions.get()
    response = client.post(
        u(territoire, "action_modifier", pk=copie.pk, action=action.pk),
        action_post(territoire, gain="0", identifiant="A1"),
    )
    assert response.status_code == 302
    text = client.get(u(territoire, "comparer") + f"?s={scenario.pk}&s={copie.pk}").content.decode()
    assert "Paie commune (copie)" in text and "58,13\u00a0%" in text and "58,92\u00a0%" in text
    assert "<svg" in text


def test_list_shows_each_scenario_coefficient(cast, territoire, scenario, connecte):
    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire))
    text = client.get(u(territoire, "liste")).content.decode()
    assert "Paie commune" in text and "58,13\u00a0%" in text and "+18,10\u00a0pt" in text


def test_delete_action_and_scenario(cast, territoire, scenario, connecte):
    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire))
    action = scenario.actions.get()
    assert client.post(u(territoire, "action_supprimer", pk=scenario.pk, action=action.pk)).status_code == 302
    assert scenario.actions.count() == 0
    assert client.post(u(territoire, "supprimer", pk=scenario.pk)).status_code == 302
    from scenarios.models import Scenario

    assert not Scenario.objects.filter(pk=scenario.pk).exists()


def test_edit_page_shows_shares_as_percentages_that_post_back(cast, territoire, scenario, connecte):
    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire, gain="12,5"))
    action = scenario.actions.get()
    assert str(action.gain) == "0.1250"
    page = client.get(u(territoire, "action_modifier", pk=scenario.pk, action=action.pk)).content.decode()
    assert 'name="part" value="100"' in page and 'name="gain" value="12,5"' in page
    response = client.post(
        u(territoire, "action_modifier", pk=scenario.pk, action=action.pk),
        action_post(territoire, part="100", gain="12,5", identifiant=action.identifiant),
    )
    assert response.status_code == 302


def test_impact_table_as_xlsx_with_the_pages_secrecy(cast, territoire, scenario, connecte):
    import io

    from openpyxl import load_workbook

    equipe = connecte(cast["equipe_projet"])
    equipe.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire, gain="0"))
    equipe.post(
        u(territoire, "action_ajouter", pk=scenario.pk),
        action_post(territoire, communes=(MERIGNAC,), activite="RH-FORM", identifiant="form"),
    )

    def lire(who):
        response = connecte(cast[who]).get(u(territoire, "impact", pk=scenario.pk))
        assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
        ws = load_workbook(io.BytesIO(response.content)).active
        start = next(r for r in range(1, 8) if ws.cell(r, 1).value == "Organisation")
        assert ws.cell(start, 12).value == "Effet net"
        return {r[0]: r for r in ws.iter_rows(min_row=start + 1, values_only=True) if r[0] and r[1] is not None}

    rows = lire("equipe_projet")
    assert rows["Bordeaux"][6] == -126000 and rows["Bordeaux"][10] == -126000  # payroll out, AC down
    assert rows["Mérignac"][6] == -38000  # the project team sees every amount
    assert all(isinstance(v, int) for r in rows.values() for v in r[4:] if not isinstance(v, str))  # to the euro
    rows = lire("elu_copil")
    assert rows["Mérignac"][5].startswith("non diffusé")  # one agent in training
    assert 38000 not in [abs(v) for r in rows.values() for v in r[4:] if isinstance(v, int)]


def test_impact_xlsx_prints_landscape_with_the_table_header_repeated(cast, territoire, scenario, connecte):
    """Issue 11, point 10: the impact table prints on A4 landscape, one page wide, its header row (row 4,
    below the title lines) on every page, and the scenario and territory in the footer (« & » kept)."""
    scenario.nom = "Paie & formation"
    scenario.save(update_fields=["nom"])
    equipe = connecte(cast["equipe_projet"])
    equipe.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire))
    response = equipe.get(u(territoire, "impact", pk=scenario.pk))
    assert response.status_code == 200
    classeur = verifier_xlsx(
        response.content,
        "Impact prévisionnel – Paie & formation – Bordeaux Métropole",
        paysage={"Impact prévisionnel"},
        entetes={"Impact prévisionnel": 4},
    )
    assert classeur["Impact prévisionnel"].cell(4, 1).value == "Organisation"


def test_history_says_who_changed_what(cast, territoire, scenario, connecte):
    client = connecte(cast["equipe_projet"])
    client.post(u(territoire, "action_ajouter", pk=scenario.pk), action_post(territoire, identifiant="paie"))
    text = client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    historique = text.split('id="historique-titre"')[1]
    assert "a ajouté des actions à un scénario" in historique and "paie" in historique
    assert "a créé un scénario de mutualisation" in historique


def test_pages_read_in_a_bounded_number_of_queries(cast, territoire, scenario, connecte, django_assert_max_num_queries):
    from scenarios import actions, calcul

    ctx = calcul.contexte(territoire)
    communes = list(territoire.organisations.communes())
    actions.do_ajouter_actions(
        ctx,
        scenario,
        cast["equipe_projet"],
        [
            (
                {
                    "theme": theme,
                    "activite": "",
                    "toutes": False,
                    "modalite": "service_commun",
                    "part": 1,
                    "gain": 0,
                    "annee": 2027,
                },
                [commune],
                None,
            )
            for theme in ("FIN", "RH", "CPAJ", "SI", "BML")
            for commune in communes
        ],
    )  # 20 actions
    for k in range(4):
        actions.do_dupliquer(scenario, cast["equipe_projet"], f"Copie {k}")
    client = connecte(cast["equipe_projet"])
    # +1 on each page that shows amounts: the audit of reading's row (masse_salariale/consultations.py).
    with django_assert_max_num_queries(22):  # 18 with no action, 19 with 20 actions
        assert client.get(u(territoire, "scenario", pk=scenario.pk)).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(u(territoire, "liste")).status_code == 200
    pks = "&".join(f"s={s.pk}" for s in scenario.schema.scenarios.all()[:4])
    with django_assert_max_num_queries(25):
        assert client.get(u(territoire, "comparer") + "?" + pks).status_code == 200
