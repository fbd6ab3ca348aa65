from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = "Documents du schéma"

    def ready(self):
        from commun import taches
        from publication import taches as sources

        taches.inscrire(sources.taches)
