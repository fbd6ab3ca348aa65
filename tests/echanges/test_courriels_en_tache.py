"""Every e-mail leaves through the queue `courriels` (comptes/courriels.py): the request only queues it; the
worker sends it, tries a failing server again after growing delays, then records the failure (ERROR log, and
a row of the territory's audit trail for its project team)."""

import datetime as dt
import email.message
import logging
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comptes import courriels
from territoire.models import Evenement
from tests.taches import jusqu_au_bout, travailleur

pytestmark = pytest.mark.django_db

CAPRICIEUX = f"{__name__}.Capricieux"  # the name pytest imported this module under


class Capricieux(EmailBackend):
    """The locmem mailer behind a server that fails its first `pannes` connections (then delivers); every
    call is counted."""

    pannes = 0
    appels = 0
    erreur = smtplib.SMTPServerDisconnected("connexion fermée par le serveur")

    def send_messages(self, messages):
        type(self).appels += 1
        if type(self).appels <= type(self).pannes:
            raise type(self).erreur
        return super().send_messages(messages)


@pytest.fixture
def capricieux(settings):
    settings.MAILERS = {"default": {"BACKEND": CAPRICIEUX}}
    Capricieux.appels, Capricieux.pannes = 0, 0
    Capricieux.erreur = smtplib.SMTPServerDisconnected("connexion fermée par le serveur")
    return Capricieux


def essai(territoire=None):
    message = mail.EmailMessage("Essai", "Bonjour", None, ["marie.durand@pessac.fr"])
    return courriels.envoyer([message], quoi="courriel d'essai", territoire=territoire)


def tentatives():
    return list(DBTaskResult.objects.filter(backend_name="courriels").order_by("enqueued_at"))


def test_a_server_that_fails_twice_gets_the_e_mail_once_at_the_third_attempt(
    capricieux, courriels_en_file, mailoutbox, territoire, caplog
):
    capricieux.pannes = 2
    essai(territoire)
    assert capricieux.appels == 0 and len(tentatives()) == 1  # queued, nothing sent by the caller

    travailleur("courriels")
    for delai in (dt.timedelta(minutes=1), dt.timedelta(minutes=5)):  # growing delays between attempts
        suivante = tentatives()[-1]
        assert suivante.status == "READY"
        assert abs(suivante.run_after - suivante.enqueued_at - delai) < dt.timedelta(seconds=5)
        appels = capricieux.appels
        travailleur("courriels")  # the worker leaves it until its time
        assert capricieux.appels == appels
        DBTaskResult.objects.filter(pk=suivante.pk).update(run_after=timezone.now())
        travailleur("courriels")

    essais = tentatives()
    assert [t.args_kwargs["args"][1] for t in essais] == [1, 2, 3]
    assert [t.return_value["envoye"] for t in essais] == [False, False, True]
    assert capricieux.appels == 3 and len(mailoutbox) == 1 and mailoutbox[0].subject == "Essai"
    assert "courriel d'essai non envoyé (tentative 1 sur 5" in caplog.text
    assert not Evenement.objects.filter(action="comptes.courriel_non_remis").exists()


def test_a_server_that_always_fails_is_tried_five_times_then_the_failure_is_recorded(
    capricieux, courriels_en_file, mailoutbox, territoire, caplog
):
    capricieux.pannes = 100
    capricieux.erreur = ConnectionRefusedError(111, "Connection refused")
    essai(territoire)
    with caplog.at_level(logging.WARNING):
        jusqu_au_bout("courriels")
    essais = tentatives()
    assert len(essais) == courriels.TENTATIVES == 5 and capricieux.appels == 5 and mailoutbox == []
    assert [t.status for t in essais] == ["SUCCESSFUL"] * 4 + ["FAILED"]
    assert essais[-1].exception_class_path == "comptes.courriels.CourrielNonRemis"
    assert any(
        r.levelno == logging.ERROR and "courriel d'essai non remis à marie.durand@pessac.fr après 5" in r.getMessage()
        for r in caplog.records
    )
    echec = Evenement.objects.get(action="comptes.courriel_non_remis", territoire=territoire)
    assert echec.utilisateur is None and echec.details["sujet"] == "Essai" and echec.details["tentatives"] == 5


def test_a_final_refusal_of_the_server_is_not_tried_again(capricieux, courriels_en_file, territoire):
    capricieux.pannes = 100
    capricieux.erreur = smtplib.SMTPRecipientsRefused({"marie.durand@pessac.fr": (550, b"5.1.1 User unknown")})
    essai(territoire)
    travailleur("courriels")
    [seule] = tentatives()
    assert seule.status == "FAILED" and capricieux.appels == 1
    assert Evenement.objects.get(action="comptes.courriel_non_remis").details["tentatives"] == 1


def test_requests_that_send_e_mail_only_queue_it_and_never_fail_on_the_mail_server(
    client, connecte, cast, territoire, settings, courriels_en_file
):
    # A mail server that refuses connections (nothing listens on port 9 of this machine).
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    reponse = client.post(reverse("comptes:password_reset"), {"email": "dgs-merignac@exemple.fr"})
    assert reponse.status_code == 302
    equipe = connecte(cast["equipe_projet"])
    invitation = {
        "prenom": "Marie",
        "nom": "Durand",
        "email": "marie.durand@pessac.fr",
        "organisation": territoire.organisations.get(code="33318").pk,
        "roles": ["observateur"],
    }
    assert equipe.post(reverse("utilisateurs:inviter", kwargs={"code": territoire.code}), invitation).status_code == 302
    assert [t.status for t in tentatives()] == ["READY", "READY"]
    travailleur("courriels")  # each first attempt meets the refusal: a retry is queued
    assert sorted(t.args_kwargs["args"][2] for t in tentatives() if t.status == "READY") == [
        "courriel d'invitation",
        "courriel de mot de passe",
    ]


def test_a_message_crosses_the_queue_with_its_attachments_and_reply_address():
    part = email.message.MIMEPart()
    part.set_content("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", subtype="calendar", params={"method": "REQUEST"})
    part.add_header("Content-Disposition", "attachment", filename="seance.ics")
    m = mail.EmailMessage("Sujet", "Corps", "a@exemple.fr", ["b@exemple.fr"], reply_to=["c@exemple.fr"])
    m.attach(part)
    m.attach("note.pdf", b"%PDF-1.4 \xff", "application/pdf")
    copie = courriels.depuis_json(courriels.en_json(m))
    assert (copie.subject, copie.body, copie.from_email, copie.to, copie.reply_to) == (
        "Sujet",
        "Corps",
        "a@exemple.fr",
        ["b@exemple.fr"],
        ["c@exemple.fr"],
    )
    ics, pdf = copie.attachments
    assert ics.get_content_type() == "text/calendar" and ics.get_param("method") == "REQUEST"
    assert ics.get_filename() == "seance.ics" and "BEGIN:VCALENDAR" in ics.get_content()
    assert pdf == ("note.pdf", b"%PDF-1.4 \xff", "application/pdf")
    copie.message()  # it can be written


def test_the_dummy_mailer_of_the_demo_queues_nothing(settings, courriels_en_file):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    assert essai() == 1 and not tentatives()
