"""The convocation of a comité meeting: one e-mail per member with the meeting's .ics attached (the same
calendar conventions as the groups' meetings, seances/ics.py: Europe/Paris with its VTIMEZONE, the
meeting's UID, METHOD:REQUEST), and the .ics offered for download on the meeting's page."""

import datetime as dt

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from commun.formatage import date as date_fr
from seances.courriels import heure, piece_jointe
from seances.ics import PARIS, REQUEST, vtimezone

DUREE = dt.timedelta(hours=2)  # a comité meeting has a start; its calendar entry lasts two hours


def url(seance) -> str:
    chemin = reverse(
        "parcours:seance_comite",
        kwargs={"code": seance.comite.schema.territoire.code, "instance": seance.comite.instance, "pk": seance.pk},
    )
    return settings.SITE_URL.rstrip("/") + chemin


def titre(seance) -> str:
    return f"{seance.comite} – {seance.comite.schema.territoire.nom}"


def calendrier(seance, now: dt.datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Mutualis//Séances des comités//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", REQUEST)
    cal.add_component(vtimezone())
    e = Event()
    e.add("uid", str(seance.uid))
    e.add("dtstamp", now.astimezone(dt.UTC))
    e.add("dtstart", seance.debut.astimezone(PARIS))
    e.add("dtend", (seance.debut + DUREE).astimezone(PARIS))
    e.add("summary", titre(seance))
    if seance.lieu:
        e.add("location", seance.lieu)
    points = "\n".join(f"{p.position}. {p.objet}" for p in seance.points.all())
    e.add("description", (f"Ordre du jour :\n{points}\n\n" if points else "") + f"Page de la séance : {url(seance)}")
    e.add("url", url(seance))
    cal.add_component(e)
    return cal.to_ical()


def nom_fichier(seance) -> str:
    return f"{seance.comite.instance}-{timezone.localtime(seance.debut).date().isoformat()}.ics"


def messages(seance, membres, expediteur, now) -> list[mail.EmailMessage]:
    contenu = calendrier(seance, now)
    debut = timezone.localtime(seance.debut)
    sujet = f"Convocation : {seance.comite} du {date_fr(debut.date())} à {heure(seance.debut)}"
    points = "\n".join(f"  {p.position}. {p.objet}" for p in seance.points.all()) or "  (à venir)"
    reply_to = [expediteur.email] if expediteur is not None and expediteur.email else []
    out = []
    for membre in membres:
        if not membre.email:
            continue
        corps = (
            f"Bonjour {membre},\n\nLe {str(seance.comite).lower()}, dont vous êtes membre, se réunit le "
            f"{date_fr(debut.date())} à {heure(seance.debut)}{', ' + seance.lieu if seance.lieu else ''}.\n\n"
            f"Ordre du jour :\n{points}\n\n"
            f"Les documents (synthèses des groupes, versions du schéma, scénarios) : {url(seance)}\n"
        )
        m = mail.EmailMessage(subject=sujet, body=corps, to=[membre.email], reply_to=reply_to)
        m.attach(piece_jointe(contenu, REQUEST, nom_fichier(seance)))
        out.append(m)
    return out
