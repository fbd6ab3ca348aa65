"""`mutualis coefficient` (docs/contrats §6): JSON keys, text output, exit status 2 on invalid input."""

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


@pytest.fixture
def files(tmp_path):
    territory = tmp_path / "territoire.csv"
    territory.write_text(TERRITORY, encoding="utf-8")
    payroll = tmp_path / "paie.csv"
    payroll.write_bytes(payroll_csv(*payroll_rows_small()))
    return territory, payroll


def test_json_document_has_every_key(capsys, files):
    territory, payroll = files
    status, out, err = run_command(
        capsys, "coefficient", "--territory", str(territory), "--payroll", str(payroll), "--json"
    )
    assert status == 0, err
    doc = json.loads(out)
    assert set(doc) == {
        "epci",
        "functional_themes",
        "coefficient",
        "numerator",
        "denominator",
        "fte_numerator",
        "fte_denominator",
        "by_theme",
        "by_employer",
        "warnings",
    }
    assert doc["epci"] == EPCI
    assert doc["functional_themes"] == ["FIN", "RH", "CPAJ", "SI", "BML"]
    assert doc["numerator"] == pytest.approx(267000)
    assert doc["denominator"] == pytest.approx(667000)
    assert doc["coefficient"] == pytest.approx(267000 / 667000)
    assert doc["fte_numerator"] == pytest.approx(5.5)
    assert doc["fte_denominator"] == pytest.approx(5.5 + 8 + 0.8 + 1)
    assert list(doc["by_theme"]) == ["FIN", "RH", "CPAJ", "SI", "BML"]
    assert doc["by_theme"]["CPAJ"] == {"numerator": 0.0, "denominator": 0.0, "coefficient": None}
    assert list(doc["by_employer"]) == [EPCI, BORDEAUX, MERIGNAC, PESSAC, TALENCE]
    assert doc["by_employer"][TALENCE] == {"functional_cost": 0.0, "functional_fte": 0.0}
    assert doc["by_employer"][MERIGNAC]["functional_cost"] == pytest.approx(22000 + 38000)


def test_functional_option_changes_the_list_and_says_so(capsys, files):
    territory, payroll = files
    status, out, _ = run_command(
        capsys,
        "coefficient",
        "--territory",
        str(territory),
        "--payroll",
        str(payroll),
        "--functional",
        "rh,FIN",
        "--json",
    )
    doc = json.loads(out)
    assert status == 0 and doc["functional_themes"] == ["FIN", "RH"]
    assert doc["denominator"] == pytest.approx(200000 + 45000 + 22000 + 200000 + 126000 + 38000)


def test_text_output_is_french(capsys, files):
    territory, payroll = files
    status, out, _ = run_command(capsys, "coefficient", "--territory", str(territory), "--payroll", str(payroll))
    assert status == 0
    assert "Coefficient de mutualisation de Bordeaux Métropole" in out and "40,03\u00a0%" in out


def test_invalid_payroll_exits_2_with_line_messages_and_no_stdout(capsys, files, tmp_path):
    territory, _ = files
    bad = tmp_path / "bad.csv"
    bad.write_bytes(payroll_csv(f"{EPCI};E1;FIN;50000;1,5;1;propre;;;A", f"{BORDEAUX};;FIN;-3;1;1;propre;;;D"))
    status, out, err = run_command(
        capsys, "coefficient", "--territory", str(territory), "--payroll", str(bad), "--json"
    )
    assert status == 2
    assert out == ""
    lines = [line for line in err.splitlines() if not line.startswith("avertissement : ")]
    assert lines and all(line.startswith(("ligne ", "fichier : ")) for line in lines)
    assert any(line.startswith("ligne 2 : quotite") for line in lines)
    assert any(line.startswith("ligne 3 : agent") for line in lines)
    assert any(line.startswith("ligne 3 : cout_annuel") for line in lines)
    assert any(line.startswith("ligne 3 : categorie") for line in lines)


def test_missing_file_exits_2(capsys, files, tmp_path):
    territory, _ = files
    status, out, err = run_command(
        capsys, "coefficient", "--territory", str(territory), "--payroll", str(tmp_path / "nope.csv")
    )
    assert status == 2 and out == "" and err.startswith("fichier : ")


def test_unknown_functional_theme_exits_2(capsys, files):
    territory, payroll = files
    status, out, err = run_command(
        capsys, "coefficient", "--territory", str(territory), "--payroll", str(payroll), "--functional", "FIN,XYZ"
    )
    assert status == 2 and out == "" and "XYZ" in err


def test_warnings_go_to_stderr_and_into_json(capsys, files, tmp_path):
    territory, _ = files
    payroll = tmp_path / "paie.csv"
    payroll.write_bytes(
        payroll_csv(
            f"{EPCI};E1;FIN;50000;1;1;propre;;;A;x",
            header=(
                "employeur;agent;theme;cout_annuel;quotite;etp;situation;beneficiaire;activite;categorie;colonne_inconnue"
            ),
        )
    )
    status, out, err = run_command(
        capsys, "coefficient", "--territory", str(territory), "--payroll", str(payroll), "--json"
    )
    assert status == 0
    assert "avertissement : " in err
    assert any("colonne_inconnue" in w for w in json.loads(out)["warnings"])


def test_console_entry_point(files):
    territory, payroll = files
    exe = Path(sys.executable).with_name("mutualis")
    done = subprocess.run(
        [str(exe), "coefficient", "--territory", str(territory), "--payroll", str(payroll), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["coefficient"] == pytest.approx(267000 / 667000)
    bad = subprocess.run(
        [str(exe), "coefficient", "--territory", str(territory), "--payroll", str(territory)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and bad.stdout == ""
