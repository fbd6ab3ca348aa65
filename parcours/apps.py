from django.apps import AppConfig


class ParcoursConfig(AppConfig):
    name = "parcours"
    verbose_name = "Parcours légal du schéma"

    def ready(self):
        from commun import taches
        from parcours import taches as sources

        taches.inscrire(sources.avis_attendus)
        taches.inscrire(sources.receptions_a_enregistrer)
        taches.inscrire(sources.approbation_possible)
