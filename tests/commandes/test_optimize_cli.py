"""`mutualis optimize` (docs/contrats §6): JSON keys, text output, exit status 2 and 3."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE, payroll_csv, payroll_rows_small, run_command

TERRITORY = (
    "code;nom;type;population;fiscalite\n"
    f"{EPCI};Bordeaux Métropole;epci;;FPU\n{BORDEAUX};Bordeaux;commune;267991;\n{MERIGNAC};Mérignac;commune;73000;\n"
    f"{PESSAC};Pessac;commune;66000;\n{TALENCE};Talence;commune;44000;\n"
)
# Before: 267 000 / 667 000. a1 moves Bordeaux's FIN (5 ETP, 200 000 €); a2 half of it (overlaps a1).
CANDIDATES = {
    "actions": [
        {
            "id": "a1",
            "theme": "FIN",
            "communes": [BORDEAUX],
            "modalite": "service_commun",
            "gain": 0.1,
            "annee": 2027,
            "faisabilite": 3,
        },
        {
            "id": "a2",
            "theme": "FIN",
            "communes": [BORDEAUX],
            "modalite": "mad_ascendante",
            "part": 0.5,
            "annee": 2027,
            "faisabilite": "4+",
        },
        {
            "id": "a3",
            "theme": "RH",
            "communes": [BORDEAUX, MERIGNAC],
            "modalite": "service_commun",
            "annee": 2028,
            "faisabilite": 2,
        },
        {
            "id": "a4",
            "theme": "FIN",
            "communes": "toutes",
            "modalite": "groupement_commandes",
            "economie": 1000,
            "faisabilite": 4,
        },
    ],
    "refus": {MERIGNAC: ["RH"]},
    "plafond_etp_annuel": 10,
}


@pytest.fixture
def files(tmp_path):
    territory = tmp_path / "territoire.csv"
    territory.write_text(TERRITORY, encoding="utf-8")
    payroll = tmp_path / "paie.csv"
    payroll.write_bytes(payroll_csv(*payroll_rows_small()))
    candidates = tmp_path / "candidats.json"
    candidates.write_text(json.dumps(CANDIDATES), encoding="utf-8")
    return ["--territory", str(territory), "--payroll", str(payroll), "--candidates", str(candidates)]


def test_json_document_has_every_key(capsys, files):
    status, out, err = run_command(capsys, "optimize", *files, "--target", "0.6", "--json")
    assert status == 0, err
    doc = json.loads(out)
    assert list(doc) == [
        "selected",
        "coefficient",
        "moved_fte",
        "moved_cost",
        "ac_total",
        "optimal",
        "binding",
        "warnings",
    ]
    assert doc["selected"] == ["a1"]
    assert doc["coefficient"] == pytest.approx((267000 + 180000) / (667000 - 20000))
    assert doc["moved_fte"] == pytest.approx(5) and doc["moved_cost"] == pytest.approx(200000)
    assert doc["ac_total"] == pytest.approx(-200000)
    assert doc["optimal"] is True
    # a3 would need less ETP (Mérignac's RH is refused).
    assert doc["binding"][0] == "cible"


def test_max_fte_and_min_feasibility(capsys, files):
    status, out, _ = run_command(capsys, "optimize", *files, "--max-fte", "6", "--min-feasibility", "4+", "--json")
    doc = json.loads(out)
    assert status == 0 and doc["selected"] == ["a2"] and doc["moved_fte"] == pytest.approx(2.5)
    # a1 (feasibility 3) would do better; a3 stays refused by Mérignac.
    assert doc["binding"] == ["faisabilite_min"]


def test_text_output_is_french(capsys, files):
    status, out, _ = run_command(capsys, "optimize", *files, "--target", "60 %")
    assert status == 0
    assert "Portefeuille optimal pour Bordeaux Métropole" in out and "cible 60,00\u00a0%" in out
    assert "a1 : Finances, Bordeaux, service_commun, 2027" in out and "Optimalité : prouvée" in out


def test_unreachable_target_exits_3_with_the_best_coefficient(capsys, files):
    status, out, err = run_command(capsys, "optimize", *files, "--target", "0.95", "--json")
    assert status == 3 and out == ""
    line = [x for x in err.splitlines() if x.startswith("cible inatteignable")]
    assert line and "meilleur coefficient atteignable 0.69088" in line[0] and "69,09\u00a0%" in line[0]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--target", "abc"], "option --target : « abc » : nombre attendu"),
        (["--max-fte", "-2"], "option --max-fte : « -2 » : nombre positif ou nul attendu"),
        ([], "options : indiquer soit --target, soit --max-fte"),
        (["--target", "0.5", "--max-fte", "3"], "options : indiquer soit --target, soit --max-fte"),
        (["--target", "0.5", "--min-feasibility", "5"], "option --min-feasibility : « 5 » : 0, 1, 2, 3, 4 ou 4+"),
    ],
)
def test_invalid_options_exit_2(capsys, files, args, expected):
    status, out, err = run_command(capsys, "optimize", *files, *args)
    assert status == 2 and out == "" and expected in err


def test_invalid_candidates_file_exits_2_with_line_messages(capsys, files, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"actions": [\n{"id": "a1", "theme": "FIN", "communes": [33063], "modalite": "service_commun"}]}',
        encoding="utf-8",
    )
    status, out, err = run_command(capsys, "optimize", *files[:4], "--candidates", str(bad), "--target", "0.5")
    lines = [x for x in err.splitlines() if not x.startswith("avertissement : ")]
    assert status == 2 and out == ""
    assert lines and all(x.startswith(("ligne ", "fichier : ")) for x in lines)


def test_console_entry_point(files):
    exe = Path(sys.executable).with_name("mutualis")
    done = subprocess.run(
        [str(exe), "optimize", *files, "--max-fte", "5", "--json"], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["selected"] == ["a1"]  # HiGHS's banner did not reach stdout
    unreachable = subprocess.run(
        [str(exe), "optimize", *files, "--target", "0.99"], capture_output=True, text=True, timeout=120
    )
    assert unreachable.returncode == 3 and unreachable.stdout == "" and "0.69" in unreachable.stderr
    bad = subprocess.run([str(exe), "optimize", *files], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == ""
