"""`mutualis restauration FILE`: an archive of `mutualis sauvegarde` back into an empty instance
(mutualis/sauvegarde.py)."""

from commun.commandes import Commande
from commun.formatage import compte, nombre
from mutualis.sauvegarde import ou_est_la_cle, restaurer


class Command(Commande):
    help = (
        "Restaure une archive de « mutualis sauvegarde » dans une instance vide (base créée par « mutualis "
        "migrate », mêmes migrations que l'instance sauvegardée) : tout ou rien. La clé de pseudonymisation "
        "n'est pas dans l'archive : cette instance doit utiliser celle de l'instance sauvegardée."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", metavar="FILE", help="l'archive écrite par « mutualis sauvegarde »")
        parser.add_argument(
            "--nouvelle-cle",
            action="store_true",
            help="restaure même si la clé de pseudonymisation n'est pas celle de l'instance sauvegardée (clé perdue)",
        )

    def handle(self, *args, **options):
        bilan = restaurer(options["fichier"], nouvelle_cle=options["nouvelle_cle"])
        self.stdout.write(f"Restauration terminée : {bilan.resume()}.")
        if options["verbosity"] > 1:
            for table, n in bilan.lignes.items():
                self.stdout.write(f"  {table} : {nombre(n)}")
        avertissements = [
            f"fichier absent du disque lors de la sauvegarde, donc de cette instance : {nom}" for nom in bilan.absents
        ]
        if bilan.relancees:
            avertissements.append(
                f"{compte(bilan.relancees, 'tâche')} en cours lors de la sauvegarde (production de documents) "
                "remise(s) en file d'attente : le travailleur de cette instance les reprend"
            )
        if options["nouvelle_cle"]:
            avertissements.append(
                f"la clé de pseudonymisation de cette instance, lue {ou_est_la_cle()}, n'est pas forcément celle "
                "de l'instance sauvegardée : les nouveaux imports de paie peuvent pseudonymiser les mêmes agents "
                "autrement que les lots restaurés"
            )
        else:
            avertissements.append(
                "la clé de pseudonymisation n'est pas dans l'archive : cette instance utilise la sienne, lue "
                f"{ou_est_la_cle()}, qui est bien celle de l'instance sauvegardée (empreinte vérifiée) ; "
                "gardez-la ainsi, sans quoi les nouveaux imports pseudonymiseraient les mêmes agents autrement"
            )
        self.avertir(avertissements)
