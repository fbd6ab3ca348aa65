"""The coefficient page and its drill-downs: figures from the engine, and who sees what."""

import re

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC

pytestmark = pytest.mark.django_db

NUM = 4 * 50000 + 45000 + 22000  # EPCI FIN + EPCI RH transfere + Mérignac's half agent mad to the EPCI
DEN = NUM + 5 * 40000 + 3 * 42000 + 38000 + 36000


def page(client, territoire, name="masse_salariale:coefficient", **params):
    url = reverse(name, kwargs={"code": territoire.code})
    return client.get(url, params)


def test_page_shows_the_coefficient_and_its_parts(connecte, cast, territoire, lot_courant):
    response = page(connecte(cast["elu_copil"]), territoire)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["result"].numerator == pytest.approx(NUM)
    assert response.context["result"].denominator == pytest.approx(DEN)
    assert "40,03\u00a0%" in html  # 267000 / 667000
    assert "267\u202f000\u00a0€" in html and "667\u202f000\u00a0€" in html
    assert "management" not in html and "indicateur de gestion" in html
    assert "jamais servi au calcul de la dotation globale de fonctionnement" in html


def test_page_without_payroll_says_so(connecte, cast, territoire):
    html = page(connecte(cast["equipe_projet"]), territoire).content.decode()
    assert "Aucune masse salariale" in html


def test_commune_theme_cell_under_three_agents_is_hidden_outside_the_employer(connecte, cast, territoire, lot_courant):
    # Mérignac has 2 functional agents: hidden for Bordeaux's DGS, shown to Mérignac's.
    for who, visible in (("dgs_bordeaux", False), ("dgs_merignac", True), ("elu_copil", False)):
        response = page(connecte(cast[who]), territoire)
        rows = {r.cle[0]: r for r in response.context["lignes"]}
        assert rows[MERIGNAC].visible is visible, who
        assert rows[BORDEAUX].visible or who == "dgs_merignac"


def test_a_single_hidden_cell_drags_a_second_one(connecte, cast, territoire, lot_courant):
    # In the organisation list, Mérignac (2 agents) and Pessac (1) are hidden for an élu; no single
    # hidden cell can be recovered from the total.
    rows = page(connecte(cast["elu_copil"]), territoire).context["lignes"]
    hidden = [r.cle[0] for r in rows if not r.visible and r.montant]
    assert set(hidden) >= {MERIGNAC, PESSAC}
    assert len(hidden) != 1


def test_drill_down_is_fine_only_for_the_employer_and_the_project_team(connecte, cast, territoire, lot_courant):
    for who, fine in (("dgs_bordeaux", True), ("equipe_projet", True), ("dgs_merignac", False), ("consultant", False)):
        response = page(connecte(cast[who]), territoire, "masse_salariale:detail", employeur=BORDEAUX)
        assert response.status_code == 200
        assert response.context["fine"] is fine, who
        activities = {r.extra.get("activite") for r in response.context["rows"]}
        assert ("FIN-BUDG" in activities) is fine


def test_numerator_drill_down_lists_what_counts(connecte, cast, territoire, lot_courant):
    response = page(connecte(cast["equipe_projet"]), territoire, "masse_salariale:detail", part="numerateur")
    rows = response.context["rows"]
    assert sum(r.montant.valeur for r in rows) == pytest.approx(NUM)
    assert response.context["total"].affiche == NUM
    # the communes' agents made available to the EPCI form one row per theme (a published line)
    assert {r.cle[0] for r in rows} == {EPCI, "MAD"}
    # Mérignac's agent made available is one agent: the project team sees it, marked confidential
    mad = [r.montant for r in rows if r.cle[0] == "MAD"]
    assert [(m.visible, m.confidentiel, m.affiche) for m in mad] == [(True, True, 22000)]
    assert "confidentiel" in response.content.decode()


def test_no_page_ever_shows_an_agent_identifier(connecte, cast, territoire, lot_courant):
    client = connecte(cast["dgs_merignac"])
    for name, params in (
        ("masse_salariale:coefficient", {}),
        ("masse_salariale:detail", {"employeur": MERIGNAC}),
        ("masse_salariale:lots", {}),
        ("espace:territoire", {}),
    ):
        html = page(client, territoire, name, **params).content.decode()
        assert not re.search(r"\b(M1|M2|E0|B0)\b", html)


def test_year_selector_switches_reference_year(connecte, cast, territoire, lot_courant):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot
    from tests.cast import payroll_csv

    lot = do_preparer_lot(
        territoire, payroll_csv(f"{PESSAC};P1;FIN;30000;1;1;propre;;;C"), "2024.csv", 2024, cast["equipe_projet"]
    )
    do_confirmer_lot(lot, cast["equipe_projet"])
    client = connecte(cast["equipe_projet"])
    assert page(client, territoire).context["paie"].annee == 2025
    response = page(client, territoire, annee="2024")
    assert response.context["paie"].annee == 2024
    assert response.context["result"].denominator == pytest.approx(30000)


def test_territory_page_lists_communes_and_current_batches(connecte, cast, territoire, lot_courant):
    response = page(connecte(cast["dgs_bordeaux"]), territoire, "espace:territoire")
    html = response.content.decode()
    for name in ("Bordeaux", "Mérignac", "Pessac", "Talence"):
        assert name in html
    assert "267\u202f991" in html
    assert [o.code for o in response.context["sans_lot"]] == ["33522"]


def test_pages_run_a_bounded_number_of_queries(connecte, cast, territoire, lot_courant, django_assert_max_num_queries):
    client = connecte(cast["equipe_projet"])
    with django_assert_max_num_queries(20):
        page(client, territoire)
    with django_assert_max_num_queries(20):
        page(client, territoire, "espace:territoire")


def test_project_team_changes_the_functional_list(connecte, cast, territoire, lot_courant):
    url = reverse("masse_salariale:fonctionnels", kwargs={"code": territoire.code})
    assert connecte(cast["dgs_bordeaux"]).post(url, {"themes": ["RH"]}).status_code == 403
    client = connecte(cast["equipe_projet"])
    client.post(url, {"themes": []})  # refused: at least one theme
    territoire.refresh_from_db()
    assert territoire.themes_fonctionnels == ("FIN", "RH", "CPAJ", "SI", "BML")
    client.post(url, {"themes": ["RH", "FIN"]})
    territoire.refresh_from_db()
    assert territoire.themes_fonctionnels == ("FIN", "RH")
    response = page(client, territoire)
    assert response.context["result"].functional_themes == ("FIN", "RH")
    assert response.context["result"].denominator == pytest.approx(200000 + 45000 + 22000 + 200000 + 126000 + 38000)
    assert "Finances, Ressources humaines." in response.content.decode()


def test_no_hidden_cell_can_be_recovered_from_the_published_totals(connecte, cast, territoire, lot_courant):
    """Every published line shown to a reader who knows no cell holds zero hidden cells, or hidden cells
    that together are diffusible (two one-agent cells are no protection of each other)."""
    from engine.confidentialite import diffusible, union
    from masse_salariale.confidentialite import registres

    for who in ("elu_copil", "consultant", "dgs_bordeaux"):
        with registres() as lectures:
            response = page(connecte(cast[who]), territoire)
        lecture = lectures[0]
        t, m = lecture.tableau, lecture.motif
        assert m.primaires, who
        for nom, cles in t.lignes.items():
            cachees = [k for k in cles if k in m.caches]
            if nom in m.lignes_cachees:
                assert not lecture.ligne(*nom).visible, (who, nom)
                continue
            assert not cachees or (len(cachees) >= 2 and diffusible(union(t.cellules[k] for k in cachees))), (who, nom)
        # RH: numerator = EPCI RH (1 transferred agent) + Mérignac's half agent made available: both hidden
        grid = {
            (row["organisation"].code, c["theme"]): c
            for row in response.context["matrice"]["lignes"]
            for c in row["cellules"]
            if not c["vide"]
        }
        assert not grid[(EPCI, "RH")]["montant"].visible, who


def test_drill_down_shows_grid_cells_as_the_grid_does(connecte, cast, territoire, lot_courant):
    client = connecte(cast["elu_copil"])
    grid_page = page(client, territoire)
    visible = {
        (row["organisation"].code, c["theme"]): c["montant"].visible
        for row in grid_page.context["matrice"]["lignes"]
        for c in row["cellules"]
        if not c["vide"]
    }
    rows = page(client, territoire, "masse_salariale:detail").context["rows"]
    checked = 0
    for r in rows:
        if r.cle[0] != "MAD" and len(r.cle) == 3 and r.cle[2] == "":
            assert r.visible == visible[(r.cle[0], r.cle[1])], r.cle
            checked += 1
    assert checked >= 4
