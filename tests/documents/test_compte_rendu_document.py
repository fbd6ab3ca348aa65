"""A group meeting's published minutes as PDF, DOCX and ODT (issue 13, point 3): the text, the decisions
and both co-pilots' visas with their dates; a draft is no document yet (404)."""

import io
import subprocess
import zipfile

import docx
import pytest
from django.urls import reverse

from tests.seances.conftest import groupe_rh, planifier, tenue_hier  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def texte_docx(contenu: bytes) -> str:
    """Paragraphs and table cells (the signatures are a table)."""
    d = docx.Document(io.BytesIO(contenu))
    cellules = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cellules)


def test_published_minutes_as_documents(cast, territoire, tenue_hier, connecte, tmp_path):  # noqa: F811
    from seances.actions import do_ecrire_compte_rendu, do_soumettre_compte_rendu, do_valider_compte_rendu

    cr, _ = do_ecrire_compte_rendu(
        tenue_hier, cast["copilote_rh_commune"], "Tour de table des communes.", "- Relancer Pessac pour la liste GT1."
    )

    def url(fmt):
        return reverse(
            "documents:compte_rendu",
            kwargs={"code": territoire.code, "theme": "RH", "pk": tenue_hier.pk, "format": fmt},
        )

    client = connecte(cast["observateur"])
    assert client.get(url("pdf")).status_code == 404  # a draft
    do_soumettre_compte_rendu(cr, cast["copilote_rh_commune"])
    do_valider_compte_rendu(cr, cast["copilote_rh_commune"])
    do_valider_compte_rendu(cr, cast["copilote_rh_epci"])
    chemin = tmp_path / "cr.pdf"
    chemin.write_bytes(client.get(url("pdf")).content)
    textes = [
        subprocess.run(["pdftotext", str(chemin), "-"], capture_output=True, text=True, check=True).stdout,
        texte_docx(client.get(url("docx")).content),
        zipfile.ZipFile(io.BytesIO(client.get(url("odt")).content)).read("content.xml").decode(),
    ]
    for texte in textes:
        plat = " ".join(texte.split())
        assert "Tour de table des communes." in plat and "Relancer Pessac pour la liste GT1." in plat
        assert "Co-pilote commune, visa du" in plat and "Co-pilote EPCI, visa du" in plat
    assert client.get(url("exe")).status_code == 404
    assert connecte(cast["exterieur"]).get(url("pdf")).status_code == 404
