"""The payroll reduced once to a `Bases` object (sums by employer × theme × activity, totals by
employer, numerator and denominator by theme), so that `simulate` then works on small dicts only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from engine.coefficient import check_functional, in_numerator
from engine.scenario.entrees import LINE_COLUMNS, Territoire
from engine.themes import DEFAULT_FUNCTIONAL

if TYPE_CHECKING:
    import polars as pl

# --- Bases: the payroll reduced once ------------------------------------------------------------------


@dataclass(frozen=True)
class Bases:
    """Sums of the payroll as imported, by key; everything `simulate` needs.

    `by_theme[(employer, theme)]` and `by_activity[(employer, theme, activity)]` hold (cost, fte) of the
    lines that are not `mad` (the base of a staff-moving action); `employer_total[org]` and
    `functional_total[org]` hold (cost, fte) of every line the organisation pays (all themes / the
    functional themes); `numerator[theme]`, `denominator[theme]` follow docs/contrats §4."""

    epci: str
    functional: tuple[str, ...]
    by_theme: dict[tuple[str, str], tuple[float, float]]
    by_activity: dict[tuple[str, str, str], tuple[float, float]]
    employer_total: dict[str, tuple[float, float]]
    functional_total: dict[str, tuple[float, float]]
    numerator: dict[str, float]
    denominator: dict[str, float]

    @property
    def total_numerator(self) -> float:
        return sum(self.numerator.values())

    @property
    def total_denominator(self) -> float:
        return sum(self.denominator.values())

    def base(self, commune: str, theme: str, activite: str | None) -> tuple[float, float]:
        if activite:
            return self.by_activity.get((commune, theme, activite), (0.0, 0.0))
        return self.by_theme.get((commune, theme), (0.0, 0.0))


def bases(
    lines: pl.DataFrame | pl.LazyFrame, territoire: Territoire, functional: Iterable[str] = DEFAULT_FUNCTIONAL
) -> Bases:
    """Reduce payroll lines, or aggregates of them with the same columns, to the sums scenarios need.
    A missing `activite` column, null or empty activities all mean "no activity"."""
    import polars as pl  # here: the apps import the scenario engine at start-up, where no line is summed

    functional = check_functional(functional)
    frame = lines.lazy()
    names = frame.collect_schema().names()
    if "activite" not in names:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("activite"))
    frame = frame.select(LINE_COLUMNS).with_columns(
        pl.col("activite").fill_null("").alias("activite"),
        pl.col("situation").fill_null("propre"),
        in_numerator(territoire.epci).fill_null(False).alias("_num"),
    )
    grouped = (
        frame.group_by("employeur", "theme", "activite", pl.col("situation") == "mad", "_num")
        .agg(pl.col("montant").sum().alias("cost"), pl.col("etp_ligne").sum().alias("fte"))
        .collect()
    )
    by_theme: dict[tuple[str, str], list[float]] = {}
    by_activity: dict[tuple[str, str, str], list[float]] = {}
    employer_total: dict[str, list[float]] = {}
    functional_total: dict[str, list[float]] = {}
    numerator = dict.fromkeys(functional, 0.0)
    denominator = dict.fromkeys(functional, 0.0)
    wanted = set(functional)

    def add(target: dict, key, cost: float, fte: float) -> None:
        sums = target.setdefault(key, [0.0, 0.0])
        sums[0] += cost
        sums[1] += fte

    for employer, theme, activite, mad, num, cost, fte in grouped.iter_rows():
        cost, fte = float(cost or 0.0), float(fte or 0.0)
        add(employer_total, employer, cost, fte)
        if theme in wanted:
            add(functional_total, employer, cost, fte)
            denominator[theme] += cost
            if num:
                numerator[theme] += cost
        if not mad:
            add(by_theme, (employer, theme), cost, fte)
            if activite:
                add(by_activity, (employer, theme, activite), cost, fte)

    def frozen(d: dict) -> dict:
        return {k: (v[0], v[1]) for k, v in d.items()}

    return Bases(
        epci=territoire.epci,
        functional=functional,
        by_theme=frozen(by_theme),
        by_activity=frozen(by_activity),
        employer_total=frozen(employer_total),
        functional_total=frozen(functional_total),
        numerator=numerator,
        denominator=denominator,
    )
