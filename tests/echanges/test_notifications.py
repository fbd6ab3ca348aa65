"""Notifications in the app (unread markers, « tout marquer comme lu », count), e-mail preferences,
and the daily digest command."""

import datetime as dt

import pytest
from django.utils import timezone

from echanges.actions import do_commenter, do_envoyer_resumes
from echanges.models import Notification, PreferenceCourriel
from echanges.notifications import non_lues
from tests.cast import run_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentionner(cast, territoire, ligne):
    def _m(texte, auteur="dgs_bordeaux"):
        return do_commenter(territoire, cast[auteur], ligne, texte)

    return _m


def test_unread_then_all_marked_read(connecte, cast, territoire, mentionner, url_notifications):
    mentionner("@membre-rh un")
    mentionner("@membre-rh deux", auteur="consultant")
    membre = cast["membre_rh"]
    assert non_lues(membre, territoire) == 2
    assert non_lues(cast["consultant"], territoire) == 0
    client = connecte(membre)
    page = client.get(url_notifications).content.decode()
    assert "2 notifications non lues" in page and page.count("notification-non-lue") == 2
    assert '<mark class="mention">@membre-rh</mark> un' in page
    assert "Tout marquer comme lu" in page
    assert client.post(url_notifications + "tout-lire/").status_code == 302
    assert non_lues(membre, territoire) == 0
    page = client.get(url_notifications).content.decode()
    assert "Aucune notification non lue" in page and "notification-non-lue" not in page


def test_notifications_are_per_territory_and_per_user(connecte, cast, mentionner, url_notifications):
    mentionner("@membre-rh")
    page = connecte(cast["consultant"]).get(url_notifications).content.decode()
    assert "Aucune notification non lue" in page and "notification-non-lue" not in page


def test_the_preference_form(connecte, cast, url_notifications):
    client = connecte(cast["membre_rh"])
    assert 'value="immediat" ' in client.get(url_notifications).content.decode().replace("checked", "")
    assert client.post(url_notifications + "courriels/", {"frequence": "quotidien"}).status_code == 302
    assert PreferenceCourriel.objects.get(utilisateur=cast["membre_rh"]).frequence == "quotidien"
    assert client.post(url_notifications + "courriels/", {"frequence": "jamais"}).status_code == 400


@pytest.mark.parametrize("frequence", ["quotidien", "aucun"])
def test_no_immediate_e_mail_unless_chosen(cast, mentionner, mailoutbox, frequence):
    PreferenceCourriel.objects.create(utilisateur=cast["membre_rh"], frequence=frequence)
    mentionner("@membre-rh")
    assert not mailoutbox
    assert Notification.objects.get().envoyee_le is None


def test_digest_sends_one_e_mail_per_daily_user_once_a_day(capsys, cast, mentionner, mailoutbox):
    PreferenceCourriel.objects.create(utilisateur=cast["membre_rh"], frequence="quotidien")
    PreferenceCourriel.objects.create(utilisateur=cast["consultant"], frequence="aucun")
    mentionner("@membre-rh @consultant premier <b>point</b>")
    mentionner("@membre-rh second point", auteur="copilote_rh_epci")
    mailoutbox.clear()
    status, out, _ = run_command(capsys, "digest")
    assert status == 0 and out.strip() == "1 courriel de résumé envoyé."
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["membre-rh@exemple.fr"]
    assert message.subject == "Mutualis : résumé du jour, 2 notifications non lues"
    assert "== Bordeaux Métropole ==" in message.body
    assert "dgs-bordeaux vous a mentionné" in message.body and "copilote-rh-epci vous a mentionné" in message.body
    assert "@membre-rh @consultant premier <b>point</b>" in message.body  # plain text, not escaped
    assert "/livrables/gt3/" in message.body
    # Idempotent: the same day, nothing more, even with a new notification.
    mentionner("@membre-rh troisième")
    status, out, _ = run_command(capsys, "digest")
    assert out.strip() == "Aucun courriel de résumé envoyé." and len(mailoutbox) == 1


def test_digest_the_next_day_sends_only_what_is_new_and_unread(cast, territoire, mentionner, mailoutbox):
    pref = PreferenceCourriel.objects.create(utilisateur=cast["membre_rh"], frequence="quotidien")
    mentionner("@membre-rh déjà résumé")
    assert do_envoyer_resumes() == 1
    mentionner("@membre-rh nouveau")
    mentionner("@membre-rh lu entre-temps", auteur="consultant")
    Notification.objects.filter(commentaire__texte__contains="lu entre-temps").update(lue_le=timezone.now())
    demain = timezone.now() + dt.timedelta(days=1)
    assert do_envoyer_resumes(now=demain) == 1
    corps = mailoutbox[-1].body
    assert "nouveau" in corps and "déjà résumé" not in corps and "lu entre-temps" not in corps
    pref.refresh_from_db()
    assert pref.dernier_resume == demain
    assert do_envoyer_resumes(now=demain + dt.timedelta(hours=1)) == 0


def test_digest_with_nothing_to_send(capsys, cast):
    PreferenceCourriel.objects.create(utilisateur=cast["membre_rh"], frequence="quotidien")
    status, out, _ = run_command(capsys, "digest")
    assert status == 0 and out.strip() == "Aucun courriel de résumé envoyé."
