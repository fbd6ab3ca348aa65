"""Runs every benchmark in its own process and prints their figures."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for script in (
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
):
    if (HERE / script).exists():
        print(f"== {script}", flush=True)
        subprocess.run([sys.executable, str(HERE / script)], check=False)
