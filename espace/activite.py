"""The territory's latest activity, worded for the space's home page. Each app words its own audit
actions in `<app>/journal.py` (a `PHRASES` dict: action -> French sentence, the subject being the user or
« Mutualis » for the command line), gathered here."""

import importlib
import importlib.util
from functools import cache

from django.apps import apps

from territoire.models import Evenement

# Failed attempts are in the audit trail but not on the home page; accounts (names, e-mail addresses)
# only on the project team's.
MASQUES = {
    "masse_salariale.refus",
    "referentiel.refus",
    "comptes.courriel_echec",
    "echanges.commentaire",
}  # comments are read in their threads and notifications
RESERVES_EQUIPE_PROJET = ("comptes.",)


@cache
def phrases() -> dict[str, str]:
    merged = {}
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.journal") is None:
            continue  # an app without audit rows of its own
        merged.update(importlib.import_module(f"{config.name}.journal").PHRASES)
    return merged


def derniere_activite(territoire, acces, limite: int = 12) -> list[dict]:
    events = Evenement.objects.filter(territoire=territoire).exclude(action__in=MASQUES)
    if not acces.est_equipe_projet:
        for prefix in RESERVES_EQUIPE_PROJET:
            events = events.exclude(action__startswith=prefix)
    events = events.select_related("utilisateur")[:limite]
    return [
        {
            "quand": e.quand,
            "qui": str(e.utilisateur) if e.utilisateur else "Mutualis (ligne de commande)",
            "quoi": phrases().get(e.action, e.action.replace("_", " ").replace(".", " : ")),
            "objet": e.objet,
        }
        for e in events
    ]
