"""Settings: every value comes from the environment, with an embedded default that needs none."""

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP

from mutualis.env import EnvError, env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MUTUALIS_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_file(name: str) -> str:
    """A random secret generated at first run and kept under var/, outside the repository."""
    path = VAR_DIR / name
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


# Production mode (`make serve`, docs/exploitation.md): the safe values become the defaults, and what only the
# operator knows (host names, public address, mail server) must be given: start-up stops without it.
PRODUCTION = env_bool("MUTUALIS_PRODUCTION", False)
_manquants = []  # mandatory values missing in production, reported all at once below


def _obligatoire(name: str, value):
    if PRODUCTION and not value:
        _manquants.append(name)
    return value


DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise EnvError("DEBUG ne peut pas être activé en production (MUTUALIS_PRODUCTION=1)")
SECRET_KEY = env_secret("SECRET_KEY", "") or _secret_file("secret_key")
# Key of the keyed hash that pseudonymises agent identifiers; never in the repository.
PSEUDONYM_KEY = env_secret("MUTUALIS_PSEUDONYM_KEY", "") or _secret_file("pseudonym_key")
ALLOWED_HOSTS = _obligatoire(
    "ALLOWED_HOSTS", env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, found by FORM_RENDERER below
    "commun",
    "mutualis",
    "comptes",
    "territoire",
    "referentiel",
    "groupes",
    "masse_salariale",
    "validation",
    "seances",
    "documents",
    "livrables",
    "echanges",
    "scenarios",
    "parcours",
    "publication",
    "suivi",
    "espace",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "commun.entetes.PagesPrivees",
    "masse_salariale.consultations.JournalDesLectures",
    "commun.pages_erreur.PagesErreur",
]
if PRODUCTION:
    # Static files served by the application itself, before the session and the pages' middleware.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")
CSRF_FAILURE_VIEW = "commun.pages_erreur.csrf"

ROOT_URLCONF = "mutualis.urls"
WSGI_APPLICATION = "mutualis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "echanges.context_processors.espace",
            ],
            "builtins": ["commun.templatetags.fr"],
        },
    }
]

# Form widgets rendered by the project's template engine, so that templates/django/forms/widgets/ (the
# select and checkbox lists without one include per option) replace Django's own copies.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

_default_db = f"sqlite:///{VAR_DIR / 'mutualis.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_db), conn_max_age=60)}
except ValueError as exc:  # dj_database_url raises on unknown schemes
    raise EnvError(f"DATABASE_URL invalide : {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's tasks framework (docs/exploitation.md, « Travaux en arrière-plan »): the work that follows a request is
# kept in the database and done by one worker per queue (`mutualis db_worker --backend X --queue-name X`, started
# by `make run` and `make serve`), so that it survives a restart, never makes the request wait, and its page shows
# the progress: the notifications of the actions now waiting, read after each write's commit (echanges/
# attentes.py: up to 2 s in the request under load), the schéma's documents, the reading of large payroll uploads
# (masse_salariale/imports.py), every e-mail with its retries (comptes/courriels.py).
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "attentes": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["attentes"]},
    "documents": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["documents"]},
    "imports": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["imports"]},
    "courriels": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["courriels"]},
}
AUTH_USER_MODEL = "comptes.Utilisateur"
AUTHENTICATION_BACKENDS = ["comptes.backends.UsernameOrEmailBackend"]
LOGIN_URL = "comptes:login"
LOGIN_REDIRECT_URL = "accueil"
LOGOUT_REDIRECT_URL = "comptes:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # figures go through commun.formatage

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production whitenoise serves the files that `collectstatic` gathered under STATIC_ROOT, compressed, under
    # names carrying their hash and cached for a year; elsewhere runserver serves them as they are.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# Upload limit of payroll and other user files (the command line has none).
UPLOAD_MAX_BYTES = env_int("MUTUALIS_UPLOAD_MAX_MB", 20) * 1024 * 1024
# A year of DSN files (docs/contrats/9-dsn.md): a 5,000-agent employer's twelve files weigh 40 to 150 MB.
DSN_UPLOAD_MAX_BYTES = env_int("MUTUALIS_DSN_MAX_MB", 500) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The public address of the site, which the links of the e-mails name.
SITE_URL = _obligatoire(
    "MUTUALIS_SITE_URL", env_str("MUTUALIS_SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
)
# E-mail: printed on the console outside production; sent through an SMTP server in production.
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
MAILERS = {
    "default": {
        "BACKEND": env_str("EMAIL_BACKEND", _SMTP if PRODUCTION else "django.core.mail.backends.console.EmailBackend")
    }
}
if MAILERS["default"]["BACKEND"] == _SMTP:
    if env_bool("EMAIL_USE_TLS", False) and env_bool("EMAIL_USE_SSL", False):
        raise EnvError("EMAIL_USE_TLS (STARTTLS, port 587) et EMAIL_USE_SSL (port 465) s'excluent : n'en activer qu'un")
    MAILERS["default"]["OPTIONS"] = {
        "host": _obligatoire("EMAIL_HOST", env_str("EMAIL_HOST", "" if PRODUCTION else "localhost")),
        "port": env_int("EMAIL_PORT", 0) or None,  # None: 465 with SSL, 587 with STARTTLS, else 25
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_secret("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "use_ssl": env_bool("EMAIL_USE_SSL", False),
        # A mail server that does not answer fails the sending after this many seconds, never holds a worker.
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
_domaine = (urlsplit(SITE_URL).hostname or "") if PRODUCTION else ""
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"Mutualis <ne-pas-repondre@{_domaine or 'mutualis.localhost'}>")

# Shared counters (login throttling, comptes/limitation.py): the database cache by default, so that every
# server process counts together (its table is made by the migration comptes 0005).
CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": env_str("CACHE_LOCATION", "mutualis_cache"),
    }
}
# Proxies whose X-Forwarded-For header names the client (addresses or networks, comma-separated).
PROXIES_DE_CONFIANCE = env_list("MUTUALIS_PROXIES_DE_CONFIANCE", [])

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# HTTPS in production: plain HTTP redirected, and browsers told to come back over HTTPS only for a year (HSTS).
# Subdomains and preloading are what `check --deploy` asks for; a domain whose subdomains are not all served
# over HTTPS turns them off (SECURE_HSTS_INCLUDE_SUBDOMAINS=0, SECURE_HSTS_PRELOAD=0).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)


def _proxy_https_header(raw: str):
    """`HTTP_X_FORWARDED_PROTO` (or `X-Forwarded-Proto`), optionally `=https`: the header by which the reverse
    proxy that terminates TLS says the request came over HTTPS. Only for a proxy that sets it on every request
    (a client could send it otherwise)."""
    if not raw.strip():
        return None
    nom, _, valeur = raw.strip().partition("=")
    nom = nom.strip().upper().replace("-", "_")
    if not nom.startswith("HTTP_"):
        nom = "HTTP_" + nom
    if not nom[5:] or not nom[5:].replace("_", "").isalnum():
        raise EnvError(f"MUTUALIS_PROXY_HTTPS_HEADER : nom d'en-tête attendu (HTTP_X_FORWARDED_PROTO), reçu « {raw} »")
    return (nom, valeur.strip() or "https")


SECURE_PROXY_SSL_HEADER = _proxy_https_header(env_str("MUTUALIS_PROXY_HTTPS_HEADER", ""))
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: everything from this site only, no inline script or style (no 'unsafe-inline'):
# the pages carry none (tests/commun/test_entetes.py reads every template for one).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if _manquants:
    raise EnvError(
        "mode production (MUTUALIS_PRODUCTION=1) : à définir avant le démarrage : "
        + ", ".join(_manquants)
        + " (voir docs/exploitation.md, « Production »)"
    )
if PRODUCTION and SECURE_SSL_REDIRECT and not SITE_URL.startswith("https://"):
    raise EnvError(
        f"MUTUALIS_SITE_URL : adresse en https:// attendue en production, reçu « {SITE_URL} » "
        "(les liens des courriels la reprennent ; SECURE_SSL_REDIRECT=0 pour un site servi sans HTTPS)"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
