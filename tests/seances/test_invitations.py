"""Invitations by e-mail with their .ics (iTIP REQUEST, then CANCEL), and the .ics download."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from seances.models import Participation
from territoire.models import Evenement

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def ics_joint(message):
    """The text/calendar attachment of an e-mail, parsed, with its Content-Type."""
    parts = [a for a in message.attachments if getattr(a, "get_content_type", lambda: "")() == "text/calendar"]
    assert len(parts) == 1, message.attachments
    part = parts[0]
    assert part.get_filename().endswith(".ics")
    return Calendar.from_ical(part.get_content()), part


def evenement(calendrier):
    events = calendrier.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_invitations_go_to_the_group_with_a_calendar_request(connecte, cast, url, a_venir, mailoutbox):
    client = connecte(cast["copilote_rh_commune"])
    response = client.post(url("inviter", a_venir))
    assert response.status_code == 302

    destinataires = sorted(m.to[0] for m in mailoutbox)
    assert destinataires == [
        "consultant@exemple.fr",
        "copilote-rh-commune@exemple.fr",
        "copilote-rh-epci@exemple.fr",
        "membre-rh@exemple.fr",
    ]
    assert set(Participation.objects.filter(seance=a_venir).values_list("presence", flat=True)) == {"invite"}
    message = mailoutbox[0]
    assert message.subject.startswith("Invitation : GT1 Ressources humaines – 3 juillet")
    assert "Ordre du jour :\n1. Tour de table" in message.body and "09h30 à 12h00" in message.body
    assert message.reply_to == ["copilote-rh-commune@exemple.fr"]

    cal, part = ics_joint(message)
    assert part.get_param("method") == "REQUEST"
    assert str(cal["METHOD"]) == "REQUEST" and cal.walk("VTIMEZONE")
    event = evenement(cal)
    assert str(event["UID"]) == str(a_venir.uid)
    assert int(event["SEQUENCE"]) == 0
    debut, fin = event.decoded("DTSTART"), event.decoded("DTEND")
    assert debut == a_venir.debut and fin == a_venir.fin
    assert debut.astimezone(PARIS).strftime("%H:%M") == "09:30" and event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert str(event["SUMMARY"]) == "GT1 Ressources humaines – Bordeaux Métropole"
    assert str(event["LOCATION"]) == "Salle du conseil, Pessac"
    assert "1. Tour de table\n2. Feuille de route" in str(event["DESCRIPTION"])
    assert str(event["URL"]).endswith(url("seance", a_venir))
    assert str(event["ORGANIZER"]) == "mailto:ne-pas-repondre@mutualis.localhost"
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == [f"mailto:{d}" for d in destinataires]
    assert str(event["STATUS"]) == "CONFIRMED"

    a_venir.refresh_from_db()
    assert a_venir.invitations_envoyees_le is not None and a_venir.sequence_envoyee == 0
    assert Evenement.objects.filter(action="seances.invitations", details__destinataires=4).exists()

    # the members of the group are invited, they do not invite
    mailoutbox.clear()
    assert connecte(cast["membre_rh"]).post(url("inviter", a_venir)).status_code == 403
    assert connecte(cast["elu_copil"]).post(url("inviter", a_venir)).status_code == 403
    assert not mailoutbox


def test_a_change_after_sending_is_a_new_revision_sent_as_an_update(connecte, cast, url, a_venir, mailoutbox):
    client = connecte(cast["equipe_projet"])
    client.post(url("inviter", a_venir))
    mailoutbox.clear()
    date = a_venir.debut.astimezone(PARIS).date().isoformat()
    champs = {
        "etape": "GT1",
        "titre": "",
        "date": date,
        "heure_debut": "14:00",
        "heure_fin": "17:00",
        "lieu": "Salle du conseil, Pessac",
        "lien_visio": "https://visio.exemple.fr/gt-rh",
        "ordre_du_jour": a_venir.ordre_du_jour,
    }

    # without the update: the page says the calendars are out of date
    response = client.post(url("modifier", a_venir), {**champs, "prevenir": ""})
    assert response.status_code == 302 and not mailoutbox
    a_venir.refresh_from_db()
    assert a_venir.sequence == 1 and a_venir.sequence_envoyee == 0 and a_venir.mise_a_jour_non_envoyee
    assert "la mise à jour n'est pas envoyée" in client.get(url("seance", a_venir)).content.decode()

    # with it: a REQUEST with the next SEQUENCE, same UID
    response = client.post(url("modifier", a_venir), {**champs, "heure_fin": "17:30", "prevenir": "on"})
    assert response.status_code == 302
    a_venir.refresh_from_db()
    assert a_venir.sequence == 2 and a_venir.sequence_envoyee == 2 and len(mailoutbox) == 4
    assert mailoutbox[0].subject.startswith("Séance modifiée : ")
    event = evenement(ics_joint(mailoutbox[0])[0])
    assert str(event["UID"]) == str(a_venir.uid) and int(event["SEQUENCE"]) == 2
    assert event.decoded("DTEND").astimezone(PARIS).strftime("%H:%M") == "17:30"
    assert "https://visio.exemple.fr/gt-rh" in str(event["LOCATION"]) + str(event["DESCRIPTION"])


def test_cancelling_an_invited_meeting_sends_a_calendar_cancel(connecte, cast, url, a_venir, mailoutbox):
    client = connecte(cast["copilote_rh_epci"])
    client.post(url("inviter", a_venir))
    mailoutbox.clear()
    response = client.post(url("annuler", a_venir), {"motif": "Le DGS ne peut pas venir."})
    assert response.status_code == 302
    assert len(mailoutbox) == 4 and mailoutbox[0].subject.startswith("Séance annulée : ")
    assert "Motif : Le DGS ne peut pas venir." in mailoutbox[0].body
    cal, part = ics_joint(mailoutbox[0])
    event = evenement(cal)
    assert str(cal["METHOD"]) == "CANCEL" and part.get_param("method") == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED" and str(event["UID"]) == str(a_venir.uid)
    assert int(event["SEQUENCE"]) == 1

    # no invitation for a cancelled meeting
    mailoutbox.clear()
    assert client.post(url("inviter", a_venir)).status_code == 409
    assert not mailoutbox


def test_cancelling_before_sending_tells_nobody(connecte, cast, url, a_venir, mailoutbox):
    assert connecte(cast["equipe_projet"]).post(url("annuler", a_venir), {}).status_code == 302
    assert not mailoutbox


def test_no_invitation_for_a_meeting_already_started(connecte, cast, url, tenue_hier, mailoutbox):
    response = connecte(cast["equipe_projet"]).post(url("inviter", tenue_hier))
    assert response.status_code == 409 and not mailoutbox
    assert "une séance planifiée à venir" in response.content.decode()


def test_every_member_downloads_the_same_ics(connecte, cast, url, a_venir):
    response = connecte(cast["dgs_merignac"]).get(url("ics", a_venir))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert 'filename="seance-rh-gt1-' in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    event = evenement(cal)
    assert str(cal["METHOD"]) == "REQUEST" and str(event["UID"]) == str(a_venir.uid)
    assert event.decoded("DTSTART") == a_venir.debut
    assert 'href="' + url("ics", a_venir) in connecte(cast["dgs_merignac"]).get(url("seance", a_venir)).content.decode()
    assert connecte(cast["exterieur"]).get(url("ics", a_venir)).status_code == 404


def test_the_downloaded_ics_names_the_address_the_reader_used(connecte, cast, url, a_venir, settings):
    settings.ALLOWED_HOSTS = ["mutualis.bordeaux-metropole.fr"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    response = connecte(cast["dgs_merignac"]).get(
        url("ics", a_venir), HTTP_HOST="mutualis.bordeaux-metropole.fr", secure=True
    )
    event = evenement(Calendar.from_ical(response.content))
    assert str(event["url"]) == "https://mutualis.bordeaux-metropole.fr" + url("seance", a_venir)
    assert "127.0.0.1" not in response.content.decode()


def test_daylight_saving_time_in_the_calendar(planifier):
    """A winter meeting is at +01:00, a summer one at +02:00: the VTIMEZONE carries both rules."""
    from django.utils import timezone

    from seances.ics import calendrier

    for mois, decalage in ((1, 1), (7, 2)):
        seance = planifier(timezone.make_aware(dt.datetime(2031, mois, 15, 9, 0)))
        event = evenement(Calendar.from_ical(calendrier(seance, [], "https://x/", timezone.now())))
        assert event.decoded("DTSTART").utcoffset() == dt.timedelta(hours=decalage)
        assert event.decoded("DTSTART") == seance.debut
