import unicodedata

from django import forms
from django.core.exceptions import ValidationError

from commun.forms import Formulaire, FormulaireConnexion, FormulaireOubli, une_ligne
from commun.tri import cle_francaise, ordonne
from comptes import limitation
from comptes.enums import ROLES_DANS_GROUPE, ROLES_TERRITOIRE, Role
from comptes.models import Habilitation, Utilisateur


class ConnexionForm(FormulaireConnexion):
    username = forms.CharField(
        label="Identifiant ou adresse électronique",
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="Mot de passe", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect. Les deux champs tiennent compte des majuscules.",
        "inactive": "Ce compte est désactivé.",
    }
    bloque = False

    def clean(self):
        """Refuse every attempt while the login or the address is blocked (comptes/limitation.py)."""
        login = self.cleaned_data.get("username")
        ip = limitation.adresse_client(self.request) if self.request else None
        fin = limitation.bloque_jusqu_a(login, ip)
        if fin is not None:
            self.bloque = True
            raise ValidationError(limitation.message_blocage(fin), code="trop_de_tentatives")
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            if getattr(exc, "code", None) == "invalid_login":
                fin = limitation.enregistrer_echec(login, ip)
                if fin is not None:
                    self.bloque = True
                    raise ValidationError(limitation.message_blocage(fin), code="trop_de_tentatives") from exc
            raise
        limitation.enregistrer_reussite(login)
        return cleaned


class MotDePasseOublieForm(FormulaireOubli):
    """Django's form, which also answers an invited person who has not chosen a password yet (her
    invitation link may have expired): Django skips accounts without a usable password."""

    def get_users(self, email):
        # Django's guard against look-alike addresses that a case-insensitive database match lets through.
        def meme(a, b):
            return unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()

        return (u for u in Utilisateur.objects.filter(email__iexact=email, is_active=True) if meme(email, u.email))

    def save(self, *args, request=None, **kwargs):
        """Send the e-mail only within the limits of comptes/limitation.py; the page answers the same."""
        adresse = limitation.adresse_client(request) if request is not None else None
        if limitation.demande_permise(self.cleaned_data["email"], adresse):
            super().save(*args, request=request, **kwargs)


# --- The territory's accounts -------------------------------------------------------------------------

CHOIX_ROLE_GROUPE = [("", "Aucun rôle"), *((role.value, label) for role, label in ROLES_DANS_GROUPE.items())]


class RolesForm(Formulaire):
    """Name, organisation, roles in the territory and one role per working group: the shared part of the
    invitation and of the edit form. The rules are those of docs/domaine.md §1: everyone belongs to one
    organisation of the territory except consultants; the project team is the EPCI's; a co-pilote
    commune belongs to a commune and a co-pilote EPCI to the EPCI."""

    prenom = forms.CharField(label="Prénom", max_length=150, validators=[une_ligne])
    nom = forms.CharField(label="Nom", max_length=150, validators=[une_ligne])
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=None,
        required=False,
        empty_label="Aucune (consultant)",
        help_text="L'EPCI ou la commune de la personne. Seuls les consultants n'en ont pas.",
    )
    roles = forms.MultipleChoiceField(
        label="Rôles dans le territoire",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in ROLES_TERRITOIRE],
    )

    exige_un_role = True

    def __init__(self, *args, territoire, groupes, utilisateur=None, **kwargs):
        self.territoire, self.groupes, self.utilisateur = territoire, list(groupes), utilisateur
        super().__init__(*args, **kwargs)
        self.epci = next((o for o in self.organisations if o.est_epci), None)
        self.fields["organisation"].queryset = ordonne(  # the EPCI, then the communes by name
            territoire.organisations.filter(membre=True), lambda o: (not o.est_epci, cle_francaise(o.nom))
        )
        for groupe in self.groupes:
            self.fields[self.nom_champ(groupe)] = forms.ChoiceField(
                label=groupe.libelle,
                required=False,
                choices=CHOIX_ROLE_GROUPE,
            )

    @property
    def organisations(self):
        if not hasattr(self, "_organisations"):
            self._organisations = list(self.territoire.organisations.all())
        return self._organisations

    @staticmethod
    def nom_champ(groupe) -> str:
        return f"groupe_{groupe.theme}"

    def champs_groupes(self):
        """(group, bound field) of each working group, for the table of the template."""
        return [(g, self[self.nom_champ(g)]) for g in self.groupes]

    def organisation_effective(self):
        return self.cleaned_data.get("organisation")

    def roles_territoire(self) -> set[str]:
        roles = set(self.cleaned_data.get("roles") or [])
        if Role.CONSULTANT in self.roles_groupes().values():
            roles.add(Role.CONSULTANT)  # accompanying a group is the consultant's role in the territory
        return roles

    def roles_groupes(self) -> dict:
        return {g: self.cleaned_data.get(self.nom_champ(g)) or "" for g in self.groupes}

    def clean(self):
        cleaned = super().clean()
        if "organisation" in self.errors:
            return cleaned
        org = self.organisation_effective()
        # An account of another territory's organisation: the subclasses say what to do about it.
        externe = org is not None and org.territoire_id != self.territoire.pk
        de_l_epci = org is not None and not externe and org.est_epci
        d_une_commune = org is not None and not externe and not org.est_epci
        roles = self.roles_territoire()
        par_groupe = self.roles_groupes()
        if self.exige_un_role and not roles and not any(par_groupe.values()):
            self.add_error(None, "Choisissez au moins un rôle, dans le territoire ou dans un groupe de travail.")
        if (roles or any(par_groupe.values())) and not externe:
            if org is None and Role.CONSULTANT not in roles:
                self.add_error(
                    "organisation", "Choisissez l'organisation de la personne : seuls les consultants n'en ont pas."
                )
            if org is not None and Role.CONSULTANT in roles:
                self.add_error(
                    "organisation",
                    "Un consultant n'appartient à aucune organisation : choisissez "
                    "« Aucune (consultant) », ou retirez le rôle de consultant.",
                )
        if Role.EQUIPE_PROJET in roles and not de_l_epci:
            self.add_error(
                "roles",
                f"L'équipe projet est celle de l'EPCI : choisissez {self.epci} comme organisation, ou retirez ce rôle.",
            )
        for groupe, role in par_groupe.items():
            if role == Role.COPILOTE_COMMUNE and not d_une_commune:
                self.add_error(
                    self.nom_champ(groupe),
                    "Un co-pilote commune appartient à une commune : choisissez "
                    "une commune comme organisation, ou un autre rôle.",
                )
            if role == Role.COPILOTE_EPCI and not de_l_epci:
                self.add_error(
                    self.nom_champ(groupe),
                    f"Un co-pilote EPCI appartient à {self.epci} : choisissez-la comme organisation, ou un autre rôle.",
                )
        return cleaned


class InvitationForm(RolesForm):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=150,
        help_text="Elle reçoit le lien pour choisir son mot de passe ; c'est aussi son identifiant de connexion.",
    )

    field_order = ["prenom", "nom", "email", "organisation", "roles"]
    existant = None

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.existant = Utilisateur.objects.select_related("organisation").filter(email__iexact=email).first()
        return email

    def organisation_effective(self):
        if self.existant is not None and self.existant.organisation_id is not None:
            return self.existant.organisation
        return super().organisation_effective()

    def clean(self):
        cleaned = super().clean()
        existant = self.existant
        if existant is not None and "organisation" not in self.errors:
            if existant.organisation_id is not None and existant.organisation.territoire_id != self.territoire.pk:
                self.add_error(
                    "email",
                    "Cette adresse est celle d'un compte rattaché à une organisation d'un autre "
                    "territoire : il ne peut pas recevoir de rôle ici.",
                )
            elif existant.organisation != cleaned.get("organisation"):
                actuelle = existant.organisation.nom if existant.organisation else "aucune (consultant)"
                self.add_error(
                    "organisation",
                    f"Cette adresse est celle du compte existant de {existant}, dont "
                    f"l'organisation est {actuelle} : gardez-la (l'invitation ajoute des "
                    "rôles au compte), ou changez-la depuis la page du compte.",
                )
        return cleaned


class CompteForm(RolesForm):
    """A user's name, organisation and roles, edited by the project team (the roles replace hers)."""

    exige_un_role = False

    def __init__(self, *args, utilisateur, **kwargs):
        super().__init__(*args, utilisateur=utilisateur, **kwargs)
        org = utilisateur.organisation
        # An organisation of another territory is not this project team's to change.
        self.org_externe = org is not None and org.territoire_id != self.territoire.pk
        if self.org_externe:
            del self.fields["organisation"]

    def organisation_effective(self):
        if self.org_externe:
            return self.utilisateur.organisation
        return super().organisation_effective()

    def clean(self):
        cleaned = super().clean()
        user = self.utilisateur
        if Role.EQUIPE_PROJET not in self.roles_territoire():
            autres = Habilitation.objects.filter(
                territoire=self.territoire, role=Role.EQUIPE_PROJET, utilisateur__is_active=True
            ).exclude(utilisateur=user)
            if (
                user.habilitations.filter(territoire=self.territoire, role=Role.EQUIPE_PROJET).exists()
                and not autres.exists()
            ):
                self.add_error(
                    "roles",
                    "Le territoire doit garder au moins une personne dans l'équipe projet : "
                    "invitez-en une autre avant de retirer ce rôle.",
                )
        return cleaned


class ReferentPaieForm(Formulaire):
    """Designate (or take back) a payroll referent among the people of the DGS's organisation."""

    utilisateur = forms.ModelChoiceField(
        label="personne",
        queryset=Utilisateur.objects.none(),
        error_messages={"invalid_choice": "Cette personne n'est pas de votre organisation dans ce territoire."},
    )
    designe = forms.BooleanField(label="référent paie", required=False)

    def __init__(self, *args, territoire, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["utilisateur"].queryset = Utilisateur.objects.du_territoire(territoire).filter(
            organisation=organisation
        )
