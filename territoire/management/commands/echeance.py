import datetime as dt
import re

from commun.commandes import CommandeCalcul, SortieInvalide
from engine.calendrier import echeance_avis

# Only the strict form: `date.fromisoformat` would also take 20270203 or 2027-W05-3.
FORME_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def lire_date(texte: str) -> dt.date:
    """A date written AAAA-MM-JJ, or SortieInvalide."""
    if FORME_DATE.fullmatch(texte):
        try:
            return dt.date(int(texte[:4]), int(texte[5:7]), int(texte[8:]))
        except ValueError:
            pass
    raise SortieInvalide([f"date invalide : « {texte} » (attendu AAAA-MM-JJ)"])


class Command(CommandeCalcul):
    help = (
        "Donne l'échéance de l'avis d'un conseil municipal sur le projet de schéma de mutualisation (CGCT "
        "L5211-39-1) : trois mois après la date de réception, au même quantième ou au dernier jour du mois. "
        "L'échéance n'est jamais reportée ; elle est signalée quand elle tombe un samedi, un dimanche ou un "
        "jour férié du département."
    )

    def add_arguments(self, parser):
        parser.add_argument("reception", help="date de réception du projet par la commune (AAAA-MM-JJ)")
        parser.add_argument(
            "--departement",
            help="département de la commune, pour ses jours fériés (33, 2A, 57, 971…) ; défaut : métropole",
        )
        parser.add_argument("--json", action="store_true", help="écrit le résultat en JSON")

    def handle(self, *args, **options):
        reception = lire_date(options["reception"])
        try:
            e = echeance_avis(reception, options["departement"])
        except ValueError as exc:
            raise SortieInvalide([str(exc)]) from exc
        if options["json"]:
            self.json(
                {
                    "reception": e.reception.isoformat(),
                    "echeance": e.echeance.isoformat(),
                    "jour_non_ouvre": e.jour_non_ouvre,
                    "reputee_favorable_le": e.reputee_favorable_le.isoformat(),
                }
            )
            return
        self.stdout.write(e.echeance.isoformat())
