from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from comptes.enums import Role
from comptes.models import Habilitation, Utilisateur
from territoire.models import Evenement


def lien_mot_de_passe(user) -> str:
    """An absolute link where the user sets her password (Django's reset token: single use, expiring)."""
    path = reverse(
        "comptes:password_reset_confirm",
        kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)},
    )
    return settings.SITE_URL.rstrip("/") + path


@transaction.atomic
def do_creer_equipe_projet(territoire, email: str, auteur=None) -> Utilisateur:
    """The first account of a real instance: a member of the territory's project team."""
    email = email.strip().lower()
    user = Utilisateur.objects.filter(email__iexact=email).first()
    if user is None:
        user = Utilisateur(username=email, email=email, organisation=territoire.epci)
        user.set_unusable_password()
        user.save()
    Habilitation.objects.get_or_create(
        utilisateur=user, territoire=territoire, role=Role.EQUIPE_PROJET, organisation=territoire.epci, groupe=None
    )
    Evenement.objects.create(territoire=territoire, utilisateur=auteur, action="comptes.equipe_projet",
                             objet=email)
    return user
