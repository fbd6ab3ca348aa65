"""Tasks that survive their worker (commun/travaux.py): the worker that starts takes back what a dead worker
left RUNNING on its queues, runs it again once, and records it as failed the second time."""

import datetime as dt
import io
import logging

import pytest
from django.core import mail
from django.core.management import call_command, get_commands
from django.tasks.signals import task_finished
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from commun.travaux import INTERROMPU, reprendre_interrompus
from comptes import courriels
from tests.cast import run_command
from tests.taches import travailleur

pytestmark = pytest.mark.django_db


def en_cours(*morts):
    """An e-mail whose worker was killed while sending it."""
    courriels.envoyer([mail.EmailMessage("Essai", "Bonjour", None, ["marie.durand@pessac.fr"])])
    tache = DBTaskResult.objects.get(backend_name="courriels")
    tache.status, tache.worker_ids = "RUNNING", list(morts)
    tache.save(update_fields=["status", "worker_ids"])
    return tache


def test_the_worker_every_script_starts_is_the_one_that_takes_back():
    assert get_commands()["db_worker"] == "commun"


def test_a_task_whose_worker_died_is_done_by_the_next_worker(courriels_en_file, mailoutbox, monkeypatch):
    tache = en_cours("tue")
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    sortie = io.StringIO()
    call_command(
        "db_worker", "--backend", "courriels", "--queue-name", "courriels", "--batch", "--no-startup-delay",
        stdout=sortie,
    )  # fmt: skip
    assert "Tâches interrompues par l'arrêt d'un travailleur : 1 relancée, 0 abandonnée." in sortie.getvalue()
    tache.refresh_from_db()
    assert tache.status == "SUCCESSFUL" and len(tache.worker_ids) == 2 and len(mailoutbox) == 1


def test_a_task_interrupted_twice_is_recorded_as_failed_and_said(courriels_en_file, caplog):
    tache = en_cours("premier", "second")
    finies = []
    task_finished.connect(lambda sender, task_result, **kw: finies.append(task_result), dispatch_uid="test", weak=False)
    try:
        with caplog.at_level(logging.ERROR):
            assert reprendre_interrompus("courriels", ["courriels"]) == (0, 1)
    finally:
        task_finished.disconnect(dispatch_uid="test")
    tache.refresh_from_db()
    assert tache.status == "FAILED" and INTERROMPU in tache.traceback
    assert [r.id for r in finies] == [str(tache.id)] and finies[0].status == "FAILED"
    assert INTERROMPU in caplog.text


def test_a_running_task_of_another_queue_is_left_alone(courriels_en_file):
    tache = en_cours("ailleurs")
    assert reprendre_interrompus("documents", ["documents"]) == (0, 0)
    assert reprendre_interrompus("courriels", ["*"], ["courriels"]) == (0, 0)
    tache.refresh_from_db()
    assert tache.status == "RUNNING"


def test_the_daily_work_deletes_finished_tasks_an_e_mail_s_after_a_day(courriels_en_file, capsys):
    for _ in range(2):
        courriels.envoyer([mail.EmailMessage("Lien", "https://exemple.fr/mot-de-passe/…", None, ["a@exemple.fr"])])
    travailleur("courriels")
    hier, recente = DBTaskResult.objects.order_by("enqueued_at")
    DBTaskResult.objects.filter(pk=hier.pk).update(finished_at=timezone.now() - dt.timedelta(hours=25))
    assert run_command(capsys, "taches-quotidiennes")[0] == 0
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recente.pk]
