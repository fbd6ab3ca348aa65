"""Runs every benchmark in its own process, as it prints its figures, then a summary: each figure that has a
target (recorded by verdicts.verdict into a temporary file named by MUTUALIS_BENCH_VERDICTS), its value, its
target and PASS/FAIL, and each script that exited with an error or recorded no figure. Exit code 1 if any
figure FAILs or any script failed, else 0."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from verdicts import ENV

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    "bench_engine.py",
    "bench_import.py",
    "bench_formats.py",
    "bench_scenario.py",
    "bench_scenario_web.py",
    "bench_optimiseur.py",
    "bench_document.py",
    "bench_dsn.py",
    "bench_national.py",
    "bench_demarrage.py",
    "bench_pages.py",
)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="mutualis-bench-verdicts-") as folder:
        path = Path(folder, "verdicts.jsonl")
        path.touch()
        env = os.environ | {ENV: str(path)}
        codes = {}
        for script in SCRIPTS:
            print(f"== {script}", flush=True)
            codes[Path(script).stem] = subprocess.run([sys.executable, str(HERE / script)], env=env).returncode
        records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return summary(records, codes)


def summary(records: list[dict], codes: dict[str, int]) -> int:
    rows = [
        (
            r["bench"],
            r["figure"],
            f"{number(r['value'])} {r['unit']}",
            f"{r['rule']} {r['target']:g} {r['unit']}",
            ("PASS" if r["pass"] else "FAIL") + ("" if r["valid"] else " (result not valid, see above)"),
        )
        for r in records
    ]
    problems = []
    for bench, code in codes.items():
        if code:
            problems.append((bench, f"exited with code {code}"))
        elif not any(r["bench"] == bench for r in records):
            problems.append((bench, "recorded no figure"))
    header = ("bench", "figure", "value", "target", "result")
    widths = [max(len(row[k]) for row in [header, *rows]) for k in range(len(header))]
    print("\n== summary (value: the median of the warm runs, or the ratio or peak the bench names)")
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    for bench, problem in problems:
        print(f"{bench}: {problem}")
    passed = sum(r["pass"] for r in records)
    print(f"{passed}/{len(records)} PASS" + (f"; {len(problems)} script(s) failed" if problems else ""))
    return 0 if passed == len(records) and not problems else 1


def number(x: float) -> str:
    """Three significant digits (1.00, 42.1, 0.0144), whole numbers from 100 on, never an exponent."""
    return f"{x:.0f}" if abs(x) >= 99.95 else f"{x:#.3g}"


if __name__ == "__main__":
    sys.exit(main())
