"""Writes on the working groups, each in one transaction with its line in the territory's journal: the
répartition (co-pilots and consultant), the périmètre, the members and the sub-groups."""

from django.db import transaction

from commun.erreurs import ActionRefusee
from commun.tri import cle_francaise
from comptes.actions import poser_roles
from comptes.enums import ROLES_DANS_GROUPE, ROLES_REPARTITION, Role, role_dans_groupe
from comptes.models import Habilitation
from engine.themes import THEMES
from groupes.models import GroupeTravail, SousGroupe
from territoire.models import Evenement


def _journal(groupe, auteur, action, objet="", **details):
    Evenement.objects.create(
        territoire=groupe.schema.territoire,
        utilisateur=auteur,
        action=action,
        objet=(objet or groupe.libelle)[:200],
        details={"groupe": groupe.theme, **details},
    )


@transaction.atomic
def do_creer_groupes(schema) -> list[GroupeTravail]:
    """The nine working groups of a schéma (one per theme), created once."""
    return [GroupeTravail.objects.get_or_create(schema=schema, theme=theme.code)[0] for theme in THEMES]


def do_repartir(groupe: GroupeTravail, titulaires: dict, auteur) -> list[str]:
    """Set the co-pilote commune, co-pilote EPCI and consultant of a group (`titulaires`: role → user or
    None for « à désigner »). A new holder's other role in the group (a member promoted) gives way; a
    previous holder loses this role only. The forms check who fits which role. Returns the changes."""
    territoire = groupe.schema.territoire
    changements: list[str] = []
    for role in ROLES_REPARTITION:
        if role not in titulaires:
            continue
        nouveau = titulaires[role]
        avant = list(Habilitation.objects.filter(groupe=groupe, role=role).select_related("utilisateur"))
        if nouveau is None:
            for h in avant:
                h.delete()
                changements.append(f"{h.utilisateur} n'est plus {role_dans_groupe(role)}")
        elif [h.utilisateur_id for h in avant] != [nouveau.pk]:
            poser_roles(territoire, nouveau, set(), {groupe: role}, remplacer=False)
            changements.append(
                f"{ROLES_DANS_GROUPE[role]} : {nouveau}"
                + (f" (à la place de {', '.join(str(h.utilisateur) for h in avant)})" if avant else "")
            )
    if changements:
        groupe.elaguer_sous_groupes()
        _journal(groupe, auteur, "groupes.repartition", changements=changements)
    return changements


@transaction.atomic
def do_modifier_perimetre(groupe: GroupeTravail, texte: str, auteur) -> None:
    avant = groupe.perimetre
    if texte == avant:
        return
    groupe.perimetre = texte
    groupe.save(update_fields=["perimetre"])
    _journal(groupe, auteur, "groupes.perimetre", avant=avant[:5000])


@transaction.atomic
def do_ajouter_membre(groupe: GroupeTravail, utilisateur, auteur) -> None:
    existant = Habilitation.objects.filter(groupe=groupe, utilisateur=utilisateur).first()
    if existant is not None:
        raise ActionRefusee([f"{utilisateur} participe déjà au groupe ({existant.libelle})."])
    org = utilisateur.organisation
    Habilitation.objects.create(
        utilisateur=utilisateur,
        territoire=groupe.schema.territoire,
        role=Role.MEMBRE,
        groupe=groupe,
        organisation=org if org is not None and org.territoire_id == groupe.schema.territoire_id else None,
    )
    _journal(groupe, auteur, "groupes.membre_ajout", objet=f"{utilisateur} – {groupe.libelle}", compte=utilisateur.pk)


@transaction.atomic
def do_retirer_membre(groupe: GroupeTravail, utilisateur, auteur) -> None:
    """Take a member out of the group and of its sub-groups (her other roles stay)."""
    deleted, _ = Habilitation.objects.filter(groupe=groupe, utilisateur=utilisateur, role=Role.MEMBRE).delete()
    if not deleted:
        raise ActionRefusee([f"{utilisateur} n'est pas membre du groupe."])
    groupe.elaguer_sous_groupes()
    _journal(groupe, auteur, "groupes.membre_retrait", objet=f"{utilisateur} – {groupe.libelle}", compte=utilisateur.pk)


def _verifier_membres(groupe, membres) -> list:
    membres = list(membres)
    participants = set(groupe.habilitations.values_list("utilisateur_id", flat=True))
    dehors = [str(m) for m in membres if m.pk not in participants]
    if dehors:
        raise ActionRefusee([f"{', '.join(dehors)} : ne participe pas au groupe {groupe.libelle}."])
    return membres


@transaction.atomic
def do_creer_sous_groupe(groupe: GroupeTravail, *, nom: str, description: str = "", membres=(), auteur) -> SousGroupe:
    membres = _verifier_membres(groupe, membres)
    sous_groupe = SousGroupe.objects.create(groupe=groupe, nom=nom, description=description)
    sous_groupe.membres.set(membres)
    _journal(
        groupe,
        auteur,
        "groupes.sous_groupe_creation",
        objet=f"{nom} – {groupe.libelle}",
        membres=[str(m) for m in membres],
    )
    return sous_groupe


@transaction.atomic
def do_modifier_sous_groupe(sous_groupe: SousGroupe, *, nom: str, description: str, membres, auteur) -> None:
    groupe = sous_groupe.groupe
    membres = _verifier_membres(groupe, membres)
    avant = {"nom": sous_groupe.nom, "membres": sorted((str(m) for m in sous_groupe.membres.all()), key=cle_francaise)}
    sous_groupe.nom, sous_groupe.description = nom, description
    sous_groupe.save(update_fields=["nom", "description"])
    sous_groupe.membres.set(membres)
    _journal(
        groupe,
        auteur,
        "groupes.sous_groupe_modification",
        objet=f"{nom} – {groupe.libelle}",
        avant=avant,
        membres=sorted((str(m) for m in membres), key=cle_francaise),
    )


@transaction.atomic
def do_supprimer_sous_groupe(sous_groupe: SousGroupe, auteur) -> None:
    groupe = sous_groupe.groupe
    membres = sorted((str(m) for m in sous_groupe.membres.all()), key=cle_francaise)
    nom = sous_groupe.nom
    sous_groupe.delete()
    _journal(groupe, auteur, "groupes.sous_groupe_suppression", objet=f"{nom} – {groupe.libelle}", membres=membres)
