"""Regression tests of the findings of issue 9, each on the smallest payroll that showed it."""

import pytest
from django.urls import reverse

from commun.formatage import euros
from masse_salariale.confidentialite import registres
from tests.cast import BORDEAUX, EPCI, HEADER, MERIGNAC, PESSAC, TALENCE, payroll_csv

pytestmark = pytest.mark.django_db


def importer(territoire, user, rows, annee=2025):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    lot = do_preparer_lot(territoire, payroll_csv(*rows, header=HEADER), "paie.csv", annee, user)
    return do_confirmer_lot(lot, user)


def agents(employeur, prefixe, n, theme="FIN", cout=40000, activite="FIN-BUDG", situation="propre", beneficiaire=""):
    return [f"{employeur};{prefixe}{i};{theme};{cout};1;1;{situation};{beneficiaire};{activite};B" for i in range(n)]


def get(client, territoire, name, **params):
    return client.get(reverse(name, kwargs={"code": territoire.code}), params)


def test_a_commune_hidden_on_the_coefficient_page_has_its_total_hidden_on_its_detail_page(connecte, cast, territoire):
    # Bouliac: four agents in all, shown nowhere to a member, neither as a row nor as a drill-down total.
    importer(
        territoire,
        cast["equipe_projet"],
        [
            *agents(EPCI, "E", 8),
            *agents(BORDEAUX, "B", 9),
            *agents(MERIGNAC, "M", 2),
            *agents(MERIGNAC, "N", 2, theme="RH", activite="RH-PAIE", cout=30000),
        ],
    )
    client = connecte(cast["elu_copil"])
    rows = {r.cle[0]: r for r in get(client, territoire, "masse_salariale:coefficient").context["lignes"]}
    assert not rows[MERIGNAC].visible
    detail = get(client, territoire, "masse_salariale:detail", employeur=MERIGNAC)
    assert not detail.context["total"].visible
    assert euros(140000) not in detail.content.decode()


def test_a_year_where_one_commune_alone_imported_shows_no_theme_total(connecte, cast, territoire):
    importer(territoire, cast["equipe_projet"], agents(PESSAC, "P", 3), annee=2026)
    html = get(connecte(cast["elu_copil"]), territoire, "masse_salariale:coefficient", annee=2026).content.decode()
    assert euros(120000) not in html and euros(40000) not in html
    assert "non diffusé" in html


def test_an_agent_split_between_a_base_and_a_mise_a_disposition_counts_once(cast, territoire):
    from comptes.perms import Acces
    from masse_salariale.confidentialite import lecture
    from masse_salariale.lecture import paie_courante

    importer(
        territoire,
        cast["equipe_projet"],
        [
            f"{MERIGNAC};M1;RH;44000;0,5;1;propre;;RH-PAIE;B",
            f"{MERIGNAC};M1;RH;44000;0,5;1;mad;{EPCI};RH-PAIE;B",
            f"{MERIGNAC};M2;RH;38000;1;1;propre;;RH-PAIE;C",
        ],
    )
    l = lecture(territoire, paie_courante(territoire), Acces(cast["equipe_projet"], territoire))
    assert l.ligne("organisation", MERIGNAC).agents == 2  # two people, not three lines
    assert l.cellule(MERIGNAC, "RH").agents == 2 and l.cellule(MERIGNAC, "RH", EPCI).agents == 1


def test_a_commune_dgs_reads_all_of_her_communes_detail(connecte, cast, territoire, lot_courant):
    # Mérignac: one agent half made available to the EPCI, one in training: every amount shown to her DGS.
    response = get(connecte(cast["dgs_merignac"]), territoire, "masse_salariale:detail", employeur=MERIGNAC)
    assert response.context["fine"] and response.context["rows"]
    assert all(r.montant.visible for r in response.context["rows"])
    assert response.context["total"].visible
    # while an élu attached to Mérignac is not one of its own users
    from tests.cast import creer_utilisateur

    elue = creer_utilisateur(territoire, "elue-merignac", "elu", MERIGNAC)
    response = get(connecte(elue), territoire, "masse_salariale:detail", employeur=MERIGNAC)
    assert not response.context["fine"] and not any(r.montant.visible for r in response.context["rows"])


def scenario_avec(cast, territoire, *actions):
    from scenarios import actions as faire
    from scenarios import calcul

    schema = territoire.schemas.get()
    scenario = faire.do_creer(schema, cast["equipe_projet"], "Constat")
    faire.do_ajouter_actions(calcul.contexte(territoire), scenario, cast["equipe_projet"], list(actions))
    return scenario


def action(ident, theme, communes, territoire, activite=""):
    valeurs = {
        "theme": theme,
        "activite": activite,
        "toutes": False,
        "modalite": "service_commun",
        "part": 1,
        "gain": 0,
        "annee": 2027,
        "economie": 0,
        "charges_associees": 0,
        "cout_unitaire": None,
        "unites": None,
    }
    return valeurs, list(territoire.organisations.filter(code__in=communes)), ident


def test_the_moved_payroll_is_the_grid_cell_so_no_difference_gives_a_mise_a_disposition(connecte, cast, territoire):
    # Bruges, Lormont, Mérignac: the grid cell held the agents made available to the EPCI, the moved payroll
    # did not: the difference was one agent's pay. Both are now the commune's own agents, apart from its agents
    # made available (here five: a lone one would hide the own cell too, its theme total being published).
    importer(
        territoire,
        cast["equipe_projet"],
        [
            *agents(EPCI, "E", 8, theme="RH", activite="RH-PAIE"),
            *agents(BORDEAUX, "B", 9, theme="RH", activite="RH-PAIE"),
            *agents(MERIGNAC, "M", 6, theme="RH", activite="RH-PAIE", cout=90000),
            *agents(MERIGNAC, "X", 5, theme="RH", activite="RH-PAIE", cout=64543, situation="mad", beneficiaire=EPCI),
            *agents(MERIGNAC, "F", 6, cout=20000),
            *agents(PESSAC, "P", 7, theme="RH", activite="RH-PAIE"),
        ],
    )
    s = scenario_avec(cast, territoire, action("rh", "RH", [MERIGNAC], territoire))
    client = connecte(cast["elu_copil"])
    grille = {
        (row["organisation"].code, c["theme"]): c["montant"]
        for row in get(client, territoire, "masse_salariale:coefficient").context["matrice"]["lignes"]
        for c in row["cellules"]
    }
    page = client.get(reverse("scenarios:scenario", kwargs={"code": territoire.code, "pk": s.pk}))
    deplace = page.context["par_action"][0]["masse"]
    assert grille[(MERIGNAC, "RH")].visible and deplace.visible
    assert deplace.affiche == grille[(MERIGNAC, "RH")].affiche == 540000
    assert euros(5 * 64543) not in page.content.decode()  # the grid never adds the agents made available


def test_a_cell_hidden_to_protect_a_neighbour_is_hidden_on_scenario_pages_too(connecte, cast, territoire):
    # Bassens: its RH cell was hidden on the coefficient page only to protect its one-agent FIN cell, but
    # shown on a scenario page: row total − visible cells − scenario amount gave the one agent's pay.
    importer(
        territoire,
        cast["equipe_projet"],
        [
            *agents(EPCI, "E", 8),
            *agents(BORDEAUX, "B", 9),
            *agents(PESSAC, "P", 9, theme="RH", activite="RH-PAIE"),
            *agents(TALENCE, "T", 1, cout=54377),
            *agents(TALENCE, "U", 6, theme="RH", activite="RH-PAIE", cout=30000),
        ],
    )
    s = scenario_avec(cast, territoire, action("rh", "RH", [TALENCE], territoire))
    client = connecte(cast["elu_copil"])
    with registres() as lectures:
        coefficient = get(client, territoire, "masse_salariale:coefficient")
    motif = lectures[0].motif
    grille = {
        (row["organisation"].code, c["theme"]): c["montant"]
        for row in coefficient.context["matrice"]["lignes"]
        for c in row["cellules"]
    }
    assert not grille[(TALENCE, "FIN")].visible and not grille[(TALENCE, "RH")].visible
    assert motif.caches  # the RH cell is a secondary suppression
    page = client.get(reverse("scenarios:scenario", kwargs={"code": territoire.code, "pk": s.pk}))
    assert not page.context["par_action"][0]["masse"].visible
    html = page.content.decode()
    assert euros(180000) not in html and euros(54377) not in html


def test_a_scenario_s_coefficient_does_not_give_back_a_hidden_base_its_author_chose_the_part_of(
    connecte, cast, territoire
):
    # A consultant bisected an action's « part » while watching the coefficient after it (rounded to 0,01 pt)
    # and recovered a one-agent cell to ±3 € (review of issue 9). A coefficient computed from a base the reader
    # may not see is hidden like the base: on the scenario, the list, the comparison and the impact workbook.
    import io

    from openpyxl import load_workbook

    importer(
        territoire,
        cast["equipe_projet"],
        [
            *agents(EPCI, "E", 8),
            *agents(BORDEAUX, "B", 9),
            *agents(PESSAC, "P", 7, theme="RH", activite="RH-PAIE"),
            *agents(MERIGNAC, "M", 6, theme="RH", activite="RH-PAIE"),
            f"{MERIGNAC};X1;FIN;42722,23;1;1;propre;;FIN-RECE;A",
        ],
    )
    s = scenario_avec(cast, territoire, action("x", "FIN", [MERIGNAC], territoire, activite="FIN-RECE"))
    client = connecte(cast["consultant"])
    page = client.get(reverse("scenarios:scenario", kwargs={"code": territoire.code, "pk": s.pk}))
    assert not page.context["coefficient_apres"].visible and not page.context["ecart"].visible
    assert not page.context["par_action"][0]["coefficient"].visible
    assert not any(y["coefficient"].visible for a, y in page.context["trajectoire"].items() if a >= 2027)
    apres = page.context["coefficient_apres"].valeur
    html = page.content.decode()
    from commun.formatage import pourcent

    assert pourcent(apres, 2) not in html
    liste = client.get(reverse("scenarios:liste", kwargs={"code": territoire.code})).content.decode()
    comparaison = client.get(reverse("scenarios:comparer", kwargs={"code": territoire.code}), {"s": s.pk})
    assert pourcent(apres, 2) not in liste and pourcent(apres, 2) not in comparaison.content.decode()
    classeur = client.get(reverse("scenarios:impact", kwargs={"code": territoire.code, "pk": s.pk})).content
    assert pourcent(apres, 2) not in str(load_workbook(io.BytesIO(classeur)).active["A2"].value)
    # the project team sees it
    equipe = connecte(cast["equipe_projet"]).get(
        reverse("scenarios:scenario", kwargs={"code": territoire.code, "pk": s.pk})
    )
    assert equipe.context["coefficient_apres"].visible and pourcent(apres, 2) in equipe.content.decode()
