"""The coefficient de mutualisation des services (CGCT L5211-4-1 V; docs/contrats §4).

Plain values in, plain values out: a polars frame of payroll lines (or of aggregates of them, which
have the same columns) and the territory's codes. No Django here.

Input columns: employeur, theme, situation, beneficiaire, montant (cout_annuel × quotite),
etp_ligne (etp × quotite). Extra columns are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.themes import DEFAULT_FUNCTIONAL, THEME_CODES

if TYPE_CHECKING:
    import polars as pl

REQUIRED_COLUMNS = ("employeur", "theme", "situation", "beneficiaire", "montant", "etp_ligne")


@dataclass(frozen=True)
class ThemeRatio:
    numerator: float
    denominator: float

    @property
    def coefficient(self) -> float | None:
        return ratio(self.numerator, self.denominator)


@dataclass(frozen=True)
class EmployerFunctional:
    functional_cost: float
    functional_fte: float


@dataclass(frozen=True)
class CoefficientResult:
    epci: str
    functional_themes: tuple[str, ...]
    numerator: float
    denominator: float
    fte_numerator: float
    fte_denominator: float
    by_theme: dict[str, ThemeRatio]
    by_employer: dict[str, EmployerFunctional]
    warnings: list[str] = field(default_factory=list)

    @property
    def coefficient(self) -> float | None:
        return ratio(self.numerator, self.denominator)

    @property
    def fte_coefficient(self) -> float | None:
        return ratio(self.fte_numerator, self.fte_denominator)

    def as_json(self) -> dict:
        """The `mutualis coefficient --json` document (docs/contrats §6): numbers are not rounded."""
        return {
            "epci": self.epci,
            "functional_themes": list(self.functional_themes),
            "coefficient": self.coefficient,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "fte_numerator": self.fte_numerator,
            "fte_denominator": self.fte_denominator,
            "by_theme": {
                code: {"numerator": t.numerator, "denominator": t.denominator, "coefficient": t.coefficient}
                for code, t in self.by_theme.items()
            },
            "by_employer": {
                code: {"functional_cost": e.functional_cost, "functional_fte": e.functional_fte}
                for code, e in self.by_employer.items()
            },
            "warnings": list(self.warnings),
        }


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def check_functional(themes: Iterable[str]) -> tuple[str, ...]:
    """Validate a functional list: known theme codes, no duplicates, kept in the canonical order."""
    wanted = [t.strip().upper() for t in themes if t.strip()]
    unknown = [t for t in wanted if t not in THEME_CODES]
    if unknown:
        raise ValueError(f"thème inconnu dans la liste des services fonctionnels : {', '.join(unknown)}")
    if not wanted:
        raise ValueError("la liste des services fonctionnels est vide")
    return tuple(code for code in THEME_CODES if code in wanted)


def in_numerator(epci: str) -> pl.Expr:
    """A line counts in the numerator when the EPCI pays it or when it is made available to the EPCI."""
    import polars as pl  # here: the apps import the engine at start-up, where no line is summed

    return (pl.col("employeur") == epci) | ((pl.col("situation") == "mad") & (pl.col("beneficiaire") == epci))


def compute_coefficient(
    lines: pl.DataFrame | pl.LazyFrame,
    epci: str,
    organisations: Sequence[str],
    functional: Sequence[str] = DEFAULT_FUNCTIONAL,
) -> CoefficientResult:
    """Coefficient over the functional themes; `organisations` lists every body of the territory
    (EPCI first or not) so that `by_employer` has a row for each, zeros where it has no line."""
    import polars as pl

    functional = check_functional(functional)
    frame = lines.lazy().select(REQUIRED_COLUMNS).filter(pl.col("theme").is_in(functional))
    frame = frame.with_columns(in_numerator(epci).fill_null(False).alias("_num"))

    # One pass groups by (theme, employer, numerator flag); every total is summed from it.
    grouped = (
        frame.group_by("theme", "employeur", "_num")
        .agg(pl.col("montant").sum().alias("cost"), pl.col("etp_ligne").sum().alias("fte"))
        .collect()
    )
    num_rows = grouped.filter(pl.col("_num"))

    def total(df: pl.DataFrame, col: str) -> float:
        return float(df[col].sum()) if df.height else 0.0

    by_theme = {}
    theme_totals = grouped.group_by("theme").agg(pl.col("cost").sum())
    theme_nums = num_rows.group_by("theme").agg(pl.col("cost").sum())
    denominators = dict(zip(theme_totals["theme"], theme_totals["cost"], strict=True))
    numerators = dict(zip(theme_nums["theme"], theme_nums["cost"], strict=True))
    for code in functional:
        by_theme[code] = ThemeRatio(float(numerators.get(code, 0.0)), float(denominators.get(code, 0.0)))

    employer_totals = grouped.group_by("employeur").agg(pl.col("cost").sum(), pl.col("fte").sum())
    found = {row[0]: EmployerFunctional(float(row[1]), float(row[2])) for row in employer_totals.iter_rows()}
    by_employer = {code: found.get(code, EmployerFunctional(0.0, 0.0)) for code in organisations}

    return CoefficientResult(
        epci=epci,
        functional_themes=functional,
        numerator=total(num_rows, "cost"),
        denominator=total(grouped, "cost"),
        fte_numerator=total(num_rows, "fte"),
        fte_denominator=total(grouped, "fte"),
        by_theme=by_theme,
        by_employer=by_employer,
    )
