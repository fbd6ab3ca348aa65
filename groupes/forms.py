from django import forms
from django.core.exceptions import ValidationError

from commun.forms import Formulaire
from commun.tri import cle_francaise
from comptes.enums import Role, role_dans_groupe
from comptes.models import Habilitation, Utilisateur, cle_personne
from groupes.models import GroupeTravail, SousGroupe


def personnes_du_territoire(territoire) -> list:
    """Every user of the territory, deactivated ones included (a form names them in its message)."""
    return sorted(Utilisateur.objects.du_territoire(territoire).select_related("organisation"), key=cle_personne)


def options_par_organisation(personnes) -> list:
    """Select options grouped by organisation (EPCI first, then communes by name, then consultants)."""
    groupes: dict = {}
    for p in personnes:
        groupes.setdefault(p.organisation, []).append((p.pk, str(p)))

    def ordre(org):
        return (0, ()) if org is not None and org.est_epci else (2, ()) if org is None else (1, cle_francaise(org.nom))

    return [
        (org.nom if org else "Sans organisation (consultants)", options)
        for org, options in sorted(groupes.items(), key=lambda kv: ordre(kv[0]))
    ]


class PersonneField(forms.Field):
    """One person of the territory, chosen in a list (or none). Any user of the territory is accepted by
    this field, so that the form can say in French why she does not fit the role."""

    widget = forms.Select

    def __init__(self, *, personnes: dict, options: list, vide: str = "— à désigner —", **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.personnes = personnes
        self.widget.choices = [("", vide), *options]

    def prepare_value(self, value):
        return value.pk if isinstance(value, Utilisateur) else value

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.personnes[int(value)]
        except (ValueError, TypeError, KeyError):
            raise ValidationError("Choisissez une personne du territoire dans la liste.", code="invalid") from None


def _actif(personne):
    if personne is not None and not personne.is_active:
        raise ValidationError(f"Le compte de {personne} est désactivé : choisissez une autre personne.")
    return personne


class RepartitionForm(Formulaire):
    """The three cells of one group in the répartition des thématiques."""

    def __init__(self, *args, groupe: GroupeTravail, personnes: list, **kwargs):
        self.groupe = groupe
        territoire = groupe.schema.territoire
        self.territoire_id = territoire.pk
        self.consultants = set(
            Habilitation.objects.filter(territoire=territoire, role=Role.CONSULTANT).values_list(
                "utilisateur_id", flat=True
            )
        )
        self.epci = territoire.epci
        actuels = {
            role: groupe.participants(role) for role in (Role.COPILOTE_COMMUNE, Role.COPILOTE_EPCI, Role.CONSULTANT)
        }
        kwargs.setdefault("initial", {role.value: (people[0] if people else None) for role, people in actuels.items()})
        super().__init__(*args, **kwargs)
        par_pk = {p.pk: p for p in personnes}
        actifs = [p for p in personnes if p.is_active]
        eligibles = {
            Role.COPILOTE_COMMUNE: [p for p in actifs if self._de_commune(p)],
            Role.COPILOTE_EPCI: [p for p in actifs if self._de_l_epci(p)],
            Role.CONSULTANT: [p for p in actifs if p.pk in self.consultants],
        }
        for role, label in (
            (Role.COPILOTE_COMMUNE, "Co-pilote commune"),
            (Role.COPILOTE_EPCI, "Co-pilote EPCI"),
            (Role.CONSULTANT, "Consultant accompagnant"),
        ):
            proposes = eligibles[role] + [p for p in actuels[role] if p not in eligibles[role]]
            self.fields[role.value] = PersonneField(
                label=label, personnes=par_pk, options=options_par_organisation(proposes)
            )
        self.fields[Role.COPILOTE_COMMUNE].help_text = "Une personne d'une commune membre."
        self.fields[Role.COPILOTE_EPCI].help_text = f"Une personne de {self.epci}."
        self.fields[
            Role.CONSULTANT
        ].help_text = "Une personne qui a le rôle de consultant (à inviter depuis la page des comptes)."

    def _de_commune(self, p) -> bool:
        return (
            p.organisation is not None
            and p.organisation.territoire_id == self.territoire_id
            and not p.organisation.est_epci
        )

    def _de_l_epci(self, p) -> bool:
        return p.organisation_id is not None and p.organisation_id == self.epci.pk

    def _ou(self, p) -> str:
        return f"{p} appartient à {p.organisation.nom}" if p.organisation else f"{p} n'a pas d'organisation"

    def clean_copilote_commune(self):
        p = _actif(self.cleaned_data["copilote_commune"])
        if p is not None and not self._de_commune(p):
            raise ValidationError(f"Le co-pilote commune appartient à une commune membre ; {self._ou(p)}.")
        return p

    def clean_copilote_epci(self):
        p = _actif(self.cleaned_data["copilote_epci"])
        if p is not None and not self._de_l_epci(p):
            raise ValidationError(f"Le co-pilote EPCI appartient à {self.epci.nom} ; {self._ou(p)}.")
        return p

    def clean_consultant(self):
        p = _actif(self.cleaned_data["consultant"])
        if p is not None and p.pk not in self.consultants:
            raise ValidationError(
                f"{p} n'a pas le rôle de consultant : invitez la personne comme consultant "
                "(page « Comptes du territoire »), puis choisissez-la ici."
            )
        return p

    def titulaires(self) -> dict:
        """The roles the form sent: a role absent from the POST is left as it is (the select's empty
        choice, « à désigner », is what removes a holder)."""
        return {
            role: self.cleaned_data.get(role)
            for role in (Role.COPILOTE_COMMUNE, Role.COPILOTE_EPCI, Role.CONSULTANT)
            if role.value in self.data
        }


class PerimetreForm(Formulaire):
    perimetre = forms.CharField(
        label="Périmètre",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Les activités que le groupe étudie, ce qui en est exclu, les points d'attention. Repris dans la "
        "lettre de mission.",
    )


class MembreForm(Formulaire):
    """Add a member to a group: a person of the territory who holds no role in it yet."""

    def __init__(self, *args, groupe: GroupeTravail, personnes: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.groupe = groupe
        self.roles = {h.utilisateur_id: h.role for h in groupe.habilitations.all()}
        candidats = [p for p in personnes if p.is_active and p.pk not in self.roles]
        self.fields["utilisateur"] = PersonneField(
            label="Personne à ajouter",
            personnes={p.pk: p for p in personnes},
            required=True,
            options=options_par_organisation(candidats),
            vide="— choisir —",
            error_messages={"required": "Choisissez la personne à ajouter au groupe."},
        )

    def clean_utilisateur(self):
        p = _actif(self.cleaned_data["utilisateur"])
        if p.pk in self.roles:
            raise ValidationError(f"{p} participe déjà au groupe ({role_dans_groupe(self.roles[p.pk])}).")
        return p


class MembresChoix(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.libelle

    def _check_values(self, value):
        # An identifier out of the database's integer range is an invalid choice, not a server error.
        if any(not str(v).isascii() or not str(v).isdigit() or int(v) > 2**62 for v in value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super()._check_values(value)


class SousGroupeForm(Formulaire):
    nom = forms.CharField(label="Nom", max_length=200)
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que le sous-groupe étudie.",
    )

    def __init__(self, *args, groupe: GroupeTravail, sous_groupe: SousGroupe | None = None, **kwargs):
        if sous_groupe is not None:
            kwargs.setdefault(
                "initial",
                {
                    "nom": sous_groupe.nom,
                    "description": sous_groupe.description,
                    "membres": [m.pk for m in sous_groupe.membres.all()],
                },
            )
        super().__init__(*args, **kwargs)
        self.groupe, self.sous_groupe = groupe, sous_groupe
        self.fields["membres"] = MembresChoix(
            label="Membres",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            queryset=Utilisateur.objects.filter(pk__in=groupe.habilitations.values("utilisateur"))
            .select_related("organisation")
            .par_nom(),
            help_text="Parmi les participants du groupe : co-pilotes, consultant et membres.",
            error_messages={"invalid_choice": "Choisissez les membres parmi les participants du groupe."},
        )

    def clean_nom(self):
        nom = " ".join(self.cleaned_data["nom"].split())
        autres = self.groupe.sous_groupes.filter(nom__iexact=nom)
        if self.sous_groupe is not None:
            autres = autres.exclude(pk=self.sous_groupe.pk)
        if autres.exists():
            raise ValidationError(f"Le groupe a déjà un sous-groupe « {nom} » : choisissez un autre nom.")
        return nom
