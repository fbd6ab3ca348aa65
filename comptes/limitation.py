"""Login throttling: after MAX_ECHECS failed attempts for the same login, or from the same network
address, within FENETRE, every attempt is refused for BLOCAGE (even with the right password).

Counters live in Django's cache (settings.CACHES): in-process memory by default, so with several server
processes each counts on its own unless CACHE_BACKEND points to a shared cache. Each counter is a list
of failure times, rewritten with its own timeout: a true sliding window on any cache backend (`incr`
resets the timeout on some of them)."""

import hashlib
import time
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

MAX_ECHECS = 5
FENETRE = 15 * 60  # seconds
BLOCAGE = 15 * 60  # seconds


def _cles(login: str | None, ip: str | None) -> list[str]:
    cles = []
    if login and login.strip():
        # Hashed: a key stays short and valid whatever was typed.
        cles.append("connexion:login:" + hashlib.sha256(login.strip().lower().encode()).hexdigest())
    if ip:
        cles.append("connexion:ip:" + ip)
    return cles


def bloque_jusqu_a(login: str | None, ip: str | None) -> datetime | None:
    """When the block on this login or address ends, or None when attempts are allowed."""
    fins = [fin for fin in cache.get_many([c + ":bloque" for c in _cles(login, ip)]).values() if fin]
    maintenant = time.time()
    fins = [fin for fin in fins if fin > maintenant]
    return datetime.fromtimestamp(max(fins), tz=timezone.get_current_timezone()) if fins else None


def enregistrer_echec(login: str | None, ip: str | None) -> datetime | None:
    """Count a failed attempt; returns the end of the block when this one triggers it."""
    maintenant = time.time()
    for cle in _cles(login, ip):
        echecs = [t for t in cache.get(cle, []) if t > maintenant - FENETRE] + [maintenant]
        if len(echecs) >= MAX_ECHECS:
            cache.set(cle + ":bloque", maintenant + BLOCAGE, BLOCAGE)
            cache.delete(cle)
        else:
            cache.set(cle, echecs, FENETRE)
    return bloque_jusqu_a(login, ip)


def enregistrer_reussite(login: str | None) -> None:
    """A successful login clears the failures of its login (not those of the address: one valid account
    must not let an address try other accounts' passwords)."""
    cache.delete_many(_cles(login, None))


def message_blocage(fin: datetime) -> str:
    heure = timezone.localtime(fin)
    return (
        f"Trop de tentatives de connexion échouées : par sécurité, la connexion est suspendue "
        f"pendant {BLOCAGE // 60} minutes. Réessayez à partir de {heure:%H} h {heure:%M}, ou choisissez "
        "un nouveau mot de passe avec « Mot de passe oublié ? »."
    )
