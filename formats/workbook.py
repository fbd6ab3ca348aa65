"""Reading XLSX and ODS workbooks (docs/contrats §1, "Workbook cells").

Values come from python-calamine: on a 20,000-row payroll sheet it reads the cells 20 to 30 times faster
than openpyxl in read-only mode (``bench/bench_formats.py`` prints both). Calamine cannot tell three things: a
merged header cell in ODS, a formula whose value was never computed and an error cell (it returns an
empty string for both). Rather than a second pass with openpyxl over every cell, those checks read the
sheet's XML directly and only where it can matter: a header merge is looked for in the header row only,
and formula or error cells are located from their markup, which is absent from most files.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

import polars as pl
from python_calamine import CalamineError, CalamineWorkbook

from formats.errors import InvalidFile, nombre
from formats.isolement import isole
from formats.tabular import XLSX, CellIssue, Table, column_letter, drop_blank_rows, normalize_header

Position = tuple[int, int]  # (0-based row, 0-based column) in the sheet


# What a workbook may hold before anything is read (docs/contrats §1): its XML once uncompressed, and the
# used range of the sheet, as the reader allocates it (rows × columns, empty cells included).
DECOMPRESSE_MAX = 300 << 20  # bytes
CELLULES_MAX = 10_000_000
COLONNES_MAX = 500


def read_workbook(data: bytes, kind: str, sheet: str) -> Table:
    """The sheet of a workbook, read under limits: its size once uncompressed and its used range are checked
    before the reader allocates the grid, and the reading runs in a child process under a memory and a
    time limit (formats/isolement.py), so that a hostile file costs a refusal, never the web process."""
    _verifier_archive(data, kind)
    return isole(_read_workbook, data, kind, sheet)


def _verifier_archive(data: bytes, kind: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            taille = sum(i.file_size for i in archive.infolist())
            if taille > DECOMPRESSE_MAX:
                raise InvalidFile(
                    [
                        f"fichier : le classeur fait {taille >> 20} Mo une fois décompressé, au-delà de la limite de "
                        f"{DECOMPRESSE_MAX >> 20} Mo"
                    ]
                )
            if kind == XLSX:
                for nom in archive.namelist():
                    if nom.startswith("xl/worksheets/") and nom.endswith(".xml"):
                        _verifier_etendue(archive, nom)
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, EOFError) as exc:
        raise InvalidFile([f"fichier : classeur {kind.upper()} illisible ({exc})"]) from None


_CELLULE = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")


def _verifier_etendue(archive: zipfile.ZipFile, nom: str) -> None:
    """Refuse a sheet whose cells reach beyond the limits, naming its last cell (read as a stream)."""
    lignes = colonnes = 0
    reste = b""
    with archive.open(nom) as f:
        while bloc := f.read(1 << 22):
            bloc = reste + bloc
            coupe = bloc.rfind(b"<")
            for m in _CELLULE.finditer(bloc, 0, coupe if coupe > 0 else len(bloc)):
                colonnes = max(colonnes, _column_index(m.group(1).decode()) + 1)
                lignes = max(lignes, int(m.group(2)))
            reste = bloc[coupe:] if coupe > 0 else b""
        for m in _CELLULE.finditer(reste):
            colonnes = max(colonnes, _column_index(m.group(1).decode()) + 1)
            lignes = max(lignes, int(m.group(2)))
    if colonnes > COLONNES_MAX or lignes * colonnes > CELLULES_MAX:
        derniere = f"{column_letter(colonnes - 1)}{lignes}"
        raise InvalidFile(
            [
                f"fichier : une feuille s'étend jusqu'à la cellule {derniere} ({nombre(colonnes)} colonnes, "
                f"{nombre(lignes)} lignes) : au-delà de la limite de {nombre(CELLULES_MAX)} cellules "
                f"({nombre(COLONNES_MAX)} colonnes au plus) ; supprimez les lignes et les colonnes inutiles"
            ]
        )


def _read_workbook(data: bytes, kind: str, sheet: str) -> Table:
    try:
        book = CalamineWorkbook.from_object(io.BytesIO(data))
        names = book.sheet_names
        if not names:
            raise InvalidFile([f"fichier : le classeur {kind.upper()} ne contient aucune feuille"])
        chosen = next((n for n in names if normalize_header(n) == normalize_header(sheet)), names[0])
        content = book.get_sheet_by_name(chosen)
        rows = content.to_python(skip_empty_area=False)
        merged = content.merged_cell_ranges if kind == XLSX else None
    except (CalamineError, ValueError, OSError) as exc:
        raise InvalidFile([f"fichier : classeur {kind.upper()} illisible ({exc})"]) from None

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if kind == XLSX:
                header_merges = [
                    f"{column_letter(c0)}{r0 + 1}:{column_letter(c1)}{r1 + 1}"
                    for (r0, c0), (r1, c1) in merged or ()
                    if r0 == 0
                ]
                special = _xlsx_special_cells(archive, _xlsx_sheet_path(archive, chosen))
            else:
                header_merges, special = _ods_scan(archive.read("content.xml"), chosen)
    except (KeyError, ET.ParseError, zipfile.BadZipFile) as exc:
        raise InvalidFile([f"fichier : classeur {kind.upper()} illisible ({exc})"]) from None
    if header_merges:
        raise InvalidFile(
            [
                f"fichier : cellules fusionnées dans la ligne d'en-têtes ({', '.join(header_merges)}) : "
                "défusionnez-les pour que chaque colonne ait son propre en-tête"
            ]
        )
    if not special and not any(_cell_text(v).strip() for r in rows for v in r):
        raise InvalidFile([f"fichier : la feuille « {chosen} » est vide"])
    return _to_table(kind, chosen, rows, special)


def _to_table(kind: str, sheet: str, rows: list[list], special: dict[Position, CellIssue]) -> Table:
    width = max((len(r) for r in rows), default=0)
    height = len(rows)
    if special:
        width = max(width, 1 + max(c for _, c in special))
        height = max(height, 1 + max(r for r, _ in special))
    padded = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in rows]
    padded += [[""] * width for _ in range(height - len(rows))]
    headers = [_cell_text(v).strip() for v in padded[0]] if padded else []
    body = padded[1:]
    columns: dict[str, pl.Series] = {"ligne": pl.Series("ligne", range(2, len(body) + 2), dtype=pl.Int64)}
    flags: dict[str, pl.Series] = {}
    issues: dict[int, dict[int, CellIssue]] = {}
    for j, cells in enumerate(zip(*body, strict=True) if body else [() for _ in range(width)]):
        types = set(map(type, cells))
        numeric = None
        if types <= {str}:  # the common case: a text column, taken as it is
            texts = pl.Series(cells, dtype=pl.String)
        elif types <= {float, int}:
            # A column of numbers: written by polars, whose shortest round-trip form the number parser
            # reads back exactly ("45231.5", "1e+20"); "1304.0" loses its ".0" to read as a code.
            texts = pl.Series(cells, dtype=pl.Float64).cast(pl.String).str.replace(r"\.0$", "")
            numeric = pl.repeat(True, len(cells), eager=True)
        else:
            converted = [_convert(value) for value in cells]
            texts = pl.Series([text for text, _, _ in converted], dtype=pl.String)
            numeric = pl.Series([is_number for _, is_number, _ in converted], dtype=pl.Boolean)
            for i, (_, _, issue) in enumerate(converted):
                if issue:
                    issues.setdefault(j, {})[i + 2] = issue
        columns[Table.column(j)] = texts
        if numeric is not None and numeric.any():
            flags[Table.numeric_column(j)] = numeric
    # Special cells show what the message will quote (calamine gives "" for them, or 0 for an ODS error).
    by_column: dict[int, list[tuple[int, CellIssue]]] = {}
    for (r, c), issue in special.items():
        if r > 0:
            issues.setdefault(c, {})[r + 1] = issue
            by_column.setdefault(c, []).append((r - 1, issue))
    for c, cells in by_column.items():
        indices = [i for i, _ in cells]
        columns[Table.column(c)] = columns[Table.column(c)].scatter(indices, [issue.shown for _, issue in cells])
        if Table.numeric_column(c) in flags:
            flags[Table.numeric_column(c)] = flags[Table.numeric_column(c)].scatter(indices, False)
    frame = pl.DataFrame({**columns, **flags})
    special_rows = sorted({r + 1 for r, _ in special if r > 0})
    keep = pl.col("ligne").is_in(special_rows) if special_rows else None
    return Table(kind, headers, drop_blank_rows(frame, width, keep), issues=issues, sheet=sheet)


def _convert(value: object) -> tuple[str, bool, CellIssue | None]:
    """A calamine value as (text, numeric cell?, issue)."""
    if isinstance(value, str):
        return value, False, None
    if isinstance(value, bool):
        text = "VRAI" if value else "FAUX"
        return text, False, CellIssue("booleen", text)
    if isinstance(value, (int, float)):
        return _number_text(value), True, None
    if isinstance(value, dt.datetime):
        text = value.strftime("%d/%m/%Y %H:%M:%S" if value.second else "%d/%m/%Y %H:%M")
        if value.time() == dt.time():
            text = value.strftime("%d/%m/%Y")
        return text, False, CellIssue("date", text)
    if isinstance(value, dt.date):
        text = value.strftime("%d/%m/%Y")
        return text, False, CellIssue("date", text)
    if isinstance(value, dt.time):
        text = value.strftime("%H:%M:%S")
        return text, False, CellIssue("date", text)
    if isinstance(value, dt.timedelta):
        text = str(value)
        return text, False, CellIssue("date", text)
    return ("" if value is None else str(value)), False, None


def _cell_text(value: object) -> str:
    return _convert(value)[0]


def _number_text(value: float) -> str:
    """A numeric cell as text the number parser reads back exactly: ``1304``, ``45231.5``, ``1e+20``
    (the shortest round-trip form, as polars writes a numeric column, without a final ``.0``)."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


# --- XLSX -----------------------------------------------------------------------------------------


def _xlsx_sheet_path(archive: zipfile.ZipFile, name: str) -> str:
    """The path, inside the archive, of the worksheet called ``name``."""
    book = ET.fromstring(archive.read("xl/workbook.xml"))
    rel_id = None
    for element in book.iter():
        if element.tag.rsplit("}", 1)[-1] == "sheet" and element.get("name") == name:
            rel_id = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
    rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for element in rels.iter():
        if element.get("Id") == rel_id:
            target = element.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
    raise InvalidFile([f"fichier : feuille « {name} » introuvable dans le classeur"])


def _xlsx_special_cells(archive: zipfile.ZipFile, path: str) -> dict[Position, CellIssue]:
    """Formula cells without a cached value and error cells, by position.

    Looks for the markup of formulas (``<f>``) and of error cells (``t="e"``) and parses only the cells
    around them: most payroll files have none, and the scan then costs a few literal searches.
    """
    xml = archive.read(path)
    data_start = re.search(rb"<(\w+:)?sheetData[\s>/]", xml)
    if not data_start:
        return {}
    raw_prefix = data_start.group(1) or b""
    prefix = re.escape(raw_prefix)
    start = data_start.start()
    # Literal searches (bytes.find) rather than one regular expression: ten times faster on big sheets.
    needles = [b"<" + raw_prefix + b"f" + end for end in (b">", b" ", b"/")] + [b' t="e"', b" t='e'"]
    positions = [p for needle in needles for p in _find_all(xml, needle, start)]
    if not positions:
        return {}
    openers = (b"<" + raw_prefix + b"c ", b"<" + raw_prefix + b"c>")
    cell = re.compile(rb"<" + prefix + rb"c(\s[^>]*?)?(?:/>|>(.*?)</" + prefix + rb"c>)", re.S)
    formula = re.compile(rb"<" + prefix + rb"f(?:\s[^>]*?)?(?:/>|>(.*?)</" + prefix + rb"f>)", re.S)
    value = re.compile(rb"<" + prefix + rb"v(?:\s[^>]*?)?(?:/>|>(.*?)</" + prefix + rb"v>)", re.S)
    inline = re.compile(rb"<" + prefix + rb"is[\s>]")
    issues: dict[Position, CellIssue] = {}
    seen: set[int] = set()
    for marker in positions:
        cell_start = _last_before(xml, openers, start, marker + 1)
        if cell_start < 0 or cell_start in seen:
            continue
        seen.add(cell_start)
        match = cell.match(xml, cell_start)
        if not match:
            continue
        attrs, body = match.group(1) or b"", match.group(2) or b""
        ref = re.search(rb"\sr=[\"']([A-Z]+)(\d+)[\"']", attrs)
        if not ref:
            # Cells without a reference are legal but rare: fall back to a full, positional parse.
            return _xlsx_special_cells_by_parsing(xml)
        kind = re.search(rb"\st=[\"']([^\"']*)[\"']", attrs)
        f, v = formula.search(body), value.search(body)
        issue = _xlsx_issue(
            kind.group(1) if kind else b"n",
            None if f is None else (f.group(1) or b""),
            None if v is None else v.group(1),
            bool(inline.search(body)),
        )
        if issue:
            issues[(int(ref.group(2)) - 1, _column_index(ref.group(1).decode()))] = issue
    return issues


def _last_before(data: bytes, needles: tuple[bytes, ...], start: int, end: int) -> int:
    """Where the last of ``needles`` starts in ``data[start:end]`` (-1: nowhere): the cell holding a
    marker is the last cell opened before it. The window widens from a few kilobytes, so that a needle
    absent from the sheet does not cost a scan back to its start for every marker."""
    window = 4096
    while True:
        low = max(start, end - window)
        found = max(data.rfind(needle, low, end) for needle in needles)
        if found >= 0 or low == start:
            return found
        window *= 16


def _find_all(data: bytes, needle: bytes, start: int) -> list[int]:
    found = []
    at = data.find(needle, start)
    while at >= 0:
        found.append(at)
        at = data.find(needle, at + 1)
    return found


def _xlsx_issue(kind: bytes, formula: bytes | None, cached: bytes | None, inline: bool) -> CellIssue | None:
    """``formula``: the formula's text (None: no formula); ``cached``: the ``<v>`` text (None: none)."""
    if kind == b"e":
        return CellIssue("erreur", html.unescape((cached or b"#ERREUR").decode()))
    if formula is None:
        return None
    if inline if kind == b"inlineStr" else (cached not in (None, b"") or (kind == b"str" and cached is not None)):
        return None
    text = html.unescape(formula.decode())
    return CellIssue("formule", f"={text}" if text else "= (formule partagée)")


def _xlsx_special_cells_by_parsing(xml: bytes) -> dict[Position, CellIssue]:
    issues: dict[Position, CellIssue] = {}
    row = col = -1
    for event, element in ET.iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = element.tag.rsplit("}", 1)[-1]
        if event == "start":
            if tag == "row":
                row = int(element.get("r")) - 1 if element.get("r") else row + 1
                col = -1
            elif tag == "c":
                ref = element.get("r")
                col = _column_index(re.match(r"[A-Z]+", ref).group()) if ref else col + 1
            continue
        if tag == "c":
            children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
            f, v = children.get("f"), children.get("v")
            issue = _xlsx_issue(
                element.get("t", "n").encode(),
                None if f is None else (f.text or "").encode(),
                None if v is None else (v.text or "").encode(),
                "is" in children,
            )
            if issue:
                issues[(row, col)] = issue
        elif tag == "row":
            element.clear()
    return issues


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


# --- ODS ------------------------------------------------------------------------------------------

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_VALUE_ATTRIBUTES = tuple(_OFFICE + a for a in ("value", "date-value", "time-value", "boolean-value", "string-value"))
_ODS_ERROR = re.compile(r"#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A)|Err:\d{3}")


def _ods_scan(content: bytes, name: str) -> tuple[list[str], dict[Position, CellIssue]]:
    """Merged header cells, and formula or error cells, of the ODS sheet ``name``.

    Only parses when the markup can hold them: spans in the header row, or formulas anywhere.
    """
    with_formulas = b"formula=" in content
    if not with_formulas and b"-spanned=" not in content:
        return [], {}
    merges: list[str] = []
    issues: dict[Position, CellIssue] = {}
    inside, row, col = False, -1, 0
    cell_tags = (_TABLE + "table-cell", _TABLE + "covered-table-cell")
    for event, element in ET.iterparse(io.BytesIO(content), events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == _TABLE + "table" and element.get(_TABLE + "name") == name:
                inside = True
            elif inside and tag == _TABLE + "table-row":
                row, col = row + 1, 0
            continue
        if not inside:
            if tag in cell_tags:
                element.clear()
            continue
        if tag in cell_tags:
            repeat = int(element.get(_TABLE + "number-columns-repeated", "1"))
            span_cols = int(element.get(_TABLE + "number-columns-spanned", "1"))
            span_rows = int(element.get(_TABLE + "number-rows-spanned", "1"))
            if row == 0 and (span_cols > 1 or span_rows > 1):
                merges.append(f"{column_letter(col)}1:{column_letter(col + span_cols - 1)}{span_rows}")
            formula = element.get(_TABLE + "formula")
            if formula:
                issue = _ods_issue(element, formula)
                if issue:
                    issues[(row, col)] = issue
            col += repeat
            element.clear()
        elif tag == _TABLE + "table-row":
            row += int(element.get(_TABLE + "number-rows-repeated", "1")) - 1
            if not with_formulas:
                break  # only the header row matters
        elif tag == _TABLE + "table":
            break
    return merges, issues


def _ods_issue(element: ET.Element, formula: str) -> CellIssue | None:
    text = "".join(element.itertext()).strip()
    if element.get(_CALCEXT + "value-type") == "error" or (
        element.get(_OFFICE + "value-type") != "string" and _ODS_ERROR.fullmatch(text)
    ):
        return CellIssue("erreur", text or "#ERREUR")
    if any(element.get(a) is not None for a in _VALUE_ATTRIBUTES) or text:
        return None
    # "of:=[.D2]*2" is shown by the spreadsheet as "=D2*2".
    shown = re.sub(r"^\w+:", "", formula)
    shown = re.sub(r"\[\$?([^\]]*)\]", lambda m: m.group(1).lstrip("."), shown)
    return CellIssue("formule", shown if shown.startswith("=") else "=" + shown)
