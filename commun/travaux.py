"""Background work that survives its worker (docs/exploitation.md, « Travaux en arrière-plan »).

The long work (the schéma's documents, large payroll uploads, e-mails) is a task of Django's tasks framework
kept in the database (django_tasks_db, settings.TASKS), done by one worker per queue. A task queued while no
worker runs waits in its table: the worker does it when it starts. But django_tasks_db marks a task failed
only when the task raises; a worker that dies in the middle of one (killed, out of memory, a power cut, a
reload of `make run`) leaves it RUNNING for ever, and a new worker takes only READY tasks.

So a worker that starts first takes back what was left RUNNING on its queues (commun/management/commands/
db_worker.py), which is sound because each queue has one worker (`make run`, `make serve`): such a task
belongs to no living worker. A task interrupted once is run again (each task here starts from scratch: a
document is written again, an upload read again from its stored files, an e-mail sent again, which may reach
its recipient twice); interrupted a second time, it is taken for the cause (a file that exhausts the memory)
and recorded as failed, with `INTERROMPU` as its error; the worker's signal `task_finished` is sent for it,
so that the page that follows it says so (masse_salariale/imports.py). The daily work deletes the finished
tasks after a while (`purger`)."""

import logging
from datetime import timedelta

from django.db import transaction
from django.tasks import TaskResultStatus, task_backends
from django.tasks.signals import task_finished

log = logging.getLogger(__name__)

ESSAIS = 2  # runs of a task whose worker died before it is recorded as failed
INTERROMPU = "le travail a été interrompu deux fois par l'arrêt du serveur qui le faisait"


class TravailInterrompu(Exception):
    """Why a task left RUNNING by dead workers is recorded as failed."""


def reprendre_interrompus(backend: str, files: list[str], exclues: list[str] = ()) -> tuple[int, int]:
    """Take back the tasks of `backend`'s queues `files` ("*": every queue but `exclues`) left RUNNING: each
    is made READY again, or recorded as failed once it was started `ESSAIS` times. Returns (run again,
    failed)."""
    from django_tasks_db.models import DBTaskResult

    with transaction.atomic():
        orphelins = DBTaskResult.objects.select_for_update().filter(
            backend_name=backend, status=TaskResultStatus.RUNNING
        )
        if "*" in files:
            orphelins = orphelins.exclude(queue_name__in=exclues)
        else:
            orphelins = orphelins.filter(queue_name__in=files)
        relances, echecs = [], []
        for resultat in orphelins:
            if len(resultat.worker_ids) < ESSAIS:
                resultat.status = TaskResultStatus.READY
                resultat.save(update_fields=["status"])
                relances.append(resultat)
            else:
                resultat.set_failed(TravailInterrompu(INTERROMPU))
                echecs.append(resultat)
    for resultat in relances:
        log.warning(
            "tâche %s (%s) interrompue par l'arrêt de son travailleur : relancée",
            resultat.id,
            resultat.task_path,
        )
    for resultat in echecs:
        log.error("tâche %s (%s) : %s, elle est abandonnée", resultat.id, resultat.task_path, INTERROMPU)
        # As the worker does when a task raises; building the result imports the task's module, whose
        # receivers are then connected.
        task_finished.send(sender=type(task_backends[backend]), task_result=resultat.task_result)
    return len(relances), len(echecs)


# What a finished task keeps (its arguments, its result) has no use after a while; an e-mail's holds the whole
# message, the link of an invitation or of a new password included.
GARDE = {"courriels": timedelta(days=1)}
GARDE_AUTRES = timedelta(days=30)


def purger(maintenant) -> int:
    """Delete the finished tasks older than their `GARDE` (the daily work); how many."""
    from django_tasks_db.models import DBTaskResult

    finies = DBTaskResult.objects.finished()
    supprimees = 0
    for backend, duree in GARDE.items():
        supprimees += finies.filter(backend_name=backend, finished_at__lt=maintenant - duree).delete()[0]
    autres = finies.exclude(backend_name__in=list(GARDE)).filter(finished_at__lt=maintenant - GARDE_AUTRES)
    return supprimees + autres.delete()[0]
