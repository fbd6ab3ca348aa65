from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    name = "parcours"
    verbose_name = "Parcours légal du schéma"

    def ready(self):
        from commun import taches
        from parcours import taches as sources
        from parcours.commentaires import inscrire_cibles

        inscrire_cibles()

        taches.inscrire(sources.taches)
