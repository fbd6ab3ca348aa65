"""Login throttling, per account and per network address separately, so that nobody locks others out:
after MAX_ECHECS failed attempts on one login, that login is refused for BLOCAGE (even with the right
password); an address is blocked only after MAX_ECHECS_ADRESSE failures, enough for a town hall whose
agents all come through one address (a NAT, a proxy) and still far below what guessing passwords needs.
Requests for a new password are limited the same way (MAX_DEMANDES per e-mail address, MAX_DEMANDES_ADRESSE
per network address, in FENETRE): beyond, the page answers as usual and no e-mail leaves.

The network address is the client's: REMOTE_ADDR, or, when the request comes from a trusted proxy
(settings.PROXIES_DE_CONFIANCE), the last address of its X-Forwarded-For header that is not one of them.
Counters live in Django's cache, the database cache by default (settings.CACHES): shared by every server
process. Each counter is a list of times, rewritten with its own timeout: a true sliding window on any
cache backend (`incr` resets the timeout on some of them)."""

import hashlib
import ipaddress
import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

MAX_ECHECS = 5
MAX_ECHECS_ADRESSE = 50
FENETRE = 15 * 60  # seconds
BLOCAGE = 15 * 60  # seconds
MAX_DEMANDES = 3  # new-password requests per e-mail address within FENETRE
MAX_DEMANDES_ADRESSE = 20  # per network address


def adresse_client(request) -> str | None:
    """The client's network address: REMOTE_ADDR, or behind a trusted proxy the last forwarded address that
    is not a trusted proxy (the ones before it are whatever the client chose to send)."""
    remote = request.META.get("REMOTE_ADDR")
    confiance = settings.PROXIES_DE_CONFIANCE
    if not confiance or not _dans(remote, confiance):
        return remote
    transmises = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    for adresse in reversed(transmises):
        if not _dans(adresse, confiance):
            return adresse
    return remote


def _dans(adresse: str | None, reseaux) -> bool:
    try:
        ip = ipaddress.ip_address(adresse or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(r, strict=False) for r in reseaux)


def _compter(cle: str, maximum: int) -> bool:
    """Count one event on a sliding window; True when this one reaches the maximum."""
    maintenant = time.time()
    fois = [t for t in cache.get(cle, []) if t > maintenant - FENETRE] + [maintenant]
    cache.set(cle, fois, FENETRE)
    return len(fois) > maximum


def demande_permise(email: str, adresse: str | None) -> bool:
    """Whether a new-password e-mail may leave for this request (the page answers the same either way)."""
    cles = [("reset:email:" + hashlib.sha256(email.strip().lower().encode()).hexdigest(), MAX_DEMANDES)]
    if adresse:
        cles.append(("reset:ip:" + adresse, MAX_DEMANDES_ADRESSE))
    depasse = [_compter(cle, maximum) for cle, maximum in cles]
    return not any(depasse)


def _cles(login: str | None, ip: str | None) -> list[tuple[str, int]]:
    """The counters an attempt counts on, each with its threshold."""
    cles = []
    if login and login.strip():
        # Hashed: a key stays short and valid whatever was typed.
        cles.append(("connexion:login:" + hashlib.sha256(login.strip().lower().encode()).hexdigest(), MAX_ECHECS))
    if ip:
        cles.append(("connexion:ip:" + ip, MAX_ECHECS_ADRESSE))
    return cles


def bloque_jusqu_a(login: str | None, ip: str | None) -> datetime | None:
    """When the block on this login or address ends, or None when attempts are allowed."""
    fins = [fin for fin in cache.get_many([c + ":bloque" for c, _ in _cles(login, ip)]).values() if fin]
    maintenant = time.time()
    fins = [fin for fin in fins if fin > maintenant]
    return datetime.fromtimestamp(max(fins), tz=timezone.get_current_timezone()) if fins else None


def enregistrer_echec(login: str | None, ip: str | None) -> datetime | None:
    """Count a failed attempt; returns the end of the block when this one triggers it."""
    maintenant = time.time()
    for cle, maximum in _cles(login, ip):
        echecs = [t for t in cache.get(cle, []) if t > maintenant - FENETRE] + [maintenant]
        if len(echecs) >= maximum:
            cache.set(cle + ":bloque", maintenant + BLOCAGE, BLOCAGE)
            cache.delete(cle)
        else:
            cache.set(cle, echecs, FENETRE)
    return bloque_jusqu_a(login, ip)


def enregistrer_reussite(login: str | None) -> None:
    """A successful login clears the failures of its login (not those of the address: one valid account
    must not let an address try other accounts' passwords)."""
    cache.delete_many([cle for cle, _ in _cles(login, None)])


def message_blocage(fin: datetime) -> str:
    heure = timezone.localtime(fin)
    return (
        f"Trop de tentatives de connexion échouées : par sécurité, la connexion est suspendue "
        f"pendant {BLOCAGE // 60} minutes. Réessayez à partir de {heure:%H} h {heure:%M}, ou choisissez "
        "un nouveau mot de passe avec « Mot de passe oublié ? »."
    )
