"""Writes of the deliverables (shared helpers first, then GT1 and the validation circuit). Every write
runs in one transaction and leaves a row in the territory's audit trail (`Evenement`); the workflow
and the history are validation/actions.py's, never a second mechanism."""

from decimal import Decimal

from django.db import IntegrityError, transaction

from livrables.enums import TypeLivrable
from livrables.models import LigneInventaire, Livrable
from mutualis.erreurs import ActionRefusee
from territoire.models import Evenement
from validation import actions as validation

# --- shared helpers ---------------------------------------------------------------------------------


def livrable_de(groupe, type) -> Livrable:
    """The group's deliverable of this type (GT1, GT2, GT3), created as an empty draft (version 1) the
    first time it is asked for."""
    type = TypeLivrable(type)
    livrable = Livrable.objects.filter(groupe=groupe, type=type).first()
    if livrable is None:
        try:
            with transaction.atomic():
                livrable = validation.do_creer(Livrable(groupe=groupe, type=type), None)
        except IntegrityError:  # created meanwhile by another request
            livrable = Livrable.objects.get(groupe=groupe, type=type)
    livrable.groupe = groupe
    return livrable


def evenement(livrable, user, action, **details):
    groupe = livrable.groupe
    Evenement.objects.create(
        territoire_id=groupe.schema.territoire_id,
        utilisateur=user,
        action=action,
        objet=str(livrable)[:200],
        details={"livrable": livrable.pk, "type": livrable.type, "groupe": groupe.theme, **details},
    )


# --- GT1: a commune's inventory -----------------------------------------------------------------------

CHAMPS_INVENTAIRE = ("exerce", "etp", "sous_activites", "specificites")


def _normaliser(champ, valeur):
    if champ == "etp" and valeur is not None:
        return Decimal(valeur).quantize(Decimal("0.01"))
    if champ in ("sous_activites", "specificites"):
        return (valeur or "").strip()
    return valeur


@transaction.atomic
def do_enregistrer_inventaire(livrable, commune, user, valeurs: dict, etp_paie: dict | None = None) -> int:
    """Write a commune's GT1 rows: `valeurs` is {activity id: {exerce, etp, sous_activites, specificites}}.
    Each changed row gets its version bumped; one new version of the deliverable records the whole
    change. Returns how many rows changed (0: nothing written, no version). Refused when locked."""
    Livrable.objects.select_for_update().filter(pk=livrable.pk).first()
    livrable.refresh_from_db(fields=["etat", "version"])
    if livrable.verrouille:
        raise ActionRefusee([f"{livrable} est {livrable.LIBELLE_FINAL} : il faut le rouvrir pour le modifier"])
    etp_paie = etp_paie or {}
    existantes = {l.activite_id: l for l in livrable.inventaire.filter(commune=commune)}
    changees = []
    for activite_id, data in valeurs.items():
        data = {c: _normaliser(c, data.get(c)) for c in CHAMPS_INVENTAIRE}
        ligne = existantes.get(activite_id)
        if ligne is None:
            if (
                data["exerce"] is None
                and data["etp"] is None
                and not data["sous_activites"]
                and not data["specificites"]
            ):
                continue  # nothing said about this activity
            ligne = LigneInventaire(
                livrable=livrable,
                commune=commune,
                activite_id=activite_id,
                version=0,
                etp_paie=etp_paie.get(activite_id),
            )
        elif all(getattr(ligne, c) == v for c, v in data.items()):
            continue
        for champ, valeur in data.items():
            setattr(ligne, champ, valeur)
        ligne.version += 1
        ligne.modifie_par = user
        if ligne.etp_paie is None and activite_id in etp_paie:
            ligne.etp_paie = etp_paie[activite_id]
        ligne.save()
        changees.append(ligne)
    if not changees:
        return 0
    n = len(changees)
    validation.do_versionner(
        livrable,
        user,
        f"Inventaire de {commune.nom} : {n} activité{'s' if n > 1 else ''} modifiée{'s' if n > 1 else ''}",
    )
    evenement(livrable, user, "livrables.inventaire", commune=commune.code, lignes=n)
    return n


# --- the validation circuit of a deliverable (any type) ---------------------------------------------------


@transaction.atomic
def do_soumettre(livrable, user):
    from livrables import courriels

    validation.do_soumettre(livrable, user)
    evenement(livrable, user, "livrables.soumission")
    courriels.envoyer_apres_validation(courriels.demande_de_visa(livrable, user))
    return livrable


@transaction.atomic
def do_viser(livrable, user):
    validation.do_viser(livrable, user)
    evenement(livrable, user, "livrables.verrouillage" if livrable.verrouille else "livrables.validation")
    return livrable


@transaction.atomic
def do_renvoyer(livrable, user, commentaire: str):
    validation.do_renvoyer(livrable, user, commentaire)
    evenement(livrable, user, "livrables.renvoi")
    return livrable


@transaction.atomic
def do_rouvrir(livrable, user, motif: str):
    validation.do_rouvrir(livrable, user, motif)
    evenement(livrable, user, "livrables.reouverture")
    return livrable


@transaction.atomic
def do_restaurer(livrable, user, numero: int):
    validation.do_restaurer(livrable, user, numero)
    evenement(livrable, user, "livrables.restauration", numero=numero)
    return livrable
