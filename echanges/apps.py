from django.apps import AppConfig


class EchangesConfig(AppConfig):
    name = "echanges"

    def ready(self):
        from echanges.attentes import brancher

        brancher()
