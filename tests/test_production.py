"""Production mode (issue 16, point 5; docs/exploitation.md, « Production »): with MUTUALIS_PRODUCTION=1 the safe
values are the defaults and `check --deploy` finds nothing to say; a missing mandatory value stops start-up with
a French message; secrets and the SMTP password can come from files. The settings are read in a child process,
as a server reads them, with an environment of the test's own (and a temporary MUTUALIS_VAR_DIR)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mutualis.env import EnvError, env_secret

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "MUTUALIS_PRODUCTION": "1",
    "ALLOWED_HOSTS": "mutualis.exemple.fr",
    "MUTUALIS_SITE_URL": "https://mutualis.exemple.fr",
    "EMAIL_HOST": "smtp.exemple.fr",
}


def _env(tmp_path, **valeurs) -> dict[str, str]:
    """Only what a process needs from the machine, then the test's values: no variable of the developer's
    shell or of the CI (DEBUG, SECRET_KEY, EMAIL_BACKEND…) changes what is checked."""
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
    env |= {
        "MUTUALIS_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'mutualis.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "mutualis.settings",
    }
    return env | valeurs


def _mutualis(tmp_path, *args, **valeurs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mutualis.cli", *args],
        cwd=ROOT,
        env=_env(tmp_path, **valeurs),
        capture_output=True,
        text=True,
        timeout=120,
    )


def _reglages(tmp_path, **valeurs) -> dict:
    """The settings a server would read from this environment."""
    code = (
        "import json\nfrom mutualis import settings as s\n"
        "print(json.dumps({n: getattr(s, n) for n in dir(s) if n.isupper()}, default=str))"
    )
    fini = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(tmp_path, **valeurs),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert fini.returncode == 0, fini.stderr
    return json.loads(fini.stdout)


def _refus(tmp_path, **valeurs) -> str:
    """The French message that stops a server's start-up in this environment."""
    fini = _mutualis(tmp_path, "check", **valeurs)
    assert fini.returncode != 0
    return fini.stderr.strip().splitlines()[-1]


def test_check_deploy_finds_no_issue_in_production_mode(tmp_path):
    fini = _mutualis(tmp_path, "check", "--deploy", **PRODUCTION)
    assert fini.returncode == 0, fini.stderr
    assert "System check identified no issues" in fini.stdout


def test_check_deploy_warns_outside_production_mode(tmp_path):
    fini = _mutualis(tmp_path, "check", "--deploy")
    assert "security.W004" in fini.stderr and "security.W008" in fini.stderr  # HSTS, HTTPS redirect


def test_production_without_its_mandatory_values_does_not_start(tmp_path):
    message = _refus(tmp_path, MUTUALIS_PRODUCTION="1")
    assert message.endswith(
        "mode production (MUTUALIS_PRODUCTION=1) : à définir avant le démarrage : ALLOWED_HOSTS, MUTUALIS_SITE_URL, "
        "EMAIL_HOST (voir docs/exploitation.md, « Production »)"
    )
    assert "EMAIL_HOST" not in _refus(tmp_path, **(PRODUCTION | {"ALLOWED_HOSTS": ""}))


def test_production_refuses_debug_and_a_plain_http_site_address(tmp_path):
    assert "DEBUG ne peut pas être activé en production" in _refus(tmp_path, **PRODUCTION, DEBUG="1")
    message = _refus(tmp_path, **(PRODUCTION | {"MUTUALIS_SITE_URL": "http://mutualis.exemple.fr"}))
    assert "MUTUALIS_SITE_URL : adresse en https:// attendue en production" in message
    # A site served without HTTPS says so, and keeps its address.
    sans_https = PRODUCTION | {"MUTUALIS_SITE_URL": "http://intranet", "SECURE_SSL_REDIRECT": "0"}
    assert _reglages(tmp_path, **sans_https)["SITE_URL"] == "http://intranet"


def test_the_production_server_script_stops_with_the_message_and_no_traceback(tmp_path):
    fini = subprocess.run(
        [str(ROOT / "scripts" / "serve-production.sh"), "127.0.0.1", "0"],
        cwd=ROOT,
        env=_env(tmp_path, ALLOWED_HOSTS="mutualis.exemple.fr"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert fini.returncode == 1
    assert fini.stderr.strip() == (
        "Mutualis ne démarre pas : mode production (MUTUALIS_PRODUCTION=1) : à définir avant le démarrage : "
        "MUTUALIS_SITE_URL, EMAIL_HOST (voir docs/exploitation.md, « Production »)"
    )
    assert not (tmp_path / "var" / "postgres").exists()  # nothing started


def test_production_defaults_are_the_safe_values(tmp_path):
    r = _reglages(tmp_path, **PRODUCTION)
    assert r["DEBUG"] is False and r["ALLOWED_HOSTS"] == ["mutualis.exemple.fr"]
    assert r["SECURE_SSL_REDIRECT"] is True
    assert (r["SECURE_HSTS_SECONDS"], r["SECURE_HSTS_INCLUDE_SUBDOMAINS"], r["SECURE_HSTS_PRELOAD"]) == (
        31_536_000,
        True,
        True,
    )
    assert r["SESSION_COOKIE_SECURE"] is True and r["CSRF_COOKIE_SECURE"] is True
    assert r["SECURE_PROXY_SSL_HEADER"] is None  # only a proxy known to set it may be trusted
    assert r["MIDDLEWARE"][:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert r["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert r["MAILERS"]["default"] == {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": "smtp.exemple.fr",
            "port": None,
            "username": "",
            "password": "",
            "use_tls": False,
            "use_ssl": False,
            "timeout": 10,
        },
    }
    assert r["DEFAULT_FROM_EMAIL"] == "Mutualis <ne-pas-repondre@mutualis.exemple.fr>"


def test_outside_production_nothing_changes(tmp_path):
    r = _reglages(tmp_path)
    assert r["ALLOWED_HOSTS"] == ["127.0.0.1", "localhost", "[::1]"] and r["SITE_URL"] == "http://127.0.0.1:8000"
    assert (r["SECURE_SSL_REDIRECT"], r["SECURE_HSTS_SECONDS"], r["SESSION_COOKIE_SECURE"]) == (False, 0, False)
    assert "whitenoise.middleware.WhiteNoiseMiddleware" not in r["MIDDLEWARE"]
    assert r["STORAGES"]["staticfiles"]["BACKEND"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert r["MAILERS"]["default"] == {"BACKEND": "django.core.mail.backends.console.EmailBackend"}


def test_smtp_security_and_proxy_header_from_the_environment(tmp_path):
    mot_de_passe = tmp_path / "smtp"
    mot_de_passe.write_text("s3cret du relais\n")
    r = _reglages(
        tmp_path,
        **PRODUCTION,
        EMAIL_PORT="587",
        EMAIL_HOST_USER="mutualis",
        EMAIL_HOST_PASSWORD_FILE=str(mot_de_passe),
        EMAIL_USE_TLS="oui",
        EMAIL_TIMEOUT="5",
        DEFAULT_FROM_EMAIL="Mutualis <mutualis@exemple.fr>",
        MUTUALIS_PROXY_HTTPS_HEADER="HTTP_X_FORWARDED_PROTO",
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_PRELOAD="0",
        SECURE_COOKIES="0",
    )
    assert r["MAILERS"]["default"]["OPTIONS"] == {
        "host": "smtp.exemple.fr",
        "port": 587,
        "username": "mutualis",
        "password": "s3cret du relais",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 5,
    }
    assert r["DEFAULT_FROM_EMAIL"] == "Mutualis <mutualis@exemple.fr>"
    assert r["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert (r["SECURE_HSTS_SECONDS"], r["SECURE_HSTS_PRELOAD"], r["SESSION_COOKIE_SECURE"]) == (600, False, False)


@pytest.mark.parametrize(
    ("valeur", "entete"),
    [
        ("X-Forwarded-Proto", ["HTTP_X_FORWARDED_PROTO", "https"]),
        ("HTTP_X_FORWARDED_SSL=on", ["HTTP_X_FORWARDED_SSL", "on"]),
        ("", None),
    ],
)
def test_proxy_https_header_forms(tmp_path, valeur, entete):
    assert _reglages(tmp_path, MUTUALIS_PROXY_HTTPS_HEADER=valeur)["SECURE_PROXY_SSL_HEADER"] == entete


def test_wrong_smtp_or_proxy_values_are_refused(tmp_path):
    assert "EMAIL_USE_TLS (STARTTLS, port 587) et EMAIL_USE_SSL (port 465) s'excluent" in _refus(
        tmp_path, **PRODUCTION, EMAIL_USE_TLS="1", EMAIL_USE_SSL="1"
    )
    assert "MUTUALIS_PROXY_HTTPS_HEADER : nom d'en-tête attendu" in _refus(
        tmp_path, MUTUALIS_PROXY_HTTPS_HEADER="X Forwarded Proto!"
    )
    assert "EMAIL_PORT : nombre entier attendu, reçu « smtp »" in _refus(tmp_path, **PRODUCTION, EMAIL_PORT="smtp")


def test_secret_and_pseudonym_keys_from_files(tmp_path):
    (tmp_path / "cle").write_text("une-cle-secrete-de-production-assez-longue-pour-check-deploy-0123456789\n")
    (tmp_path / "pseudonymes").write_text("cle-des-pseudonymes\n")
    r = _reglages(
        tmp_path,
        **PRODUCTION,
        SECRET_KEY_FILE=str(tmp_path / "cle"),
        MUTUALIS_PSEUDONYM_KEY_FILE=str(tmp_path / "pseudonymes"),
    )
    assert r["SECRET_KEY"] == "une-cle-secrete-de-production-assez-longue-pour-check-deploy-0123456789"
    assert r["PSEUDONYM_KEY"] == "cle-des-pseudonymes"
    assert not (tmp_path / "var" / "secret_key").exists()  # nothing generated when the operator gives it


def test_env_secret_reads_the_variable_or_its_file(tmp_path, monkeypatch):
    monkeypatch.delenv("MOT_DE_PASSE", raising=False)
    monkeypatch.delenv("MOT_DE_PASSE_FILE", raising=False)
    assert env_secret("MOT_DE_PASSE", "défaut") == "défaut"
    monkeypatch.setenv("MOT_DE_PASSE", "en clair")
    assert env_secret("MOT_DE_PASSE", "défaut") == "en clair"
    fichier = tmp_path / "mot-de-passe"
    fichier.write_text("  espaces gardés \r\n")
    monkeypatch.setenv("MOT_DE_PASSE_FILE", str(fichier))
    with pytest.raises(EnvError, match="MOT_DE_PASSE et MOT_DE_PASSE_FILE sont donnés tous les deux"):
        env_secret("MOT_DE_PASSE", "")
    monkeypatch.delenv("MOT_DE_PASSE")
    assert env_secret("MOT_DE_PASSE", "défaut") == "  espaces gardés "


def test_env_secret_refuses_a_missing_or_empty_file(tmp_path, monkeypatch):
    monkeypatch.delenv("MOT_DE_PASSE", raising=False)
    monkeypatch.setenv("MOT_DE_PASSE_FILE", str(tmp_path / "absent"))
    with pytest.raises(EnvError, match=r"MOT_DE_PASSE_FILE : le fichier « .*absent » est illisible"):
        env_secret("MOT_DE_PASSE", "")
    (tmp_path / "vide").write_text("\n")
    monkeypatch.setenv("MOT_DE_PASSE_FILE", str(tmp_path / "vide"))
    with pytest.raises(EnvError, match="est vide"):
        env_secret("MOT_DE_PASSE", "")
