"""The national payroll file (docs/contrats/7-fichiers-nationaux.md): the payroll lines of §3 for any number
of territories in one file, CSV (or XLSX, ODS) or Parquet with codes stored as strings.

Validated by the rules of §3 and worded as for one territory, each line against its employer's territory:
the employer is an EPCI or a commune of the territories file, the beneficiary of a ``mad`` line a member
of the same territory, a ``transfere`` line an EPCI's. The reading, the cross-row checks, the warnings and
the lines are formats/payroll.py's own functions; its row checks name the one territory, so
``_row_checks`` below repeats them with each line's territory (keep both in step).

Two paths give the same answer. A file whose every cell is already in its canonical form (codes as the
territories give them, theme codes, plain numbers...) and that raises no error and no warning is read
once with typed columns and checked by a handful of vectorised expressions: that is what a national
export looks like, and it costs about as much as reading it. Anything else, however small (a French
decimal comma, a theme label, a quotité in percent, a line that breaks a rule), sends the whole file
through the full validation of §1 and §3, which accepts what it should and words every error and warning.
The quick path never accepts a file the full one would refuse or warn about: each of its checks is
stricter than the rule it stands for.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from engine.themes import AUTRE, THEME_CODES
from engine.vocabulaire import MAD, PROPRE, TRANSFERE
from formats.columns import (
    CODE,
    NUMBER,
    SHARE,
    SHARE_TOLERANCE,
    Check,
    bind,
    run_checks,
)
from formats.errors import InvalidFile, Report
from formats.lecture import read_table
from formats.national import Territories

# The rules of one territory's payroll file, reused as they are (same package).
from formats.payroll import (
    CATEGORIES,
    FIELDS,
    SHEET,
    Perimetre,
    _activity_index,
    _activity_warnings,
    _cross_row_checks,
    _duplicate_warnings,
    _lines,
    _row_checks,
    _share_ok,
    valeurs_lues,
)
from formats.tabular import CSV, SEPARATORS, Table, detect_separator, normalize_header

PARQUET = "parquet"
_PARQUET_MAGIC = b"PAR1"
# Columns of ``NationalPayroll.lines``: what the national coefficient needs (engine/national.py). Codes are
# strings, or (quick path) one polars Enum shared by ``epci``, ``employeur`` and ``beneficiaire``.
LINE_COLUMNS = ("epci", "employeur", "theme", "situation", "beneficiaire", "montant", "etp_ligne")
_THEMES = [*THEME_CODES, AUTRE]
_NUMBERS = {f.name for f in FIELDS if f.kind in (NUMBER, SHARE)}
_CODES = {f.name for f in FIELDS if f.kind == CODE}
_EXPECTED = tuple(f.name for f in FIELDS)


@dataclass
class NationalPayroll:
    """The valid lines (``LINE_COLUMNS``, each with its employer's EPCI) and the file's warnings."""

    lines: pl.DataFrame | pl.LazyFrame
    warnings: list[str] = field(default_factory=list)
    full_validation: bool = False  # True when the file went through the full validation


def read_national_payroll(
    path: str | Path, territories: Territories, activities: Mapping[str, str] | None = None
) -> NationalPayroll:
    """Read and validate a national payroll file; raise ``InvalidFile`` with every error if there is any.

    ``activities`` maps the referential's activity codes to their theme (warnings as in §3); ``None``:
    activities are not checked. Raises OSError when the file cannot be read."""
    path = Path(path)
    with path.open("rb") as f:
        head = f.read(1 << 16)
    parquet = head.startswith(_PARQUET_MAGIC)
    quick = (
        _quick_parquet(path, territories, activities) if parquet else _quick_csv(path, head, territories, activities)
    )
    if quick is not None:
        return quick
    data = path.read_bytes()
    table = _parquet_table(data) if parquet else read_table(data, path.name, SHEET, expected=_EXPECTED)
    return _validate(table, territories, activities)


# --- The quick path -------------------------------------------------------------------------------------


def _header_warnings(headers: list[str], kind: str) -> tuple[list[str], dict[str, str]] | None:
    """The warnings of the header row (unknown columns) and each header's field, as the full validation
    would give them; None when the header row has any error or a blank header."""
    if any(not h.strip() for h in headers):
        return None
    names = [f"c{i}" for i in range(len(headers))]
    dummy = pl.DataFrame(
        {"ligne": [2], **{n: [""] for n in names}}, schema={"ligne": pl.Int64, **dict.fromkeys(names, pl.String)}
    )
    report = Report()
    try:
        bound = bind(Table(kind, headers, dummy, separator=";"), FIELDS, report)
    except InvalidFile:
        return None
    fields = {headers[position]: name for name, position in bound.positions.items()}
    return report.warnings, fields


def _quick_types(territories: Territories, activities: Mapping[str, str] | None) -> dict[str, pl.DataType]:
    """The type of each column the quick path reads. Codes, themes, situations, categories and activities
    are read as enumerations of their valid values: a cell outside them fails the reading, which sends the
    file to the full validation, and the checks compare small integers instead of strings."""
    codes = pl.Enum(territories.members.get_column("code"))
    return {
        "employeur": codes,
        "agent": pl.String,
        "theme": pl.Enum(_THEMES),
        "cout_annuel": pl.Float64,
        "quotite": pl.Float64,
        "etp": pl.Float64,
        "situation": pl.Enum([PROPRE, TRANSFERE, MAD]),
        "beneficiaire": codes,
        "activite": pl.Enum(list(activities)) if activities else pl.String,
        "categorie": pl.Enum(list(CATEGORIES)),
    }


def _quick_csv(path: Path, head: bytes, territories: Territories, activities) -> NationalPayroll | None:
    newline = head.find(b"\n")
    if newline < 0:
        return None
    try:
        first = head[:newline].removeprefix(b"\xef\xbb\xbf").decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if first.startswith("sep="):
        return None
    separator = detect_separator(first, _EXPECTED)
    if separator not in SEPARATORS:
        return None
    raw = next(csv.reader([first], delimiter=separator))
    found = _header_warnings([h.strip() for h in raw], CSV)
    if found is None or len(set(raw)) != len(raw):
        return None
    warnings, fields = found
    types = _quick_types(territories, activities)
    # polars wants the type of every column: those the quick path does not read are read as text.
    schema = {h: types.get(fields.get(h.strip(), ""), pl.String) for h in raw}
    wanted = {h: fields[h.strip()] for h in raw if fields.get(h.strip()) in types}
    try:
        frame = (
            pl.scan_csv(path, separator=separator, has_header=True, schema=schema, quote_char='"')
            .select(pl.col(h).alias(name) for h, name in wanted.items())
            .collect()
        )
    except pl.exceptions.PolarsError:
        return None  # a cell that is not a plain number or a known code, a ragged line, text not UTF-8...
    return _quick(frame, territories, activities, types, warnings)


def _quick_parquet(path: Path, territories: Territories, activities) -> NationalPayroll | None:
    try:
        schema = pl.scan_parquet(path).collect_schema()
    except pl.exceptions.PolarsError:
        return None
    found = _header_warnings(list(schema), PARQUET)
    if found is None:
        return None
    warnings, fields = found
    types = _quick_types(territories, activities)
    columns = []
    for h, name in fields.items():
        if name not in types:
            continue
        dtype = schema[h]
        if name in _NUMBERS and dtype.is_numeric():
            columns.append(pl.col(h).cast(pl.Float64).alias(name))
        elif name not in _NUMBERS and (dtype == pl.String or isinstance(dtype, pl.Categorical | pl.Enum)):
            columns.append(pl.col(h).cast(pl.String).cast(types[name]).alias(name))
        else:
            return None  # numbers stored as text, codes stored as numbers: the full validation says
    try:
        frame = pl.scan_parquet(path).select(columns).collect()
    except pl.exceptions.PolarsError:
        return None
    return _quick(frame, territories, activities, types, warnings)


def _quick(
    frame: pl.DataFrame,
    territories: Territories,
    activities: Mapping[str, str] | None,
    types: dict[str, pl.DataType],
    warnings: list[str],
) -> NationalPayroll | None:
    """The lines of a file read with the types of ``_quick_types``, or None unless every line is plainly
    valid: no rule of §3 broken, no warning (``_validate`` is the reference)."""
    c = pl.col
    for name, dtype in types.items():
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(name))
    # A line without employer, a blank line included (the full validation skips those), is left to it.
    if frame.height == 0 or frame.get_column("employeur").null_count():
        return None

    def index(name: str) -> pl.Expr:
        return c(name).to_physical().cast(pl.UInt32)

    codes = types["employeur"]
    members = territories.members
    position = {code: i for i, code in enumerate(members.get_column("code"))}
    epci_index = pl.Series([position[e] for e in members.get_column("epci")], dtype=pl.UInt32)
    emp_epci, ben_epci = pl.lit(epci_index).gather(index("employeur")), pl.lit(epci_index).gather(index("beneficiaire"))
    q, e = c("quotite").fill_null(1.0), c("etp").fill_null(1.0)
    mad, transfere = c("situation") == MAD, c("situation") == TRANSFERE
    plain = [
        c("agent").is_not_null() & (c("agent") != "") & (c("agent").str.strip_chars() == c("agent")),
        c("theme").is_not_null(),
        c("cout_annuel").is_finite() & (c("cout_annuel") >= 0),
        q.is_finite() & (q > 0) & (q <= 1 + SHARE_TOLERANCE),
        e.is_finite() & (e > 0) & (e <= 1 + SHARE_TOLERANCE),
        pl.when(mad)
        .then((ben_epci == emp_epci) & (index("beneficiaire") != index("employeur")))
        .otherwise(c("beneficiaire").is_null()),
        pl.when(transfere).then(index("employeur") == emp_epci).otherwise(True),
    ]
    if activities:
        theme_of = pl.Series([_THEMES.index(activities[a]) for a in types["activite"].categories], dtype=pl.UInt32)
        plain.append(
            pl.when(c("activite").is_null())
            .then(True)
            .otherwise(pl.lit(theme_of).gather(index("activite")) == index("theme"))
        )
    elif activities is not None:  # an empty referential: any activity is a warning
        plain.append(c("activite").is_null() | (c("activite") == ""))
    frame = frame.with_columns(_agent=pl.struct("employeur", "agent").hash())
    # Exports list each employer's lines together, sorted by agent: then the lines of one agent follow
    # each other, and agents of several lines are found by comparing neighbours instead of hashing them.
    emp = index("employeur")
    first_of_run = (emp != emp.shift(1)).fill_null(True)
    # each employer in one run (its runs' first lines name each employer once), agents sorted within it
    grouped = (
        ~emp.filter(first_of_run).is_duplicated().any()
        & (first_of_run | (c("agent") >= c("agent").shift(1))).fill_null(True).all()
    )
    # One aggregate per check: polars reduces them side by side, without a combined column.
    *rows_ok, grouped = frame.select(
        *(check.fill_null(False).all().alias(f"r{i}") for i, check in enumerate(plain)), grouped.alias("g")
    ).row(0)
    if not all(rows_ok):
        return None
    # The rules over the lines of one agent (formats.payroll._cross_row_checks) and lines identical to
    # another (a warning) concern agents of several lines only; a hash collision only merges two
    # agents, which can break a rule where none is broken (then the full validation decides), never
    # hide one.
    agent = c("_agent")
    several = frame.lazy().filter(
        ((agent == agent.shift(1)) | (agent == agent.shift(-1))).fill_null(False) if grouped else agent.is_duplicated()
    )
    cents = (c("cout_annuel") * 100).round(0)
    agents_ok = (
        several.group_by("_agent")
        .agg(q_sum=q.sum(), c_spread=cents.max() - cents.min(), e_spread=e.max() - e.min())
        .select(
            ((c("q_sum") <= 1 + SHARE_TOLERANCE) & (c("c_spread") == 0) & (c("e_spread") <= SHARE_TOLERANCE))
            .fill_null(False)
            .all()
        )
    )
    # With one cost per agent, two identical lines share their agent, theme and quotité.
    unique_ok = several.select(~pl.struct("_agent", "theme", q.alias("q")).hash().is_duplicated().any())
    if not all(check.item() for check in pl.collect_all([agents_ok, unique_ok])):
        return None
    # Left lazy: the national coefficient reads them once, without materialising them.
    lines = frame.lazy().select(
        epci=pl.lit(pl.Series(members.get_column("epci"), dtype=codes)).gather(index("employeur")),
        employeur=c("employeur"),
        theme=c("theme"),
        situation=c("situation").fill_null(PROPRE),
        beneficiaire=c("beneficiaire"),
        montant=c("cout_annuel") * q,
        etp_ligne=e * q,
    )
    return NationalPayroll(lines, warnings)


# --- The full validation --------------------------------------------------------------------------------


def _parquet_table(data: bytes) -> Table:
    """A Parquet file as a table of texts (row N of the data is ``ligne N + 1``, as if a header row
    preceded it); codes must be stored as strings."""
    try:
        frame = pl.read_parquet(data)
    except pl.exceptions.PolarsError as exc:
        raise InvalidFile([f"fichier : fichier Parquet illisible ({exc})"]) from None
    errors = []
    for name, dtype in frame.schema.items():
        if normalize_header(name) in _CODES and (dtype.is_numeric() or dtype == pl.Boolean):
            errors.append(
                f"fichier : colonne {name} de type {dtype} : dans un fichier Parquet les codes sont stockés en "
                "texte (un code INSEE garde son zéro initial)"
            )
    if errors:
        raise InvalidFile(errors)
    columns = [pl.col(n).cast(pl.String).fill_null("").alias(Table.column(i)) for i, n in enumerate(frame.columns)]
    body = frame.select(pl.int_range(2, frame.height + 2, dtype=pl.Int64).alias("ligne"), *columns)
    return Table(PARQUET, list(frame.columns), body)


def _validate(table: Table, territories: Territories, activities: Mapping[str, str] | None) -> NationalPayroll:
    """Every rule of §3, each line against its employer's territory, every error worded as in §1."""
    report = Report()
    bound = bind(table, FIELDS, report)
    index = _activity_index(activities) if activities is not None else None
    epci_of = dict(territories.members.iter_rows())
    c = pl.col

    def epci(column: str) -> pl.Expr:
        return c(column).replace_strict(epci_of, default=None, return_dtype=pl.String)

    w = (
        bound.frame.with_columns(**valeurs_lues(bound, index))
        .with_columns(
            q_ok=_share_ok("quotite", "q"),
            e_ok=_share_ok("etp", "e"),
            cout_ok=pl.when(c("cout") >= 0).then(c("cout")),
            epci_emp=epci("emp"),
            epci_ben=epci("ben"),
            agent_key=pl.struct("emp", "agent").hash(),
        )
        .with_columns(in_territory=c("epci_emp").is_not_null())
    )
    run_checks(w, bound, report, _row_checks(_perimetre(territories.names)))
    _cross_row_checks(w, bound, report)
    if index is not None:
        _activity_warnings(w, bound, report, index)
    _duplicate_warnings(w, report)
    report.raise_if_errors()
    lines = _lines(w).with_columns(epci=w.get_column("epci_emp")).select(LINE_COLUMNS)
    return NationalPayroll(lines, report.warnings, full_validation=True)


def _perimetre(names: dict[str, str]) -> Perimetre:
    """§3's rules (formats.payroll) with each line's territory being its employer's."""
    c = pl.col

    def territory(epci: str) -> str:
        return f"{names.get(epci, '')} ({epci})"

    return Perimetre(
        hors="n'est ni un EPCI ni une commune du fichier des territoires",
        employeur_manquant="SIREN d'un EPCI ou code INSEE d'une de ses communes",
        beneficiaire_inconnu=c("epci_ben").is_null(),
        transfere_hors_epci=c("emp") != c("epci_emp"),
        transfere=lambda raw, epci: (
            f"transfere n'est admis que sur une ligne dont l'employeur est l'EPCI, ici {territory(epci)} : "
            "un agent transféré est déclaré par l'EPCI"
        ),
        transfere_args=("epci_emp",),
        autres=(
            Check(
                (c("sit") == MAD) & c("in_territory") & c("epci_ben").is_not_null() & (c("epci_ben") != c("epci_emp")),
                "beneficiaire",
                lambda raw, epci: (
                    f"n'est pas membre du territoire de l'employeur, {territory(epci)} : un agent est mis à "
                    "disposition d'un organisme de son territoire"
                ),
                ("epci_emp",),
            ),
        ),
    )
