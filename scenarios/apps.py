from django.apps import AppConfig


class ScenariosConfig(AppConfig):
    name = "scenarios"

    def ready(self):
        from scenarios.commentaires import inscrire_cibles

        inscrire_cibles()
