from django.core.management.base import CommandError

from commun.commandes import Commande
from mutualis.demo import base_vide, charger_demo


class Command(Commande):
    help = (
        "Remplit une base vide avec le territoire de démonstration (Bordeaux Métropole, masse salariale "
        "synthétique, comptes de démonstration). Refuse une base qui contient déjà des données."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--si-vide", action="store_true", help="ne fait rien (sans erreur) si la base contient déjà des données"
        )

    def handle(self, *args, **options):
        if not base_vide():
            if options["si_vide"]:
                self.stdout.write("La base contient déjà des données : elles sont conservées.")
                return
            raise CommandError(
                "La base contient déjà des données : la démonstration ne se charge que dans une base vide."
            )
        self.stdout.write("Chargement du territoire de démonstration (Bordeaux Métropole)…")
        charger_demo()
        self.stdout.write("Démonstration chargée.")
