"""The coefficient of every EPCI at once (engine/national.py), by tables of cases: the rules of
docs/contrats §4 applied to each line with its own EPCI."""

import polars as pl
import pytest

from engine.coefficient import compute_coefficient
from engine.national import RESULT_COLUMNS, coefficients_by_epci

A, B = "200000001", "200000002"  # two EPCIs
A1, A2, B1 = "01001", "01002", "02001"  # their communes
EPCIS = pl.DataFrame({"epci": [B, A, "200000003"], "nom": ["CC B", "CC A", "CC sans paie"]})

# (epci, employeur, theme, situation, beneficiaire, montant, etp_ligne)
LINES = [
    (A, A, "FIN", "propre", None, 100.0, 1.0),  # the EPCI's own staff: numerator
    (A, A, "RH", "transfere", None, 50.0, 0.5),  # transferred to the EPCI: numerator
    (A, A1, "RH", "mad", A, 30.0, 0.5),  # made available to the EPCI: numerator
    (A, A1, "SI", "mad", A2, 20.0, 0.25),  # commune to commune: denominator only
    (A, A2, "BML", "propre", None, 200.0, 4.0),  # a commune's staff: denominator only
    (A, A1, "AUTRE", "propre", None, 1000.0, 10.0),  # not functional: nowhere
    (A, A, "TIDP", "propre", None, 1000.0, 10.0),  # not functional: nowhere
    (B, B1, "CPAJ", "propre", None, 80.0, 1.0),
    (B, B, "AOS", "propre", None, 5.0, 1.0),
]
SCHEMA = {
    "epci": pl.String,
    "employeur": pl.String,
    "theme": pl.String,
    "situation": pl.String,
    "beneficiaire": pl.String,
    "montant": pl.Float64,
    "etp_ligne": pl.Float64,
}


def lines(rows=LINES):
    return pl.DataFrame(rows, schema=SCHEMA, orient="row")


def test_one_row_per_epci_sorted_with_its_totals():
    result = coefficients_by_epci(lines(), EPCIS)
    assert result.columns == list(RESULT_COLUMNS)
    assert result.rows() == [
        (A, "CC A", 180 / 400, 180.0, 400.0, 2.0, 6.25),
        (B, "CC B", 0.0, 0.0, 80.0, 0.0, 1.0),
        ("200000003", "CC sans paie", None, 0.0, 0.0, 0.0, 0.0),
    ]


@pytest.mark.parametrize("functional", [("FIN",), ("RH", "SI"), ("FIN", "RH", "CPAJ", "SI", "BML", "TIDP")])
def test_equals_the_one_territory_engine(functional):
    result = coefficients_by_epci(lines(), EPCIS, functional)
    ours = result.filter(pl.col("epci") == A).row(0, named=True)
    theirs = compute_coefficient(lines().filter(pl.col("epci") == A), A, [A, A1, A2], functional)
    assert ours["numerator"] == pytest.approx(theirs.numerator)
    assert ours["denominator"] == pytest.approx(theirs.denominator)
    assert ours["fte_numerator"] == pytest.approx(theirs.fte_numerator)
    assert ours["coefficient"] == (None if theirs.coefficient is None else pytest.approx(theirs.coefficient))


def test_codes_as_one_enum_give_the_same_result():
    codes = pl.Enum([A, B, A1, A2, B1])
    typed = lines().with_columns(pl.col("epci", "employeur", "beneficiaire").cast(codes))
    assert coefficients_by_epci(typed, EPCIS).equals(coefficients_by_epci(lines(), EPCIS))


def test_totals_do_not_depend_on_the_order_of_the_lines():
    # Half-cent totals print the same whatever the order of a float sum (rounded to the micro-euro).
    rows = [(A, A, "FIN", "propre", None, 0.1, 0.1)] * 3 + [(A, A1, "FIN", "propre", None, 1e6 + 0.005, 1.0)]
    a = coefficients_by_epci(lines(rows), EPCIS)
    b = coefficients_by_epci(lines(rows[::-1]), EPCIS)
    assert a.equals(b)
    assert a.row(0, named=True)["denominator"] == 1000000.305


def test_unknown_functional_theme_is_refused():
    with pytest.raises(ValueError, match="XYZ"):
        coefficients_by_epci(lines(), EPCIS, ("FIN", "XYZ"))
