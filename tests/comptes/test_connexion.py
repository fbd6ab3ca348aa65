"""Logging in (username or e-mail), login throttling, and the forgotten-password journey."""

import html as html_module
import re
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from comptes import limitation
from tests.cast import MOT_DE_PASSE

pytestmark = pytest.mark.django_db

LOGIN = reverse("comptes:login")


def texte(response) -> str:
    return html_module.unescape(response.content.decode())


def connexion(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def est_connecte(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    "login", ["dgs-bordeaux", "dgs-bordeaux@exemple.fr", "DGS-Bordeaux@Exemple.FR", "  dgs-bordeaux  "]
)
def test_login_accepts_the_username_or_the_email(client, cast, login):
    response = connexion(client, login, MOT_DE_PASSE)
    assert response.status_code == 302
    assert est_connecte(client)


def test_a_wrong_password_is_refused_in_french(client, cast):
    response = connexion(client, "dgs-bordeaux@exemple.fr", "faux")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in texte(response)
    assert not est_connecte(client)


def test_the_demo_logins_work_as_they_are(client, db):
    from comptes.models import Utilisateur
    from mutualis.demo import COMPTES
    from mutualis.demo import MOT_DE_PASSE as DEMO

    for login, *_ in COMPTES:
        Utilisateur.objects.create_user(username=login, password=DEMO, email=f"{login}@demo.mutualis.localhost")
    for login, *_ in COMPTES:
        client.logout()
        assert connexion(client, login, DEMO).status_code == 302, login


# --- throttling ---------------------------------------------------------------------------------------


def test_five_failures_for_a_login_block_it_for_fifteen_minutes(client, cast, monkeypatch):
    for i in range(limitation.MAX_ECHECS - 1):
        response = connexion(client, "dgs-bordeaux", f"faux-{i}", ip=f"10.0.0.{i}")
        assert response.status_code == 200
        assert "Identifiant ou mot de passe incorrect" in texte(response)
    response = connexion(client, "dgs-bordeaux", "encore-faux", ip="10.0.1.1")
    assert response.status_code == 429
    assert "Trop de tentatives de connexion échouées" in texte(response)
    assert "pendant 15 minutes" in texte(response)

    # Even the right password, typed as the e-mail or from elsewhere, waits.
    response = connexion(client, "dgs-bordeaux", MOT_DE_PASSE, ip="10.0.2.2")
    assert response.status_code == 429 and not est_connecte(client)
    # Another account is not concerned.
    assert connexion(client, "dgs-merignac", MOT_DE_PASSE, ip="10.0.3.3").status_code == 302
    client.logout()

    maintenant = limitation.time.time()
    monkeypatch.setattr(limitation.time, "time", lambda: maintenant + limitation.BLOCAGE - 30)
    assert connexion(client, "dgs-bordeaux", MOT_DE_PASSE, ip="10.0.2.2").status_code == 429
    monkeypatch.setattr(limitation.time, "time", lambda: maintenant + limitation.BLOCAGE + 1)
    # The cache's own expiry uses the real clock: the block key still exists but is past its end.
    assert connexion(client, "dgs-bordeaux", MOT_DE_PASSE, ip="10.0.2.2").status_code == 302
    assert est_connecte(client)


def test_failures_from_one_address_block_it_only_far_beyond_one_person(client, cast):
    # A town hall behind one address: one agent's five failures lock her login, not her colleagues.
    for _ in range(limitation.MAX_ECHECS):
        connexion(client, "dgs-merignac", "faux", ip="192.0.2.7")
    assert connexion(client, "dgs-merignac", MOT_DE_PASSE, ip="192.0.2.7").status_code == 429
    assert connexion(client, "dgs-bordeaux", MOT_DE_PASSE, ip="192.0.2.7").status_code == 302
    client.logout()
    # Guessing across accounts from one address: blocked at MAX_ECHECS_ADRESSE, whatever the login.
    for i in range(limitation.MAX_ECHECS_ADRESSE - limitation.MAX_ECHECS):
        response = connexion(client, f"inconnu-{i}", "faux", ip="192.0.2.7")
    assert response.status_code == 429
    assert connexion(client, "dgs-bordeaux", MOT_DE_PASSE, ip="192.0.2.7").status_code == 429
    assert connexion(client, "dgs-bordeaux", MOT_DE_PASSE, ip="192.0.2.8").status_code == 302


@pytest.mark.parametrize(
    ("remote", "transmises", "attendue"),
    [
        ("10.0.0.1", "203.0.113.9", "203.0.113.9"),  # the trusted proxy names the client
        ("10.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # what the client sent first is ignored
        ("10.0.0.1", "203.0.113.9, 10.0.0.2", "203.0.113.9"),  # two trusted proxies in a row
        ("198.51.100.5", "203.0.113.9", "198.51.100.5"),  # an untrusted sender's header is ignored
        ("10.0.0.1", "", "10.0.0.1"),
    ],
)
def test_the_client_address_is_taken_from_the_trusted_proxy_only(rf, settings, remote, transmises, attendue):
    settings.PROXIES_DE_CONFIANCE = ["10.0.0.0/24"]
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=transmises)
    assert limitation.adresse_client(request) == attendue


def test_new_password_requests_are_limited_and_answered_the_same(client, cast, mailoutbox):
    email = cast["dgs_bordeaux"].email
    for _ in range(limitation.MAX_DEMANDES + 2):
        response = client.post(reverse("comptes:password_reset"), {"email": email}, REMOTE_ADDR="192.0.2.50")
        assert response.status_code == 302
    assert len(mailoutbox) == limitation.MAX_DEMANDES


def test_the_counters_live_in_the_database_cache_shared_by_every_process(client, cast, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "mutualis_cache"}
    }
    for _ in range(limitation.MAX_ECHECS):
        connexion(client, "dgs-bordeaux", "faux", ip="192.0.2.9")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM mutualis_cache")
        assert cursor.fetchone()[0] >= 1
    assert connexion(client, "dgs-bordeaux", MOT_DE_PASSE, ip="192.0.2.10").status_code == 429


def test_failures_older_than_the_window_do_not_count(client, cast, monkeypatch):
    maintenant = limitation.time.time()
    monkeypatch.setattr(limitation.time, "time", lambda: maintenant)
    for i in range(limitation.MAX_ECHECS - 1):
        connexion(client, "dgs-bordeaux", "faux", ip=f"10.1.0.{i}")
    monkeypatch.setattr(limitation.time, "time", lambda: maintenant + limitation.FENETRE + 1)
    assert connexion(client, "dgs-bordeaux", "faux", ip="10.1.1.1").status_code == 200
    assert connexion(client, "dgs-bordeaux", MOT_DE_PASSE, ip="10.1.1.1").status_code == 302


def test_a_successful_login_clears_the_failures_of_its_login(client, cast):
    for i in range(limitation.MAX_ECHECS - 1):
        connexion(client, "dgs-bordeaux", "faux", ip=f"10.2.0.{i}")
    assert connexion(client, "dgs-bordeaux", MOT_DE_PASSE, ip="10.2.1.1").status_code == 302
    client.logout()
    for i in range(limitation.MAX_ECHECS - 1):
        assert connexion(client, "dgs-bordeaux", "faux", ip=f"10.2.2.{i}").status_code == 200


@pytest.mark.parametrize("run", [1, 2])
def test_throttling_does_not_leak_between_tests(client, cast, run):
    """Run twice: the first run's failures would block the second one if the cache leaked."""
    for _ in range(limitation.MAX_ECHECS - 1):
        assert connexion(client, "dgs-metropole", "faux").status_code == 200
    assert connexion(client, "dgs-metropole", MOT_DE_PASSE).status_code == 302


# --- forgotten password ---------------------------------------------------------------------------------


def _lien(message) -> str:
    match = re.search(r"https?://\S+/comptes/mot-de-passe/\S+/\S+/", message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def _choisir(client, lien, mot_de_passe):
    response = client.get(lien)
    assert response.status_code == 302
    page = client.get(response.url)
    assert "Choisir un mot de passe" in texte(page)
    return client.post(response.url, {"new_password1": mot_de_passe, "new_password2": mot_de_passe})


def test_password_reset_end_to_end(client, cast, mailoutbox):
    page = client.get(reverse("comptes:password_reset"))
    assert "Mot de passe oublié" in texte(page)
    response = client.post(reverse("comptes:password_reset"), {"email": "DGS-Merignac@exemple.fr"})
    assert response.status_code == 302
    assert "Lien envoyé" in texte(client.get(response.url))
    assert len(mailoutbox) == 1
    courriel = mailoutbox[0]
    assert courriel.to == ["dgs-merignac@exemple.fr"]
    assert courriel.subject == "Mutualis : choisir votre mot de passe"

    response = _choisir(client, _lien(courriel), "Nouveau-mot-de-passe-2026")
    assert response.url == reverse("comptes:password_reset_complete")
    assert "Mot de passe enregistré" in texte(client.get(response.url))

    assert connexion(client, "dgs-merignac", MOT_DE_PASSE).status_code == 200  # the old one is gone
    assert connexion(client, "dgs-merignac@exemple.fr", "Nouveau-mot-de-passe-2026").status_code == 302
    assert est_connecte(client)


def test_password_reset_checks_the_new_password_in_french(client, cast, mailoutbox):
    client.post(reverse("comptes:password_reset"), {"email": "dgs-merignac@exemple.fr"})
    response = _choisir(client, _lien(mailoutbox[0]), "court")
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in texte(response)


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, cast, mailoutbox):
    response = client.post(reverse("comptes:password_reset"), {"email": "personne@nulle-part.fr"})
    assert response.status_code == 302
    assert not mailoutbox


def test_an_invited_person_whose_link_expired_can_ask_for_a_new_one(client, cast, territoire, mailoutbox):
    from comptes.actions import do_inviter

    do_inviter(
        territoire,
        email="nouvelle@talence.fr",
        prenom="Inès",
        nom="Nouvelle",
        organisation=territoire.organisations.get(code="33522"),
        roles_territoire={"observateur"},
        roles_groupes={},
        auteur=cast["equipe_projet"],
        envoyer=False,
    )
    client.post(reverse("comptes:password_reset"), {"email": "nouvelle@talence.fr"})
    assert len(mailoutbox) == 1
    _choisir(client, _lien(mailoutbox[0]), "Premier-mot-de-passe-2026")
    assert connexion(client, "nouvelle@talence.fr", "Premier-mot-de-passe-2026").status_code == 302


def test_a_deactivated_account_gets_no_reset_email(client, cast, mailoutbox):
    cast["observateur"].is_active = False
    cast["observateur"].save()
    client.post(reverse("comptes:password_reset"), {"email": "observateur@exemple.fr"})
    assert not mailoutbox


@pytest.mark.parametrize("valeur", ["Jean\nPierre", "Jean\tPierre", "Jean\x00"])
def test_a_name_is_one_line(valeur):
    from django.core.exceptions import ValidationError

    from commun.forms import une_ligne

    with pytest.raises(ValidationError) as exc:
        une_ligne(valeur)
    assert "ce champ tient sur une ligne" in exc.value.messages[0]
    une_ligne("Jean-Pierre d'Aubigné")
