"""How a scenario was built, on its page and in the list (issue 11, point 9): created empty it says « Construit
à la main »; filled from GT3 lines it says so, naming each group with a link to its GT3 list, whether those
lines come first or after hand-made actions; the optimiser's says it proposed it. The origin is stored when
the scenario is built; the demo's scenarios carry theirs."""

import importlib
from html import unescape

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX

pytestmark = pytest.mark.django_db


def u(territoire, name, **kwargs):
    return reverse(f"scenarios:{name}", kwargs={"code": territoire.code, **kwargs})


def lien_gt3(territoire, theme):
    return reverse("livrables:gt3", kwargs={"code": territoire.code, "theme": theme})


def origine(page: str) -> str:
    """The scenario page's origin paragraph, up to its version, its text unescaped."""
    return unescape(page.split('id="origine">')[1].split(" · version")[0]).strip()


@pytest.fixture
def ligne_paie(cast, territoire):
    from livrables.gt3.actions import livrable_gt3
    from livrables.models import LigneMutualisable

    livrable = livrable_gt3(territoire.schemas.get().groupes.get(theme="RH"), cast["equipe_projet"])
    ligne = LigneMutualisable.objects.create(
        livrable=livrable, activite=territoire.activites.get(code="RH-PAIE"), modalite="service_commun"
    )
    ligne.communes.set([territoire.organisations.get(code=BORDEAUX)])
    return ligne


@pytest.fixture
def equipe(cast, territoire, lot_courant, connecte):
    client = connecte(cast["equipe_projet"])
    assert client.post(u(territoire, "liste"), {"nom": "Paie commune", "partage_gains": "0"}).status_code == 302
    from scenarios.models import Scenario

    return client, Scenario.objects.get(nom="Paie commune")


def ajouter_ligne(client, territoire, scenario, ligne):
    data = {"lignes": [ligne.pk], "annee": "2028", "part": "100", "gain": "0"}
    assert client.post(u(territoire, "depuis_gt3", pk=scenario.pk), data).status_code == 302


def ajouter_a_la_main(client, territoire, scenario):
    bordeaux = territoire.organisations.get(code=BORDEAUX)
    data = {"theme": "FIN", "activite": "FIN-BUDG", "modalite": "service_commun", "part": "100", "gain": "0"}
    data.update(annee="2027", communes=[bordeaux.pk])
    assert client.post(u(territoire, "action_ajouter", pk=scenario.pk), data).status_code == 302


def test_a_scenario_filled_from_gt3_lines_names_their_group_with_a_link(cast, territoire, equipe, ligne_paie):
    client, scenario = equipe
    assert "Construit à la main" in origine(client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode())
    ajouter_ligne(client, territoire, scenario, ligne_paie)
    scenario.refresh_from_db()
    assert scenario.origine == "gt3"  # stored when it is built
    attendu = (
        f'Construit à partir des lignes GT3 du groupe <a href="{lien_gt3(territoire, "RH")}">Ressources humaines</a>'
    )
    page = client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    assert origine(page) == attendu
    liste = client.get(u(territoire, "liste")).content.decode()
    assert attendu in liste and "Construit à la main" not in liste


def test_a_scenario_filled_by_hand_says_so_and_then_names_the_gt3_lines_added(cast, territoire, equipe, ligne_paie):
    client, scenario = equipe
    ajouter_a_la_main(client, territoire, scenario)
    page = client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    assert origine(page) == "Construit à la main"
    scenario.refresh_from_db()
    assert scenario.origine == "manuel"
    ajouter_ligne(client, territoire, scenario, ligne_paie)
    page = client.get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    assert origine(page) == (
        f'Construit à partir des lignes GT3 du groupe <a href="{lien_gt3(territoire, "RH")}">Ressources humaines</a>'
        ", et à la main"
    )


def test_the_optimisers_scenario_says_it_proposed_it(cast, territoire, lot_courant, ligne_paie, connecte):
    from scenarios import actions, calcul
    from scenarios.enums import Origine

    schema = territoire.schemas.get()
    scenario = actions.do_creer(schema, cast["equipe_projet"], "Optimiseur", origine=Origine.OPTIMISEUR)
    actions.do_ajouter_actions(
        calcul.contexte(territoire), scenario, cast["equipe_projet"], [actions.depuis_gt3(ligne_paie, 2027)]
    )
    scenario.refresh_from_db()
    assert scenario.origine == "optimiseur"
    page = connecte(cast["elu_copil"]).get(u(territoire, "scenario", pk=scenario.pk)).content.decode()
    assert origine(page) == (
        "Proposé par l'optimiseur parmi les lignes GT3 du groupe "
        f'<a href="{lien_gt3(territoire, "RH")}">Ressources humaines</a>'
    )


def test_the_demo_scenarios_carry_their_origin(cast, territoire, lot_courant, connecte):
    from livrables.gt3 import demo as demo_gt3
    from scenarios import demo as demo_scenarios
    from scenarios.models import Scenario

    users = {"equipe-projet": cast["equipe_projet"], "consultant": cast["consultant"]}
    demo_gt3.charger(territoire, users)
    demo_scenarios.charger(territoire, users)
    cycle1 = Scenario.objects.get(nom__startswith="Cycle 1 :")
    elargi = Scenario.objects.get(nom="Cycle 1 élargi au numérique")
    assert (cycle1.origine, elargi.origine) == ("gt3", "gt3")
    client = connecte(cast["equipe_projet"])
    page = origine(client.get(u(territoire, "scenario", pk=cycle1.pk)).content.decode())
    assert page.startswith("Construit à partir des lignes GT3 des groupes ")
    assert f'href="{lien_gt3(territoire, "RH")}">Ressources humaines</a>' in page and "à la main" not in page
    page = origine(client.get(u(territoire, "scenario", pk=elargi.pk)).content.decode())
    assert page.endswith(", et à la main")  # the insurance group purchase is hand-made


def test_the_migration_gives_scenarios_filled_from_gt3_lines_their_origin(cast, territoire, lot_courant, ligne_paie):
    from django.apps import apps

    from scenarios import actions, calcul
    from scenarios.models import Scenario

    schema, equipe_projet = territoire.schemas.get(), cast["equipe_projet"]
    rempli = actions.do_creer(schema, equipe_projet, "Rempli avant la correction")
    actions.do_ajouter_actions(
        calcul.contexte(territoire), rempli, equipe_projet, [actions.depuis_gt3(ligne_paie, 2027)]
    )
    actions.do_creer(schema, equipe_projet, "Vide")
    Scenario.objects.filter(pk=rempli.pk).update(origine="manuel")  # as the writes left it before
    migration = importlib.import_module("scenarios.migrations.0003_origine_gt3")
    migration.origine_des_scenarios_remplis_depuis_gt3(apps, None)
    origines = dict(Scenario.objects.values_list("nom", "origine"))
    assert origines == {"Rempli avant la correction": "gt3", "Vide": "manuel"}
