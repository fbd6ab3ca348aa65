"""The implementation items of the approved schéma (docs/suivi.md): one per action of the latest approved
version, created the first time the follow-up is read (like the schéma's calendar), kept by the action's
identifier across revisions: a revised action is updated and keeps its status, milestones and conventions;
an action the revision drops is abandoned with that reason; a new one starts « à lancer »."""

from django.db import transaction

from parcours import consultation
from scenarios.actions import actions_de
from suivi.enums import StatutElement
from suivi.models import Element
from territoire.models import Evenement


def schema_suivi(territoire):
    """The schéma followed: the latest mandate's with an approved version (the previous one while the next
    is being prepared), or None."""
    for schema in territoire.schemas.order_by("-mandat"):
        if consultation.approuvee(consultation.versions_du_schema(schema)) is not None:
            return schema
    return None


def version_suivie(schema):
    return consultation.approuvee(consultation.versions_du_schema(schema))


@transaction.atomic
def synchroniser(schema, version) -> list[Element]:
    """The items of `version` (the approved one), created or carried over; returns them in their order."""
    existants = {e.identifiant: e for e in Element.objects.select_for_update().filter(schema=schema)}
    changes = []
    actions = actions_de(version.scenario)
    for a in actions:
        e = existants.get(a.identifiant)
        communes = list(a.communes.all())
        valeurs = {
            "theme": a.theme,
            "activite": a.activite,
            "modalite": a.modalite,
            "toutes": a.toutes,
            "annee_prevue": a.annee,
            "version": version,
        }
        if e is None:
            e = Element.objects.create(schema=schema, identifiant=a.identifiant, **valeurs)
            e.communes.set(communes)
            changes.append(f"{a.identifiant} : ajoutée")
        elif e.version_id != version.pk:
            for k, v in valeurs.items():
                setattr(e, k, v)
            e.save()
            e.communes.set(communes)
            changes.append(f"{a.identifiant} : suit la version {version.numero}")
    retenues = {a.identifiant for a in actions}
    for ident, e in existants.items():
        if ident not in retenues and e.statut != StatutElement.ABANDONNEE:
            e.statut = StatutElement.ABANDONNEE
            e.motif = f"retirée par la révision du schéma (version {version.numero})"
            e.save(update_fields=["statut", "motif", "modifie_le"])
            changes.append(f"{ident} : abandonnée par la révision")
    if changes:
        Evenement.objects.create(
            territoire_id=schema.territoire_id,
            utilisateur=None,
            action="suivi.elements",
            objet=f"Éléments de suivi de la version {version.numero}"[:200],
            details={"version": version.pk, "changements": changes},
        )
    return list(
        Element.objects.filter(schema=schema)
        .select_related("responsable", "version")
        .prefetch_related("communes", "jalons", "conventions__membres")
        .order_by("annee_prevue", "identifiant")
    )
