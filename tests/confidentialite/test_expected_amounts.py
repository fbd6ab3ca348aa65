"""Every amount the rule shows appears where expected (docs/confidentialite.md): the project team sees
every figure of every scenario, the non-diffusible ones marked « confidentiel »; an employer's own users
(its DGS, its payroll referent) see all of its detail, one-agent cells included; an élue attached to that
commune sees it as every other reader does. That no reader outside an employer sees one of its
confidential amounts, the élue of the comité de pilotage included, is checked on all her pages by
tests/confidentialite/test_sweep.py."""

import io

import pytest

from tests.cast import MERIGNAC
from tests.confidentialite.sweep import USER_INPUTS, page_amounts, url, workbook_amounts

pytestmark = pytest.mark.django_db

SECRET = 'class="secret"'  # how a page says « non diffusé » (commun/templatetags/fr.py, `montant`)
# Mérignac's functional detail (tests/confidentialite/world.py): two agents in RH-FORM, half an agent made
# available to the EPCI, one agent in FIN-BUDG, five in SI-APPL.
MERIGNAC_RH_FORM, MERIGNAC_MAD_EPCI, MERIGNAC_FIN, MERIGNAC_SI = 38443 + 39157, 22031, 47659, 204807
MERIGNAC_CONFIDENTIAL = {MERIGNAC_RH_FORM, MERIGNAC_MAD_EPCI, MERIGNAC_FIN}


def merignac_detail(world) -> str:
    return url(world, "masse_salariale:detail") + f"?employeur={MERIGNAC}"


def coefficient(world) -> str:
    return url(world, "masse_salariale:coefficient")


def test_project_team_sees_every_figure_of_every_scenario(client, world):
    from openpyxl import load_workbook

    client.force_login(world.readers["equipe_projet"])
    marked = 0
    for s in world.scenarios:
        page = client.get(url(world, "scenarios:scenario", pk=s.pk))
        assert page.status_code == 200
        text = page.content.decode()
        assert SECRET not in text, f"« {s.nom} » : un montant non diffusé à l'équipe projet"
        assert page_amounts(page.content, (USER_INPUTS,)), s.nom
        marked += text.count('class="confidentiel"')
        workbook = client.get(url(world, "scenarios:impact", pk=s.pk))
        assert workbook.status_code == 200
        texts = [
            v
            for ws in load_workbook(io.BytesIO(workbook.content)).worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if isinstance(v, str)
        ]
        assert not [v for v in texts if v.startswith("non diffusé")], f"impact XLSX « {s.nom} »"
        assert workbook_amounts(workbook.content, (USER_INPUTS,)), s.nom
    assert marked, "les montants non diffusibles sont marqués « confidentiel » pour l'équipe projet"


def test_commune_dgs_sees_all_her_detail_even_one_agent_cells_and_another_dgs_does_not(client, world):
    client.force_login(world.readers["dgs_merignac"])
    page = client.get(merignac_detail(world))
    assert page.status_code == 200
    assert SECRET not in page.content.decode()
    assert {MERIGNAC_RH_FORM, MERIGNAC_MAD_EPCI, MERIGNAC_FIN, MERIGNAC_SI} <= set(page_amounts(page.content))

    client.force_login(world.readers["dgs_bordeaux"])
    page = client.get(merignac_detail(world))
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    assert not MERIGNAC_CONFIDENTIAL & set(page_amounts(page.content))


@pytest.mark.parametrize("path", [merignac_detail, coefficient])
def test_elue_attached_to_a_commune_does_not_read_its_confidential_amounts_its_payroll_referent_does(
    client, world, path
):
    client.force_login(world.readers["elu_merignac"])
    page = client.get(path(world))
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    assert not MERIGNAC_CONFIDENTIAL & set(page_amounts(page.content))

    client.force_login(world.readers["referent_paie_merignac"])
    page = client.get(path(world))
    assert page.status_code == 200
    seen = set(page_amounts(page.content))
    assert MERIGNAC_FIN in seen  # one agent: a grid cell of the coefficient page, a fine row of the detail
    if path is merignac_detail:
        assert SECRET not in page.content.decode()
        assert seen >= MERIGNAC_CONFIDENTIAL
