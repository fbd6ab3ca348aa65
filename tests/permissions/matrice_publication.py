"""Rows of the schéma's documents: every member reads a version's documents page and downloads what is
ready; the project team chooses the presentation, asks for documents and sets the layout
(docs/permissions.md, « Documents du schéma »)."""

from tests.permissions.commun import members, team_only

MATRIX = {
    ("publication:version", "get"): members(200),
    ("publication:version", "post"): team_only(400),
    ("publication:generer", "get"): members(405),
    ("publication:generer", "post"): team_only(302),
    ("publication:telecharger", "get"): members(200),
    ("publication:etat", "get"): members(200),
    ("publication:gabarit", "get"): team_only(200),
    ("publication:gabarit", "post"): team_only(400),
    ("publication:logo", "get"): members(200),
    ("publication:apercu_css", "get"): team_only(404),  # without its two colours: no sheet
}


def cas(cast, territoire) -> dict[str, dict]:
    """The version frozen by matrice_parcours (sent: its choices no longer change), a PDF of it stored, a
    logo set."""
    from django.core.files.base import ContentFile

    from parcours.models import VersionSchema
    from publication.models import DocumentSchema, Gabarit
    from tests.publication.fichiers import PNG

    version = VersionSchema.objects.filter(schema__territoire=territoire).order_by("numero").first()
    document = DocumentSchema(version=version, format="pdf", statut="pret", parametres="x", empreinte="0" * 64)
    document.fichier.save("schema.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    gabarit = Gabarit(schema=version.schema)
    gabarit.logo.save("logo.png", ContentFile(PNG), save=True)
    return {
        "publication:version": {"numero": version.numero},
        "publication:generer": {"numero": version.numero},
        "publication:telecharger": {"pk": document.pk},
        "publication:etat": {"pk": document.pk},
    }
