from django.apps import AppConfig


class SeancesConfig(AppConfig):
    name = "seances"

    def ready(self):
        from seances.commentaires import inscrire_cibles
        from seances.panneaux import inscrire_panneau
        from seances.taches import inscrire_taches

        inscrire_cibles()
        inscrire_panneau()
        inscrire_taches()
