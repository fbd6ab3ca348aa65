"""The iCalendar file (RFC 5545 / iTIP RFC 5546) of a meeting: attached to the invitations and offered
for download on the meeting's page.

Times are written in Europe/Paris with their VTIMEZONE (the EU rule, last Sundays of March and October),
so that a calendar shows the time the group agreed on; UID is the meeting's, and SEQUENCE its revision.
The ORGANIZER is the sending address of Mutualis, the same for every message of a meeting, so that
calendars accept its updates and cancellation whoever in the group sends them."""

import datetime as dt
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

PARIS = ZoneInfo("Europe/Paris")
REQUEST, CANCEL = "REQUEST", "CANCEL"


def vtimezone() -> Timezone:
    tz = Timezone()
    tz.add("tzid", "Europe/Paris")
    ete = TimezoneDaylight()
    ete.add("tzname", "CEST")
    ete.add("dtstart", dt.datetime(1970, 3, 29, 2, 0, 0))
    ete.add("tzoffsetfrom", dt.timedelta(hours=1))
    ete.add("tzoffsetto", dt.timedelta(hours=2))
    ete.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    hiver = TimezoneStandard()
    hiver.add("tzname", "CET")
    hiver.add("dtstart", dt.datetime(1970, 10, 25, 3, 0, 0))
    hiver.add("tzoffsetfrom", dt.timedelta(hours=2))
    hiver.add("tzoffsetto", dt.timedelta(hours=1))
    hiver.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(ete)
    tz.add_component(hiver)
    return tz


def organisateur(groupe) -> vCalAddress:
    nom, adresse = parseaddr(settings.DEFAULT_FROM_EMAIL)
    address = vCalAddress(f"mailto:{adresse}")
    address.params["cn"] = vText(f"{nom or 'Mutualis'} – GT {groupe.libelle}")
    return address


def lieu(seance) -> str:
    if seance.lieu and seance.lien_visio:
        return f"{seance.lieu} (ou en visioconférence : {seance.lien_visio})"
    return seance.lieu or (f"Visioconférence : {seance.lien_visio}" if seance.lien_visio else "")


def description(seance, url: str) -> str:
    parts = []
    if seance.ordre_du_jour.strip():
        parts.append("Ordre du jour :\n" + seance.ordre_du_jour.strip())
    if seance.lien_visio:
        parts.append(f"Visioconférence : {seance.lien_visio}")
    if seance.annulee and seance.motif_annulation:
        parts.append(f"Séance annulée : {seance.motif_annulation}")
    parts.append(f"Page de la séance : {url}")
    return "\n\n".join(parts)


def calendrier(seance, invites, url: str, now: dt.datetime) -> bytes:
    """The .ics of `seance` (its groupe and the groupe's schema loaded): METHOD:CANCEL once cancelled,
    REQUEST otherwise. `invites` are the users invited (ATTENDEE lines, those with an e-mail address)."""
    methode = CANCEL if seance.annulee else REQUEST
    cal = Calendar()
    cal.add("prodid", "-//Mutualis//Séances des groupes de travail//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", methode)
    cal.add_component(vtimezone())

    event = Event()
    event.add("uid", str(seance.uid))
    event.add("sequence", seance.sequence)
    event.add("dtstamp", now.astimezone(dt.UTC))
    event.add("dtstart", seance.debut.astimezone(PARIS))
    event.add("dtend", seance.fin.astimezone(PARIS))
    event.add("summary", f"{seance} – {seance.groupe.territoire.nom}")
    if lieu(seance):
        event.add("location", lieu(seance))
    event.add("description", description(seance, url))
    event.add("url", url)
    event.add("organizer", organisateur(seance.groupe))
    for user in invites:
        if not user.email:
            continue
        attendee = vCalAddress(f"mailto:{user.email}")
        attendee.params["cn"] = vText(str(user))
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        event.add("attendee", attendee, encode=0)
    event.add("status", "CANCELLED" if methode == CANCEL else "CONFIRMED")
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return cal.to_ical()


def nom_fichier(seance) -> str:
    jour = seance.debut.astimezone(PARIS).date().isoformat()
    return f"seance-{seance.groupe.theme}-{seance.etape}-{jour}.ics".lower()
