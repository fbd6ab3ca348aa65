"""A user's personal calendar feed (a private, revocable address): the meetings of her groups, the
phases of the process, and the deadlines of the consultation that concern her (a commune's DGS: her
council's deadline and last convocation day; the project team: every commune's)."""

import datetime as dt

from icalendar import Calendar, Event

from engine.calendrier import derniere_convocation
from parcours import consultation
from seances.enums import StatutSeance
from seances.ics import PARIS
from seances.models import Seance
from territoire.calendrier import calendrier


def _jour(cal, uid, debut: dt.date, fin: dt.date, titre: str, description: str, now) -> None:
    """An all-day event from `debut` to `fin` included."""
    e = Event()
    e.add("uid", uid)
    e.add("dtstamp", now.astimezone(dt.UTC))
    e.add("dtstart", debut)
    e.add("dtend", fin + dt.timedelta(days=1))
    e.add("summary", titre)
    if description:
        e.add("description", description)
    e.add("transp", "TRANSPARENT")
    cal.add_component(e)


def flux(acces, schema, aujourdhui: dt.date, now: dt.datetime, domaine: str) -> bytes:
    territoire = acces.territoire
    cal = Calendar()
    cal.add("prodid", "-//Mutualis//Calendrier personnel//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Mutualis – {territoire.nom}")
    seances = Seance.objects.filter(groupe__schema=schema).exclude(statut=StatutSeance.ANNULEE).select_related("groupe")
    for s in seances:
        if not (acces.est_equipe_projet or acces.participe(s.groupe)):
            continue
        e = Event()
        e.add("uid", str(s.uid))
        e.add("sequence", s.sequence)
        e.add("dtstamp", now.astimezone(dt.UTC))
        e.add("dtstart", s.debut.astimezone(PARIS))
        e.add("dtend", s.fin.astimezone(PARIS))
        e.add("summary", f"{s} – {territoire.nom}")
        if s.lieu:
            e.add("location", s.lieu)
        cal.add_component(e)
    for etape in calendrier(schema):
        _jour(
            cal,
            f"phase-{schema.pk}-{etape.phase}@{domaine}",
            etape.debut,
            etape.fin,
            f"{etape.get_phase_display()} – {territoire.nom}",
            "",
            now,
        )
    version = consultation.version_en_consultation(schema)
    if version is not None:
        org = acces.organisation
        for a in consultation.avis_des_communes(schema, version, aujourdhui):
            if a.etat.echeance is None or not (
                acces.est_equipe_projet or (acces.est_dgs and org is not None and org.pk == a.commune.pk)
            ):
                continue
            e = a.etat.echeance
            _jour(
                cal,
                f"echeance-{a.envoi.pk}@{domaine}",
                e.echeance,
                e.echeance,
                f"Échéance de l'avis de {a.commune.nom} sur le projet de schéma",
                "Délibération datée au plus tard ce jour ; à défaut, l'avis est réputé favorable "
                "(CGCT, art. L5211-39-1).",
                now,
            )
            conv = derniere_convocation(e.echeance, a.commune.population)
            _jour(
                cal,
                f"convocation-{a.envoi.pk}@{domaine}",
                conv,
                conv,
                f"Dernier jour pour convoquer le conseil municipal de {a.commune.nom}",
                "",
                now,
            )
    return cal.to_ical()
