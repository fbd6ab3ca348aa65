"""A deliverable's content as a JSON snapshot (a version of the validation workflow), and back."""

from decimal import Decimal

from livrables.enums import TypeLivrable

CHAMPS = {
    TypeLivrable.INVENTAIRE: [
        "id",
        "version",
        "commune_id",
        "activite_id",
        "exerce",
        "etp",
        "etp_paie",
        "sous_activites",
        "specificites",
    ],
    TypeLivrable.AFOR: [
        "id",
        "version",
        "activite_id",
        "quadrant",
        "texte",
        "organisation_id",
        "auteur_id",
        "fusionne_dans_id",
    ],
    TypeLivrable.MUTUALISABLES: [
        "id",
        "version",
        "activite_id",
        "sous_activites",
        "pourquoi",
        "qualification",
        "faisabilite",
        "modalite",
        "toutes_communes",
        "preconisation",
    ],
}


def _json(value):
    return str(value) if isinstance(value, Decimal) else value


def instantane(livrable) -> dict:
    fields = CHAMPS[livrable.type]
    rows = []
    queryset = livrable.lignes().order_by("id")
    if livrable.type == TypeLivrable.MUTUALISABLES:
        queryset = queryset.prefetch_related("communes")
    for row in queryset:
        data = {f: _json(getattr(row, f)) for f in fields}
        if livrable.type == TypeLivrable.MUTUALISABLES:
            data["communes"] = sorted(c.pk for c in row.communes.all())
        rows.append(data)
    return {"type": livrable.type, "lignes": rows}


def restaurer(livrable, contenu: dict) -> None:
    """Replace the rows by those of a snapshot, keeping their ids (exported spreadsheets refer to them)."""
    manager = livrable.lignes()
    model = manager.model
    manager.all().delete()
    for data in contenu.get("lignes", []):
        data = dict(data)
        communes = data.pop("communes", None)
        data["version"] = data.get("version", 1) + 1  # a restored row differs from what was exported
        row = model.objects.create(livrable=livrable, **data)
        if communes is not None:
            row.communes.set(communes)
