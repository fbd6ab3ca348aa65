"""`mutualis sauvegarde FILE`: the whole instance in one archive (mutualis/sauvegarde.py)."""

from commun.commandes import Commande
from commun.formatage import nombre
from mutualis.sauvegarde import avertissement_cle_sauvegarde, sauvegarder


class Command(Commande):
    help = (
        "Écrit dans FILE une archive complète et cohérente de l'instance : les données de toutes les tables, "
        "lues en une seule transaction, et les fichiers qu'elles désignent (documents produits, conventions, "
        "délibérations, logos). La clé de pseudonymisation n'y est pas : gardez-la à part."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", metavar="FILE", help="l'archive à écrire (un zip)")
        parser.add_argument("--ecraser", action="store_true", help="remplace FILE s'il existe déjà")

    def handle(self, *args, **options):
        bilan = sauvegarder(options["fichier"], ecraser=options["ecraser"])
        self.stdout.write(
            f"Sauvegarde écrite : {options['fichier']} ({nombre(bilan.octets / 1e6, 1)} Mo) : {bilan.resume()}."
        )
        if options["verbosity"] > 1:
            for table, n in bilan.lignes.items():
                self.stdout.write(f"  {table} : {nombre(n)}")
        self.avertir(
            [
                *(f"fichier désigné par la base mais absent du disque : {nom}" for nom in bilan.absents),
                avertissement_cle_sauvegarde(),
            ]
        )
