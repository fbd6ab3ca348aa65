"""Meetings: list, planning with the stage's agenda, edition, cancellation, and who may do it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from seances.enums import Etape, StatutSeance
from seances.models import Participation, Seance, TrameAnimation
from seances.trames import ORDRES_DU_JOUR
from territoire.models import Evenement

pytestmark = pytest.mark.django_db


def liste_url(territoire, theme="RH"):
    return reverse("seances:liste", kwargs={"code": territoire.code, "theme": theme})


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
        "ordre_du_jour": "1. Grille AFOR",
        **autres,
    }


def test_planning_form_starts_from_the_stage_agenda_and_creates_the_default_trames(connecte, cast, territoire):
    client = connecte(cast["copilote_rh_commune"])
    response = client.get(creer_url(territoire) + "?etape=GT2")
    assert response.status_code == 200
    assert set(TrameAnimation.objects.values_list("etape", flat=True)) == set(Etape.values)
    assert response.context["form"].initial["ordre_du_jour"] == ORDRES_DU_JOUR["GT2"]
    assert "grille AFOR" in ORDRES_DU_JOUR["GT2"] and "tour de table" in ORDRES_DU_JOUR["GT1"].lower()
    assert "Qualification" in ORDRES_DU_JOUR["GT3"] and "de 0 à 4+" in ORDRES_DU_JOUR["GT3"]
    assert "<fieldset" in response.content.decode() and 'for="id_date"' in response.content.decode()

    # a member of the group is not a planner
    assert connecte(cast["membre_rh"]).get(creer_url(territoire)).status_code == 403


def test_planning_a_meeting_creates_it_with_its_invitees(connecte, cast, territoire, groupe_rh):
    client = connecte(cast["copilote_rh_epci"])
    response = client.post(creer_url(territoire), formulaire())
    seance = Seance.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/seances/{seance.pk}/")
    assert seance.groupe == groupe_rh and seance.etape == "GT2" and seance.statut == StatutSeance.PLANIFIEE
    assert timezone.localtime(seance.debut).strftime("%Y-%m-%d %H:%M") == "2030-07-03 09:30"
    assert timezone.localtime(seance.fin).strftime("%H:%M") == "12:00"
    invites = set(Participation.objects.filter(seance=seance).values_list("utilisateur__username", flat=True))
    assert invites == {"copilote-rh-commune", "copilote-rh-epci", "membre-rh", "consultant"}
    assert Evenement.objects.filter(action="seances.planification").count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "GT2 Ressources humaines" in page and "3 juillet 2030" in page and "Envoyer les invitations" in page


def test_planning_errors_are_in_french_and_nothing_is_saved(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    response = client.post(creer_url(territoire), formulaire(heure_fin="09:00", lieu="", date=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ce champ est obligatoire." in page
    assert "L&#x27;heure de fin doit suivre l&#x27;heure de début." in page
    assert "Indiquez un lieu ou un lien de visioconférence." in page
    response = client.post(creer_url(territoire), formulaire(lieu="", lien_visio="pas une adresse"))
    assert "Saisissez une adresse web complète" in response.content.decode()
    assert not Seance.objects.exists()


def test_edit_and_cancel_a_meeting(connecte, cast, url, a_venir):
    client = connecte(cast["consultant"])
    response = client.get(url("modifier", a_venir))
    assert response.status_code == 200 and "prevenir" not in response.context["form"].fields
    response = client.post(url("modifier", a_venir), formulaire(etape="GT1", date="2030-07-04", lieu="Salle 2"))
    assert response.status_code == 302
    a_venir.refresh_from_db()
    assert a_venir.lieu == "Salle 2" and a_venir.sequence == 0  # nothing sent yet: no new revision

    assert client.get(url("annuler", a_venir)).status_code == 200
    response = client.post(url("annuler", a_venir), {"motif": "Report à la rentrée"})
    assert response.status_code == 302
    a_venir.refresh_from_db()
    assert a_venir.statut == StatutSeance.ANNULEE and a_venir.motif_annulation == "Report à la rentrée"
    # a cancelled meeting is no longer edited nor cancelled again
    assert client.post(url("modifier", a_venir), formulaire()).status_code == 409
    response = client.post(url("annuler", a_venir), {})
    assert response.status_code == 409 and "seule une séance planifiée peut être annulée" in response.content.decode()


def test_members_read_but_do_not_change_meetings(connecte, cast, url, a_venir):
    for role in ("membre_rh", "dgs_bordeaux", "elu_copil", "observateur"):
        client = connecte(cast[role])
        assert client.get(url("seance", a_venir)).status_code == 200
        assert client.post(url("modifier", a_venir), formulaire()).status_code == 403
        assert client.post(url("annuler", a_venir), {}).status_code == 403
    a_venir.refresh_from_db()
    assert a_venir.statut == StatutSeance.PLANIFIEE


def test_other_territories_and_unknown_themes_are_not_found(connecte, client, cast, territoire, url, a_venir):
    assert connecte(cast["exterieur"]).get(url("seance", a_venir)).status_code == 404
    client.logout()
    response = client.get(url("seance", a_venir))
    assert response.status_code == 302 and "/comptes/" in response["Location"]
    member = connecte(cast["equipe_projet"])
    assert member.get(liste_url(territoire, "ZZZ")).status_code == 404
    # a meeting is reached through its own group only
    wrong = reverse("seances:seance", kwargs={"code": territoire.code, "theme": "FIN", "pk": a_venir.pk})
    assert member.get(wrong).status_code == 404


def test_meetings_list_runs_a_bounded_number_of_queries(
    connecte, cast, territoire, planifier, django_assert_max_num_queries
):
    from seances.actions import do_ecrire_compte_rendu, do_enregistrer_presences

    debut = timezone.now() - dt.timedelta(days=400)
    for i in range(40):
        seance = planifier(debut + dt.timedelta(days=10 * i), etape=("GT1", "GT2", "GT3", "AUTRE")[i % 4])
        if i % 3 == 0 and seance.commencee(timezone.now()):
            do_ecrire_compte_rendu(seance, cast["membre_rh"], f"Compte rendu {i}", "")
            do_enregistrer_presences(
                seance, cast["equipe_projet"], {p.pk: "present" for p in seance.participations.all()}
            )
    client = connecte(cast["membre_rh"])
    with django_assert_max_num_queries(10):
        response = client.get(liste_url(territoire))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<tr>") >= 40 and "en rédaction" in page and "à rédiger" in page
