"""The groups' syntheses for the comité (issue 12, point 2): generated from the deliverables (GT1 coverage,
AFOR points, GT3 lines with their scores and préconisation), the co-pilots' text editable by them alone,
frozen when a comité meeting puts the group on its agenda; the payroll at stake read for each reader."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cast import BORDEAUX
from tests.concurrence import enregistrer

pytestmark = pytest.mark.django_db


@pytest.fixture
def ligne_rh(cast, territoire, lot_courant):
    from livrables.gt3.actions import do_creer_ligne

    rh = territoire.schemas.get().groupes.get(theme="RH")
    return do_creer_ligne(
        rh,
        cast["equipe_projet"],
        {
            "activite": territoire.activites.get(code="RH-PAIE"),
            "modalite": "service_commun",
            "toutes_communes": False,
            "communes": [territoire.organisations.get(code=BORDEAUX)],
            "qualification": 4,
            "faisabilite": "F3",
            "preconisation": "Un service commun de la paie dès 2027.",
        },
    )


def url(territoire, theme="RH", **params):
    base = reverse("parcours:synthese", kwargs={"code": territoire.code, "theme": theme})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_generated_from_the_deliverables_without_any_pay_amount(cast, territoire, ligne_rh):
    from parcours.syntheses import generer

    contenu = generer(ligne_rh.livrable.groupe)
    [l] = contenu["gt3"]
    assert l["activite"] == territoire.activites.get(code="RH-PAIE").libelle
    assert l["communes"] == "Bordeaux" and l["qualification"] == 4 and l["preconisation"].startswith("Un service")
    assert "126000" not in str(contenu) and "montant" not in str(contenu)


def test_the_copilots_write_it_and_a_meeting_freezes_it(cast, territoire, ligne_rh, connecte):
    from parcours import comite

    client = connecte(cast["copilote_rh_commune"])
    assert enregistrer(client, url(territoire), {"texte": "Le groupe propose la paie."}).status_code == 302
    assert client.post(url(territoire, "FIN"), {"texte": "x"}).status_code == 403
    assert connecte(cast["elu_copil"]).post(url(territoire), {"texte": "x"}).status_code == 403
    c = comite.comite(territoire.schemas.get(), "copil")
    seance = comite.do_creer_seance(c, timezone.now() + dt.timedelta(days=2), "", cast["equipe_projet"])
    comite.do_ajouter_point(seance, {"objet": "Synthèse RH", "groupe": ligne_rh.livrable.groupe}, cast["equipe_projet"])
    client = connecte(cast["copilote_rh_commune"])
    assert enregistrer(client, url(territoire), {"texte": "Texte changé après la séance."}).status_code == 302
    figee = connecte(cast["elu_copil"]).get(url(territoire, seance=seance.pk)).content.decode()
    assert "Le groupe propose la paie." in figee and "Texte changé" not in figee
    assert "ne change plus" in figee


def test_the_payroll_at_stake_follows_the_readers_rule(cast, territoire, ligne_rh, connecte):
    # Bordeaux's RH-PAIE base: 3 agents at 42,000 € (tests/cast.py): not diffusible outside Bordeaux.
    assert "126\u202f000\u00a0€" in connecte(cast["dgs_bordeaux"]).get(url(territoire)).content.decode()
    assert "126\u202f000\u00a0€" not in connecte(cast["elu_copil"]).get(url(territoire)).content.decode()


def test_the_synthesis_as_a_document_carries_no_pay_amount(cast, territoire, ligne_rh, connecte, tmp_path):
    import io
    import subprocess
    import zipfile

    import docx

    client = connecte(cast["dgs_bordeaux"])  # she may see Bordeaux's 126 000 € on the page

    def telecharger(fmt):
        url = reverse("parcours:synthese_document", kwargs={"code": territoire.code, "theme": "RH", "format": fmt})
        reponse = client.get(url)
        assert reponse.status_code == 200
        return reponse.content

    chemin = tmp_path / "synthese.pdf"
    chemin.write_bytes(telecharger("pdf"))
    textes = [
        subprocess.run(["pdftotext", str(chemin), "-"], capture_output=True, text=True, check=True).stdout,
        "\n".join(p.text for p in docx.Document(io.BytesIO(telecharger("docx"))).paragraphs),
        zipfile.ZipFile(io.BytesIO(telecharger("odt"))).read("content.xml").decode(),
    ]
    for texte in textes:
        plat = " ".join(texte.split())
        assert "Synthèse du groupe de travail Ressources humaines pour le comité de pilotage" in plat
        assert "Un service commun de la paie dès 2027." in plat
        assert "126" not in plat.replace("2026", "").replace("2032", "")
