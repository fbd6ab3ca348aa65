"""`mutualis db_worker`: django_tasks_db's worker, which first takes back the tasks a dead worker left RUNNING on
its queues (commun/travaux.py). This app comes before django_tasks_db in INSTALLED_APPS, so its command is the
one `make run`, `make serve` and the tests start."""

from django_tasks_db.management.commands import db_worker

from commun.formatage import compte
from commun.travaux import reprendre_interrompus


class Command(db_worker.Command):
    help = (
        "Fait les tâches d'une file de la base (settings.TASKS), après avoir repris celles qu'un travailleur "
        "arrêté en cours de route a laissées « en cours »."
    )

    def handle(self, *, backend_name: str, queue_name: str, exclude_queues: str, **options):
        files = queue_name.split(",")
        exclues = exclude_queues.split(",") if exclude_queues else []
        relances, echecs = reprendre_interrompus(backend_name, files, exclues)
        if (relances or echecs) and options["verbosity"]:
            quoi = f"{compte(relances, 'relancée')}, {compte(echecs, 'abandonnée')}"
            self.stdout.write(f"Tâches interrompues par l'arrêt d'un travailleur : {quoi}.")
        super().handle(backend_name=backend_name, queue_name=queue_name, exclude_queues=exclude_queues, **options)
