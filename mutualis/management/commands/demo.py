from django.conf import settings
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
        parser.add_argument(
            "--dsn",
            action="store_true",
            help="écrit aussi les DSN synthétiques de Mérignac et leur correspondance dans var/demo/dsn/",
        )

    def handle(self, *args, **options):
        if not base_vide():
            if options["si_vide"]:
                self.stdout.write("La base contient déjà des données : elles sont conservées.")
                if options["dsn"]:
                    self.ecrire_dsn()
                return
            raise CommandError(
                "La base contient déjà des données : la démonstration ne se charge que dans une base vide."
            )
        self.stdout.write("Chargement du territoire de démonstration (Bordeaux Métropole)…")
        charger_demo()
        self.stdout.write("Démonstration chargée.")
        if options["dsn"]:
            self.ecrire_dsn()

    def ecrire_dsn(self):
        from masse_salariale.generateur import TAUX_CHARGES_DEMO
        from mutualis.demo import ANNEES, ecrire_dsn_demo

        dossier = settings.VAR_DIR / "demo" / "dsn"
        chemins = ecrire_dsn_demo(dossier)
        taux = ", ".join(
            f"{nom} {str((TAUX_CHARGES_DEMO[regime] * 100).normalize()).replace('.', ',')} %"
            for regime, nom in (("cnracl", "CNRACL"), ("general", "régime général"))
        )
        self.stdout.write(
            f"DSN de Mérignac ({ANNEES[-1][0]}, {len(chemins) - 1} fichiers) et leur correspondance écrites dans "
            f"{dossier} ; taux de cotisations patronales à donner : {taux}."
        )
