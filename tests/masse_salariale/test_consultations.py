"""The audit of reading (issue « production grade », point 8): a page or an export that shows payroll amounts
leaves a row (who, when, which page, whose amounts); a page without amounts leaves none; the project team
reads every row, an employer's DGS those that showed her employer; rows older than twelve months are purged."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from masse_salariale import consultations
from masse_salariale.models import ConsultationPaie
from tests.cast import BORDEAUX, MERIGNAC

pytestmark = pytest.mark.django_db


def test_a_page_showing_amounts_is_recorded_with_whose_amounts(connecte, cast, territoire, lot_courant):
    dgs = connecte(cast["dgs_merignac"])
    url = reverse("masse_salariale:coefficient", kwargs={"code": territoire.code})
    assert dgs.get(url).status_code == 200
    (ligne,) = ConsultationPaie.objects.all()
    assert ligne.utilisateur == cast["dgs_merignac"] and ligne.page == "masse_salariale:coefficient"
    assert MERIGNAC in ligne.employeurs and ligne.montants > 0 and ligne.chemin == url
    # A page without any amount leaves no row.
    dgs.get(reverse("referentiel:liste", kwargs={"code": territoire.code}))
    assert ConsultationPaie.objects.count() == 1


def test_the_row_names_exactly_the_employers_of_the_atoms_released(connecte, cast, territoire, lot_courant):
    """The employers recorded are those of every atom of every released amount, counted from the register
    itself (the readings memoise what each cell and line publishes, once per set of batches)."""
    from masse_salariale.confidentialite import registres

    dgs = connecte(cast["dgs_merignac"])
    url = reverse("masse_salariale:coefficient", kwargs={"code": territoire.code})
    for _ in range(2):  # the second page reads the memoised publications
        with registres() as lectures:
            assert dgs.get(url).status_code == 200
        ligne = ConsultationPaie.objects.latest("pk")
        publies = [p for lecture in lectures for p in lecture.publies]
        derives = [v for lecture in lectures for v in lecture.derives if v is not None]
        assert ligne.employeurs == sorted({atome[0] for p in publies for atome in p.combinaison})
        assert ligne.montants == len(publies) + len(derives) and len(ligne.employeurs) > 1


def test_the_project_team_reads_every_row_and_a_dgs_those_of_her_employer(connecte, cast, territoire, lot_courant):
    ConsultationPaie.objects.create(
        territoire=territoire.code,
        utilisateur=cast["consultant"],
        page="p",
        chemin="/a",
        employeurs=[MERIGNAC],
        montants=3,
    )
    ConsultationPaie.objects.create(
        territoire=territoire.code,
        utilisateur=cast["consultant"],
        page="p",
        chemin="/b",
        employeurs=[BORDEAUX],
        montants=2,
    )
    url = reverse("masse_salariale:consultations", kwargs={"code": territoire.code})
    equipe = connecte(cast["equipe_projet"]).get(url).content.decode()
    assert "<code>/a</code>" in equipe and "<code>/b</code>" in equipe
    merignac = connecte(cast["dgs_merignac"]).get(url).content.decode()
    assert "<code>/a</code>" in merignac and "<code>/b</code>" not in merignac
    assert connecte(cast["consultant"]).get(url).status_code == 403


def test_rows_older_than_twelve_months_are_purged_by_the_daily_work(cast, territoire, capsys):
    from tests.cast import run_command

    vieille = ConsultationPaie.objects.create(territoire=territoire.code, page="p", chemin="/v", montants=1)
    recente = ConsultationPaie.objects.create(territoire=territoire.code, page="p", chemin="/r", montants=1)
    ConsultationPaie.objects.filter(pk=vieille.pk).update(
        quand=timezone.now() - consultations.DUREE - dt.timedelta(days=2)
    )
    assert run_command(capsys, "taches-quotidiennes")[0] == 0
    assert list(ConsultationPaie.objects.values_list("pk", flat=True)) == [recente.pk]
