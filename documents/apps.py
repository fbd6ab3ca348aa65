from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"

    def ready(self):
        from documents.panneaux import inscrire_panneau
        from documents.taches import inscrire_taches

        inscrire_panneau()
        inscrire_taches()
