from django.apps import AppConfig


class SuiviConfig(AppConfig):
    name = "suivi"
    verbose_name = "Suivi du schéma approuvé"

    def ready(self):
        from commun import taches
        from suivi import taches as sources

        taches.inscrire(sources.taches)
