"""Start-up of the command line (issue 17, point 2): the whole process `mutualis coefficient --territory T
--payroll P --json` on a 10-line payroll, as a user or a script runs it, against the target of 0.8 s; then
`mutualis simulate` and `mutualis echeance` (computations over files, started without the app registry)
and `mutualis --help` (Django's dispatcher, the whole registry). Each: one first run apart, then RUNS runs,
min/median/max of the wall time, PASS when the median is under the target; the processor time (user +
system) beside it, steadier than the wall time on a shared machine. Last, for comparison, coefficient as it
ran before bytecode was written at install: every module compiled at each run (no target)."""

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from verdicts import verdict

ROOT = Path(__file__).resolve().parent.parent
MUTUALIS = Path(sys.executable).with_name("mutualis")
RUNS, RUNS_SANS_BYTECODE, TARGET_S = 9, 3, 0.8

EPCI, BORDEAUX, MERIGNAC, PESSAC, TALENCE = "243300316", "33063", "33281", "33318", "33522"
TERRITORY = (
    "code;nom;type;population;fiscalite\n"
    f"{EPCI};Bordeaux Métropole;epci;;FPU\n{BORDEAUX};Bordeaux;commune;267991;\n{MERIGNAC};Mérignac;commune;73000;\n"
    f"{PESSAC};Pessac;commune;66000;\n{TALENCE};Talence;commune;44000;\n"
)
PAYROLL = "employeur;agent;theme;cout_annuel;quotite;etp;situation;beneficiaire;activite;categorie\n" + "".join(
    f"{employeur};{agent};{theme};{cout};1;1;propre;;;B\n"
    for employeur, agent, theme, cout in [
        (EPCI, "E1", "FIN", 50000),
        (EPCI, "E2", "FIN", 48000),
        (EPCI, "E3", "RH", 45000),
        (BORDEAUX, "B1", "FIN", 40000),
        (BORDEAUX, "B2", "FIN", 41000),
        (BORDEAUX, "B3", "RH", 42000),
        (MERIGNAC, "M1", "RH", 44000),
        (MERIGNAC, "M2", "SI", 38000),
        (PESSAC, "P1", "BML", 36000),
        (TALENCE, "T1", "FIN", 39000),
    ]
)
SCENARIO = {"actions": [{"id": "a1", "theme": "FIN", "communes": [BORDEAUX], "modalite": "service_commun"}]}


def run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """One whole process: (wall seconds, processor seconds of the child). Stops on a failure."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([str(MUTUALIS), *args], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"mutualis {' '.join(args)} : code {done.returncode}\n{done.stderr}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(label: str, args: list[str], runs: int = RUNS, env_extra=None, target: float | None = TARGET_S) -> None:
    env = os.environ | (env_extra or {})
    first, _ = run(args, env)
    walls, cpus = zip(*(run(args, env) for _ in range(runs)), strict=True)
    lo, med, hi = min(walls), statistics.median(walls), max(walls)
    if target is None:
        result = "(no target)"
    else:
        result = f"target {target:.1f} s  {verdict('bench_demarrage', label, med, 's', target)}"
    print(
        f"{label:44} first {first:.2f}  min {lo:.2f}  median {med:.2f}  max {hi:.2f} s  "
        f"cpu median {statistics.median(cpus):.2f} s  {result}",
        flush=True,
    )


def main():
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Start-up of the command line, {RUNS} runs after a first one (load {load}, {os.cpu_count()} cores)")
    with tempfile.TemporaryDirectory(prefix="mutualis-demarrage-") as nom:
        d = Path(nom)
        (d / "territoire.csv").write_text(TERRITORY, encoding="utf-8")
        (d / "paie.csv").write_text(PAYROLL, encoding="utf-8")
        (d / "scenario.json").write_text(json.dumps(SCENARIO), encoding="utf-8")
        files = ["--territory", str(d / "territoire.csv"), "--payroll", str(d / "paie.csv")]
        measure("coefficient --json (10 lines)", ["coefficient", *files, "--json"])
        measure("simulate --json (10 lines, 1 action)", ["simulate", *files, "--scenario", str(d / "scenario.json")])
        measure("echeance 2026-12-15", ["echeance", "2026-12-15"])
        measure("--help (Django's dispatcher, whole registry)", ["--help"])
        # As before bytecode was written at install: a fresh, empty cache folder, never written to.
        with tempfile.TemporaryDirectory(prefix="mutualis-pycache-") as cache:
            measure(
                "coefficient --json, no bytecode (before)",
                ["coefficient", *files, "--json"],
                runs=RUNS_SANS_BYTECODE,
                env_extra={"PYTHONPYCACHEPREFIX": cache, "PYTHONDONTWRITEBYTECODE": "1"},
                target=None,
            )


if __name__ == "__main__":
    main()
