"""A new meeting's agenda follows its stage (issue 11, point 7): GT1, GT2 and GT3 each start from their
trame d'animation, « autre réunion » starts empty; without JavaScript, a text sent empty or as a stage's
trame takes the chosen stage's trame, and a text the user wrote is kept (seances.trames.ordre_du_jour_suivi;
the page's script, static/js/ordre_du_jour.js, is tested in tests/e2e/test_ordre_du_jour.py)."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from seances.enums import Etape
from seances.models import Seance, TrameAnimation
from seances.trames import ORDRES_DU_JOUR, ordre_du_jour_suivi

TRAMES = {"GT1": "1. Tour de table", "GT2": "1. Grille AFOR", "GT3": "1. Préconisations", "AUTRE": ""}


@pytest.mark.parametrize(
    ("etape", "saisi", "attendu"),
    [
        ("GT2", "1. Tour de table", "1. Grille AFOR"),  # pre-filled with GT1's, then the stage changed
        ("GT2", "1. Tour de table\r\n", "1. Grille AFOR"),  # as a browser sends a textarea
        ("AUTRE", "1. Tour de table", ""),  # another meeting has no trame
        ("GT3", "", "1. Préconisations"),  # « autre » chosen first, then a stage
        ("GT3", "  \n ", "1. Préconisations"),
        ("GT1", "1. Tour de table", "1. Tour de table"),
        ("GT2", "1. Tour de table\n2. Paie", "1. Tour de table\n2. Paie"),  # her own text: kept
        ("AUTRE", "Point sur le calendrier", "Point sur le calendrier"),
    ],
)
def test_the_agenda_follows_the_stage_unless_the_user_wrote_her_own(etape, saisi, attendu):
    assert ordre_du_jour_suivi(etape, saisi, TRAMES) == attendu


def test_each_stage_has_its_own_default_trame_and_another_meeting_none():
    gt = [ORDRES_DU_JOUR[e] for e in ("GT1", "GT2", "GT3")]
    assert all(gt) and len(set(gt)) == 3
    assert ORDRES_DU_JOUR[Etape.AUTRE] == ""


def creer_url(territoire, theme="RH"):
    return reverse("seances:creer", kwargs={"code": territoire.code, "theme": theme})


def formulaire(**autres):
    return {
        "etape": "GT2",
        "titre": "",
        "date": "2030-07-03",
        "heure_debut": "09:30",
        "heure_fin": "12:00",
        "lieu": "Hôtel de la Métropole, salle 3",
        "lien_visio": "",
        **autres,
    }


@pytest.mark.django_db
def test_another_meeting_starts_with_an_empty_agenda(connecte, cast, territoire):
    client = connecte(cast["copilote_rh_commune"])
    form = client.get(creer_url(territoire) + "?etape=AUTRE").context["form"]
    assert form.initial == {"etape": "AUTRE", "ordre_du_jour": ""}
    # opened as GT1 (the default), changed to « autre » in a page without JavaScript: no GT1 agenda
    response = client.post(creer_url(territoire), formulaire(etape="AUTRE", ordre_du_jour=ORDRES_DU_JOUR["GT1"]))
    assert response.status_code == 302
    assert Seance.objects.get().ordre_du_jour == ""


@pytest.mark.django_db
def test_a_gt2_meeting_gets_the_gt2_trame_of_the_schema(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    assert (
        client.get(creer_url(territoire) + "?etape=GT2").context["form"].initial["ordre_du_jour"]
        == (ORDRES_DU_JOUR["GT2"])
    )
    TrameAnimation.objects.filter(etape="GT2").update(ordre_du_jour="1. Grille AFOR de la paie")
    gt1_comme_envoye = ORDRES_DU_JOUR["GT1"].replace("\n", "\r\n")
    client.post(creer_url(territoire), formulaire(etape="GT2", ordre_du_jour=gt1_comme_envoye))
    assert Seance.objects.get().ordre_du_jour == "1. Grille AFOR de la paie"


@pytest.mark.django_db
def test_the_user_s_own_agenda_is_kept_whatever_the_stage(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    texte = ORDRES_DU_JOUR["GT1"] + "\n8. Questions diverses"
    client.post(creer_url(territoire), formulaire(etape="GT3", ordre_du_jour=texte))
    assert Seance.objects.get().ordre_du_jour == texte


@pytest.mark.django_db
def test_a_form_sent_back_with_an_error_shows_the_chosen_stage_s_trame(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    response = client.post(creer_url(territoire), formulaire(etape="GT3", date="", ordre_du_jour=ORDRES_DU_JOUR["GT1"]))
    assert response.status_code == 400 and not Seance.objects.exists()
    assert response.context["form"]["ordre_du_jour"].value() == ORDRES_DU_JOUR["GT3"]
    page = response.content.decode()
    assert "data-suivi-trames" in page and "js/ordre_du_jour.js" in page


@pytest.mark.django_db
def test_editing_a_meeting_never_replaces_its_agenda(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    client.post(creer_url(territoire), formulaire(etape="GT1", ordre_du_jour=""))
    seance = Seance.objects.get()
    assert seance.ordre_du_jour == ORDRES_DU_JOUR["GT1"]
    adresse = reverse("seances:modifier", kwargs={"code": territoire.code, "theme": "RH", "pk": seance.pk})
    page = client.get(adresse).content.decode()
    assert "data-suivi-trames" not in page and "js/ordre_du_jour.js" not in page
    client.post(adresse, formulaire(etape="GT2", ordre_du_jour=ORDRES_DU_JOUR["GT1"]))
    seance.refresh_from_db()
    assert seance.etape == "GT2" and seance.ordre_du_jour == ORDRES_DU_JOUR["GT1"]


@pytest.mark.django_db
def test_the_project_team_may_leave_the_other_meetings_trame_empty_not_a_stage_s(connecte, cast, territoire):
    adresse = reverse("seances:trames", kwargs={"code": territoire.code})
    client = connecte(cast["equipe_projet"])

    def donnees():
        form = client.get(adresse).context["form"]
        return {nom: form[nom].initial for nom in form.fields}

    assert donnees()["AUTRE"] == ""
    assert client.post(adresse, {**donnees(), "AUTRE": "1. Point d'étape"}).status_code == 302
    assert client.post(adresse, {**donnees(), "AUTRE": ""}).status_code == 302
    assert TrameAnimation.objects.get(etape="AUTRE").ordre_du_jour == ""
    assert client.post(adresse, {**donnees(), "GT1": ""}).status_code == 400


@pytest.mark.django_db
def test_the_migration_empties_the_old_default_of_other_meetings_only(territoire):
    from seances.actions import trames_du_schema

    migration = importlib.import_module("seances.migrations.0003_trame_autre_vide")
    schema = territoire.schemas.get()
    trames_du_schema(schema)
    TrameAnimation.objects.filter(etape="AUTRE").update(
        ordre_du_jour=migration.ANCIENNE_TRAME_AUTRE.replace("\n", "\r\n")
    )
    migration.vider_la_trame_autre(apps, None)
    assert TrameAnimation.objects.get(etape="AUTRE").ordre_du_jour == ""
    TrameAnimation.objects.filter(etape="AUTRE").update(ordre_du_jour="1. Notre propre trame")
    migration.vider_la_trame_autre(apps, None)
    assert TrameAnimation.objects.get(etape="AUTRE").ordre_du_jour == "1. Notre propre trame"
    assert TrameAnimation.objects.get(etape="GT1").ordre_du_jour == ORDRES_DU_JOUR["GT1"]
