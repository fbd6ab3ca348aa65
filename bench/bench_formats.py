"""Benchmark of payroll file reading (not a test): prints parse + validation times, a first run apart (cold)
then min / median / max of the warm runs; target: CSV and XLSX together < 1.5 s (median of the warm totals).

    .venv/bin/python bench/bench_formats.py            # 20,000 lines, CSV and XLSX
    .venv/bin/python bench/bench_formats.py --big      # and a 1.5-million-line CSV

Also times openpyxl (read-only) on the same XLSX, the alternative to python-calamine for cell values.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from verdicts import verdict  # noqa: E402

from formats.payroll import TerritoryCodes, read_payroll  # noqa: E402

HEADER = [
    "employeur", "agent", "theme", "cout_annuel", "quotite", "etp", "situation",
    "beneficiaire", "activite", "service", "statut", "categorie",
]  # fmt: skip
EPCI = "243300316"
COMMUNES = [f"33{n:03d}" for n in range(1, 29)]
TARGET_S = 1.5  # CSV and XLSX read and validated, together
RUNS = 5  # warm runs, after a first (cold) one
THEMES = ["FIN", "RH", "CPAJ", "SI", "BML", "AOS", "GDP", "ECO", "TIDP", "AUTRE"]


def payroll_rows(lines: int, seed: int = 1) -> list[list[object]]:
    """Valid lines: agents of one to three lines, their quotités summing to 1."""
    rng = random.Random(seed)
    rows: list[list[object]] = []
    agent = 0
    while len(rows) < lines:
        agent += 1
        employer = EPCI if rng.random() < 0.3 else rng.choice(COMMUNES)
        cost = round(rng.uniform(25_000, 90_000), 2)
        etp = rng.choice([1, 1, 1, 0.8, 0.5])
        parts = rng.choice([[1], [0.5, 0.5], [0.6, 0.2, 0.2]])
        for q in parts[: lines - len(rows)]:
            mad = employer != EPCI and rng.random() < 0.05
            rows.append(
                [
                    employer,
                    f"M{agent:07d}",
                    rng.choice(THEMES),
                    cost,
                    q,
                    etp,
                    "mad" if mad else "",
                    EPCI if mad else "",
                    "",
                    f"Service {rng.randint(1, 40)}",
                    rng.choice(["titulaire", "contractuel"]),
                    rng.choice("ABC"),
                ]
            )
    return rows


def write_csv(path: Path, rows: list[list[object]]) -> None:
    def cell(v: object) -> str:
        return str(v).replace(".", ",") if isinstance(v, float) else str(v)

    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(";".join(HEADER) + "\r\n")
        for row in rows:
            out.write(";".join(cell(v) for v in row) + "\r\n")


def write_xlsx(path: Path, rows: list[list[object]], formulas: bool = False) -> None:
    """With ``formulas``, every cost is a formula with its cached value (as a spreadsheet saves it)."""
    import io
    import re
    import zipfile

    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("masse_salariale")
    sheet.append(HEADER)
    for row in rows:
        cells = [int(v) if i == 0 else v for i, v in enumerate(row)]
        if formulas:
            cells[3] = f"={cells[3]}*1"
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if formulas:  # openpyxl writes no cached value: add them
        source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename.startswith("xl/worksheets/"):
                    content = re.sub(rb"<f>([0-9.]+)\*1</f><v\s*(?:/>|></v>)", rb"<f>\1*1</f><v>\1</v>", content)
                archive.writestr(item, content)
        data = target.getvalue()
    path.write_bytes(data)


def timed(label: str, function, runs: int = RUNS) -> list[float]:
    """Seconds of a first run (cold: printed apart) and of `runs` more (min / median / max printed)."""
    seconds = [_once(function) for _ in range(runs + 1)]
    print(f"{label:<44} {_figures(seconds)}")
    return seconds


def _figures(seconds: list[float]) -> str:
    warm = seconds[1:]
    if not warm:
        return f"single run {seconds[0]:6.3f} s"
    return (
        f"cold {seconds[0]:6.3f}  min {min(warm):6.3f}  median {statistics.median(warm):6.3f}  max {max(warm):6.3f} s"
    )


def _once(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--big", action="store_true", help="also a 1.5-million-line CSV")
    args = parser.parse_args()
    territory = TerritoryCodes(EPCI, frozenset(COMMUNES), "Bench")
    with tempfile.TemporaryDirectory() as tmp:
        rows = payroll_rows(args.lines)
        csv_path, xlsx_path = Path(tmp, "masse_salariale.csv"), Path(tmp, "masse_salariale.xlsx")
        write_csv(csv_path, rows)
        write_xlsx(xlsx_path, rows)
        csv_data, xlsx_data = csv_path.read_bytes(), xlsx_path.read_bytes()
        print(f"{args.lines} lines: CSV {len(csv_data) / 1e6:.1f} MB, XLSX {len(xlsx_data) / 1e6:.1f} MB")
        assert read_payroll(csv_data, "m.csv", territory).lines.height == args.lines
        t_csv = timed("read_payroll CSV", lambda: read_payroll(csv_data, "m.csv", territory))
        t_xlsx = timed(
            "read_payroll XLSX (calamine + XML checks)", lambda: read_payroll(xlsx_data, "m.xlsx", territory)
        )
        # The i-th total: the i-th run of each format, as one user importing both files.
        totals = [a + b for a, b in zip(t_csv, t_xlsx, strict=True)]
        median = statistics.median(totals[1:])
        word = verdict("bench_formats", f"read CSV + XLSX, {args.lines:,} lines", median, "s", TARGET_S)
        print(f"{'total CSV + XLSX':<44} {_figures(totals)}  (target < {TARGET_S} s) {word}")
        formulas_path = Path(tmp, "formules.xlsx")
        write_xlsx(formulas_path, rows, formulas=True)
        formulas_data = formulas_path.read_bytes()
        assert read_payroll(formulas_data, "m.xlsx", territory).lines.height == args.lines
        timed("read_payroll XLSX, every cost a formula", lambda: read_payroll(formulas_data, "m.xlsx", territory))
        _compare_readers(xlsx_data)
        if args.big:
            big = payroll_rows(1_500_000, seed=2)
            big_path = Path(tmp, "big.csv")
            write_csv(big_path, big)
            big_data = big_path.read_bytes()
            del big
            print(f"1,500,000 lines: CSV {len(big_data) / 1e6:.0f} MB")
            timed("read_payroll CSV, 1.5 M lines", lambda: read_payroll(big_data, "big.csv", territory), runs=0)


def _compare_readers(xlsx_data: bytes) -> None:
    """Cell values only: python-calamine against openpyxl read-only (why workbook.py uses calamine)."""
    import io

    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    def calamine() -> None:
        CalamineWorkbook.from_object(io.BytesIO(xlsx_data)).get_sheet_by_index(0).to_python()

    def openpyxl_read_only() -> None:
        book = load_workbook(io.BytesIO(xlsx_data), read_only=True, data_only=True)
        list(book.worksheets[0].iter_rows(values_only=True))
        book.close()

    a = timed("  values only: python-calamine", calamine)
    b = timed("  values only: openpyxl read-only", openpyxl_read_only, runs=2)
    print(f"  openpyxl / calamine (warm medians): {statistics.median(b[1:]) / statistics.median(a[1:]):.1f}x")


if __name__ == "__main__":
    main()
