"""The territory's latest activity, worded for the space's home page. Each app words its own audit
actions in `<app>/journal.py`, gathered here: `PHRASES` (action -> French sentence, the subject being the
user or « Mutualis » for the command line) and, for the actions that change a status, `ETATS` (action ->
the TextChoices of that status): their rows carry the codes `avant` and `apres` in `details`, worded with
the enum's labels (« de « brouillon » à « signée » »).

Repeated events make one line: the same action on the same object (its `objet` as the page prints it) by
the same person, within FENETRE of the line's latest event, and with nobody else's same action on that
object in between (the from/to then stays true)."""

import datetime as dt
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

FENETRE = dt.timedelta(minutes=10)
# Rows read at most to fill the lines: a burst of writes (an import) must not make the page read the whole
# journal.
LECTURE_MAX = 2000
# Beyond this many successive states, a line names the first and the last only.
ETAPES_NOMMEES = 4


def _journaux():
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.journal") is not None:  # apps without rows of their own
            yield importlib.import_module(f"{config.name}.journal")


@cache
def phrases() -> dict[str, str]:
    merged = {}
    for journal in _journaux():
        merged.update(journal.PHRASES)
    return merged


@cache
def etats() -> dict[str, type]:
    merged = {}
    for journal in _journaux():
        merged.update(getattr(journal, "ETATS", {}))
    return merged


def regrouper(evenements, limite: int, fenetre: dt.timedelta = FENETRE) -> list[list]:
    """The events (newest first) gathered into at most `limite` lines, each a list of events newest first.
    Reads no further than needed: once `limite` lines are open, it stops at the first event too old to
    join any of them."""
    lignes = []
    ouvertes = {}  # (action, objet) -> the line that took the latest such event, or None once interrupted
    for e in evenements:
        cle = (e.action, e.objet)
        ligne = ouvertes.get(cle)
        if ligne is not None and ligne[0].utilisateur_id == e.utilisateur_id and ligne[0].quand - e.quand <= fenetre:
            ligne.append(e)
            continue
        if len(lignes) < limite:
            ligne = [e]
            lignes.append(ligne)
        elif all(l[0].quand - e.quand > fenetre for l in lignes):
            break
        else:
            ligne = None  # no room for its own line, but older events of the key must not join across it
        ouvertes[cle] = ligne
    return lignes


def _libelle(enum, code) -> str:
    """The state's label, lower-cased to sit in a sentence (« Brouillon » -> « brouillon »); an unknown code
    (a state since removed) as it is."""
    try:
        label = str(enum(code).label)
    except ValueError:
        return str(code)
    return label[:1].lower() + label[1:]


def changement(ligne: list) -> tuple[str, bool]:
    """« de « a » à « b » » for a line of status changes (events newest first), then whether every event
    of the line is a step it names. Empty when the action has no declared status, when an event lacks the
    states (rows written before they were recorded), or when nothing changed."""
    enum = etats().get(ligne[0].action)
    if enum is None or not all(isinstance(e.details, dict) and {"avant", "apres"} <= e.details.keys() for e in ligne):
        return "", False
    suite = [ligne[-1].details["avant"]]
    for e in reversed(ligne):
        if e.details["avant"] != suite[-1]:
            suite.append(e.details["avant"])  # a step missing from the journal: say where it was taken from
        if e.details["apres"] != suite[-1]:
            suite.append(e.details["apres"])
    if len(suite) < 2:
        return "", False
    noms = [f"« {_libelle(enum, code)} »" for code in suite]
    if len(noms) > ETAPES_NOMMEES:
        return f"de {noms[0]} à {noms[-1]}", False
    return f"de {noms[0]} à {noms[1]}" + "".join(f" puis {n}" for n in noms[2:]), len(suite) - 1 == len(ligne)


def formuler(ligne: list) -> dict:
    """One line of the page from its events (newest first)."""
    dernier = ligne[0]
    texte, chaque_etape_dite = changement(ligne)
    return {
        "quand": dernier.quand,
        "qui": str(dernier.utilisateur) if dernier.utilisateur else "Mutualis (ligne de commande)",
        "quoi": phrases().get(dernier.action, dernier.action.replace("_", " ").replace(".", " : ")),
        "objet": dernier.objet,
        "changement": texte,
        "fois": 1 if chaque_etape_dite else len(ligne),
    }


def derniere_activite(territoire, acces, limite: int = 12) -> list[dict]:
    events = Evenement.objects.filter(territoire=territoire).exclude(action__in=MASQUES)
    if not acces.est_equipe_projet:
        for prefix in RESERVES_EQUIPE_PROJET:
            events = events.exclude(action__startswith=prefix)
    events = events.select_related("utilisateur")[:LECTURE_MAX]
    return [formuler(ligne) for ligne in regrouper(events.iterator(chunk_size=100), limite)]
