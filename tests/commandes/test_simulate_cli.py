"""`mutualis simulate` (docs/contrats §6): JSON document, text output, exit status 2 on invalid input."""

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
SCENARIO = f"""nom: Cycle 1
partage_gains: 0.5
actions:
  - {{id: a1, theme: RH, activite: RH-PAIE, communes: ["{BORDEAUX}"], modalite: service_commun, gain: 0.1, annee: 2027}}
  - {{id: a2, theme: FIN, communes: toutes, modalite: transfert}}
"""


@pytest.fixture
def files(tmp_path):
    territory = tmp_path / "territoire.csv"
    territory.write_text(TERRITORY, encoding="utf-8")
    payroll = tmp_path / "paie.csv"
    payroll.write_bytes(payroll_csv(*payroll_rows_small()))
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    return str(territory), str(payroll), str(scenario)


def simulate(capsys, files, *extra):
    territory, payroll, scenario = files
    return run_command(
        capsys, "simulate", "--territory", territory, "--payroll", payroll, "--scenario", scenario, *extra
    )


def test_json_document(capsys, files):
    status, out, err = simulate(capsys, files, "--json")
    assert status == 0, err
    doc = json.loads(out)
    assert set(doc) == {"before", "after", "by_organisation", "actions", "trajectory", "warnings"}
    assert doc["before"] == {
        "coefficient": pytest.approx(267_000 / 667_000),
        "numerator": 267_000.0,
        "denominator": 667_000.0,
    }
    # a1: Bordeaux RH-PAIE 126 000 € (3 agents) with a 10 % gain; a2: Bordeaux FIN 200 000 €.
    assert doc["after"]["numerator"] == pytest.approx(267_000 + 113_400 + 200_000)
    assert doc["after"]["denominator"] == pytest.approx(667_000 - 12_600)
    assert [a["id"] for a in doc["actions"]] == ["a1", "a2"]
    assert doc["actions"][0]["moved_cost"] == pytest.approx(126_000) and doc["actions"][0]["moved_fte"] == 3
    assert doc["actions"][0]["coefficient_after"] == pytest.approx(380_400 / 654_400)
    assert list(doc["by_organisation"]) == [EPCI, BORDEAUX, MERIGNAC, PESSAC, TALENCE]
    bdx = doc["by_organisation"][BORDEAUX]
    assert bdx["cost_before"] == pytest.approx(326_000) and bdx["cost_after"] == pytest.approx(0)
    assert bdx["ac_adjustment"] == pytest.approx(-(126_000 * (1 - 0.05) + 200_000))
    assert doc["by_organisation"][EPCI]["ac_adjustment"] == pytest.approx(-bdx["ac_adjustment"])
    # Net effects: Bordeaux keeps half the gain on a1 (s = 0.5), the EPCI the other half; a2 has no gain.
    assert {code: o["net_effect"] for code, o in doc["by_organisation"].items()} == pytest.approx(
        {EPCI: 6_300, BORDEAUX: 6_300, MERIGNAC: 0, PESSAC: 0, TALENCE: 0}
    )
    assert all(o["charges"] == 0 for o in doc["by_organisation"].values())
    assert list(doc["trajectory"]) == ["2026", "2027"]
    assert doc["trajectory"]["2026"]["coefficient"] == pytest.approx(467_000 / 667_000)
    assert any("transfert sur un thème fonctionnel" in w for w in doc["warnings"])
    assert "avertissement : action « a2 » : transfert" in err


def test_json_charges_and_net_effect(capsys, files, tmp_path):
    path = tmp_path / "charges.yaml"
    path.write_text(
        f"""partage_gains: 0.5
actions:
  - {{id: a1, theme: RH, activite: RH-PAIE, communes: ["{BORDEAUX}"], modalite: service_commun, gain: 0.1,
      charges_associees: 2000}}
  - {{id: a2, theme: FIN, communes: ["{BORDEAUX}"], modalite: mad_descendante, gain: 0.2}}
  - {{id: a3, theme: SI, communes: ["{MERIGNAC}", "{PESSAC}"], modalite: entente, economie: 13900}}
""",
        encoding="utf-8",
    )
    status, out, err = simulate(capsys, (files[0], files[1], str(path)), "--json")
    assert status == 0, err
    orgs = json.loads(out)["by_organisation"]
    assert {code: o["charges"] for code, o in orgs.items()} == pytest.approx(
        {EPCI: 2_000, BORDEAUX: -2_000, MERIGNAC: 0, PESSAC: 0, TALENCE: 0}
    )
    # Bordeaux: payroll −326 000, charges −2 000, AC −(126 000 × 0.95 + 2 000) = −121 700, pays the EPCI
    # 200 000 × 0.8 = 160 000 for a2: it keeps 6 300 of a1's gain and all 40 000 of a2's.
    # EPCI: employs 113 400 + 160 000, takes the charges, AC +121 700, reimbursed 160 000.
    # Savings split by population (73 000 and 66 000).
    assert {code: o["net_effect"] for code, o in orgs.items()} == pytest.approx(
        {EPCI: 6_300, BORDEAUX: 46_300, MERIGNAC: 7_300, PESSAC: 6_600, TALENCE: 0}
    )
    for o in orgs.values():
        assert o["net_effect"] == pytest.approx(
            -(o["cost_after"] - o["cost_before"])
            - o["charges"]
            + o["savings"]
            + o["reimbursement"]
            + (o["ac_adjustment"] or 0)
        )


def test_text_output_is_french_and_help_states_the_approximation(capsys, files):
    status, out, _ = simulate(capsys, files)
    assert status == 0
    assert "Coefficient de mutualisation : 40,03\u00a0% avant" in out and "Trajectoire" in out
    assert "effet net +6\u202f300\u00a0€" in out  # Bordeaux and the EPCI
    from masse_salariale.management.commands.simulate import Command

    assert "mis à disposition pour cette part" in Command.help


@pytest.mark.parametrize(
    "scenario,start",
    [
        ("actions:\n  - {theme: RH, communes: [33063], modalite: service_commun}\n", "ligne 2 : "),
        (
            "actions:\n  - {id: a, theme: RH, communes: toutes, modalite: service_commun}\n"
            "  - {id: b, theme: RH, activite: RH-PAIE, communes: toutes, modalite: transfert}\n",
            "ligne 2 : ",
        ),
        ("nom: x\n", "fichier : "),
    ],
)
def test_invalid_scenario_exits_2_with_nothing_on_stdout(capsys, files, tmp_path, scenario, start):
    path = tmp_path / "bad.yaml"
    path.write_text(scenario, encoding="utf-8")
    status, out, err = simulate(capsys, (files[0], files[1], str(path)), "--json")
    assert status == 2 and out == ""
    lines = [line for line in err.splitlines() if not line.startswith("avertissement : ")]
    assert lines and lines[0].startswith(start) and all(line.startswith(("ligne ", "fichier : ")) for line in lines)


def test_invalid_payroll_and_missing_files_exit_2(capsys, files, tmp_path):
    status, out, err = simulate(capsys, (files[0], files[0], files[2]))
    assert status == 2 and out == ""
    status, out, err = simulate(capsys, (files[0], files[1], str(tmp_path / "absent.json")))
    assert status == 2 and out == "" and err.startswith("fichier : ")


def test_console_entry_point(files):
    exe = Path(sys.executable).with_name("mutualis")
    territory, payroll, scenario = files
    done = subprocess.run(
        [str(exe), "simulate", "--territory", territory, "--payroll", payroll, "--scenario", scenario, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["before"]["numerator"] == 267_000
    bad = Path(scenario).with_name("bad.json")
    bad.write_text('{"actions": [{"theme": "RH", "communes": [33063], "modalite": "service_commun"}]}')
    done = subprocess.run(
        [str(exe), "simulate", "--territory", territory, "--payroll", payroll, "--scenario", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == "" and done.stderr.startswith("ligne 1 : ")
