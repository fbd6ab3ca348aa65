from django.conf import settings

from commun.commandes import Commande
from mutualis.demo import texte_logins


class Command(Commande):
    help = "Affiche l'adresse du serveur et les comptes de démonstration."

    def handle(self, *args, **options):
        self.stdout.write(texte_logins(settings.SITE_URL.rstrip("/") + "/"))
