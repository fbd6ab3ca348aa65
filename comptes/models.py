"""Accounts and scoped memberships (habilitations): a user × a territory × a role, optionally within
an organisation or a working group. Who may do what is decided in comptes/perms.py only."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower

from commun.tri import cle_francaise, ordonne
from comptes.enums import ROLES_DE_GROUPE, Role, libelle_role, role_dans_groupe


class UtilisateurQuerySet(models.QuerySet):
    def du_territoire(self, territoire):
        """The users of a territory: a role in it, or an organisation of it (even with no role left)."""
        return self.filter(
            models.Q(pk__in=Habilitation.objects.filter(territoire=territoire).values("utilisateur"))
            | models.Q(organisation__territoire=territoire)
        )

    def par_nom(self):
        """The users in French alphabetical order (`cle_personne`), still a QuerySet: for form choices."""
        return ordonne(self, cle_personne)


def cle_personne(personne) -> tuple:
    """Where a person stands in a list: last name, first name, then login, in French order (commun.tri)."""
    return cle_francaise(personne.last_name), cle_francaise(personne.first_name), personne.username


class UtilisateurManager(UserManager.from_queryset(UtilisateurQuerySet)):
    pass


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

    objects = UtilisateurManager()

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            # One account per address: the login form accepts the e-mail, and an invitation of a known
            # address adds roles to the existing account.
            models.UniqueConstraint(Lower("email"), condition=~models.Q(email=""), name="utilisateur_email_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def invitation_en_attente(self) -> bool:
        """Invited, and has not chosen a password yet."""
        return self.is_active and not self.has_usable_password()

    @property
    def libelle(self) -> str:
        """« Name (organisation) », as the répartition and the group pages show a person."""
        return f"{self} ({self.organisation.nom})" if self.organisation_id else f"{self} (consultant)"


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

    @property
    def libelle(self) -> str:
        return libelle_role(self.role, self.groupe)

    @property
    def libelle_dans_groupe(self) -> str:
        return role_dans_groupe(self.role)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.role in ROLES_DE_GROUPE and self.groupe_id is None:
            raise ValidationError("Ce rôle s'exerce dans un groupe de travail : choisissez le groupe.")
