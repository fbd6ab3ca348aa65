from django.contrib.auth.models import AbstractUser


class Utilisateur(AbstractUser):
    pass
