"""The space's home page: process matrix, next meetings, my to-do list, latest activity."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def accueil(client, territoire):
    return client.get(reverse("espace:accueil", kwargs={"code": territoire.code}))


def test_every_role_sees_the_nine_groups_by_their_full_labels(connecte, cast, territoire):
    for who in ("equipe_projet", "dgs_bordeaux", "elu_copil", "consultant", "observateur"):
        html = accueil(connecte(cast[who]), territoire).content.decode()
        assert "Informatique, numérique et systèmes d&#x27;information" in html, who
        assert "Travaux d&#x27;investissement sur le domaine public" in html
        assert html.count("à planifier") == 27


def test_next_meetings_and_the_matrix_follow_the_meetings(connecte, cast, territoire):
    from seances.actions import do_planifier_seance

    groupe = territoire.schemas.get().groupes.get(theme="RH")
    debut = timezone.now() + dt.timedelta(days=3)
    do_planifier_seance(
        groupe,
        cast["equipe_projet"],
        {
            "etape": "GT1",
            "titre": "",
            "debut": debut,
            "fin": debut + dt.timedelta(hours=2),
            "lieu": "Salle du conseil",
            "lien_visio": "",
            "ordre_du_jour": "Tour de table",
        },
    )
    response = accueil(connecte(cast["elu_copil"]), territoire)
    html = response.content.decode()
    assert len(response.context["prochaines"]) == 1 and "Salle du conseil" in html
    assert html.count("à planifier") == 26 and "planifiée le" in html


def test_activity_hides_accounts_from_everyone_but_the_project_team(connecte, cast, territoire):
    from comptes.actions import do_inviter

    do_inviter(
        territoire,
        email="nouvelle@exemple.fr",
        prenom="Nina",
        nom="Nouvelle",
        organisation=territoire.epci,
        roles_territoire={"elu"},
        roles_groupes={},
        auteur=cast["equipe_projet"],
        envoyer=False,
    )
    team = accueil(connecte(cast["equipe_projet"]), territoire).content.decode()
    elu = accueil(connecte(cast["elu_copil"]), territoire).content.decode()
    assert "a invité une personne" in team and "nouvelle@exemple.fr" in team
    assert "nouvelle@exemple.fr" not in elu


def test_a_staged_batch_is_on_the_importer_to_do_list(connecte, cast, territoire, payroll_small):
    from masse_salariale.actions import do_preparer_lot

    do_preparer_lot(territoire, payroll_small, "paie.csv", 2025, cast["equipe_projet"])
    assert (
        "Confirmer ou abandonner le lot de masse salariale 2025"
        in accueil(connecte(cast["equipe_projet"]), territoire).content.decode()
    )
    assert "Confirmer ou abandonner" not in accueil(connecte(cast["dgs_bordeaux"]), territoire).content.decode()


def test_home_page_runs_a_bounded_number_of_queries(connecte, cast, territoire, django_assert_max_num_queries):
    client = connecte(cast["copilote_rh_epci"])
    # 27: the legal path's phase and waits read the schéma's versions, calendar and comité meetings.
    with django_assert_max_num_queries(27):
        accueil(client, territoire)
