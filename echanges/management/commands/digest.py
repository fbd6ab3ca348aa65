"""`mutualis digest`: the daily digest of the notifications, run once a day by a scheduler."""

from commun.commandes import Commande
from echanges.actions import do_envoyer_resumes


class Command(Commande):
    help = (
        "Envoie à chaque utilisateur qui a choisi le résumé quotidien un courriel de ses notifications "
        "non lues depuis le dernier résumé (au plus un par jour : relancer la commande le même jour "
        "n'envoie rien)."
    )

    def handle(self, *args, **options):
        n = do_envoyer_resumes()
        if n == 0:
            self.stdout.write("Aucun courriel de résumé envoyé.")
        else:
            self.stdout.write(f"{n} courriel{'s' if n > 1 else ''} de résumé envoyé{'s' if n > 1 else ''}.")
