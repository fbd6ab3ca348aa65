"""Versions of the schéma (issue 12, point 4): exactly one scenario, frozen with the payroll batches of its
year; a later import never changes a frozen version; two versions compared; the working scenario stays
editable and out of reach of the version."""

import pytest
from django.urls import reverse

from commun.erreurs import ActionRefusee
from tests.cast import BORDEAUX, MERIGNAC, payroll_csv, payroll_rows_small
from tests.parcours.conftest import ajouter_action

pytestmark = pytest.mark.django_db


def test_freezing_copies_the_scenario_and_pins_its_batches(cast, territoire, scenario_paie, version_projet):
    v = version_projet
    assert v.numero == 1 and v.etat == "projet" and v.annee_paie == 2025
    assert v.scenario.pk != scenario_paie.pk and v.scenario.figee
    assert [a.identifiant for a in v.scenario.actions.all()] == ["A1"]
    assert v.lots.count() == 4  # the 2025 batch's employers: the EPCI, Bordeaux, Mérignac, Pessac
    assert v.figures["organisations"][BORDEAUX]["masse_apres"] < v.figures["organisations"][BORDEAUX]["masse_avant"]
    # The working scenario changes; the version does not.
    ajouter_action(territoire, scenario_paie, cast["equipe_projet"], communes=(MERIGNAC,), activite="RH-FORM")
    assert v.scenario.actions.count() == 1
    from scenarios.models import Scenario

    assert list(Scenario.objects.du_schema(territoire.schemas.get())) == [scenario_paie]


def test_a_frozen_copy_is_out_of_reach_of_the_scenario_pages(cast, territoire, version_projet, connecte):
    client = connecte(cast["equipe_projet"])
    url = reverse("scenarios:scenario", kwargs={"code": territoire.code, "pk": version_projet.scenario.pk})
    assert client.get(url).status_code == 404
    url = reverse("scenarios:supprimer", kwargs={"code": territoire.code, "pk": version_projet.scenario.pk})
    assert client.post(url).status_code == 404


def test_a_later_payroll_import_never_changes_a_frozen_version(cast, territoire, version_projet, connecte):
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    client = connecte(cast["equipe_projet"])
    url = reverse("parcours:version", kwargs={"code": territoire.code, "numero": 1})
    avant = client.get(url).content.decode()
    assert "Chiffres identiques" in avant
    # A new 2025 batch replaces the current one: Bordeaux's payroll doubles.
    rows = [r.replace(";40000;", ";80000;") for r in payroll_rows_small()]
    lot = do_preparer_lot(territoire, payroll_csv(*rows), "paie-corrigee.csv", 2025, cast["equipe_projet"])
    do_confirmer_lot(lot, cast["equipe_projet"], remplacer=True)
    apres = client.get(url).content.decode()
    assert "Chiffres identiques" in apres

    def impact(page):
        return page[page.index('id="tableau-impact"') : page.index("</table>", page.index('id="tableau-impact"'))]

    assert impact(avant) == impact(apres)


def test_freezing_is_refused_without_actions_or_payroll(cast, territoire, lot_courant):
    from parcours.actions import do_figer_version
    from parcours.models import VersionSchema
    from scenarios.actions import do_creer

    vide = do_creer(territoire.schemas.get(), cast["equipe_projet"], "Vide")
    with pytest.raises(ActionRefusee, match="aucune action"):
        do_figer_version(territoire.schemas.get(), vide, "comite", cast["equipe_projet"])
    assert not VersionSchema.objects.exists()


def test_comparison_names_the_actions_and_figures_that_changed(
    cast, territoire, scenario_paie, version_projet, connecte
):
    from parcours.actions import do_figer_version

    ajouter_action(territoire, scenario_paie, cast["equipe_projet"], communes=(MERIGNAC,), activite="RH-FORM")
    do_figer_version(territoire.schemas.get(), scenario_paie, "projet", cast["equipe_projet"])
    client = connecte(cast["elu_copil"])
    page = client.get(reverse("parcours:comparer", kwargs={"code": territoire.code}), {"a": 1, "b": 2}).content.decode()
    assert "Action ajoutée : A2" in page
    assert "Mérignac" in page  # its row moved


def test_every_member_reads_a_version_and_only_the_project_team_freezes(cast, territoire, scenario_paie, connecte):
    url = reverse("parcours:versions", kwargs={"code": territoire.code})
    assert connecte(cast["elu_copil"]).post(url, {"scenario": scenario_paie.pk, "etat": "comite"}).status_code == 403
    client = connecte(cast["equipe_projet"])
    assert client.post(url, {"scenario": scenario_paie.pk, "etat": "comite"}).status_code == 302
    assert (
        connecte(cast["dgs_merignac"])
        .get(reverse("parcours:version", kwargs={"code": territoire.code, "numero": 1}))
        .status_code
        == 200
    )
    assert connecte(cast["exterieur"]).get(url).status_code == 404


def test_the_elue_comments_on_a_version_and_on_a_scenario(cast, territoire, scenario_paie, version_projet, connecte):
    client = connecte(cast["elu_copil"])
    for type_, pk, page in (
        (
            "version-schema",
            version_projet.pk,
            reverse("parcours:version", kwargs={"code": territoire.code, "numero": 1}),
        ),
        (
            "scenario",
            scenario_paie.pk,
            reverse("scenarios:scenario", kwargs={"code": territoire.code, "pk": scenario_paie.pk}),
        ),
    ):
        url = reverse("echanges:commenter", kwargs={"code": territoire.code, "type": type_, "pk": pk})
        assert client.post(url, {"texte": f"Question de la présidente sur ce {type_}"}).status_code == 302
        assert f"Question de la présidente sur ce {type_}" in client.get(page).content.decode()
    # A frozen copy is no scenario one can discuss apart from its version.
    url = reverse(
        "echanges:commenter", kwargs={"code": territoire.code, "type": "scenario", "pk": version_projet.scenario.pk}
    )
    assert client.post(url, {"texte": "x"}).status_code == 404
