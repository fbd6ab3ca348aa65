"""Builders of user files for the ``formats`` tests: CSV text, XLSX (openpyxl) and ODS (odfpy).

No database and no Django: these tests exercise plain Python.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable

import pytest

from formats.payroll import TerritoryCodes

EPCI = "243300316"
BORDEAUX, MERIGNAC, PESSAC = "33063", "33281", "33318"
AMBERIEU = "01004"  # a commune code with a leading zero
AJACCIO = "2A004"
TERRITORY = TerritoryCodes(
    epci=EPCI,
    communes=frozenset({BORDEAUX, MERIGNAC, PESSAC, AMBERIEU, AJACCIO}),
    name="Bordeaux Métropole",
)


def csv_bytes(*lines: str, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    """A CSV file from its lines."""
    return (newline.join(lines) + newline).encode(encoding)


def rezip(data: bytes, name: str, transform: Callable[[bytes], bytes]) -> bytes:
    """The archive ``data`` with member ``name`` rewritten by ``transform`` (to craft markup that the
    writing libraries cannot produce: cached formula values, error cells...)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == name:
                content = transform(content)
            target.writestr(item, content)
    return out.getvalue()


def xlsx_bytes(
    rows: Iterable[Iterable[object]],
    *,
    sheet: str = "masse_salariale",
    before: Iterable[str] = (),
    hidden_rows: Iterable[int] = (),
    merged: Iterable[str] = (),
    cached: dict[str, str] | None = None,
    number_formats: dict[str, str] | None = None,
) -> bytes:
    """An XLSX workbook; the data sheet comes after the sheets named in ``before``.

    A string starting with ``=`` is a formula (openpyxl writes no cached value); ``cached`` gives a
    cached value to formula cells by reference (``{"D3": "90463"}``).
    """
    from openpyxl import Workbook

    book = Workbook()
    first = book.active
    names = [*before, sheet]
    first.title = names[0]
    sheets = [first] + [book.create_sheet(n) for n in names[1:]]
    target = sheets[-1]
    for other in sheets[:-1]:
        other.append(["autre", "feuille"])
    for row in rows:
        target.append(list(row))
    for r in hidden_rows:
        target.row_dimensions[r].hidden = True
    for cells in merged:
        target.merge_cells(cells)
    for ref, fmt in (number_formats or {}).items():
        target[ref].number_format = fmt
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if cached:
        path = f"xl/worksheets/sheet{len(names)}.xml"

        def add_values(xml: bytes) -> bytes:
            for ref, value in cached.items():
                # openpyxl writes <v/> or <v></v> (with lxml) for a formula without a value.
                pattern = rb'(<c r="' + ref.encode() + rb'"[^>]*>)<f>(.*?)</f><v\s*(?:/>|></v>)'
                xml, n = re.subn(pattern, rb"\1<f>\2</f><v>" + value.encode() + rb"</v>", xml)
                assert n == 1, f"no formula cell {ref}"
            return xml

        data = rezip(data, path, add_values)
    return data


def ods_bytes(
    rows: Iterable[Iterable[object]],
    *,
    sheet: str = "masse_salariale",
    before: Iterable[str] = (),
    hidden_rows: Iterable[int] = (),
) -> bytes:
    """An ODS workbook. A cell is a value (str, int, float, None) or a dict of odfpy ``TableCell``
    attributes, with an optional ``"text"`` shown in the cell. ``hidden_rows``: 1-based numbers."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name in before:
        other = Table(name=name)
        row = TableRow()
        cell = TableCell(valuetype="string")
        cell.addElement(P(text="autre"))
        row.addElement(cell)
        other.addElement(row)
        document.spreadsheet.addElement(other)
    table = Table(name=sheet)
    hidden = set(hidden_rows)
    for number, values in enumerate(rows, start=1):
        row = TableRow(visibility="collapse") if number in hidden else TableRow()
        for value in values:
            if isinstance(value, dict):
                attributes = {k: v for k, v in value.items() if k != "text"}
                cell = TableCell(**attributes)
                if "text" in value:
                    cell.addElement(P(text=value["text"]))
            elif value is None:
                cell = TableCell()
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
            row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def territory() -> TerritoryCodes:
    return TERRITORY


@pytest.fixture
def build():
    """The file builders, as one namespace: ``build.csv(...)``, ``build.xlsx(...)``, ``build.ods(...)``."""

    class Builders:
        csv = staticmethod(csv_bytes)
        xlsx = staticmethod(xlsx_bytes)
        ods = staticmethod(ods_bytes)
        rezip = staticmethod(rezip)

    return Builders
