"""`mutualis echeance` (docs/contrats §6): the deadline alone on standard output, the JSON document, exit
status 2 with one French line for an invalid date or an unknown département."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cast import run_command


@pytest.mark.parametrize(
    ("reception", "echeance"),
    [
        ("2026-12-15", "2027-03-15"),
        ("2026-11-30", "2027-02-28"),
        ("2026-12-31", "2027-03-31"),
        ("2027-02-28", "2027-05-28"),
        ("2027-11-30", "2028-02-29"),
    ],
)
def test_prints_the_deadline_alone(capsys, reception, echeance):
    status, out, err = run_command(capsys, "echeance", reception)
    assert (status, out, err) == (0, f"{echeance}\n", "")


@pytest.mark.parametrize(
    ("args", "document"),
    [
        (
            ["2026-12-15"],
            {
                "reception": "2026-12-15",
                "echeance": "2027-03-15",
                "jour_non_ouvre": False,
                "reputee_favorable_le": "2027-03-16",
            },
        ),
        # a Sunday: flagged, never moved; deemed favourable the day after
        (
            ["2026-11-30"],
            {
                "reception": "2026-11-30",
                "echeance": "2027-02-28",
                "jour_non_ouvre": True,
                "reputee_favorable_le": "2027-03-01",
            },
        ),
        # Good Friday: a holiday in Moselle, not in Gironde nor by default (metropolitan France)
        (
            ["2026-12-26", "--departement", "57"],
            {
                "reception": "2026-12-26",
                "echeance": "2027-03-26",
                "jour_non_ouvre": True,
                "reputee_favorable_le": "2027-03-27",
            },
        ),
        (
            ["2026-12-26", "--departement", "33"],
            {
                "reception": "2026-12-26",
                "echeance": "2027-03-26",
                "jour_non_ouvre": False,
                "reputee_favorable_le": "2027-03-27",
            },
        ),
        (
            ["2026-12-26"],
            {
                "reception": "2026-12-26",
                "echeance": "2027-03-26",
                "jour_non_ouvre": False,
                "reputee_favorable_le": "2027-03-27",
            },
        ),
        # Guadeloupe's own holiday, a Thursday
        (
            ["2027-02-27", "--departement", "971"],
            {
                "reception": "2027-02-27",
                "echeance": "2027-05-27",
                "jour_non_ouvre": True,
                "reputee_favorable_le": "2027-05-28",
            },
        ),
    ],
)
def test_json_document(capsys, args, document):
    status, out, err = run_command(capsys, "echeance", *args, "--json")
    assert status == 0 and err == ""
    assert json.loads(out) == document


def test_text_output_ignores_the_holiday_flag(capsys):
    status, out, _ = run_command(capsys, "echeance", "2026-12-26", "--departement", "67")
    assert status == 0 and out == "2027-03-26\n"


@pytest.mark.parametrize(
    "texte",
    ["2027-02-30", "2027-2-3", "demain", "2027-13-01", "20270203", "2027-02-03x", "2027-02-3 ", "+027-02-03", ""],
)
@pytest.mark.parametrize("json_", [[], ["--json"]])
def test_invalid_date_exits_2_with_one_french_line(capsys, texte, json_):
    status, out, err = run_command(capsys, "echeance", texte, *json_)
    assert (status, out, err) == (2, "", f"date invalide : « {texte} » (attendu AAAA-MM-JJ)\n")


@pytest.mark.parametrize("departement", ["99", "20", "979"])
def test_unknown_departement_exits_2_with_one_french_line(capsys, departement):
    status, out, err = run_command(capsys, "echeance", "2026-12-15", "--departement", departement, "--json")
    assert (status, out, err) == (2, "", f"département inconnu : « {departement} »\n")


def test_console_entry_point():
    exe = Path(sys.executable).with_name("mutualis")
    done = subprocess.run([str(exe), "echeance", "2026-11-30"], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, "2027-02-28\n", "")
    bad = subprocess.run([str(exe), "echeance", "2027-02-30"], capture_output=True, text=True, timeout=120)
    assert (bad.returncode, bad.stdout) == (2, "")
    assert bad.stderr.splitlines() == ["date invalide : « 2027-02-30 » (attendu AAAA-MM-JJ)"]
