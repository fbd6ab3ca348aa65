"""The e-mails of a meeting: invitation, update and cancellation, one message per invitee with the
meeting's .ics (seances/ics.py) attached as `text/calendar; method=…`."""

import email.message

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from commun.formatage import date as date_fr
from comptes import courriels
from seances import ics

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def heure(moment) -> str:
    return f"{timezone.localtime(moment):%H}h{timezone.localtime(moment):%M}"


def quand(seance) -> str:
    """« vendredi 3 juillet 2026, de 09h30 à 12h00 »"""
    debut = timezone.localtime(seance.debut)
    fin = timezone.localtime(seance.fin)
    texte = f"{JOURS[debut.weekday()]} {date_fr(debut)}, de {heure(debut)} à {heure(fin)}"
    if fin.date() != debut.date():
        texte = (
            f"du {JOURS[debut.weekday()]} {date_fr(debut)} à {heure(debut)} "
            f"au {JOURS[fin.weekday()]} {date_fr(fin)} à {heure(fin)}"
        )
    return texte


def url_seance(seance) -> str:
    path = reverse(
        "seances:seance",
        kwargs={"code": seance.groupe.schema.territoire.code, "theme": seance.groupe.theme, "pk": seance.pk},
    )
    return settings.SITE_URL.rstrip("/") + path


def piece_jointe(contenu: bytes, methode: str, nom: str) -> email.message.MIMEPart:
    # Quoted-printable rather than base64: the lines are text, so that the transport writes them with
    # the CRLF endings RFC 5545 requires (base64 would keep the normalised LF).
    part = email.message.MIMEPart()
    part.set_content(
        contenu.decode(),
        subtype="calendar",
        charset="utf-8",
        params={"method": methode},
        disposition="attachment",
        filename=nom,
        cte="quoted-printable",
    )
    return part


def messages(seance, invites, expediteur, now, *, mise_a_jour=False) -> list[mail.EmailMessage]:
    """One message per invitee with an e-mail address: the invitation (or its update), or the
    cancellation once the meeting is cancelled."""
    url = url_seance(seance)
    contenu = ics.calendrier(seance, invites, url, now)
    methode = ics.CANCEL if seance.annulee else ics.REQUEST
    if seance.annulee:
        modele, prefixe = "annulation", "Séance annulée"
    else:
        modele, prefixe = "invitation", "Séance modifiée" if mise_a_jour else "Invitation"
    sujet = f"{prefixe} : {seance} – {date_fr(timezone.localtime(seance.debut))} à {heure(seance.debut)}"
    reply_to = [expediteur.email] if expediteur is not None and expediteur.email else []
    out = []
    for user in invites:
        if not user.email:
            continue
        corps = render_to_string(
            f"seances/courriel_{modele}.txt",
            {
                "seance": seance,
                "destinataire": user,
                "quand": quand(seance),
                "lieu": ics.lieu(seance),
                "url": url,
                "mise_a_jour": mise_a_jour,
                "expediteur": expediteur,
                "territoire": seance.groupe.schema.territoire,
            },
        )
        message = mail.EmailMessage(subject=sujet, body=corps, to=[user.email], reply_to=reply_to)
        message.attach(piece_jointe(contenu, methode, ics.nom_fichier(seance)))
        out.append(message)
    return out


def envoyer(liste: list[mail.EmailMessage]) -> int:
    """Queue the messages (comptes/courriels.py: the worker sends them and tries a failing server again);
    the meetings' and the comités' e-mails alike. Returns how many."""
    return courriels.envoyer(liste, quoi="courriel de séance")
