"""Writes of the GT3 deliverable (liste des activités mutualisables): lines, individual scores, consensus.

Each write, in one transaction: change the row, bump its `version` and `modifie_par`, then record the
deliverable's new version through the one workflow (`validation.actions.do_versionner`), which refuses
when the deliverable is locked (the row change is then rolled back). Who may call each action is decided
by the views through comptes.perms: the refusal messages are here."""

from django.db import transaction
from django.db.models import F

from commun.erreurs import ActionRefusee
from livrables.actions import evenement, livrable_de, verifier_modifiable
from livrables.enums import TypeLivrable
from livrables.gt3.candidats import LigneGT3
from livrables.models import LigneMutualisable, Livrable, Notation
from validation import actions as validation

REFUS_CONSOLIDER = (
    "Seuls les co-pilotes du groupe, les consultants et l'équipe projet modifient la liste des "
    "activités mutualisables et y retiennent les notes de consensus."
)
REFUS_NOTER = "Seuls les co-pilotes du groupe et les consultants notent les lignes de la liste."
CHAMPS_LIGNE = (
    "activite",
    "sous_activites",
    "pourquoi",
    "qualification",
    "faisabilite",
    "modalite",
    "toutes_communes",
    "preconisation",
)
ROLES_NOTATION = ("copilote_commune", "copilote_epci")


def livrable_gt3(groupe, user=None):
    """The group's GT3 deliverable; created (version 1, in draft, through the workflow) when `user` is
    given and it does not exist yet; None when reading a group that has not started it."""
    livrable = Livrable.objects.filter(groupe=groupe, type=TypeLivrable.MUTUALISABLES).first()
    if livrable is None:
        return livrable_de(groupe, TypeLivrable.MUTUALISABLES) if user is not None else None
    livrable.groupe = groupe
    return livrable


def _verifier_version(ligne, version_lue):
    if version_lue is not None and version_lue != ligne.version:
        qui = f" par {ligne.modifie_par}" if ligne.modifie_par_id else ""
        raise ActionRefusee(
            [
                f"la ligne « {ligne.activite.libelle} » a été modifiée entre-temps{qui} : rechargez la page pour "
                "voir sa version actuelle, puis refaites votre modification"
            ]
        )


def _communes(valeurs):
    return [] if valeurs.get("toutes_communes") else list(valeurs.get("communes") or [])


@transaction.atomic
def do_creer_ligne(groupe, user, valeurs: dict) -> LigneMutualisable:
    """A new GT3 line; `valeurs` has CHAMPS_LIGNE and `communes` (organisations)."""
    livrable = livrable_gt3(groupe, user)
    verifier_modifiable(livrable)
    ligne = LigneMutualisable(
        livrable=livrable, version=1, modifie_par=user, **{k: valeurs.get(k) for k in CHAMPS_LIGNE if k in valeurs}
    )
    ligne.qualification = ligne.qualification or None
    ligne.faisabilite = ligne.faisabilite or ""
    ligne.modalite = ligne.modalite or ""
    ligne.save()
    ligne.communes.set(_communes(valeurs))
    validation.do_versionner(livrable, user, f"ligne ajoutée : {ligne.activite.libelle}")
    evenement(livrable, user, "livrables.gt3_ajout", activite=ligne.activite.code, ligne=ligne.pk)
    return ligne


@transaction.atomic
def do_modifier_ligne(ligne, user, valeurs: dict, version_lue: int | None = None) -> bool:
    """Change a line's cells (only those in `valeurs`); False when nothing changed."""
    livrable = ligne.livrable
    verifier_modifiable(livrable)
    LigneMutualisable.objects.select_for_update().filter(pk=ligne.pk).first()
    ligne.refresh_from_db()
    _verifier_version(ligne, version_lue)
    changes = []
    for champ in CHAMPS_LIGNE:
        if champ not in valeurs:
            continue
        nouveau = valeurs[champ]
        if champ == "qualification":
            nouveau = nouveau or None
        elif champ in ("faisabilite", "modalite", "sous_activites", "pourquoi", "preconisation"):
            nouveau = nouveau or ""
        if getattr(ligne, champ) != nouveau:
            setattr(ligne, champ, nouveau)
            changes.append(LigneMutualisable._meta.get_field(champ).verbose_name)
    if "communes" in valeurs or "toutes_communes" in valeurs:
        voulues = {c.pk for c in _communes({"toutes_communes": ligne.toutes_communes, **valeurs})}
        if voulues != set(ligne.communes.values_list("pk", flat=True)):
            ligne.communes.set(list(voulues))
            changes.append("communes concernées")
    if not changes:
        return False
    ligne.version += 1
    ligne.modifie_par = user
    ligne.save()
    validation.do_versionner(livrable, user, f"ligne « {ligne.activite.libelle} » modifiée : {', '.join(changes)}")
    evenement(livrable, user, "livrables.gt3_modification", activite=ligne.activite.code, ligne=ligne.pk)
    return True


@transaction.atomic
def do_consensus(ligne, user, qualification, faisabilite, version_lue: int | None = None) -> bool:
    """Record the group's consensus scores of a line."""
    return do_modifier_ligne(ligne, user, {"qualification": qualification, "faisabilite": faisabilite}, version_lue)


@transaction.atomic
def do_supprimer_ligne(ligne, user) -> None:
    livrable = ligne.livrable
    verifier_modifiable(livrable)
    code, libelle, pk = ligne.activite.code, ligne.activite.libelle, ligne.pk
    ligne.delete()
    validation.do_versionner(livrable, user, f"ligne supprimée : {libelle}")
    evenement(livrable, user, "livrables.gt3_suppression", activite=code, ligne=pk)


def role_de_notation(acces, groupe) -> str:
    """« au titre de » of a score: the user's co-pilot role in the group, else consultant."""
    roles = acces.roles_dans_groupe(groupe)
    for role in ROLES_NOTATION:
        if role in roles:
            return role
    return "consultant"


@transaction.atomic
def do_noter(ligne, user, role: str, qualification, faisabilite) -> Notation:
    """A co-pilot's or the consultant's own scores of a line (one per user and line, replaced). The line's
    version is bumped and the deliverable versioned: the scores are part of the group's work."""
    livrable = ligne.livrable
    verifier_modifiable(livrable)
    if not qualification and not faisabilite:
        raise ActionRefusee(["donnez au moins une note : qualification ou faisabilité"])
    notation, _ = Notation.objects.update_or_create(
        ligne=ligne,
        utilisateur=user,
        defaults={"role": role, "qualification": qualification or None, "faisabilite": faisabilite or ""},
    )
    LigneMutualisable.objects.filter(pk=ligne.pk).update(version=F("version") + 1, modifie_par=user)
    ligne.refresh_from_db(fields=["version", "modifie_par", "modifie_le"])
    validation.do_versionner(livrable, user, f"notation de la ligne « {ligne.activite.libelle} »")
    evenement(livrable, user, "livrables.gt3_notation", activite=ligne.activite.code, ligne=ligne.pk)
    return notation


def ligne_pour_candidat(ligne, codes_communes: list[str]) -> LigneGT3:
    """The pure view of a line (its activity and communes loaded) for livrables.gt3.candidats."""
    return LigneGT3(
        pk=ligne.pk,
        theme=ligne.activite.theme,
        activite=ligne.activite.code,
        modalite=ligne.modalite,
        faisabilite=ligne.faisabilite,
        toutes_communes=ligne.toutes_communes,
        communes=tuple(codes_communes),
    )
