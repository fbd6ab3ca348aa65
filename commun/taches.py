"""What awaits a user: each app that can make someone wait (the minutes to write or validate, a
commune's GT1 list to fill, a deliverable's visa, GT3 lines to score, a payroll batch to confirm, a
mandate letter to send) declares a source here from its AppConfig.ready (`inscrire`), so that the home
page (espace) and the notifications (echanges) read every app's waiting actions without importing them
(docs/architecture.md). A source is `(acces, user, now) -> list[Tache]`: the actions `user` herself must
do in the territory of `acces`, each with the page where it is done."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Tache:
    """One waiting action. `cle` names this occurrence of the wait: it changes when the action waits
    anew (a new version submitted, a new line to score), so that a notification is sent once per wait.
    `depuis` is when it started waiting, when known (the list is sorted on it, oldest first)."""

    cle: str
    libelle: str
    url: str
    depuis: dt.datetime | None = None


SOURCES: list[Callable] = []


def inscrire(source: Callable) -> None:
    if source not in SOURCES:
        SOURCES.append(source)


def a_faire(acces, user, now: dt.datetime) -> list[Tache]:
    """Every app's waiting actions for `user`, oldest first (undated ones last, in the sources' order)."""
    if not user.is_authenticated:
        return []
    taches = [t for source in SOURCES for t in source(acces, user, now)]
    return sorted(taches, key=lambda t: (t.depuis is None, t.depuis or now))
