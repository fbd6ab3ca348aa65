"""A fast command line (issue 17, point 2): the computations over files start without the app registry, the
system checks or a heavy library they do not use, and answer exactly as through Django's dispatcher. Each
start-up runs in a child process of its own, as `mutualis` starts; nothing here is timed (bench/bench_demarrage.py
measures it)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mutualis.cli import COMMANDES_CALCUL
from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE, payroll_csv, payroll_rows_small

ROOT = Path(__file__).resolve().parents[2]
# Libraries that cost tens of milliseconds each or more: imported by the command that uses them, when it does.
HEAVY = {
    "polars",
    "numpy",
    "highspy",
    "openpyxl",
    "weasyprint",
    "docx",
    "odf",
    "icalendar",
    "holidays",
    "pandas",
    "duckdb",
}
# What the system checks and the app registry would have imported.
DJANGO_WHOLE = {"mutualis.urls", "django.contrib.admin", "masse_salariale.models", "territoire.models"}

TERRITORY = (
    "code;nom;type;population;fiscalite\n"
    f"{EPCI};Bordeaux Métropole;epci;;FPU\n{BORDEAUX};Bordeaux;commune;267991;\n{MERIGNAC};Mérignac;commune;73000;\n"
    f"{PESSAC};Pessac;commune;66000;\n{TALENCE};Talence;commune;44000;\n"
)
SCENARIO = {"actions": [{"id": "a1", "theme": "FIN", "communes": [BORDEAUX], "modalite": "service_commun"}]}
CANDIDATES = {"actions": [{**SCENARIO["actions"][0], "faisabilite": 3}]}


def _run(tmp_path, *args, code=None) -> subprocess.CompletedProcess:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "mutualis.settings", "MUTUALIS_VAR_DIR": str(tmp_path / "var")}
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def files(tmp_path):
    paths = {
        "territory": tmp_path / "territoire.csv",
        "payroll": tmp_path / "paie.csv",
        "scenario": tmp_path / "scenario.json",
        "candidates": tmp_path / "candidats.json",
    }
    paths["territory"].write_text(TERRITORY, encoding="utf-8")
    paths["payroll"].write_bytes(payroll_csv(*payroll_rows_small()))
    paths["scenario"].write_text(json.dumps(SCENARIO), encoding="utf-8")
    paths["candidates"].write_text(json.dumps(CANDIDATES), encoding="utf-8")
    return {name: str(path) for name, path in paths.items()}


def test_django_setup_imports_no_heavy_library_nor_the_url_configuration(tmp_path):
    """Every command, the worker and the web server pay `django.setup()`: the models and apps of the project
    import neither polars (through the `formats` package or the engine) nor `holidays` (parcours' tasks)."""
    done = _run(
        tmp_path,
        code="import django, json, sys\ndjango.setup()\nprint(json.dumps(sorted(sys.modules)))",
    )
    assert done.returncode == 0, done.stderr
    modules = set(json.loads(done.stdout))
    assert {m.split(".")[0] for m in modules} & HEAVY == set()
    assert "mutualis.urls" not in modules


# The computing commands with arguments that reach their `handle` (the files need not exist: it is replaced).
STARTS = {
    "coefficient": ["--territory", "t.csv", "--payroll", "p.csv", "--json"],
    "simulate": ["--territory", "t.csv", "--payroll", "p.csv", "--scenario", "s.json"],
    "optimize": ["--territory", "t.csv", "--payroll", "p.csv", "--candidates", "c.json", "--max-fte", "3"],
    "dsn-paie": ["--territory", "t.csv", "--employeur", EPCI, "--annee", "2025", "--correspondances", "c.csv"]
    + ["--taux-charges", "cnracl=0.3,general=0.4", "janvier.dsn"],
    "echeance": ["2026-12-15"],
    "coefficient-batch": ["--territories", "t.csv", "--payroll", "p.csv", "--output", "sortie.csv"],
    "generate-national": ["--seed", "1", "--output", "national", "--scale", "0.001"],
}
SPY = """
import json, sys
from mutualis import cli

real = cli.commande_calcul

def spy(argv):
    command = real(argv)
    if command is None:
        sys.exit("not on the short path")

    def handle(*args, **options):
        from django.apps import apps
        print(json.dumps({"modules": sorted(sys.modules), "registry": apps.apps_ready}))

    command.handle = handle
    return command

cli.commande_calcul = spy
cli.main()
"""


@pytest.mark.parametrize("name", sorted(STARTS))
def test_a_computing_command_reaches_its_work_without_registry_checks_or_heavy_library(tmp_path, name):
    done = _run(tmp_path, name, *STARTS[name], code=SPY)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["registry"] is False
    modules = set(seen["modules"])
    assert {m.split(".")[0] for m in modules} & HEAVY == set()
    assert modules & DJANGO_WHOLE == set()


def test_the_coefficient_of_a_small_file_imports_polars_and_nothing_heavier(tmp_path, files):
    """The whole run, its work included: polars reads and sums; the optimiser's, the office files' and the
    reports' libraries stay out, and so do the URL configuration and the admin."""
    code = (
        "import atexit, json, sys\n"
        "atexit.register(lambda: sys.stderr.write('\\nMODULES ' + json.dumps(sorted(sys.modules))))\n"
        "from mutualis.cli import main\nmain()"
    )
    done = _run(
        tmp_path,
        "coefficient",
        "--territory",
        files["territory"],
        "--payroll",
        files["payroll"],
        "--json",
        code=code,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["coefficient"] == pytest.approx(267_000 / 667_000)
    modules = set(json.loads(done.stderr.rpartition("MODULES ")[2]))
    assert "polars" in modules
    assert {m.split(".")[0] for m in modules} & (HEAVY - {"polars"}) == set()
    assert modules & DJANGO_WHOLE == set()


# Both entry points under the same name, so that argparse's usage lines read alike.
SHORT = "from mutualis.cli import main\nmain()\n"
DJANGO = (
    "import os, sys\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mutualis.settings')\n"
    "from django.core.management import execute_from_command_line\nexecute_from_command_line(sys.argv)\n"
)


T, P = ["--territory", "{territory}"], ["--payroll", "{payroll}"]
DSN = ["--employeur", EPCI, "--correspondances", "c.csv", "--taux-charges", "cnracl=0.3,general=0.4", "janvier.dsn"]
# Case → (arguments, exit status): successes, invalid input (§6: 2) and an unreachable target (3).
CASES = {
    "coefficient json": (["coefficient", *T, *P, "--json"], 0),
    "coefficient text": (["coefficient", *T, *P, "--functional", "rh,FIN"], 0),
    "coefficient missing file": (["coefficient", *T, "--payroll", "{payroll}.absent"], 2),
    "coefficient missing argument": (["coefficient", *T], 2),
    "coefficient help": (["coefficient", "--help"], 0),
    "simulate text": (["simulate", *T, *P, "--scenario", "{scenario}"], 0),
    "optimize json": (["optimize", *T, *P, "--candidates", "{candidates}", "--max-fte", "5", "--json"], 0),
    "optimize unreachable": (["optimize", *T, *P, "--candidates", "{candidates}", "--target", "0.99"], 3),
    "dsn-paie bad year": (["dsn-paie", *T, "--annee", "25", *DSN], 2),
    "echeance json": (["echeance", "2026-12-15", "--departement", "57", "--json"], 0),
    "echeance bad date": (["echeance", "2026-02-30"], 2),
}


@pytest.mark.parametrize("case", CASES)
def test_the_short_path_answers_exactly_as_djangos_dispatcher(tmp_path, files, case):
    args, status = CASES[case]
    args = [a.format(**files) for a in args]
    answers = []
    for kind, code in (("short", SHORT), ("django", DJANGO)):
        script = tmp_path / kind / "mutualis"
        script.parent.mkdir()
        script.write_text(code, encoding="utf-8")
        done = _run(tmp_path, str(script), *args)
        answers.append((done.returncode, done.stdout, done.stderr))
    short, django = answers
    assert short == django
    assert short[0] == status, short[2]


def test_the_table_of_computations_follows_djangos_lookup():
    """Each name of COMMANDES_CALCUL is the command Django would run under that name, and every command
    declared as a computation over files is in the table (else `mutualis` would set Django up for it)."""
    from django.core.management import get_commands, load_command_class

    from commun.commandes import CommandeCalcul

    commands = get_commands()
    assert {name: commands.get(name) for name in COMMANDES_CALCUL} == COMMANDES_CALCUL
    declared = {
        name
        for name, app in commands.items()
        if (ROOT / app.replace(".", "/")).is_dir() and isinstance(load_command_class(app, name), CommandeCalcul)
    }
    assert declared <= set(COMMANDES_CALCUL)
    assert {"coefficient", "simulate", "optimize", "dsn-paie", "echeance"} <= declared
