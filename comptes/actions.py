"""Writes on accounts and roles, each in one transaction with its line in the territory's journal
(territoire.models.Evenement). The demo loader and the command line call the same functions."""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from commun.erreurs import ActionRefusee
from commun.tri import cle_francaise
from comptes import courriels
from comptes.enums import ROLES_REPARTITION, Role, libelle_role
from comptes.models import Habilitation, Utilisateur
from territoire.models import Evenement


def lien_mot_de_passe(user) -> str:
    """An absolute link where the user sets her password (Django's reset token: single use, expiring)."""
    path = reverse(
        "comptes:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
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
    Evenement.objects.create(territoire=territoire, utilisateur=auteur, action="comptes.equipe_projet", objet=email)
    return user


# --- Roles ----------------------------------------------------------------------------------------------


@dataclass
class Changements:
    """What a change of roles did, in French, for the journal and the page's message."""

    ajoutes: list[str] = field(default_factory=list)
    retires: list[str] = field(default_factory=list)
    remplaces: list[str] = field(default_factory=list)  # other people who lost a cell of the répartition

    def details(self) -> dict:
        return {
            k: v for k, v in (("ajoutes", self.ajoutes), ("retires", self.retires), ("remplaces", self.remplaces)) if v
        }

    def __bool__(self):
        return bool(self.ajoutes or self.retires or self.remplaces)


def _organisation_dans(territoire, user):
    org = user.organisation
    return org if org is not None and org.territoire_id == territoire.pk else None


def poser_roles(territoire, user, roles_territoire, roles_groupes: dict, *, remplacer: bool) -> Changements:
    """Give `user` these roles in the territory; `roles_groupes` maps a working group to one role ("" for
    none). With `remplacer` (the edit form) her roles become exactly these, in the territory and in the
    groups given; without (an invitation), they are added, a group role replacing her role in that group.

    One person per group holds each cell of the répartition (co-pilote commune, co-pilote EPCI,
    consultant): giving one to `user` takes it from its previous holder. Sub-groups are then pruned of
    whoever no longer holds a role in their group. Call inside a transaction."""
    roles_territoire = set(roles_territoire)
    if Role.CONSULTANT in roles_groupes.values():
        roles_territoire.add(Role.CONSULTANT)
    org = _organisation_dans(territoire, user)
    actuelles = list(Habilitation.objects.filter(utilisateur=user, territoire=territoire).select_related("groupe"))
    voulues: set[tuple[str, int | None]] = set()
    geres = {g.pk: g for g in roles_groupes}
    if remplacer:
        voulues |= {(r, None) for r in roles_territoire}
        voulues |= {(role, g.pk) for g, role in roles_groupes.items() if role}
        # Roles in groups the form did not show (an earlier schéma) are kept.
        voulues |= {(h.role, h.groupe_id) for h in actuelles if h.groupe_id is not None and h.groupe_id not in geres}
    else:
        voulues |= {(h.role, h.groupe_id) for h in actuelles}
        voulues |= {(r, None) for r in roles_territoire}
        for g, role in roles_groupes.items():
            if role:
                voulues = {(r, gid) for r, gid in voulues if gid != g.pk} | {(role, g.pk)}

    changements = Changements()
    a_retirer = [h for h in actuelles if (h.role, h.groupe_id) not in voulues]
    presentes = {(h.role, h.groupe_id) for h in actuelles}
    for h in a_retirer:
        changements.retires.append(h.libelle)
        h.delete()
    groupes = {h.groupe_id: h.groupe for h in actuelles if h.groupe_id} | geres
    for role, gid in sorted(voulues - presentes, key=lambda rg: (rg[1] or 0, rg[0])):
        groupe = groupes.get(gid)
        if groupe is not None and role in ROLES_REPARTITION:
            for autre in (
                Habilitation.objects.filter(groupe=groupe, role=role)
                .exclude(utilisateur=user)
                .select_related("utilisateur")
            ):
                changements.remplaces.append(f"{autre.utilisateur} ({libelle_role(role, groupe)})")
                autre.delete()
        Habilitation.objects.create(utilisateur=user, territoire=territoire, role=role, organisation=org, groupe=groupe)
        changements.ajoutes.append(libelle_role(role, groupe))
    # The habilitations follow the user's organisation (a DGS is the DGS of her organisation).
    Habilitation.objects.filter(utilisateur=user, territoire=territoire).exclude(organisation=org).update(
        organisation=org
    )
    # The groups where someone lost a role (her, or a previous holder of a cell she now holds).
    for gid in {gid for _, gid in voulues ^ presentes if gid}:
        groupes[gid].elaguer_sous_groupes()
    return changements


def reste_une_equipe_projet(territoire, sans) -> bool:
    """Does the territory keep an active member of its project team without `sans`?"""
    return (
        Habilitation.objects.filter(territoire=territoire, role=Role.EQUIPE_PROJET, utilisateur__is_active=True)
        .exclude(utilisateur=sans)
        .exists()
    )


def libelles_roles(territoire, user) -> list[str]:
    habilitations = Habilitation.objects.filter(utilisateur=user, territoire=territoire).select_related("groupe")
    return sorted((h.libelle for h in habilitations), key=cle_francaise)


# --- Invitations ----------------------------------------------------------------------------------------


@dataclass
class Invitation:
    utilisateur: Utilisateur
    cree: bool  # a new account (otherwise roles added to an existing one)
    reactive: bool
    changements: Changements
    courriel_envoye: bool = False


def _nom_utilisateur_libre(email: str) -> str:
    """The login of an invited person is her address; the rare clash gets a number."""
    base, n = email[:150], 1
    candidat = base
    while Utilisateur.objects.filter(username__iexact=candidat).exists():
        n += 1
        candidat = f"{base[:145]}-{n}"
    return candidat


def do_inviter(
    territoire,
    *,
    email: str,
    prenom: str,
    nom: str,
    organisation,
    roles_territoire,
    roles_groupes: dict,
    auteur,
    envoyer: bool = True,
) -> Invitation:
    """Create the account of `email` (unusable password) with these roles, or add the roles to the existing
    account of that address; then e-mail her the link where she chooses her password (or, when she has one,
    a notice of her new roles). The e-mail is sent after the transaction: a mail server error leaves the
    account and its journal line, and raises (the page offers to send the invitation again)."""
    email = email.strip().lower()
    with transaction.atomic():
        user = Utilisateur.objects.select_for_update().filter(email__iexact=email).first()
        cree = user is None
        reactive = False
        if cree:
            user = Utilisateur(
                username=_nom_utilisateur_libre(email),
                email=email,
                first_name=prenom.strip(),
                last_name=nom.strip(),
                organisation=organisation,
            )
            user.set_unusable_password()
            user.save()
        elif not user.is_active:
            if user.habilitations.exclude(territoire=territoire).exists():
                # Deactivation is global: only the territory that holds her other roles may lift it.
                raise ActionRefusee(
                    [
                        f"email : le compte {email} est désactivé et a des rôles dans un autre "
                        "territoire : seule l'équipe projet de ce territoire peut le réactiver"
                    ]
                )
            user.is_active = reactive = True
            user.save(update_fields=["is_active"])
        changements = poser_roles(territoire, user, roles_territoire, roles_groupes, remplacer=False)
        Evenement.objects.create(
            territoire=territoire,
            utilisateur=auteur,
            action="comptes.invitation" if cree else "comptes.ajout_roles",
            objet=f"{user} <{email}>"[:200],
            details={"compte": user.pk, **changements.details(), "compte_existant": not cree, "reactive": reactive},
        )
    invitation = Invitation(user, cree, reactive, changements)
    if envoyer:
        envoyer_invitation(territoire, user, auteur, nouveau=cree)
        invitation.courriel_envoye = True
    return invitation


def envoyer_invitation(territoire, user, auteur, *, nouveau: bool) -> None:
    """The e-mail of an invitation: a link to choose her password while she has none, and her roles. Queued
    (comptes/courriels.py): a failing mail server neither fails the invitation nor loses the e-mail."""
    contexte = {
        "utilisateur": user,
        "territoire": territoire,
        "auteur": auteur,
        "nouveau": nouveau,
        "roles": libelles_roles(territoire, user),
        "lien": lien_mot_de_passe(user) if not user.has_usable_password() else "",
        "validite_jours": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        "connexion": settings.SITE_URL.rstrip("/") + reverse("comptes:login"),
    }
    sujet = render_to_string("comptes/email_invitation_sujet.txt", contexte).strip()
    corps = render_to_string("comptes/email_invitation.txt", contexte)
    message = EmailMessage(sujet, corps, None, [user.email])
    courriels.envoyer([message], quoi="courriel d'invitation", territoire=territoire)


def do_renvoyer_invitation(territoire, user, auteur) -> None:
    """A new link for an invited person who has not chosen her password yet (the old one may have expired)."""
    if not user.invitation_en_attente:
        raise ActionRefusee(
            [
                f"{user} a déjà choisi son mot de passe (ou son compte est désactivé) : pour "
                "un oubli, « Mot de passe oublié ? » sur la page de connexion."
            ]
        )
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=auteur,
        action="comptes.relance",
        objet=f"{user} <{user.email}>"[:200],
        details={"compte": user.pk},
    )
    envoyer_invitation(territoire, user, auteur, nouveau=True)


# --- Edit, deactivate -----------------------------------------------------------------------------------


@transaction.atomic
def do_modifier_compte(
    territoire,
    user,
    *,
    prenom: str,
    nom: str,
    organisation,
    roles_territoire,
    roles_groupes: dict,
    auteur,
    changer_organisation: bool = True,
) -> Changements:
    """The project team changes a user's name, organisation and roles in the territory (hers become
    exactly these). The organisation of a user of another territory is left as it is."""
    avant = {
        "prenom": user.first_name,
        "nom": user.last_name,
        "organisation": user.organisation.nom if user.organisation else None,
    }
    user.first_name, user.last_name = prenom.strip(), nom.strip()
    champs = ["first_name", "last_name"]
    if changer_organisation:
        user.organisation = organisation
        champs.append("organisation")
    user.save(update_fields=champs)
    changements = poser_roles(territoire, user, roles_territoire, roles_groupes, remplacer=True)
    apres = {
        "prenom": user.first_name,
        "nom": user.last_name,
        "organisation": user.organisation.nom if user.organisation else None,
    }
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=auteur,
        action="comptes.modification",
        objet=f"{user} <{user.email}>"[:200],
        details={
            "compte": user.pk,
            **changements.details(),
            **({"avant": avant, "apres": apres} if avant != apres else {}),
        },
    )
    return changements


@transaction.atomic
def do_desactiver(territoire, user, auteur) -> None:
    """Close the account: she can no longer log in; her roles and everything she did are kept (the journal
    and the documents name their author), and the account can be reactivated. Never a deletion."""
    erreurs = []
    if user.pk == getattr(auteur, "pk", None):
        erreurs.append("Vous ne pouvez pas désactiver votre propre compte.")
    elif user.habilitations.exclude(territoire=territoire).exists():
        erreurs.append(
            f"{user} a aussi des rôles dans un autre territoire : retirez-lui plutôt ses rôles ici "
            "(page du compte), son compte reste actif ailleurs."
        )
    elif (
        not reste_une_equipe_projet(territoire, user)
        and user.habilitations.filter(territoire=territoire, role=Role.EQUIPE_PROJET).exists()
    ):
        erreurs.append("Le territoire doit garder au moins une personne active dans l'équipe projet.")
    if erreurs:
        raise ActionRefusee(erreurs)
    if not user.is_active:
        return
    user.is_active = False
    user.save(update_fields=["is_active"])
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=auteur,
        action="comptes.desactivation",
        objet=f"{user} <{user.email}>"[:200],
        details={"compte": user.pk, "roles": libelles_roles(territoire, user)},
    )


@transaction.atomic
def do_reactiver(territoire, user, auteur) -> None:
    if user.is_active:
        return
    user.is_active = True
    user.save(update_fields=["is_active"])
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=auteur,
        action="comptes.reactivation",
        objet=f"{user} <{user.email}>"[:200],
        details={"compte": user.pk},
    )


@transaction.atomic
def do_designer_referent_paie(territoire, organisation, user, designe: bool, auteur) -> bool:
    """Give or take back the role « référent paie » of `organisation` (docs/confidentialite.md): the person
    then reads that organisation's payroll amounts as its DGS does. Only for an active account of that
    organisation in the territory. Returns whether anything changed."""
    if user.organisation_id != organisation.pk or not user.habilitations.filter(territoire=territoire).exists():
        raise ActionRefusee([f"{user} n'est pas une personne de {organisation.nom} dans ce territoire."])
    if not user.is_active:
        raise ActionRefusee([f"Le compte de {user} est désactivé : réactivez-le d'abord."])
    role = Habilitation.objects.filter(territoire=territoire, utilisateur=user, role=Role.REFERENT_PAIE, groupe=None)
    if designe == role.exists():
        return False
    if designe:
        Habilitation.objects.create(
            territoire=territoire, utilisateur=user, role=Role.REFERENT_PAIE, organisation=organisation, groupe=None
        )
    else:
        role.delete()
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=auteur,
        action="comptes.referent_paie",
        objet=f"{user} <{user.email}>"[:200],
        details={"compte": user.pk, "organisation": organisation.code, "designe": designe},
    )
    return True
