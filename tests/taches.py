"""The workers of the database task queues (settings.TASKS), in tests: `travailleur(alias)` runs what is queued
as `make run`'s worker would, once over the queue; `executer(resultat)` runs one queued task by the worker's
own code (tests/conftest.py sends every e-mail so, as it is queued)."""

from unittest import mock

from django.core.management import call_command


def travailleur(alias: str) -> None:
    """The worker of the queue `alias` (its backend and queue share the name), until nothing is ready. It
    closes the connections it finds outside autocommit between tasks: inside a test's transaction
    (PostgreSQL) that would close the test's own."""
    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        options = ["--backend", alias, "--queue-name", alias, "--batch", "--no-startup-delay"]
        call_command("db_worker", *options, verbosity=0)


def jusqu_au_bout(alias: str) -> None:
    """The worker of `alias` over every attempt of what is queued, the waits between them (`run_after`)
    passed at once."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    while (prets := DBTaskResult.objects.filter(backend_name=alias, status="READY")).exists():
        prets.update(run_after=timezone.now())
        travailleur(alias)


def executer(resultat) -> None:
    """Run one queued task (a django_tasks_db result) as the worker does: claimed, run, recorded."""
    from django_tasks_db.management.commands.db_worker import Worker

    resultat.claim("tests")
    Worker(
        queue_names=[resultat.queue_name],
        interval=0,
        batch=True,
        backend_name=resultat.backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    ).run_task(resultat)
