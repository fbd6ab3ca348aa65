from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from commun.commandes import Commande, SortieInvalide
from comptes.actions import do_creer_equipe_projet, lien_mot_de_passe
from territoire.models import Territoire


class Command(Commande):
    help = (
        "Crée le premier compte d'une instance réelle : un membre de l'équipe projet du territoire, "
        "et affiche le lien où il choisit son mot de passe."
    )

    def add_arguments(self, parser):
        parser.add_argument("--siren", required=True, help="SIREN de l'EPCI du territoire")
        parser.add_argument("--email", required=True, help="adresse électronique du membre de l'équipe projet")

    def handle(self, *args, **options):
        territoire = Territoire.objects.filter(code=options["siren"].strip()).first()
        if territoire is None:
            raise SortieInvalide([f"fichier : aucun territoire de SIREN « {options['siren']} » dans la base"])
        try:
            validate_email(options["email"].strip())
        except ValidationError as exc:
            raise SortieInvalide([f"option --email : adresse « {options['email']} » invalide"]) from exc
        user = do_creer_equipe_projet(territoire, options["email"])
        self.stdout.write(f"Compte de l'équipe projet de {territoire.nom} : {user.email}")
        self.stdout.write(f"Lien pour choisir le mot de passe (valable 3 jours) : {lien_mot_de_passe(user)}")
