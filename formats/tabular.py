"""Reading tabular files: CSV, XLSX and ODS (docs/contrats §1).

``read_table`` turns the bytes of a user file into a ``Table``: the header row as written, and a polars
frame of the data rows as text, one column per spreadsheet column, with the row number a spreadsheet
shows. It knows nothing of payroll or territories: ``formats.columns`` matches headers to the fields of a
format and parses the text column by column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

import polars as pl

from formats.errors import InvalidFile

CSV = "csv"
XLSX = "xlsx"
ODS = "ods"

ENCODING_ERROR = "fichier : encodage non pris en charge : enregistrez le fichier en CSV UTF-8"
BINARY_ERROR = "fichier : ce fichier n'est pas un CSV lisible (fichier binaire ?)"

SEPARATORS = (";", "\t", ",")
SEPARATOR_NAMES = {";": "« ; »", ",": "« , »", "\t": "tabulation"}
# A single-column CSV is read with a separator that never occurs in text files, so that commas or
# semicolons inside a value do not split it.
_NO_SEPARATOR = "\x1f"

_UNIT = re.compile(r"\s*\([^()]*\)$")
_RUNS = re.compile(r"[\s\-_]+")


def normalize_header(text: str) -> str:
    """The key a header (or a theme label) is matched by (docs/contrats §1).

    Trims, ignores case and accents, reads ’ as ', drops a final parenthesised unit and turns runs of
    spaces, hyphens and underscores into one underscore: ``Coût annuel (€)`` -> ``cout_annuel``.
    """
    text = str(text).replace("’", "'").replace("‘", "'").replace("ʼ", "'")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).strip().casefold()
    text = _UNIT.sub("", text)
    return _RUNS.sub("_", text).strip("_")


def column_letter(position: int) -> str:
    """Spreadsheet letter of a 0-based column position: 0 -> A, 26 -> AA."""
    letters = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class CellIssue:
    """A workbook cell whose content is not plain text or a number.

    ``kind``: ``formule`` (formula without a cached value), ``erreur`` (#N/A, #DIV/0!...), ``date`` or
    ``booleen``; ``shown``: what the message quotes (the formula, the error, the date as displayed).
    """

    kind: str
    shown: str


@dataclass
class Table:
    """The content of one sheet (or CSV file).

    ``frame`` has an ``ligne`` column (Int64, the row number a spreadsheet shows; the header is row 1)
    and one String column per spreadsheet column, named ``c0``, ``c1``... (``column(position)``): the
    cell's text as written (not trimmed), ``""`` for an empty cell; blank rows (only empty or space
    cells) are left out. For
    workbooks, ``n<position>`` Boolean columns say which cells were numeric cells (their text is the
    number written with a ``.``), and ``issues`` lists the special cells by position then row.
    """

    format: str
    headers: list[str]
    frame: pl.DataFrame
    issues: dict[int, dict[int, CellIssue]] = field(default_factory=dict)
    separator: str | None = None
    sheet: str | None = None
    warnings: list[str] = field(default_factory=list)

    @staticmethod
    def column(position: int) -> str:
        return f"c{position}"

    @staticmethod
    def numeric_column(position: int) -> str:
        return f"n{position}"

    @property
    def width(self) -> int:
        return len(self.headers)

    def has_numeric(self, position: int) -> bool:
        return self.numeric_column(position) in self.frame.columns


def _decode(data: bytes) -> tuple[str, bytes]:
    """The text of a CSV file (UTF-8 with or without BOM, else Windows-1252) and its UTF-8 bytes."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise InvalidFile([ENCODING_ERROR])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), data
    except UnicodeDecodeError:
        pass
    try:
        # What French Excel writes when saving "CSV (séparateur : point-virgule)".
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise InvalidFile(
            ["fichier : encodage non reconnu (ni UTF-8 ni Windows-1252) : enregistrez le fichier en CSV UTF-8"]
        ) from None
    return text, text.encode("utf-8")


def read_csv(data: bytes, *, expected: tuple[str, ...] = ()) -> Table:
    # Large files: no copy of the whole text is made beyond decoding (no strip(), no partition()).
    text, utf8 = _decode(data)
    if not text or text.isspace():
        raise InvalidFile(["fichier : le fichier est vide"])
    first_line = text[: text.find("\n")] if "\n" in text else text
    # Excel writes (and reads) a first line "sep=;" naming the separator; it shows no row for it.
    declared = re.fullmatch(r"sep=(.)\r?", first_line)
    if declared:
        text = text[len(first_line) + 1 :]
        utf8 = utf8[len(first_line.encode("utf-8")) + 1 :]
        first_line = text[: text.find("\n")] if "\n" in text else text
        separator: str | None = declared.group(1)
    else:
        separator = detect_separator(first_line, expected)
    try:
        frame = _polars_csv(utf8, separator or _NO_SEPARATOR)
    except (pl.exceptions.ComputeError, pl.exceptions.SchemaError):
        # Ragged lines (more cells than the header) or quoting polars refuses: the standard library is
        # slower but tolerant, and tells where a quote is left open.
        frame = _python_csv(text, separator or _NO_SEPARATOR)
    if frame.height == 0:
        raise InvalidFile(["fichier : le fichier est vide"])
    headers = [str(v).strip() for v in frame.row(0)]
    body = frame.slice(1).with_columns(ligne=pl.int_range(2, frame.height + 1, dtype=pl.Int64))
    return Table(CSV, headers, drop_blank_rows(body, len(headers)), separator=separator)


def detect_separator(header_line: str, expected: tuple[str, ...] = ()) -> str | None:
    """The separator that splits the header line into the most expected columns, then into the most
    columns; ``None`` when none of ``;``, tab and ``,`` splits it."""
    best, best_score = None, (0, 1)
    for separator in SEPARATORS:
        cells = next(csv.reader([header_line.rstrip("\r")], delimiter=separator), [])
        keys = {normalize_header(c) for c in cells}
        score = (len(keys & set(expected)), len(cells))
        if len(cells) > 1 and score > best_score:
            best, best_score = separator, score
    return best


def _polars_csv(data: bytes, separator: str) -> pl.DataFrame:
    frame = pl.read_csv(
        data,
        separator=separator,
        has_header=False,
        infer_schema=False,
        empty_string_is_null=False,
        quote_char='"',
        raise_if_empty=False,
        truncate_ragged_lines=False,
    )
    names = [Table.column(i) for i in range(frame.width)]
    return frame.rename(dict(zip(frame.columns, names, strict=True))).fill_null("")


def _python_csv(text: str, separator: str) -> pl.DataFrame:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        raise InvalidFile(
            [f"fichier : CSV mal formé à partir de la ligne {len(rows) + 1} ({exc}) : guillemet non fermé ?"]
        ) from None
    width = max((len(r) for r in rows), default=0)
    columns = {Table.column(j): [r[j] if j < len(r) else "" for r in rows] for j in range(width)}
    return pl.DataFrame(columns, schema={name: pl.String for name in columns})


def drop_blank_rows(body: pl.DataFrame, width: int, keep: pl.Expr | None = None) -> pl.DataFrame:
    """Leave out rows whose cells are all empty or spaces (they keep their number: the next row is still
    numbered as a spreadsheet shows it). ``keep``: rows to keep even so.

    Trimming every cell of a million-row file costs more than reading it, so only candidate rows are
    examined: those whose fullest column is empty or starts with a space (a blank row is one of them).
    """
    names = [Table.column(j) for j in range(width)]
    ordered = ["ligne", *names] + [c for c in body.columns if c.startswith("n")]
    if not names or body.height == 0:
        return body.select(ordered)
    empties = body.select(pl.col(n).str.len_bytes().eq(0).sum() for n in names).row(0)
    pivot = names[empties.index(min(empties))]
    candidates = body.filter((pl.col(pivot).str.len_bytes() == 0) | pl.col(pivot).str.contains(r"^\s"))
    blank = pl.all_horizontal(pl.col(n).str.strip_chars().str.len_bytes() == 0 for n in names)
    if keep is not None:
        blank = blank & ~keep
    blank_rows = candidates.filter(blank).get_column("ligne")
    if blank_rows.len():
        body = body.filter(~pl.col("ligne").is_in(blank_rows.implode()))
    return body.select(ordered)
