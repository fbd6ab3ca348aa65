"""Attendance: recorded from the meeting's start by its planners; it marks the meeting as held."""

import pytest

from seances.enums import Presence, StatutSeance
from territoire.models import Evenement

pytestmark = pytest.mark.django_db


def reponses(seance, **par_login):
    return {
        f"p{p.pk}": par_login.get(p.utilisateur.username, "present")
        for p in seance.participations.select_related("utilisateur")
    }


def test_attendance_is_recorded_after_the_meeting_and_marks_it_held(connecte, cast, url, tenue_hier):
    client = connecte(cast["copilote_rh_epci"])
    response = client.get(url("presences", tenue_hier))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<fieldset" in page and "<legend>copilote-rh-commune" in page and ">Excusé</label>" in page

    response = client.post(
        url("presences", tenue_hier), reponses(tenue_hier, **{"membre-rh": "excuse", "consultant": "absent"})
    )
    assert response.status_code == 302
    tenue_hier.refresh_from_db()
    assert tenue_hier.statut == StatutSeance.TENUE and tenue_hier.presences_saisies_le is not None
    presences = dict(tenue_hier.participations.values_list("utilisateur__username", "presence"))
    assert presences == {
        "copilote-rh-commune": Presence.PRESENT,
        "copilote-rh-epci": Presence.PRESENT,
        "membre-rh": Presence.EXCUSE,
        "consultant": Presence.ABSENT,
    }
    assert Evenement.objects.get(action="seances.presences").details["present"] == 2
    page = client.get(url("seance", tenue_hier)).content.decode()
    assert "2 présents sur 4 invités" in page and "Excusé" in page


def test_every_invitee_needs_an_answer(connecte, cast, url, tenue_hier):
    donnees = reponses(tenue_hier)
    donnees.pop(next(iter(donnees)))
    response = connecte(cast["equipe_projet"]).post(url("presences", tenue_hier), donnees)
    assert response.status_code == 400
    assert "était présent, excusé ou absent." in response.content.decode()
    tenue_hier.refresh_from_db()
    assert tenue_hier.statut == StatutSeance.PLANIFIEE


def test_no_attendance_before_the_meeting_nor_by_members(connecte, cast, url, a_venir, tenue_hier):
    response = connecte(cast["equipe_projet"]).post(url("presences", a_venir), reponses(a_venir))
    assert response.status_code == 409
    assert "à partir du début de la séance" in response.content.decode()
    for role in ("membre_rh", "dgs_metropole", "observateur"):
        assert connecte(cast[role]).post(url("presences", tenue_hier), reponses(tenue_hier)).status_code == 403
    tenue_hier.refresh_from_db()
    assert tenue_hier.statut == StatutSeance.PLANIFIEE
