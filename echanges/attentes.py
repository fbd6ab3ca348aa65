"""Notify each user when an action starts waiting for her (commun/taches.py): after every write of a
territory (every action writes a territoire.Evenement), once its transaction has committed, the waiting
actions of the territory's users are read again and each new one (a key not notified before) becomes a
notification, e-mailed like the others (each one, a daily digest or none, as she chose). The user who
caused the wait (she imported the batch she must now confirm) gets it already read and no e-mail.

One reading per territory and transaction, however many events it wrote: a bulk load (the demo, an
import) reads once, after its commit. The reading is a task of Django's tasks framework, done by the worker
of the database queue `attentes` (settings.TASKS): the request never waits for it, and its failure, logged
by the worker, never undoes the write."""

import threading

from django.db import transaction
from django.db.models.signals import post_save
from django.tasks import task
from django.utils import timezone

from commun.taches import a_faire
from comptes.models import Utilisateur
from comptes.perms import Acces
from echanges.actions import envoyer_immediats
from echanges.enums import Motif
from echanges.models import Notification
from territoire.models import Evenement, Territoire

_attente = threading.local()  # territory id -> {(event id, user id)} written, until the commit's reading


def _en_attente() -> dict[int, set[tuple[int, int | None]]]:
    if not hasattr(_attente, "territoires"):
        _attente.territoires = {}
    return _attente.territoires


def signaler(territoire, acteurs=frozenset(), now=None, envoyer=True) -> list[Notification]:
    """Create the notifications of the waiting actions not notified yet, for every active user of the
    territory; returns them. `acteurs`: ids of the users whose writes caused this reading."""
    now = now or timezone.now()
    utilisateurs = Utilisateur.objects.filter(is_active=True, habilitations__territoire=territoire).distinct()
    deja = set(
        Notification.objects.filter(territoire=territoire, motif=Motif.TACHE).values_list("destinataire_id", "tache")
    )
    nouvelles = []
    for user in utilisateurs:
        for tache in a_faire(Acces(user, territoire), user, now):
            if (user.pk, tache.cle) in deja:
                continue
            notification, creee = Notification.objects.get_or_create(
                destinataire=user,
                territoire=territoire,
                tache=tache.cle,
                defaults={
                    "motif": Motif.TACHE,
                    "libelle": tache.libelle[:400],
                    "url": tache.url,
                    "lue_le": now if user.pk in acteurs else None,
                },
            )
            if creee:  # not created meanwhile by another commit's reading
                nouvelles.append(notification)
    if envoyer:
        envoyer_immediats([n for n in nouvelles if n.lue_le is None])
    return nouvelles


@task(backend="attentes", queue_name="attentes")
def lire_attentes(territoire_id: int, acteurs: list[int]) -> int:
    """The background task: the territory's new waits notified; returns how many."""
    return len(signaler(Territoire.objects.get(pk=territoire_id), frozenset(acteurs)))


def _apres_validation(territoire_id: int) -> None:
    ecrits = _en_attente().pop(territoire_id, None)
    if ecrits is None:
        return  # this transaction's territory was read by an earlier callback
    # A rolled-back transaction leaves its events here without a callback: only the events that exist
    # now, written by the same user, name an actor.
    existants = set(Evenement.objects.filter(pk__in=[pk for pk, _ in ecrits]).values_list("pk", "utilisateur_id"))
    acteurs = sorted({uid for pk, uid in ecrits & existants if uid is not None})
    # A write by one person (a request) makes her own new waits known to her; a bulk load by several
    # (the demo) tells each one what waits for her.
    lire_attentes.enqueue(territoire_id, acteurs if len(acteurs) == 1 else [])


def _evenement_ecrit(sender, instance, created, **kwargs) -> None:
    if not created or instance.territoire_id is None:
        return
    _en_attente().setdefault(instance.territoire_id, set()).add((instance.pk, instance.utilisateur_id))
    # One callback per event (a rolled-back transaction drops its callbacks): the first to run after the
    # commit reads the territory, the others find nothing left to do.
    transaction.on_commit(lambda: _apres_validation(instance.territoire_id))


def brancher() -> None:
    post_save.connect(_evenement_ecrit, sender=Evenement, dispatch_uid="echanges.attentes")
