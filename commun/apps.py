from django.apps import AppConfig


class CommunConfig(AppConfig):
    """An app only so that Django finds the template filters (commun/templatetags)."""

    name = "commun"
