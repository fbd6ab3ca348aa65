from django.apps import AppConfig


class LivrablesConfig(AppConfig):
    name = "livrables"

    def ready(self):
        from livrables.circuit.panneaux import inscrire_panneau
        from livrables.commentaires import inscrire_cibles
        from livrables.taches import inscrire_taches

        inscrire_cibles()
        inscrire_panneau()
        inscrire_taches()
