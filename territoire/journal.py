"""The territory's latest activity, worded for the space's home page. Each app words its own audit
actions in `<app>/journal.py` (a `PHRASES` dict), gathered here."""

import importlib
from functools import cache

from django.apps import apps

from territoire.models import Evenement

# action -> French sentence (the subject is the user, or « Mutualis » for the command line)
PHRASES = {
    "territoire.creation": "a créé le territoire",
    "territoire.mise_a_jour": "a mis à jour le territoire",
    "territoire.fonctionnels": "a changé la liste des services fonctionnels",
    "masse_salariale.import": "a déposé un fichier de masse salariale",
    "masse_salariale.confirmation": "a confirmé un lot de masse salariale",
    "masse_salariale.abandon": "a abandonné un lot de masse salariale",
    "referentiel.ajout": "a ajouté une activité au référentiel",
    "referentiel.modification": "a modifié le référentiel des activités",
    "referentiel.suppression": "a supprimé une activité du référentiel",
    "referentiel.import": "a importé le référentiel des activités",
}
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
    merged = dict(PHRASES)
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.journal")
        except ModuleNotFoundError:
            continue
        merged.update(getattr(module, "PHRASES", {}))
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
