"""`mutualis taches-quotidiennes [--date AAAA-MM-JJ]`: the daily work of every territory, idempotent (run it
twice, nothing more happens): the opinions réputés favorables from the day after their deadline, the
reminders of the communes' deadlines (docs/consultation.md), the payroll data left half-way (a DSN reading
unplaced for thirty days, an export left unmapped for a day, an upload the worker did not read within a day,
the finished background tasks: commun/travaux.py), then the notification of every action that
started waiting with the passing of days rather than with a write (a yearly report to present within two
months, docs/suivi.md: echanges/attentes.py notifies each wait once). A cron line runs it every morning
(docs/contrats/6-ligne-de-commande.md); `make run` needs none. `--date` replays a day (tests, catching up)."""

import datetime as dt
import re

from django.utils import timezone

from commun.commandes import Commande, SortieInvalide
from commun.formatage import compte
from commun.travaux import purger
from echanges.attentes import signaler
from masse_salariale import consultations, depot, imports
from masse_salariale.dsn import do_expirer_lectures
from parcours.actions import do_taches_du_jour
from territoire.models import Schema


class Command(Commande):
    help = "Travail quotidien : avis réputés favorables et rappels des échéances des communes."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="le jour à traiter (AAAA-MM-JJ ; par défaut aujourd'hui)")

    def handle(self, *args, **options):
        jour = timezone.localdate()
        if options["date"]:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", options["date"]):
                raise SortieInvalide([f"date invalide : « {options['date']} » (attendu AAAA-MM-JJ)"])
            try:
                jour = dt.date.fromisoformat(options["date"])
            except ValueError:
                raise SortieInvalide([f"date invalide : « {options['date']} » (attendu AAAA-MM-JJ)"]) from None
        reputes = rappels = 0
        territoires = {}
        for schema in Schema.objects.select_related("territoire").order_by("territoire__code", "-mandat"):
            fait = do_taches_du_jour(schema, jour)
            reputes += fait["reputes"]
            rappels += fait["rappels"]
            territoires[schema.territoire_id] = schema.territoire
        matin = timezone.make_aware(dt.datetime.combine(jour, dt.time(7)))
        for territoire in territoires.values():
            signaler(territoire, now=matin)
        # Personal data left half-way: DSN readings never placed, payroll exports never mapped.
        lectures = do_expirer_lectures(matin)
        exports = depot.nettoyer()
        envois = imports.expirer(timezone.now())
        purger(timezone.now())
        consultations.do_purger(matin)  # the audit of reading is kept twelve months
        avis = compte(reputes, "avis réputé favorable", "avis réputés favorables")
        envoyes = compte(rappels, "rappel envoyé", "rappels envoyés")
        oublis = compte(lectures, "lecture de DSN expirée", "lectures de DSN expirées")
        effaces = compte(exports, "export de paie effacé", "exports de paie effacés")
        perimes = compte(envois, "envoi de paie non lu effacé", "envois de paie non lus effacés")
        self.stdout.write(f"{jour.isoformat()} : {avis}, {envoyes}, {oublis}, {effaces}, {perimes}")
