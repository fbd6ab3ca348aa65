"""The payroll file, ``masse_salariale`` (FORMATS.md §3).

Every check is a polars expression over whole columns, cross-row checks included (window functions over
the lines of one employer and agent); Python only words the messages of failing rows. A 1.5-million-line
file is validated in a few seconds.

The agent's identifier is never quoted in a message: messages about several lines of one agent name the
other lines instead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from engine.themes import AUTRE, THEME_CODES, THEMES
from formats.columns import (
    CHOICE,
    CODE,
    NUMBER,
    SHARE,
    SHARE_TOLERANCE,
    TEXT,
    Bound,
    Field,
    bind,
    failing,
    number_rule,
)
from formats.errors import Report, french_number, row_list, shown
from formats.tabular import normalize_header, read_table

SHEET = "masse_salariale"

FIELDS: tuple[Field, ...] = (
    Field("employeur", CODE, required=True),
    Field("agent", TEXT, required=True),
    Field("theme", CHOICE, required=True),
    Field("cout_annuel", NUMBER, required=True),
    Field("quotite", SHARE),
    Field("etp", SHARE),
    Field("situation", CHOICE),
    Field("beneficiaire", CODE),
    Field("activite", TEXT),
    Field("service", TEXT),
    Field("statut", TEXT),
    Field("categorie", CHOICE),
)

PROPRE, TRANSFERE, MAD = "propre", "transfere", "mad"
SITUATIONS = (PROPRE, TRANSFERE, MAD)
CATEGORIES = ("A", "B", "C")

# Columns of ``Payroll.lines``, in order.
LINE_SCHEMA: dict[str, pl.DataType] = {
    "ligne": pl.Int64,
    "employeur": pl.String,
    "agent": pl.String,
    "theme": pl.String,
    "activite": pl.String,
    "cout_annuel": pl.Float64,
    "quotite": pl.Float64,
    "etp": pl.Float64,
    "situation": pl.String,
    "beneficiaire": pl.String,
    "service": pl.String,
    "statut": pl.String,
    "categorie": pl.String,
    "montant": pl.Float64,
    "etp_ligne": pl.Float64,
}

_THEME_KEYS = {normalize_header(t.code): t.code for t in THEMES} | {normalize_header(t.label): t.code for t in THEMES}
_THEME_KEYS[normalize_header(AUTRE)] = AUTRE
_SITUATION_KEYS = {"": PROPRE, PROPRE: PROPRE, TRANSFERE: TRANSFERE, MAD: MAD, "mise_a_disposition": MAD}
_KEYS = ["emp", "agent"]  # the lines of one agent (employer code, identifier)


@dataclass(frozen=True)
class TerritoryCodes:
    """The organisations a payroll line may name: the EPCI (SIREN) and its member communes (INSEE)."""

    epci: str
    communes: frozenset[str]
    name: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.epci})" if self.name else self.epci


@dataclass
class Payroll:
    """The lines of a valid payroll file (columns: ``LINE_SCHEMA``) and the warnings it raised."""

    lines: pl.DataFrame
    warnings: list[str] = field(default_factory=list)


def theme_code(text: str) -> str | None:
    """A theme given by its code or its full French label (matched like a header), or ``AUTRE``."""
    return _THEME_KEYS.get(normalize_header(text))


def read_payroll(
    data: bytes, filename: str, territory: TerritoryCodes, activities: Mapping[str, str] | None = None
) -> Payroll:
    """Read and validate a payroll file; raise ``InvalidFile`` with every error if there is any.

    ``activities`` maps the referential's activity codes to their theme code; an unknown activity or one
    of another theme is a warning (the line counts for its theme). ``None``: activities are not checked.
    """
    report = Report()
    table = read_table(data, filename, SHEET, expected=tuple(f.name for f in FIELDS))
    bound = bind(table, FIELDS, report)
    members = sorted({territory.epci, *territory.communes})
    activity_index = _activity_index(activities) if activities is not None else None

    w = bound.frame.with_columns(
        emp=bound.code("employeur"),
        ben=bound.code("beneficiaire"),
        theme_code=bound.choice("theme", theme_code),
        cout=bound.number("cout_annuel"),
        q=bound.number("quotite"),
        e=bound.number("etp"),
        sit=bound.choice("situation", lambda s: _SITUATION_KEYS.get(normalize_header(s))),
        cat=bound.choice("categorie", lambda c: c.upper() if c.upper() in ("", *CATEGORIES) else None),
        act=(
            bound.choice("activite", lambda a: activity_index.get(a.upper(), (None,))[0])
            if activity_index
            else pl.lit(None, dtype=pl.String)
        ),
    ).with_columns(
        # Empty shares mean 1; a share is kept only when it is valid (for sums and comparisons).
        q_ok=_share_ok("quotite", "q"),
        e_ok=_share_ok("etp", "e"),
        cout_ok=pl.when(pl.col("cout") >= 0).then(pl.col("cout")),
        in_territory=pl.col("emp").is_in(members),
    )
    checks = _Checks(bound, report, w)
    checks.row_checks(territory, members)
    checks.cross_row_checks()
    if activity_index is not None:
        checks.activity_warnings(activity_index)
    checks.duplicate_warnings()
    if w.height and not w.get_column("in_territory").any():
        report.file_error(
            f"aucun employeur du fichier n'appartient au territoire {territory.label} : "
            "ce fichier vient-il d'un autre territoire ?"
        )
    report.raise_if_errors()
    return Payroll(_lines(w), report.warnings)


def _share_ok(name: str, parsed: str) -> pl.Expr:
    value = pl.when(pl.col(name) == "").then(pl.lit(1.0)).otherwise(pl.col(parsed))
    return pl.when((value > 0) & (value <= 1 + SHARE_TOLERANCE)).then(value)


def _activity_index(activities: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Upper-cased activity code -> (code as in the referential, theme code)."""
    return {code.strip().upper(): (code, theme) for code, theme in activities.items()}


def _lines(w: pl.DataFrame) -> pl.DataFrame:
    def text_or_null(expr: pl.Expr) -> pl.Expr:
        return pl.when(expr != "").then(expr)

    quotite = pl.col("q_ok")
    etp = pl.col("e_ok")
    return w.select(
        pl.col("ligne").cast(pl.Int64),
        employeur=pl.col("emp"),
        agent=pl.col("agent"),
        theme=pl.col("theme_code"),
        activite=pl.coalesce(pl.col("act"), text_or_null(pl.col("activite"))),
        cout_annuel=pl.col("cout").cast(pl.Float64),
        quotite=quotite,
        etp=etp,
        situation=pl.col("sit"),
        beneficiaire=text_or_null(pl.col("ben")),
        service=text_or_null(pl.col("service")),
        statut=text_or_null(pl.col("statut")),
        categorie=text_or_null(pl.col("cat")),
        montant=pl.col("cout") * quotite,
        etp_ligne=etp * quotite,
    ).cast(LINE_SCHEMA)


class _Checks:
    """The checks of FORMATS.md §3 over the working frame ``w`` (one method per family)."""

    def __init__(self, bound: Bound, report: Report, w: pl.DataFrame):
        self.bound = bound
        self.report = report
        self.w = w

    def error(self, mask: pl.Expr, name: str, rule, *columns: str) -> None:
        """Report ``rule(raw, *columns)`` on column ``name`` of every row where ``mask`` holds."""
        position = self.bound.position(name)
        for row, raw, *values in failing(self.w, mask, name, *columns):
            self.report.error(row, position, name, raw, rule(raw, *values) if callable(rule) else rule)

    @staticmethod
    def fresh(name: str) -> pl.Expr:
        """Not already reported as a special cell."""
        return ~pl.col(name + "__f")

    def row_checks(self, territory: TerritoryCodes, members: list[str]) -> None:
        c, fresh = pl.col, self.fresh
        outside = f"n'est ni l'EPCI ni une commune du territoire {territory.label}"

        def unknown_body(raw: str, code: str) -> str:
            if not raw:
                return (
                    "employeur manquant : code de l'organisme qui paie l'agent "
                    "(SIREN de l'EPCI ou code INSEE d'une commune du territoire)"
                )
            hint = " (un code INSEE a 5 caractères : le zéro initial a-t-il été perdu ?)" if _lost_zero(code) else ""
            return outside + hint

        self.error(fresh("employeur") & ~c("in_territory"), "employeur", unknown_body, "emp")
        self.error(fresh("agent") & (c("agent") == ""), "agent", "identifiant d'agent manquant")
        codes = ", ".join(THEME_CODES)
        self.error(
            fresh("theme") & c("theme_code").is_null(),
            "theme",
            lambda raw: (
                f"{'thème manquant' if not raw else 'thème inconnu'} : indiquez un code ({codes}), "
                f"le libellé du thème, ou {AUTRE} pour un travail hors des neuf thèmes"
            ),
        )
        self.error(fresh("cout_annuel") & (c("cout_annuel") == ""), "cout_annuel", "coût annuel manquant")
        self.error(
            fresh("cout_annuel") & (c("cout_annuel") != "") & c("cout").is_null(), "cout_annuel", number_rule
        )
        self.error(c("cout") < 0, "cout_annuel", "coût annuel négatif : il doit être positif ou nul")
        for name, parsed, meaning in (
            ("quotite", "q", "part du temps de travail de l'agent sur cette ligne (0,5 ou 50 % pour la moitié)"),
            ("etp", "e", "taux de temps de travail de l'agent (0,8 ou 80 % pour un temps partiel à 80 %)"),
        ):
            self.error(
                fresh(name) & (c(name) != "") & c(parsed).is_null(),
                name,
                lambda raw: number_rule(raw, share=True),
            )
            self.error(
                c(parsed).is_not_null() & c(f"{parsed[0]}_ok").is_null(),
                name,
                f"hors de l'intervalle ]0 ; 1] : {meaning}",
            )
        self.error(
            fresh("situation") & c("sit").is_null(),
            "situation",
            "situation inconnue : propre, transfere ou mad attendu (vide = propre)",
        )
        mad = c("sit") == MAD
        self.error(
            mad & (c("ben") == "") & fresh("beneficiaire"),
            "situation",
            "mise à disposition (mad) sans beneficiaire : indiquez le code de l'organisme "
            "auquel l'agent est mis à disposition",
        )
        self.error(
            mad & (c("ben") != "") & ~c("ben").is_in(members) & fresh("beneficiaire"),
            "beneficiaire",
            lambda raw, code: outside
            + (" (un code INSEE a 5 caractères : le zéro initial a-t-il été perdu ?)" if _lost_zero(code) else ""),
            "ben",
        )
        self.error(
            mad & (c("ben") != "") & (c("ben") == c("emp")),
            "beneficiaire",
            "identique à l'employeur : un agent n'est pas mis à disposition de son propre employeur",
        )
        self.error(
            c("sit").is_in([PROPRE, TRANSFERE]) & (c("beneficiaire") != "") & fresh("beneficiaire"),
            "beneficiaire",
            lambda raw, sit: (
                f"bénéficiaire sur une ligne qui n'est pas une mise à disposition (situation « {sit} ») : "
                "laissez la cellule vide, ou indiquez la situation mad"
            ),
            "sit",
        )
        self.error(
            (c("sit") == TRANSFERE) & c("in_territory") & (c("emp") != territory.epci),
            "situation",
            f"transfere n'est admis que sur une ligne dont l'employeur est l'EPCI ({territory.epci}) : "
            "un agent transféré est déclaré par l'EPCI",
        )
        self.error(fresh("categorie") & c("cat").is_null(), "categorie", "catégorie inconnue : A, B ou C attendu")

    def cross_row_checks(self) -> None:
        """Errors involving several lines of one (employeur, agent), reported on each line."""
        c = pl.col
        one_agent = c("agent") != ""
        w = self.w.with_columns(
            q_sum=c("q_ok").sum().over(_KEYS),
            cents=(c("cout_ok") * 100).round(0),
        ).with_columns(
            cents_differ=c("cents").max().over(_KEYS) != c("cents").min().over(_KEYS),
            etp_differ=(c("e_ok").max().over(_KEYS) - c("e_ok").min().over(_KEYS)) > SHARE_TOLERANCE,
        )

        too_much = one_agent & c("q_ok").is_not_null() & (c("q_sum") > 1 + SHARE_TOLERANCE)
        rows = w.filter(too_much).select("ligne", *_KEYS, "quotite", "q_sum").rows()
        groups = _group(rows)
        position = self.bound.position("quotite")
        for row, emp, agent, raw, total in rows:
            others = [r for r, *_ in groups[emp, agent] if r != row]
            default = " (quotité vide ou absente : 1)" if not raw else ""
            self.report.error(
                row,
                position,
                "quotite",
                raw,
                f"la somme des quotités de l'agent dépasse 1 ({french_number(total)}) avec {row_list(others)}"
                + default,
            )

        for name, value, differ, rule in (
            (
                "cout_annuel",
                "cents",
                "cents_differ",
                "l'agent a un coût annuel différent sur {rows} : un agent a un seul coût annuel pour son "
                "employeur (son coût total, même réparti sur plusieurs lignes)",
            ),
            (
                "etp",
                "e_ok",
                "etp_differ",
                "l'agent a un etp différent sur {rows} : un agent a un seul taux de temps de travail "
                "pour son employeur",
            ),
        ):
            mask = one_agent & c(value).is_not_null() & c(differ)
            rows = w.filter(mask).select("ligne", *_KEYS, name, value).rows()
            groups = _group(rows)
            position = self.bound.position(name)
            for row, emp, agent, raw, own in rows:
                others = [r for r, *_, v in groups[emp, agent] if abs(v - own) > SHARE_TOLERANCE]
                self.report.error(row, position, name, raw, rule.format(rows=row_list(others)))

    def activity_warnings(self, index: dict[str, tuple[str, str]]) -> None:
        c = pl.col
        position = self.bound.position("activite")
        themes = {code: theme for code, theme in index.values()}
        rows = failing(
            self.w, (c("activite") != "") & self.fresh("activite"), "activite", "act", "theme_code", "theme"
        )
        for row, raw, code, line_theme, theme_raw in rows:
            if code is None:
                counted = line_theme or theme_raw
                self.report.warning(
                    row,
                    position,
                    f"activite « {shown(raw)} » : activité inconnue du référentiel : "
                    f"la ligne compte pour son thème ({counted})",
                )
            elif line_theme is not None and themes[code] != line_theme:
                self.report.warning(
                    row,
                    position,
                    f"activite « {shown(raw)} » : activité du thème {themes[code]}, la ligne est déclarée "
                    f"en {line_theme} : elle compte pour {line_theme}",
                )

    def duplicate_warnings(self) -> None:
        """A line identical to another on every column: a warning naming both (counted twice?)."""
        c = pl.col

        def canonical(parsed: str, raw: str) -> pl.Expr:
            return pl.when(c(parsed).is_not_null()).then(c(parsed).cast(pl.String)).otherwise(c(raw))

        keys = [
            c("emp"),
            c("agent"),
            canonical("theme_code", "theme"),
            canonical("cout", "cout_annuel"),
            canonical("q_ok", "quotite"),
            canonical("e_ok", "etp"),
            canonical("sit", "situation"),
            c("ben"),
            canonical("act", "activite"),
            c("service"),
            c("statut"),
            canonical("cat", "categorie"),
        ]
        key = pl.struct([k.alias(f"k{i}") for i, k in enumerate(keys)])
        duplicates = (
            self.w.select("ligne", key=key)
            .filter(c("key").is_duplicated())
            .group_by("key")
            .agg(c("ligne").sort())
            .get_column("ligne")
            .to_list()
        )
        for rows in duplicates:
            self.report.warning(
                rows[0],
                0,
                f"ligne identique à {row_list(rows[1:])} sur toutes les colonnes : comptée deux fois ?",
            )


def _group(rows: list[tuple]) -> dict[tuple[str, str], list[tuple]]:
    """Failing rows (ligne, employeur, agent, ...) by agent."""
    groups: dict[tuple[str, str], list[tuple]] = defaultdict(list)
    for row, emp, agent, *rest in rows:
        groups[emp, agent].append((row, *rest))
    return groups


def _lost_zero(code: str) -> bool:
    return len(code) == 4 and code.isdigit()
