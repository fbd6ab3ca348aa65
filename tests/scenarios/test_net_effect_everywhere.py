"""One home for figures (issue 9, point 4): the net effect of each organisation on its operating balance
is the engine's (`Simulation.impact`), and the scenario page, its XLSX export, the comparison page and
`mutualis simulate --json` (on the same territory, payroll and scenario written to files) say the same,
to the euro."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE

pytestmark = pytest.mark.django_db


def u(territoire, name, **kwargs):
    return reverse(f"scenarios:{name}", kwargs={"code": territoire.code, **kwargs})


def territory_file(territoire) -> str:
    """The territory in the database as a docs/contrats §2 file."""
    lines = ["code;nom;type;population;fiscalite", f"{territoire.code};{territoire.nom};epci;;FPU"]
    for c in territoire.organisations.communes().filter(membre=True).order_by("code"):
        lines.append(f"{c.code};{c.nom};commune;{c.population if c.population is not None else ''};")
    return "\n".join(lines) + "\n"


def test_page_export_comparison_and_command_line_give_the_same_net_effects(
    cast, territoire, lot_courant, payroll_small, connecte, tmp_path
):
    from openpyxl import load_workbook

    client = connecte(cast["equipe_projet"])
    assert client.post(u(territoire, "liste"), {"nom": "Trois modalités", "partage_gains": "50"}).status_code == 302
    from scenarios.models import Scenario

    scenario = Scenario.objects.get(nom="Trois modalités")
    orgs = {o.code: o.pk for o in territoire.organisations.all()}
    for action in (
        {
            "identifiant": "paie",
            "theme": "RH",
            "activite": "RH-PAIE",
            "modalite": "service_commun",
            "communes": [orgs[BORDEAUX]],
            "part": "100",
            "gain": "10",
            "annee": "2027",
            "charges_associees": "1000",
        },
        {
            "identifiant": "budget",
            "theme": "FIN",
            "activite": "FIN-BUDG",
            "modalite": "mad_descendante",
            "communes": [orgs[BORDEAUX]],
            "part": "100",
            "gain": "20",
            "annee": "2028",
        },
        {
            "identifiant": "achats",
            "theme": "SI",
            "activite": "",
            "modalite": "entente",
            "toutes": "on",
            "part": "100",
            "gain": "0",
            "annee": "2026",
            "economie": "9000",
        },
    ):
        response = client.post(u(territoire, "action_ajouter", pk=scenario.pk), action)
        assert response.status_code == 302, response.content.decode()

    # The scenario page (what the template lays out).
    page = client.get(u(territoire, "scenario", pk=scenario.pk))
    assert all(r["net"].visible for r in page.context["impact"])  # the project team sees every amount
    on_page = {r["code"]: r["net"].valeur for r in page.context["impact"]}
    names = {r["code"]: r["nom"] for r in page.context["impact"]}
    assert list(on_page) == [EPCI, BORDEAUX, MERIGNAC, PESSAC, TALENCE]
    assert page.context["totaux"]["net"].valeur == pytest.approx(sum(on_page.values()))

    # Its XLSX export: one row per organisation the scenario touches, « Effet net » last.
    response = client.get(u(territoire, "impact", pk=scenario.pk))
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = next(k for k, r in enumerate(rows) if r[0] == "Organisation")
    net_column = rows[header].index("Effet net")
    in_workbook = {r[0]: r[net_column] for r in rows[header + 1 :] if r[0] in names.values()}

    # The comparison page (the scenario beside itself).
    comparison = client.get(u(territoire, "comparer") + f"?s={scenario.pk}")
    compared = {o["code"]: o["cellules"][0]["net"].valeur for o in comparison.context["organisations"]}

    # The command line, on the same territory, payroll and scenario (the page's JSON file), as files.
    territory = tmp_path / "territoire.csv"
    territory.write_text(territory_file(territoire), encoding="utf-8")
    payroll = tmp_path / "paie.csv"
    payroll.write_bytes(payroll_small)
    scenario_file = tmp_path / "scenario.json"
    scenario_file.write_bytes(client.get(u(territoire, "export", pk=scenario.pk)).content)
    exe = Path(sys.executable).with_name("mutualis")
    done = subprocess.run(
        [
            str(exe),
            "simulate",
            "--territory",
            str(territory),
            "--payroll",
            str(payroll),
            "--scenario",
            str(scenario_file),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    from_cli = {code: o["net_effect"] for code, o in json.loads(done.stdout)["by_organisation"].items()}

    assert list(from_cli) == list(on_page)
    for code, net in from_cli.items():
        assert round(on_page[code]) == round(net), code
        assert round(compared[code]) == round(net), code
        if names[code] in in_workbook:
            assert round(in_workbook[names[code]]) == round(net), code
        else:
            assert round(net) == 0, code  # the workbook omits only the organisations left untouched
    assert set(in_workbook) >= {names[EPCI], names[BORDEAUX], names[MERIGNAC]}

    # And the engine's formula, by hand. Bordeaux: payroll −326 000, charges −1 000, AC −(126 000 × 0.95
    # + 1 000) = −120 700, pays 200 000 × 0.8 = 160 000 for « budget », its share of 9 000 € of savings.
    # EPCI: half of the 12 600 € gain of « paie »; « budget » is reimbursed at cost.
    population = {BORDEAUX: 267_991, MERIGNAC: 73_000, PESSAC: 66_000, TALENCE: 44_000}
    savings = {c: 9_000 * p / sum(population.values()) for c, p in population.items()}
    assert from_cli[BORDEAUX] == pytest.approx(326_000 + 1_000 - 120_700 - 160_000 + savings[BORDEAUX])
    assert from_cli[EPCI] == pytest.approx(6_300)
    assert from_cli[MERIGNAC] == pytest.approx(savings[MERIGNAC])
