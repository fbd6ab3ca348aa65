"""Every e-mail Mutualis sends leaves through one task of the database queue `courriels` (settings.TASKS), done
by its worker (docs/exploitation.md, « Travaux en arrière-plan »): the invitations, the password links, the
notifications and their digest, the meetings' invitations and the comités' convocations.

Why a queue: the request that causes an e-mail never waits for the mail server, and never fails because of
it; a message is queued in the caller's transaction, so that a write rolled back sends nothing and a write
committed has its e-mails kept even if the server stops right after. A server that refuses or does not answer
is tried again `DELAIS` later (five attempts over about two and a half hours); a refusal the server says is
final (a 5xx code: an unknown address) is not. A message not delivered after its last attempt is logged at
ERROR and, when it belongs to a territory, written in its audit trail (`comptes.courriel_non_remis`), which
the project team reads on its home page (espace/activite.py keeps the « comptes. » rows for it)."""

import base64
import datetime as dt
import email.message
import email.parser
import email.policy
import logging
import smtplib

from django.core import mail
from django.core.mail.backends.dummy import EmailBackend as Muet
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from comptes.forms import MotDePasseOublieForm
from territoire.models import Evenement

log = logging.getLogger(__name__)

# The waits between two attempts: the first attempt at once, the last about 2 h 36 min later.
DELAIS = (dt.timedelta(minutes=1), dt.timedelta(minutes=5), dt.timedelta(minutes=30), dt.timedelta(hours=2))
TENTATIVES = len(DELAIS) + 1


class CourrielNonRemis(Exception):
    """The last attempt failed: the worker records the task as failed."""


def envoyer(messages, *, quoi: str = "courriel", territoire=None) -> int:
    """Queue each message (a django.core.mail.EmailMessage) for the worker; returns how many. `quoi` names
    them in the logs and the audit trail (« courriel d'invitation »); `territoire`, whose project team is told
    of a message never delivered. The demo loads with the dummy mailer (mutualis/demo.py): what would not be
    sent is not queued either, else the worker would send it later through the real one."""
    messages = list(messages)
    if isinstance(mail.mailers.default, Muet):
        return len(messages)
    territoire_id = getattr(territoire, "pk", territoire)
    for message in messages:
        envoyer_courriel.enqueue(en_json(message), 1, quoi, territoire_id)
    return len(messages)


@task(backend="courriels", queue_name="courriels")
def envoyer_courriel(message: dict, tentative: int = 1, quoi: str = "courriel", territoire_id: int | None = None):
    """One attempt to send `message` (see `en_json`); on a failure of the server, the next attempt is queued
    to run after its delay, and this one ends (its return value says so); after the last, it is recorded."""
    courriel = depuis_json(message)
    try:
        courriel.send()
    except OSError as exc:  # smtplib's errors, a refused connection, a timeout
        if tentative < TENTATIVES and not _definitif(exc):
            delai = DELAIS[tentative - 1]
            log.warning(
                "%s non envoyé (tentative %d sur %d, nouvel essai dans %s) : %s",
                quoi, tentative, TENTATIVES, delai, exc,
            )  # fmt: skip
            suite = envoyer_courriel.using(run_after=timezone.now() + delai)
            suite.enqueue(message, tentative + 1, quoi, territoire_id)
            return {"envoye": False, "tentative": tentative, "erreur": str(exc)[:200]}
        _consigner(courriel, quoi, territoire_id, tentative, exc)
        raise CourrielNonRemis(f"{quoi} non remis après {tentative} tentative(s) : {exc}") from exc
    return {"envoye": True, "tentative": tentative}


def _definitif(exc: OSError) -> bool:
    """The server said the message will never be accepted (5xx) for every recipient: trying again is vain."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _ in exc.recipients.values())
    return getattr(exc, "smtp_code", 0) >= 500


def _consigner(courriel, quoi: str, territoire_id, tentative: int, exc: OSError) -> None:
    destinataires = ", ".join(courriel.recipients())
    log.error("%s non remis à %s après %d tentative(s) : %s", quoi, destinataires, tentative, exc)
    if territoire_id is not None:
        Evenement.objects.create(
            territoire_id=territoire_id,
            utilisateur=None,
            action="comptes.courriel_non_remis",
            objet=f"{quoi.capitalize()} à {destinataires}"[:200],
            details={"sujet": str(courriel.subject)[:200], "tentatives": tentative, "erreur": str(exc)[:200]},
        )


# --- A message as the task's JSON arguments ------------------------------------------------------------


def en_json(m: mail.EmailMessage) -> dict:
    """What rebuilds `m`: addresses, subject, body, headers, alternatives, attachments (a MIME part, such as
    a meeting's .ics, as its text; a file as base64)."""
    pieces = []
    for a in m.attachments:
        if isinstance(a, email.message.Message):
            pieces.append({"mime": a.as_string(policy=email.policy.default)})
        else:
            nom, contenu, type_ = a
            if isinstance(contenu, bytes):
                pieces.append({"nom": nom, "base64": base64.b64encode(contenu).decode(), "type": type_})
            else:
                pieces.append({"nom": nom, "texte": contenu, "type": type_})
    return {
        "sujet": str(m.subject),
        "corps": m.body,
        "de": m.from_email,
        "a": list(m.to),
        "cc": list(m.cc),
        "cci": list(m.bcc),
        "repondre_a": list(m.reply_to),
        "entetes": {str(k): str(v) for k, v in m.extra_headers.items()},
        "sous_type": m.content_subtype,
        "alternatives": [[str(c), t] for c, t in getattr(m, "alternatives", [])],
        "pieces": pieces,
    }


def depuis_json(d: dict) -> mail.EmailMultiAlternatives:
    m = mail.EmailMultiAlternatives(d["sujet"], d["corps"], d["de"], d["a"], cc=d["cc"], bcc=d["cci"])
    m.reply_to, m.extra_headers = d["repondre_a"], d["entetes"]
    m.content_subtype = d["sous_type"]
    for contenu, type_ in d["alternatives"]:
        m.attach_alternative(contenu, type_)
    lecteur = email.parser.Parser(_class=email.message.MIMEPart, policy=email.policy.default)
    for p in d["pieces"]:
        if "mime" in p:
            m.attach(lecteur.parsestr(p["mime"]))
        elif "base64" in p:
            m.attach(p["nom"], base64.b64decode(p["base64"]), p["type"])
        else:
            m.attach(p["nom"], p["texte"], p["type"])
    return m


class OubliForm(MotDePasseOublieForm):
    """The « mot de passe oublié » form of comptes/urls.py: Django's, whose link leaves through the queue like
    every other e-mail (Django sends it during the request and only logs a failure)."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        sujet = "".join(render_to_string(subject_template_name, context).splitlines())
        corps = render_to_string(email_template_name, context)
        envoyer([mail.EmailMessage(sujet, corps, from_email, [to_email])], quoi="courriel de mot de passe")
