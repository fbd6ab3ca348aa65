"""The national batch against the practical limit (issue 17, point 6): on the files of
`mutualis generate-national --seed 1 --scale 1` (about 1.3 million agents, 1.5 million lines, written once
to bench/out/national-s1-seed1/ and kept), every EPCI's coefficient computed from reading the two CSV files
(territories and payroll) to the result, by

- ours: formats/national.py + formats/national_payroll.py (§3's validation included) + engine/national.py,
  exactly what `mutualis coefficient-batch` runs, up to the CSV text of the result;
- pandas: a straightforward implementation (read_csv, map each employer to its EPCI, one groupby);
- duckdb: a hand-written SQL query over the same files (a join and one GROUP BY).

Each implementation runs in a child process of its own, several times in a row: the first run of a process
is « cold » (libraries imported, the file in the system's page cache, nothing else warmed), the next ones
« warm ». Rounds alternate the three so that the load of a shared machine falls on all of them alike. The
peak memory is the child's peak resident set (os.wait4's ru_maxrss), native memory of polars and DuckDB
included, next to the same process's resident set once its libraries are imported. Then the whole command,
`mutualis coefficient-batch`, is timed from the shell's point of view (interpreter, Django, imports, writing).

The warm runs' processor time (user + system, every thread) is printed beside their wall time: on a machine
shared with other work it varies much less than the wall time, and tells the work each one does.

Targets (issue 17): ours within 1.5× of DuckDB, at least 5× faster than pandas (warm medians), peak memory
under 2 GB. `--rounds N` (default 5), `--quick` (2 rounds, for a look).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from verdicts import verdict

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "out" / "national-s1-seed1"
MUTUALIS = ROOT / ".venv" / "bin" / "mutualis"
IMPLEMENTATIONS = ("ours", "pandas", "duckdb")
# For information (no target): the same work from the Parquet file generate-national writes beside the CSV.
PARQUET = ("ours_parquet", "duckdb_parquet")
# For information: the floor of any implementation that reads this CSV, polars parsing the columns the
# coefficient and §3's rules need, with nothing checked or computed (its « result » is empty).
FLOOR = "polars_read"
RUNS_PER_PROCESS = 3  # one cold, then warm
RATIO_DUCKDB, RATIO_PANDAS, PEAK_MB = 1.5, 5.0, 2048
FUNCTIONAL = ("FIN", "RH", "CPAJ", "SI", "BML")


# --- The three implementations: (territories, payroll) -> {epci: (num, den, fte_num, fte_den)} ---------


def ours(territories: Path, payroll: Path):
    from engine.national import coefficients_by_epci
    from formats.national import coefficients_csv, read_territories
    from formats.national_payroll import read_national_payroll
    from referentiel.defaut import activity_theme_map

    t = read_territories(territories.read_bytes(), territories.name)
    lines = read_national_payroll(payroll, t, activity_theme_map())
    if lines.full_validation:
        raise SystemExit("the generated file did not take the quick path")
    result = coefficients_by_epci(lines.lines, t.epcis)
    coefficients_csv(result)
    return {r[0]: r[3:] for r in result.iter_rows()}


def pandas(territories: Path, payroll: Path):
    import pandas as pd

    t = pd.read_csv(territories, sep=";", dtype=str, keep_default_na=False)
    t["epci"] = t["epci"].where(t["type"] != "epci", t["code"])
    p = pd.read_csv(payroll, sep=";", dtype={"employeur": str, "agent": str, "beneficiaire": str})
    p["epci"] = p["employeur"].map(dict(zip(t["code"], t["epci"], strict=True)))
    p = p[p["theme"].isin(FUNCTIONAL)].copy()
    quotite = p["quotite"].fillna(1.0)
    p["montant"] = p["cout_annuel"] * quotite
    p["etp_ligne"] = p["etp"].fillna(1.0) * quotite
    num = (p["employeur"] == p["epci"]) | ((p["situation"] == "mad") & (p["beneficiaire"] == p["epci"]))
    p["num"] = p["montant"].where(num, 0.0)
    p["fte_num"] = p["etp_ligne"].where(num, 0.0)
    g = p.groupby("epci")[["num", "montant", "fte_num", "etp_ligne"]].sum()
    return {e: tuple(row) for e, row in zip(g.index, g.itertuples(index=False), strict=True)}


DUCKDB_QUERY = """
WITH territoires AS (
    SELECT code, CASE WHEN type = 'epci' THEN code ELSE epci END AS epci
    FROM read_csv(?, delim = ';', header = true, all_varchar = true)
),
paie AS (
    SELECT employeur, theme, situation, beneficiaire,
           cout_annuel * coalesce(quotite, 1) AS montant,
           coalesce(etp, 1) * coalesce(quotite, 1) AS etp_ligne
    FROM read_csv(?, delim = ';', header = true, columns = {
        'employeur': 'VARCHAR', 'agent': 'VARCHAR', 'theme': 'VARCHAR', 'cout_annuel': 'DOUBLE',
        'quotite': 'DOUBLE', 'etp': 'DOUBLE', 'situation': 'VARCHAR', 'beneficiaire': 'VARCHAR',
        'activite': 'VARCHAR', 'service': 'VARCHAR', 'statut': 'VARCHAR', 'categorie': 'VARCHAR'})
    WHERE theme IN ('FIN', 'RH', 'CPAJ', 'SI', 'BML')
)
SELECT t.epci,
       sum(montant) FILTER (WHERE employeur = t.epci OR (situation = 'mad' AND beneficiaire = t.epci)),
       sum(montant),
       sum(etp_ligne) FILTER (WHERE employeur = t.epci OR (situation = 'mad' AND beneficiaire = t.epci)),
       sum(etp_ligne)
FROM paie JOIN territoires t ON paie.employeur = t.code
GROUP BY t.epci
ORDER BY t.epci
"""


def duckdb(territories: Path, payroll: Path):
    import duckdb as db

    rows = db.connect().execute(DUCKDB_QUERY, [str(territories), str(payroll)]).fetchall()
    return {r[0]: tuple(0.0 if v is None else v for v in r[1:]) for r in rows}


def polars_read(territories: Path, payroll: Path):
    import polars as pl

    columns = ["employeur", "agent", "theme", "cout_annuel", "quotite", "etp", "situation", "beneficiaire"]
    codes = dict.fromkeys(("employeur", "agent", "beneficiaire"), pl.String)
    pl.read_csv(payroll, separator=";", columns=[*columns, "activite", "categorie"], schema_overrides=codes)
    return {}


def ours_parquet(territories: Path, payroll: Path):
    return ours(territories, payroll.with_suffix(".parquet"))


def duckdb_parquet(territories: Path, payroll: Path):
    import duckdb as db

    query = DUCKDB_QUERY[: DUCKDB_QUERY.index("    FROM read_csv(?, delim = ';', header = true, columns")]
    query += "    FROM read_parquet(?)\n" + DUCKDB_QUERY[DUCKDB_QUERY.index("    WHERE theme IN") :]
    rows = db.connect().execute(query, [str(territories), str(payroll.with_suffix(".parquet"))]).fetchall()
    return {r[0]: tuple(0.0 if v is None else v for v in r[1:]) for r in rows}


# --- A child process: imports, then RUNS_PER_PROCESS runs ----------------------------------------------


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(name: str, territories: Path, payroll: Path, runs: int) -> None:
    sys.path.insert(0, str(ROOT))
    function = globals()[name]
    # Import what the implementation imports, outside the timings.
    if name.startswith("ours"):
        import engine.national  # noqa: F401
        import formats.national_payroll  # noqa: F401
        import referentiel.defaut  # noqa: F401
    else:
        __import__(name.removesuffix("_parquet").removesuffix("_read"))
    baseline = rss_mb()
    times, cpu, result = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        result = function(territories, payroll)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    json.dump({"times": times, "cpu": cpu, "baseline_mb": baseline, "result": result}, sys.stdout)


def spawn(args: list[str]) -> tuple[bytes, float, float]:
    """Run a child; (its stdout, wall seconds, peak RSS in MB from os.wait4)."""
    t = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - t
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{err.decode()}")
    return out, wall, usage.ru_maxrss / 1024


# --- The parent -------------------------------------------------------------------------------------------


def ensure_data() -> tuple[Path, Path]:
    territories, payroll = DATA / "territoires.csv", DATA / "masse_salariale.csv"
    if not (territories.exists() and payroll.exists()):
        print(f"generating {DATA} (mutualis generate-national --seed 1 --scale 1)...", flush=True)
        DATA.parent.mkdir(parents=True, exist_ok=True)
        _, wall, peak = spawn(
            [str(MUTUALIS), "generate-national", "--seed", "1", "--scale", "1", "--output", str(DATA)]
        )
        print(f"  generated in {wall:.1f} s (peak {peak:.0f} MB)", flush=True)
    return territories, payroll


def summary(values: list[float]) -> str:
    return f"{min(values):6.2f} {statistics.median(values):6.2f} {max(values):6.2f}"


def agree(a: dict, b: dict) -> bool:
    """Same EPCIs with a functional payroll, same totals to the cent (ETP to 1e-4)."""
    a = {k: v for k, v in a.items() if v[1]}
    b = {k: v for k, v in b.items() if v[1]}
    return a.keys() == b.keys() and all(
        abs(a[k][i] - b[k][i]) <= (0.01 if i in (0, 1) else 1e-4) for k in a for i in range(4)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--child")
    parser.add_argument("--runs", type=int, default=RUNS_PER_PROCESS)
    args = parser.parse_args()
    territories, payroll = ensure_data()
    if args.child:
        child(args.child, territories, payroll, args.runs)
        return
    rounds = 2 if args.quick else args.rounds
    lines = sum(1 for _ in payroll.open("rb")) - 1
    print(
        f"national batch on {payroll.relative_to(ROOT)}: {lines:,} lines, {payroll.stat().st_size / 1e6:.0f} MB; "
        f"{rounds} rounds × {RUNS_PER_PROCESS} runs per process ({os.cpu_count()} cores, shared)",
        flush=True,
    )
    names = (*IMPLEMENTATIONS, *PARQUET, FLOOR)
    cold = {n: [] for n in names}
    warm = {n: [] for n in names}
    peaks = {n: [] for n in names}
    baselines = {n: [] for n in names}
    cpu = {n: [] for n in names}
    results = {}
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            out, _, peak = spawn([sys.executable, __file__, "--child", name])
            doc = json.loads(out)
            cold[name].append(doc["times"][0])
            warm[name] += doc["times"][1:]
            cpu[name] += doc["cpu"][1:]
            peaks[name].append(peak)
            baselines[name].append(doc["baseline_mb"])
            results[name] = {k: tuple(v) for k, v in doc["result"].items()}
        print(
            f"  round {r + 1}: " + ", ".join(f"{n} {statistics.median(warm[n][-2:]):.2f} s" for n in order), flush=True
        )
    whole, whole_peaks = [], []
    output = DATA / "coefficients.csv"
    for _ in range(rounds):
        command = [str(MUTUALIS), "coefficient-batch", "--territories", str(territories), "--payroll", str(payroll)]
        _, wall, peak = spawn([*command, "--output", str(output)])
        whole.append(wall)
        whole_peaks.append(peak)

    print()
    print(f"{'':28}{'cold (s)':^21}  {'warm (s)':^21}  {'warm CPU':>8}  {'peak RSS (MB)':>14}  {'after imports':>13}")
    print(f"{'':28}{'min    med    max':>21}  {'min    med    max':>21}  {'med (s)':>8}")
    labels = {
        "ours": "ours (polars, validated)",
        "pandas": "pandas (straightforward)",
        "duckdb": "duckdb (hand-written SQL)",
        "ours_parquet": "  ours, from Parquet",
        "duckdb_parquet": "  duckdb, from Parquet",
        FLOOR: "reading the CSV alone (polars)",
    }
    for name in names:
        print(
            f"{labels[name]:28}{summary(cold[name]):>21}  {summary(warm[name]):>21}  "
            f"{statistics.median(cpu[name]):8.2f}  {max(peaks[name]):14.0f}  {statistics.median(baselines[name]):13.0f}"
        )
    whole_label = "(whole process, wall)"
    print(f"{'mutualis coefficient-batch':28}{whole_label:>21}  {summary(whole):>21}  {'':8}  {max(whole_peaks):14.0f}")
    same = all(agree(results["ours"], results[n]) for n in names[1:] if n != FLOOR)
    print(f"\nthe results agree to the cent: {'yes' if same else 'NO'}")

    med = {n: statistics.median(warm[n]) for n in IMPLEMENTATIONS}
    ratio_duckdb, ratio_pandas, peak = med["ours"] / med["duckdb"], med["pandas"] / med["ours"], max(peaks["ours"])
    checks = [
        ("ours / duckdb (warm medians)", f"{ratio_duckdb:.2f}", ratio_duckdb, "×", RATIO_DUCKDB, "≤"),
        ("pandas / ours (warm medians)", f"{ratio_pandas:.1f}", ratio_pandas, "×", RATIO_PANDAS, "≥"),
        ("ours peak memory", f"{peak:.0f}", peak, "MB", PEAK_MB, "<"),
    ]
    print()
    for figure, shown, value, unit, target, rule in checks:
        # A figure of results that disagree is no figure: FAIL whatever its value.
        word = verdict("bench_national", figure, value, unit, target, rule, valid=same)
        print(f"{f'{figure} = {shown} {unit}':45} target {f'{rule} {target:g} {unit}':10} {word}")
    # Context: the same ratios on the fastest runs (least disturbed by the machine's other work) and cold.
    best = {n: min(warm[n]) for n in IMPLEMENTATIONS}
    first = {n: statistics.median(cold[n]) for n in IMPLEMENTATIONS}
    print(
        f"(fastest warm runs: ours / duckdb {best['ours'] / best['duckdb']:.2f}×, pandas / ours "
        f"{best['pandas'] / best['ours']:.1f}×, pandas / duckdb {best['pandas'] / best['duckdb']:.1f}×; "
        f"cold medians: ours / duckdb {first['ours'] / first['duckdb']:.2f}×, pandas / ours "
        f"{first['pandas'] / first['ours']:.1f}×)"
    )
    floor = statistics.median(warm[FLOOR])
    print(
        f"(the practical limit: pandas / duckdb {med['pandas'] / med['duckdb']:.1f}×; pandas / reading the CSV alone "
        f"with polars, nothing checked or computed, {med['pandas'] / floor:.1f}×; ours = that reading + "
        f"{med['ours'] - floor:.2f} s of validation and computation)"
    )


if __name__ == "__main__":
    main()
