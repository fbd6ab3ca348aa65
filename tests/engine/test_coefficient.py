"""The coefficient de mutualisation, rule by rule (docs/contrats §4), on hand-computed tables."""

import math

import polars as pl
import pytest

from engine.coefficient import check_functional, compute_coefficient

EPCI = "243300316"
BDX, MER, PES = "33063", "33281", "33318"
ORGS = [EPCI, BDX, MER, PES]


def lines(*rows):
    """rows: (employeur, theme, cout_annuel, quotite, etp, situation, beneficiaire)."""
    data = [
        {
            "employeur": e,
            "theme": t,
            "situation": s,
            "beneficiaire": b,
            "montant": c * q,
            "etp_ligne": etp * q,
        }
        for e, t, c, q, etp, s, b in rows
    ]
    schema = {
        "employeur": pl.Utf8,
        "theme": pl.Utf8,
        "situation": pl.Utf8,
        "beneficiaire": pl.Utf8,
        "montant": pl.Float64,
        "etp_ligne": pl.Float64,
    }
    return pl.DataFrame(data, schema=schema)


CASES = [
    # (name, rows, functional, numerator, denominator, fte_num, fte_den)
    ("epci_only", [(EPCI, "FIN", 50_000, 1, 1, "propre", None)], None, 50_000, 50_000, 1, 1),
    ("commune_only", [(BDX, "RH", 40_000, 1, 1, "propre", None)], None, 0, 40_000, 0, 1),
    (
        "split_quotites_across_themes",
        [
            (EPCI, "FIN", 60_000, 0.5, 1, "propre", None),
            (EPCI, "ECO", 60_000, 0.5, 1, "propre", None),
            (BDX, "SI", 40_000, 0.25, 1, "propre", None),
            (BDX, "AUTRE", 40_000, 0.75, 1, "propre", None),
        ],
        None,
        30_000,
        40_000,
        0.5,
        0.75,
    ),
    (
        "part_time_etp",
        [(BDX, "FIN", 32_000, 1, 0.8, "propre", None), (EPCI, "FIN", 48_000, 0.5, 0.5, "propre", None)],
        None,
        24_000,
        56_000,
        0.25,
        1.05,
    ),
    (
        "mad_commune_to_epci_counts_in_numerator",
        [(MER, "RH", 45_000, 1, 1, "mad", EPCI), (MER, "RH", 45_000, 1, 1, "propre", None)],
        None,
        45_000,
        90_000,
        1,
        2,
    ),
    (
        "mad_epci_to_commune_stays_in_numerator",
        [(EPCI, "SI", 50_000, 1, 1, "mad", BDX)],
        None,
        50_000,
        50_000,
        1,
        1,
    ),
    (
        "mad_between_two_communes_denominator_only",
        [(BDX, "BML", 42_000, 1, 1, "mad", PES), (EPCI, "BML", 42_000, 1, 1, "propre", None)],
        None,
        42_000,
        84_000,
        1,
        2,
    ),
    (
        "transfere_counts_as_epci",
        [(EPCI, "CPAJ", 55_000, 1, 1, "transfere", None), (PES, "CPAJ", 55_000, 1, 1, "propre", None)],
        None,
        55_000,
        110_000,
        1,
        2,
    ),
    (
        "non_functional_themes_excluded",
        [
            (EPCI, "AOS", 50_000, 1, 1, "propre", None),
            (EPCI, "TIDP", 50_000, 1, 1, "propre", None),
            (EPCI, "AUTRE", 50_000, 1, 1, "propre", None),
            (BDX, "FIN", 40_000, 1, 1, "propre", None),
        ],
        None,
        0,
        40_000,
        0,
        1,
    ),
    (
        "changed_functional_list",
        [
            (EPCI, "AOS", 50_000, 1, 1, "propre", None),
            (BDX, "AOS", 30_000, 1, 1, "propre", None),
            (BDX, "FIN", 40_000, 1, 1, "propre", None),
        ],
        ["AOS"],
        50_000,
        80_000,
        1,
        2,
    ),
    ("empty_denominator", [(BDX, "ECO", 40_000, 1, 1, "propre", None)], None, 0, 0, 0, 0),
    ("no_lines", [], None, 0, 0, 0, 0),
]


@pytest.mark.parametrize(
    ("rows", "functional", "num", "den", "fte_num", "fte_den"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_coefficient_rules(rows, functional, num, den, fte_num, fte_den):
    kwargs = {"functional": functional} if functional else {}
    result = compute_coefficient(lines(*rows), EPCI, ORGS, **kwargs)
    assert result.numerator == pytest.approx(num)
    assert result.denominator == pytest.approx(den)
    assert result.fte_numerator == pytest.approx(fte_num)
    assert result.fte_denominator == pytest.approx(fte_den)
    if den:
        assert result.coefficient == pytest.approx(num / den)
    else:
        assert result.coefficient is None


def test_by_theme_lists_every_functional_theme_with_null_where_empty():
    result = compute_coefficient(
        lines((EPCI, "FIN", 50_000, 1, 1, "propre", None), (BDX, "FIN", 50_000, 1, 1, "propre", None)), EPCI, ORGS
    )
    assert list(result.by_theme) == ["FIN", "RH", "CPAJ", "SI", "BML"]
    assert result.by_theme["FIN"].coefficient == pytest.approx(0.5)
    assert result.by_theme["RH"].coefficient is None
    assert result.as_json()["by_theme"]["RH"] == {"numerator": 0.0, "denominator": 0.0, "coefficient": None}


def test_by_employer_counts_the_payer_and_lists_every_organisation():
    result = compute_coefficient(
        lines(
            (MER, "RH", 45_000, 1, 1, "mad", EPCI),
            (BDX, "FIN", 40_000, 0.5, 0.8, "propre", None),
            (BDX, "AUTRE", 40_000, 0.5, 0.8, "propre", None),
        ),
        EPCI,
        ORGS,
    )
    employers = result.as_json()["by_employer"]
    assert list(employers) == ORGS
    assert employers[MER] == {"functional_cost": 45_000, "functional_fte": 1}
    assert employers[BDX]["functional_cost"] == pytest.approx(20_000)
    assert employers[BDX]["functional_fte"] == pytest.approx(0.4)
    assert employers[EPCI] == {"functional_cost": 0.0, "functional_fte": 0.0}
    assert employers[PES] == {"functional_cost": 0.0, "functional_fte": 0.0}


def test_json_numbers_are_not_rounded():
    result = compute_coefficient(
        lines((EPCI, "FIN", 10_000.01, 1 / 3, 1, "propre", None), (BDX, "FIN", 20_000.02, 1, 1, "propre", None)),
        EPCI,
        ORGS,
    )
    doc = result.as_json()
    assert doc["numerator"] == pytest.approx(10_000.01 / 3, abs=0)
    assert not math.isclose(doc["coefficient"], round(doc["coefficient"], 4), abs_tol=1e-12)


@pytest.mark.parametrize(
    ("given", "expected"),
    [(["rh", "FIN"], ("FIN", "RH")), ([" SI "], ("SI",)), (["AOS", "FIN"], ("FIN", "AOS"))],
)
def test_functional_list_is_normalised_in_canonical_order(given, expected):
    assert check_functional(given) == expected


@pytest.mark.parametrize("given", [["XYZ"], [], ["AUTRE"]])
def test_functional_list_refuses_unknown_or_empty(given):
    with pytest.raises(ValueError):
        check_functional(given)
