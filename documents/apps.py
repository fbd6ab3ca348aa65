from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "documents"

    def ready(self):
        from documents.panneaux import inscrire_panneau

        inscrire_panneau()
