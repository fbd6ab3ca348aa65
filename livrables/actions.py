"""What the writes of every deliverable share: the group's deliverable of a type (created on first use),
the lock taken before changing its rows, and the row each write leaves in the territory's audit trail
(`Evenement`). The writes themselves are in each kind's actions module (gt1/, gt2/, gt3/, tableur/) and
the validation circuit's in circuit/actions.py; the workflow and the history are validation/actions.py's,
never a second mechanism."""

from django.db import IntegrityError, transaction

from commun.erreurs import ActionRefusee
from livrables.enums import TypeLivrable
from livrables.models import Livrable
from territoire.models import Evenement
from validation import actions as validation


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


def verifier_modifiable(livrable) -> None:
    """Lock the deliverable's row, re-read its state and version, refuse when it is validated (checked
    again by do_versionner). Called first inside a write's transaction."""
    Livrable.objects.select_for_update().filter(pk=livrable.pk).first()
    livrable.refresh_from_db(fields=["etat", "version"])
    if livrable.verrouille:
        raise ActionRefusee([f"{livrable} est {livrable.LIBELLE_FINAL} : il faut le rouvrir pour le modifier"])


def evenement(livrable, user, action, **details):
    """The territory's audit row of a write (the action's wording is in livrables/journal.py)."""
    groupe = livrable.groupe
    Evenement.objects.create(
        territoire_id=groupe.schema.territoire_id,
        utilisateur=user,
        action=action,
        objet=str(livrable)[:200],
        details={"livrable": livrable.pk, "type": livrable.type, "groupe": groupe.theme, **details},
    )
