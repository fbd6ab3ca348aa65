"""The transitions of the validation workflow, each in one transaction with its trace.

    brouillon ──soumettre──> soumis ──visa des deux co-pilotes──> validé (verrouillé)
        ^                      │  └─renvoyer (commentaire)──> renvoyé ──soumettre──> soumis
        └───────rouvrir (équipe projet, motif)──────────────────────────────────── validé

Any edit creates a version; an edit of a submitted record voids the visas already given (they are
tied to a version number). Who may call each transition is decided by the views through
comptes.perms; the co-pilot identity needed for a visa or a return is checked here, because it is
part of the rule itself."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from commun import concurrence
from commun.erreurs import ActionRefusee
from validation.enums import Action, Etat
from validation.models import Trace, Version, Visa

ROLES_VISA = ("copilote_commune", "copilote_epci")


def _ct(obj):
    return ContentType.objects.get_for_model(obj)


def _trace(obj, user, action, avant, commentaire=""):
    Trace.objects.create(
        content_type=_ct(obj),
        object_id=obj.pk,
        action=action,
        utilisateur=user,
        version=obj.version,
        etat_avant=avant,
        etat_apres=obj.etat,
        commentaire=commentaire,
    )


def _nouvelle_version(obj, user):
    obj.version += 1
    Version.objects.create(
        content_type=_ct(obj), object_id=obj.pk, numero=obj.version, contenu=obj.contenu(), auteur=user
    )


def _verrouiller(obj):
    """Lock the record's row and re-read it: a transition acts on what is stored, not on a stale copy."""
    type(obj).objects.select_for_update().filter(pk=obj.pk).first()
    obj.refresh_from_db()


@transaction.atomic
def do_creer(obj, user):
    """Save a new record (its fields already set) as version 1, in draft."""
    obj.etat = Etat.BROUILLON
    obj.version = 0
    obj.save()
    _nouvelle_version(obj, user)
    obj.save(update_fields=["version"])
    _trace(obj, user, Action.CREATION, "")
    return obj


def empreinte(obj) -> str:
    """The fingerprint of the record's editable content, carried by the form that edits it."""
    return concurrence.empreinte(obj.contenu())


@transaction.atomic
def do_modifier(obj, user, contenu: dict, empreinte_lue: str | None, action=Action.MODIFICATION):
    """Save new content as a new version. `empreinte_lue`: the fingerprint of the content the editing page
    showed (commun/concurrence.py), refused when it changed since; None only for a restoration, which
    names the version it brings back."""
    _verrouiller(obj)
    if obj.verrouille:
        raise ActionRefusee([f"{obj} est {obj.LIBELLE_FINAL} : il faut le rouvrir pour le modifier"])
    if empreinte_lue is not None:
        derniere = Version.objects.de(obj).filter(numero=obj.version).select_related("auteur").first()
        concurrence.verifier(
            str(obj)[:1].upper() + str(obj)[1:],
            obj.contenu(),
            {type(obj)._meta.get_field(nom).verbose_name: texte for nom, texte in obj.contenu().items()},
            empreinte_lue,
            qui=derniere.auteur if derniere is not None and derniere.auteur_id else "",
        )
    if contenu == obj.contenu():
        return obj
    avant = obj.etat
    obj.appliquer_contenu(contenu)
    _nouvelle_version(obj, user)
    obj.save()
    note = (
        "les validations déjà données sont remises à zéro"
        if avant == Etat.SOUMIS and visas_courants(obj, obj.version - 1)
        else ""
    )
    _trace(obj, user, action, avant, note)
    return obj


@transaction.atomic
def do_versionner(obj, user, quoi: str):
    """Record, as a new version, a change already written to the record's rows (a cell of a deliverable
    edited in a page or re-imported from a spreadsheet). Same rules as do_modifier: refused once locked,
    visas of a submitted record made void."""
    _verrouiller(obj)
    if obj.verrouille:
        raise ActionRefusee([f"{obj} est {obj.LIBELLE_FINAL} : il faut le rouvrir pour le modifier"])
    avant = obj.etat
    _nouvelle_version(obj, user)
    obj.save(update_fields=["version", "modifie_le"])
    note = (
        "les validations déjà données sont remises à zéro"
        if avant == Etat.SOUMIS and visas_courants(obj, obj.version - 1)
        else ""
    )
    _trace(obj, user, Action.MODIFICATION, avant, "; ".join(filter(None, [quoi, note])))
    return obj


@transaction.atomic
def do_restaurer(obj, user, numero: int):
    version = Version.objects.de(obj).filter(numero=numero).first()
    if version is None:
        raise ActionRefusee([f"la version {numero} n'existe pas"])
    return do_modifier(obj, user, version.contenu, None, action=Action.RESTAURATION)


@transaction.atomic
def do_soumettre(obj, user):
    _verrouiller(obj)
    if obj.etat not in (Etat.BROUILLON, Etat.RENVOYE):
        raise ActionRefusee(
            [f"seul un brouillon ou un document renvoyé peut être soumis (état : {obj.libelle_etat().lower()})"]
        )
    avant, obj.etat = obj.etat, Etat.SOUMIS
    obj.save(update_fields=["etat", "modifie_le"])
    _trace(obj, user, Action.SOUMISSION, avant)
    return obj


def roles_copilote(obj, user) -> list[str]:
    copilotes = obj.copilotes()
    return [role for role in ROLES_VISA if any(u.pk == user.pk for u in copilotes.get(role, ()))]


def visas_courants(obj, version=None) -> dict[str, Visa]:
    version = obj.version if version is None else version
    return {v.role: v for v in Visa.objects.de(obj).filter(version=version).select_related("utilisateur")}


@transaction.atomic
def do_viser(obj, user):
    """A co-pilot validates the current version; the second visa locks the record."""
    _verrouiller(obj)
    if obj.etat != Etat.SOUMIS:
        raise ActionRefusee(["seul un document soumis aux co-pilotes peut être validé"])
    roles = roles_copilote(obj, user)
    if not roles:
        raise ActionRefusee(["seuls les co-pilotes du groupe valident ce document"])
    given = visas_courants(obj)
    for role in roles:
        if role not in given:
            given[role] = Visa.objects.create(
                content_type=_ct(obj), object_id=obj.pk, version=obj.version, role=role, utilisateur=user
            )
    _trace(obj, user, Action.VALIDATION, obj.etat)
    if all(role in given for role in ROLES_VISA):
        avant, obj.etat = obj.etat, Etat.VALIDE
        obj.save(update_fields=["etat", "modifie_le"])
        _trace(obj, user, Action.VERROUILLAGE, avant)
    return obj


@transaction.atomic
def do_renvoyer(obj, user, commentaire: str):
    _verrouiller(obj)
    if obj.etat != Etat.SOUMIS:
        raise ActionRefusee(["seul un document soumis aux co-pilotes peut être renvoyé"])
    if not roles_copilote(obj, user):
        raise ActionRefusee(["seuls les co-pilotes du groupe renvoient ce document"])
    if not commentaire.strip():
        raise ActionRefusee(["commentaire : dites ce qui doit être repris"])
    avant, obj.etat = obj.etat, Etat.RENVOYE
    obj.save(update_fields=["etat", "modifie_le"])
    _trace(obj, user, Action.RENVOI, avant, commentaire.strip())
    return obj


@transaction.atomic
def do_rouvrir(obj, user, motif: str):
    """Reopen a locked record (the project team, with a reason): back to draft, visas void."""
    _verrouiller(obj)
    if obj.etat != Etat.VALIDE:
        raise ActionRefusee(["seul un document verrouillé peut être rouvert"])
    if not motif.strip():
        raise ActionRefusee(["motif : dites pourquoi le document est rouvert"])
    avant, obj.etat = obj.etat, Etat.BROUILLON
    _nouvelle_version(obj, user)  # the visas belong to the locked version, which stays in history
    obj.save(update_fields=["etat", "version", "modifie_le"])
    _trace(obj, user, Action.REOUVERTURE, avant, motif.strip())
    return obj


def historique(obj):
    """Traces and versions, newest first, for the history panel."""
    return (
        list(Trace.objects.de(obj).select_related("utilisateur")),
        list(Version.objects.de(obj).select_related("auteur")),
    )
