"""Accounts and scoped memberships (habilitations): a user × a territory × a role, optionally within
an organisation or a working group. Who may do what is decided in comptes/perms.py only."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from comptes.enums import ROLES_DE_GROUPE, Role


class Utilisateur(AbstractUser):
    organisation = models.ForeignKey(
        "territoire.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="utilisateurs",
        verbose_name="organisation",
        help_text="L'EPCI ou la commune de l'utilisateur ; vide pour un consultant.",
    )

    class Meta:
        verbose_name = "utilisateur"

    def __str__(self):
        return self.get_full_name() or self.username


class Habilitation(models.Model):
    utilisateur = models.ForeignKey(Utilisateur, on_delete=models.CASCADE, related_name="habilitations")
    territoire = models.ForeignKey("territoire.Territoire", on_delete=models.CASCADE, related_name="habilitations")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "territoire.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="habilitations"
    )
    groupe = models.ForeignKey(
        "groupes.GroupeTravail", on_delete=models.CASCADE, null=True, blank=True, related_name="habilitations"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.UniqueConstraint(
                fields=["utilisateur", "territoire", "role", "organisation", "groupe"], name="habilitation_unique"
            ),
        ]

    def __str__(self):
        return f"{self.utilisateur} – {self.get_role_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role in ROLES_DE_GROUPE and self.groupe_id is None:
            raise ValidationError("Ce rôle s'exerce dans un groupe de travail : choisissez le groupe.")
