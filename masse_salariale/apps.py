from django.apps import AppConfig


class MasseSalarialeConfig(AppConfig):
    name = "masse_salariale"

    def ready(self):
        from masse_salariale.taches import inscrire_taches

        inscrire_taches()
