"""The rule of confidentiality of pay, the suppression pattern and the audit (engine.confidentialite)."""

import pytest

from engine.confidentialite import (
    RAISON_DOMINANCE,
    RAISON_EFFECTIF,
    Publie,
    audit,
    diffusible,
    motif,
    raison,
    union,
)


def agents(n, montant=40_000.0, prefixe="a"):
    return {f"{prefixe}{i}": montant for i in range(n)}


@pytest.mark.parametrize(
    "contributions, attendu",
    [
        (agents(5), None),
        (agents(4), RAISON_EFFECTIF),
        ({}, RAISON_EFFECTIF),
        ({**agents(4), "chef": 4 * 40_000 * 4.0}, None),  # the top agent is exactly 80 %: still diffusible
        ({**agents(4), "chef": 4 * 40_000 * 4.0 + 1}, RAISON_DOMINANCE),
        ({**agents(5), "zero": 0.0}, None),
        ({**agents(4), "zero": 0.0}, RAISON_EFFECTIF),  # an agent costing nothing is no protection
    ],
)
def test_the_rule_is_five_distinct_agents_and_no_agent_above_80_percent(contributions, attendu):
    assert raison(contributions) == attendu
    assert diffusible(contributions) is (attendu is None)


def test_an_agent_split_across_two_cells_counts_once_in_their_sum():
    a = {"x": 10.0, "y": 10.0, "z": 10.0}
    b = {"x": 5.0, "u": 10.0}
    assert union([a, b]) == {"x": 15.0, "y": 10.0, "z": 10.0, "u": 10.0}
    assert not diffusible(union([a, b]))  # 4 people, not 5 cell entries


def _lignes(cellules):
    lignes = {}
    for r, c in cellules:
        lignes.setdefault(("row", r), []).append((r, c))
        lignes.setdefault(("col", c), []).append((r, c))
    return lignes


def test_no_small_cell_hides_nothing():
    cellules = {("A", "x"): agents(5, prefixe="A"), ("B", "x"): agents(6, prefixe="B")}
    m = motif(cellules, _lignes(cellules))
    assert m.caches == frozenset() and m.lignes_cachees == frozenset()


def test_a_single_hidden_cell_drags_a_second_one_on_each_of_its_lines():
    cellules = {
        ("A", "x"): agents(1, prefixe="A"),
        ("A", "y"): agents(9, prefixe="Ay"),
        ("B", "x"): agents(9, prefixe="Bx"),
        ("B", "y"): agents(9, prefixe="By"),
    }
    m = motif(cellules, _lignes(cellules))
    assert m.primaires == {("A", "x")}
    for nom, cles in _lignes(cellules).items():
        cachees = [k for k in cles if k in m.caches]
        assert len(cachees) != 1, nom
    assert m.caches == frozenset(cellules)  # a 2 × 2 table: all four, or a lone cell would be recovered


def test_two_small_hidden_cells_are_not_a_protection_of_each_other():
    # Ambès: two one-agent cells in one row: together two agents, not diffusible.
    cellules = {
        ("A", "x"): agents(1, prefixe="Ax"),
        ("A", "y"): agents(1, prefixe="Ay"),
        ("A", "z"): agents(7, prefixe="Az"),
        ("B", "x"): agents(7, prefixe="Bx"),
        ("B", "y"): agents(7, prefixe="By"),
        ("B", "z"): agents(7, prefixe="Bz"),
    }
    m = motif(cellules, {("row", "A"): [("A", "x"), ("A", "y"), ("A", "z")]})
    assert m.caches == {("A", "x"), ("A", "y"), ("A", "z")}


def test_the_second_cell_is_one_that_makes_the_hidden_sum_diffusible():
    cellules = {
        ("A", "x"): agents(1, prefixe="Ax"),
        ("A", "y"): agents(5, 1_000, prefixe="Ay"),
        ("A", "z"): agents(6, 50_000, prefixe="Az"),
    }
    m = motif(cellules, {("row", "A"): list(cellules)})
    # y is smaller, but x's agent would be 89 % of x + y: z is taken
    assert m.caches == {("A", "x"), ("A", "z")}


def test_a_dominant_agent_makes_a_cell_primary():
    cellules = {("A", "x"): {**agents(5, 1_000), "dir": 100_000.0}, ("A", "y"): agents(8, prefixe="y")}
    m = motif(cellules, {("row", "A"): list(cellules)})
    assert m.primaires == {("A", "x")}
    assert m.caches == {("A", "x"), ("A", "y")}


def test_known_cells_are_shown_and_never_the_second_hidden_cell():
    cellules = {
        ("A", "x"): agents(1, prefixe="A"),
        ("B", "x"): agents(1, prefixe="B"),
        ("C", "x"): agents(9, prefixe="C"),
    }
    m = motif(cellules, {("col", "x"): list(cellules)}, connues=[("B", "x")])
    assert ("B", "x") not in m.caches
    assert m.caches == {("A", "x"), ("C", "x")}


def test_a_line_that_cannot_be_protected_has_its_total_hidden():
    cellules = {("A", "x"): agents(2, prefixe="A"), ("A", "y"): agents(2, prefixe="B")}
    m = motif(cellules, {("row", "A"): list(cellules)})
    assert m.caches == set(cellules) and m.lignes_cachees == {("row", "A")}


def test_silent_cells_are_taken_first():
    cellules = {
        ("A", "x"): agents(1, prefixe="A"),
        ("A", "y"): agents(6, 1_000, prefixe="y"),
        ("A", "autre"): agents(6, 90_000, prefixe="z"),
    }
    m = motif(cellules, {("row", "A"): list(cellules)}, muettes=[("A", "autre")])
    assert m.caches == {("A", "x"), ("A", "autre")}


def test_audit_finds_a_cell_recovered_by_difference_and_not_a_protected_one():
    # row total 300 = a + b + c; a and b shown: c is determined
    publies = [Publie({"a": 1, "b": 1, "c": 1}, 300), Publie({"a": 1}, 100), Publie({"b": 1}, 120)]
    trouves = audit(publies, {"c": {"c": 1.0}})
    assert (
        set(trouves) == {"c"}
        and trouves["c"][0] == pytest.approx(79, abs=1)
        and trouves["c"][1] == pytest.approx(81, abs=1)
    )
    # only a shown: b and c can trade
    assert audit(publies[:2], {"c": {"c": 1.0}, "b+c": {"b": 1.0, "c": 1.0}}) == {
        "b+c": pytest.approx((199, 201), abs=0.01)
    }


def test_audit_sees_through_two_tables():
    # a 2 × 2 table with every cell hidden but rows and columns published, and a page that shows a
    # scenario amount of one cell: the other three follow.
    rows = [
        Publie({"ax": 1, "ay": 1}, 100),
        Publie({"bx": 1, "by": 1}, 100),
        Publie({"ax": 1, "bx": 1}, 90),
        Publie({"ay": 1, "by": 1}, 110),
    ]
    cibles = {k: {k: 1.0} for k in ("ax", "ay", "bx", "by")}
    assert audit(rows, cibles) == {}
    assert set(audit([*rows, Publie({"ax": 0.5}, 20)], cibles)) == {"ax", "ay", "bx", "by"}
