"""Agent identifiers are replaced on import by a keyed hash (HMAC-SHA-256 with a key generated at
first run and kept outside the repository): the same agent of the same employer always gets the same
pseudonym, which lets batches be compared, and nobody can go back to the matricule without the key."""

import hashlib
import hmac

from django.conf import settings


def pseudonymiser(employeur: str, agent: str, cle: str | None = None) -> str:
    key = (cle or settings.PSEUDONYM_KEY).encode()
    message = f"{employeur}\x1f{agent}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def pseudonymiser_tous(employeurs: list[str], agents: list[str]) -> list[str]:
    key = settings.PSEUDONYM_KEY.encode()
    new = hmac.new
    return [
        new(key, f"{e}\x1f{a}".encode(), hashlib.sha256).hexdigest()[:32]
        for e, a in zip(employeurs, agents, strict=True)
    ]
