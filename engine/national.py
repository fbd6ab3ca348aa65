"""The coefficient de mutualisation of every EPCI at once (docs/contrats §4 and §7).

Plain values in, plain values out: a polars frame of payroll lines from many territories, each line
carrying the SIREN of its employer's EPCI (column ``epci``), and the EPCIs to report. One group-by over
all the lines gives every EPCI's totals; the rules are those of engine/coefficient.py for one territory.
No Django here.

Input columns: epci, employeur, theme, situation, beneficiaire, montant (cout_annuel × quotite),
etp_ligne (etp × quotite). Extra columns are ignored. Codes are strings, or one polars Enum shared by
``epci``, ``employeur`` and ``beneficiaire`` (then compared as small integers).
"""

from collections.abc import Sequence

import polars as pl

from engine.coefficient import check_functional
from engine.themes import DEFAULT_FUNCTIONAL
from engine.vocabulaire import MAD

REQUIRED_COLUMNS = ("epci", "employeur", "theme", "situation", "beneficiaire", "montant", "etp_ligne")
MICRO = 6  # decimals the totals are rounded to (see coefficients_by_epci)
# Columns of the result, in the order of the national file (docs/contrats §7).
RESULT_COLUMNS = ("epci", "nom", "coefficient", "numerator", "denominator", "fte_numerator", "fte_denominator")


def in_own_numerator() -> pl.Expr:
    """A line counts in its EPCI's numerator when the EPCI pays it or when it is made available to the
    EPCI (engine.coefficient.in_numerator, with each line's own EPCI)."""
    c = pl.col
    return (c("employeur") == c("epci")) | ((c("situation") == MAD) & (c("beneficiaire") == c("epci")))


def coefficients_by_epci(
    lines: pl.DataFrame | pl.LazyFrame,
    epcis: pl.DataFrame,
    functional: Sequence[str] = DEFAULT_FUNCTIONAL,
) -> pl.DataFrame:
    """One row per EPCI of ``epcis`` (columns ``epci``, ``nom``), sorted by SIREN: RESULT_COLUMNS.

    Over the lines of functional themes: numerator, denominator and their ETP; ``coefficient`` is null
    where the denominator is 0, and an EPCI without any functional line has zeros. Lines whose ``epci``
    is not in ``epcis`` are not reported (the formats layer refuses them before)."""
    functional = check_functional(functional)
    c = pl.col
    num = in_own_numerator().fill_null(False)
    totals = (
        lines.lazy()
        .select(REQUIRED_COLUMNS)
        .filter(c("theme").is_in(functional))
        .group_by("epci")
        .agg(
            numerator=c("montant").filter(num).sum(),
            denominator=c("montant").sum(),
            fte_numerator=c("etp_ligne").filter(num).sum(),
            fte_denominator=c("etp_ligne").sum(),
        )
        .with_columns(c("epci").cast(pl.String))
    )
    sums = ("numerator", "denominator", "fte_numerator", "fte_denominator")
    # A parallel sum of floats depends in its last bits on how the lines were split between threads, which
    # would make a total that falls on half a cent print either way from one run to the next. Totals are
    # rounded to the micro-euro (far below the cent the contract promises): the same whatever the order.
    return (
        epcis.lazy()
        .select(c("epci").cast(pl.String), c("nom").cast(pl.String))
        .join(totals, on="epci", how="left")
        .with_columns(c(s).cast(pl.Float64).fill_null(0.0).round(MICRO) for s in sums)
        .with_columns(coefficient=pl.when(c("denominator") != 0).then(c("numerator") / c("denominator")))
        .select(RESULT_COLUMNS)
        .sort("epci")
        .collect()
    )
