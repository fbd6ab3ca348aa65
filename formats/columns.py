"""Matching a table's headers to a format's fields, and parsing its cells column by column.

Everything here works on whole polars columns: a check is an expression over the column, and Python only
words the messages of the rows that fail it (docs/contrats §1).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import polars as pl

from formats.errors import Report
from formats.tabular import CSV, SEPARATOR_NAMES, SEPARATORS, Table, column_letter, normalize_header

# Field kinds: what a cell must hold.
TEXT = "text"  # free text: a date or boolean cell is taken as displayed
CODE = "code"  # an INSEE code or a SIREN
CHOICE = "choice"  # one of a closed list of words
NUMBER = "number"
SHARE = "share"  # a number in [0, 1]; a percentage is accepted
INTEGER = "integer"

_EXPECTED = {
    CODE: "un code est attendu",
    CHOICE: "une valeur texte est attendue",
    NUMBER: "un nombre est attendu",
    SHARE: "un nombre est attendu",
    INTEGER: "un nombre entier est attendu",
}

# One decimal separator; spaces, no-break spaces and narrow no-break spaces only as thousands separators.
_GROUPS = "[ \u00a0\u202f]"
NUMBER_PATTERN = rf"^[+-]?(?:\d{{1,3}}(?:{_GROUPS}\d{{3}})+|\d+)(?:[.,]\d*)?(?:[eE][+-]?\d+)?$|^[+-]?[.,]\d+$"

# Sum of shares and share bounds are compared with this tolerance (docs/contrats §1).
SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    required: bool = False


class Bound:
    """A table whose headers were matched to a format's fields.

    ``frame`` holds, per field ``x``: ``x`` (the cell's text, trimmed; ``""`` when empty or when the
    column is absent), ``x__f`` (True where the cell was already reported as a special cell: a formula
    without value, an error cell, a date where a number is expected...; checks skip flagged cells so
    that a cell gets one message) and, for workbooks, ``x__n`` (True for a numeric cell).
    """

    def __init__(
        self, table: Table, fields: tuple[Field, ...], positions: dict[str, int], flagged: dict[str, list[int]]
    ):
        self.table = table
        self.fields = {f.name: f for f in fields}
        self.positions = positions
        columns: list[pl.Expr] = [pl.col("ligne")]
        for f in fields:
            if f.name in positions:
                columns.append(pl.col(Table.column(positions[f.name])).alias(f.name))
            else:
                columns.append(pl.lit("", dtype=pl.String).alias(f.name))
            rows = flagged.get(f.name)
            columns.append((pl.col("ligne").is_in(rows) if rows else pl.lit(False)).alias(f.name + "__f"))
            if f.name in positions and table.has_numeric(positions[f.name]):
                columns.append(pl.col(Table.numeric_column(positions[f.name])).alias(f.name + "__n"))
        frame = table.frame.select(columns)
        # Trim each column the cheapest way its kind allows: numbers only where a direct cast fails,
        # codes and words once per distinct value (and not at all when none needs it).
        self._numbers: dict[str, pl.Series] = {}
        self._distinct: dict[str, list[str]] = {}
        trimmed: list[pl.Series | pl.Expr] = []
        for f in fields:
            if f.name not in positions:
                continue
            raw = frame.get_column(f.name)
            if f.kind in (NUMBER, SHARE, INTEGER):
                value, text = _read_numbers(raw, frame.get_column(f.name + "__f"), share=f.kind == SHARE)
                self._numbers[f.name] = value
                trimmed.append(text)
            elif f.kind == TEXT:
                trimmed.append(pl.col(f.name).str.strip_chars())
            else:
                distinct = raw.unique().to_list()
                if any(u != u.strip() for u in distinct):
                    trimmed.append(_replace(f.name, {u: u.strip() for u in distinct}))
                self._distinct[f.name] = sorted({u.strip() for u in distinct})
        self.frame = frame.with_columns(trimmed)

    def present(self, name: str) -> bool:
        return name in self.positions

    def position(self, name: str) -> int:
        """The column's position in the file; absent columns sort after every real one."""
        if name in self.positions:
            return self.positions[name]
        return self.table.width + list(self.fields).index(name)

    # --- parsed values, aligned with ``frame`` -------------------------------------------------------

    def number(self, name: str) -> pl.Series | pl.Expr:
        """The cells as Float64: null when empty, flagged or not a number (``number_rule`` says why)."""
        if name in self._numbers:
            return self._numbers[name]
        return pl.lit(None, dtype=pl.Float64).alias(name)

    def code(self, name: str) -> pl.Expr:
        """The cells as codes: spaces removed, upper case; a numeric cell zero-padded (INSEE code to 5
        digits, SIREN to 9: ``1304`` -> ``01304``)."""
        if name + "__n" not in self.frame.columns:
            return self._mapped(name, normalize_code)
        column, numeric = self.frame.get_column(name), self.frame.get_column(name + "__n")
        as_number = {u: normalize_code(u, numeric=True) for u in column.filter(numeric).unique().to_list()}
        as_text = {u: normalize_code(u) for u in column.filter(~numeric).unique().to_list()}
        return (
            pl.when(pl.col(name + "__n")).then(_replace(name, as_number)).otherwise(_replace(name, as_text)).alias(name)
        )

    def choice(self, name: str, read: Callable[[str], str | None]) -> pl.Expr:
        """The cells mapped through ``read`` (called once per distinct value); null where it gives None."""
        return self._mapped(name, read)

    def _mapped(self, name: str, read: Callable[[str], str | None]) -> pl.Expr:
        """``name`` mapped value by value, calling ``read`` once per distinct value (codes, themes and
        situations have few distinct values, even in a million lines)."""
        distinct = self._distinct.get(name)
        if distinct is None:
            distinct = self.frame.get_column(name).unique().to_list()
        return _replace(name, {u: read(u) for u in distinct})


def _replace(name: str, table: dict[str, str | None]) -> pl.Expr:
    return (
        pl.col(name).replace_strict(list(table), list(table.values()), default=None, return_dtype=pl.String).alias(name)
    )


def _read_numbers(raw: pl.Series, flagged: pl.Series, *, share: bool) -> tuple[pl.Series, pl.Series]:
    """(values, trimmed texts) of a number column.

    Most cells are plain numbers that a direct cast reads (``45231,5``); only the others are trimmed and
    go through the full grammar (thousands separators, ``€``, ``−``, percentages).
    """
    value = raw.str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    if flagged.any():
        value = pl.select(pl.when(~flagged).then(value)).to_series()
    redo = (~value.is_finite().fill_null(False) & (raw.str.len_bytes() > 0)).arg_true()
    text = raw
    if len(redo):
        trimmed = raw.gather(redo).str.strip_chars()
        text = raw.clone().scatter(redo, trimmed)
        parsed = parse_numbers(trimmed, share=share)
        if flagged.any():
            parsed = pl.select(pl.when(~flagged.gather(redo)).then(parsed)).to_series()
        value = value.scatter(redo, parsed)
    return value.alias(raw.name), text.alias(raw.name)


def normalize_code(text: str, numeric: bool = False) -> str:
    """An INSEE code or a SIREN as written: spaces removed, upper case (``2a004`` -> ``2A004``); from a
    numeric workbook cell, zero-padded to 5 digits (INSEE) or 9 (SIREN)."""
    code = "".join(text.split()).upper()
    if numeric and code.isdigit():
        return code.zfill(5) if len(code) <= 5 else code.zfill(9)
    return code


def parse_numbers(texts: pl.Series, *, share: bool) -> pl.Series:
    """The full number grammar of docs/contrats §1 over trimmed texts; null where a text is not a number."""
    frame = pl.DataFrame({"t": texts})
    text = pl.col("t").str.replace_all("\u2212", "-").str.replace(r"\s*€$", "")
    percent = pl.lit(False)
    if share:
        percent = text.str.ends_with("%")
        text = text.str.replace(r"\s*%$", "")
    value = text.str.replace_all(_GROUPS, "").str.replace(",", ".", literal=True).cast(pl.Float64, strict=False)
    value = pl.when(text.str.contains(NUMBER_PATTERN) & value.is_finite()).then(value)
    value = pl.when(percent).then(value / 100).otherwise(value)
    return frame.select(value.alias("v")).get_column("v")


def bind(table: Table, fields: tuple[Field, ...], report: Report) -> Bound:
    """Match headers to fields (docs/contrats §1); report header problems and special cells.

    Raises ``InvalidFile`` (through ``report``) when the file cannot be validated row by row: a missing
    required column, a duplicated header, no data row.
    """
    report_warnings(table, report)
    known = {f.name for f in fields}
    found: dict[str, list[int]] = {}
    for position, header in enumerate(table.headers):
        letter = column_letter(position)
        if not header.strip():
            column = Table.column(position)
            if column in table.frame.columns and (table.frame[column].str.strip_chars() != "").any():
                report.file_warning(f"colonne {letter} sans en-tête mais non vide : ignorée")
            continue
        key = normalize_header(header)
        if key in known:
            found.setdefault(key, []).append(position)
        else:
            report.file_warning(f"colonne inconnue ignorée : « {header} » (colonne {letter})")
    positions = {}
    for f in fields:
        places = found.get(f.name)
        if not places:
            continue
        positions[f.name] = places[0]
        if len(places) > 1:
            letters = ", ".join(column_letter(p) for p in places)
            report.file_error(f"colonne en double : {f.name} (colonnes {letters})")
    missing = [f.name for f in fields if f.required and f.name not in positions]
    if missing and table.format == CSV and table.separator is None:
        tried = ", ".join(SEPARATOR_NAMES[s] for s in SEPARATORS)
        report.file_error(
            f"séparateur de colonnes non reconnu (essayés : {tried}) : la ligne d'en-têtes "
            f"« {table.headers[0] if table.headers else ''} » ne forme qu'une colonne ; "
            f"colonnes obligatoires manquantes : {', '.join(missing)}"
        )
    for name in missing:
        report.file_error(f"colonne obligatoire manquante : {name}")
    if table.frame.height == 0:
        report.file_error("aucune ligne de données : le fichier ne contient que la ligne d'en-têtes")
    report.raise_if_errors()
    return Bound(table, fields, positions, _report_special_cells(table, fields, positions, report))


def report_warnings(table: Table, report: Report) -> None:
    for text in table.warnings:
        report.file_warning(text)


_SPECIAL_RULES = {
    "formule": "formule sans valeur calculée : ouvrez le fichier dans le tableur et enregistrez-le "
    "pour que la valeur soit calculée",
    "erreur": "cellule en erreur dans le tableur : corrigez la formule ou la valeur",
    "date": "cellule de type date, {expected}",
    "booleen": "cellule de type booléen (VRAI/FAUX), {expected}",
}


def _report_special_cells(
    table: Table, fields: Iterable[Field], positions: dict[str, int], report: Report
) -> dict[str, list[int]]:
    flagged: dict[str, list[int]] = {}
    for f in fields:
        if f.name not in positions:
            continue
        position = positions[f.name]
        for row, issue in sorted(table.issues.get(position, {}).items()):
            if f.kind == TEXT and issue.kind in ("date", "booleen"):
                continue  # free text: the value is taken as the spreadsheet displays it
            rule = _SPECIAL_RULES[issue.kind].format(expected=_EXPECTED[f.kind] if f.kind != TEXT else "")
            report.error(row, position, f.name, issue.shown, rule)
            flagged.setdefault(f.name, []).append(row)
    return flagged


def number_rule(raw: str, *, share: bool = False, integer: bool = False) -> str:
    """Why ``raw`` is not read as a number (the message's rule)."""
    what = "un nombre entier" if integer else "un nombre"
    if "." in raw and "," in raw:
        return (
            "deux séparateurs décimaux (« . » et « , ») : un seul est admis, "
            "et les milliers ne se séparent que par des espaces"
        )
    if raw.rstrip().endswith("%") and not share:
        return f"pourcentage non admis ici : {what} est attendu"
    return f"n'est pas {what}"


def failing(frame: pl.DataFrame, mask: pl.Expr | pl.Series, *columns: str) -> list[tuple]:
    """Rows of ``frame`` where ``mask`` holds, as (ligne, *columns) tuples, for wording messages."""
    selected = [pl.col("ligne").alias("__row")] + [pl.col(c).alias(f"__{i}") for i, c in enumerate(columns)]
    return frame.filter(mask).select(selected).rows()


@dataclass
class Check:
    """Rows where ``mask`` holds get the message ``rule`` on column ``column``; a callable rule is
    given the cell's text then the values of ``extra`` columns."""

    mask: pl.Expr
    column: str
    rule: str | Callable[..., str]
    extra: tuple[str, ...] = field(default_factory=tuple)


def run_checks(frame: pl.DataFrame, bound: Bound, report: Report, checks: list[Check]) -> None:
    """Evaluate every mask in one pass (polars runs them in parallel), then word the failing rows.

    A valid file costs one pass: no row is ever handed to Python.
    """
    masks = frame.select(check.mask.fill_null(False).alias(f"m{i}") for i, check in enumerate(checks))
    counts = masks.sum().row(0)
    for i, (check, count) in enumerate(zip(checks, counts, strict=True)):
        if not count:
            continue
        position = bound.position(check.column)
        rule = check.rule
        for row, raw, *values in failing(frame, masks.get_column(f"m{i}"), check.column, *check.extra):
            report.error(row, position, check.column, raw, rule(raw, *values) if callable(rule) else rule)
