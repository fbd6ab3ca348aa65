"""The yearly report (issue 14, point 4): « réalisé 2026 / prévu 2027 » from the follow-up's figures, the
confidentiality rule for its readers, frozen when presented, written in the background in every format,
the pooling section of the activity report, and the reminder two months before the sitting."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from commun.erreurs import ActionRefusee
from suivi import actions, elements
from suivi import rapport as rapports
from suivi.enums import EtatRapport, StatutElement
from suivi.generation import document_du_rapport
from suivi.models import DocumentRapport
from tests.cast import EPCI
from tests.publication.conftest import pdftotext

pytestmark = pytest.mark.django_db
D = dt.date


def texte(doc) -> str:
    morceaux = []
    for c in doc.chapitres:
        morceaux.append(c.titre)
        for b in c.blocs:
            for attribut in ("texte", "legende"):
                if hasattr(b, attribut):
                    morceaux.append(getattr(b, attribut))
            morceaux += getattr(b, "items", [])
            for ligne in getattr(b, "lignes", []):
                morceaux += ligne
    return "\n".join(morceaux)


@pytest.fixture
def rapport(avec_2026, cast):
    return actions.do_creer_rapport(avec_2026.schema, 2027, "dob", D(2027, 2, 15), cast["equipe_projet"])


def test_the_report_says_realise_2026_prevu_2027_with_the_pages_figures(rapport, cast, connecte):
    doc = rapports.document(rapport)
    t = " ".join(texte(doc).split())
    assert [c.titre for c in doc.chapitres][:3] == [
        "L'année 2027 en bref",
        "Avancement des actions",
        "Prévu et réalisé",
    ]
    assert "« réalisé 2026 / prévu 2027 »" in t
    assert "réalisé en 2026 pour 2 communes sur 3" in t
    page = connecte(cast["equipe_projet"]).get(reverse("suivi:tableau", kwargs={"code": EPCI})).context["s"]
    epci = next(o for o in page.organisations if o["epci"])
    ligne = next(
        l for c in doc.chapitres for b in c.blocs for l in getattr(b, "lignes", []) if l[0] == "Bordeaux Métropole"
    )
    assert ligne[1:5] == ["6,0", "22,0", "17,0", "27,0"]
    assert (epci["etp_y0"], epci["etp_prevu"], epci["etp_reel"], epci["etp_suivant"]) == (6, 22, 17, 27)
    assert doc.brouillon and doc.couverture.version == "Débat d'orientation budgétaire du 15 février 2027"


def test_the_report_shows_no_amount_that_the_rule_keeps_from_its_readers(rapport, cast, connecte, tmp_path):
    # Mérignac's one remaining agent in 2026 (40 000 €): « confidentiel » for the project team's page only.
    page = connecte(cast["equipe_projet"]).get(reverse("suivi:tableau", kwargs={"code": EPCI})).content.decode()
    assert "40\u202f000\u00a0€" in page
    from publication.pdf import pdf

    contenu, _ = pdf(rapports.document(rapport))
    t = pdftotext(contenu, tmp_path)
    assert "40 000" not in t.replace("\u202f", " ").replace("\u00a0", " ")
    assert "non diffusé" in t


def test_presenting_freezes_the_report(rapport, cast):
    equipe = cast["equipe_projet"]
    with pytest.raises(ActionRefusee, match="n'est pas encore arrivé"):
        actions.do_presenter(rapport, rapports.document(rapport), D(2027, 2, 15), equipe, D(2026, 12, 7))
    actions.do_presenter(rapport, rapports.document(rapport), D(2027, 2, 15), equipe, D(2027, 2, 16))
    rapport.refresh_from_db()
    assert rapport.etat == EtatRapport.PRESENTE and rapport.presente_le == D(2027, 2, 15)
    avant = texte(document_du_rapport(rapport))
    a1 = next(e for e in elements.synchroniser(rapport.schema, rapport.schema.versions.get()) if e.identifiant == "A1")
    actions.do_modifier_element(
        a1,
        {
            "statut": StatutElement.REALISEE,
            "motif": "",
            "annee_reportee": None,
            "progression": None,
            "responsable": None,
            "aujourdhui": D(2027, 3, 1),
        },
        {},
        equipe,
    )
    assert texte(document_du_rapport(rapport)) == avant  # frozen: the later update is not in it
    assert "À lancer" in avant
    with pytest.raises(ActionRefusee, match="a été présenté le 15 février 2027"):
        actions.do_presenter(rapport, rapports.document(rapport), D(2027, 2, 20), equipe, D(2027, 2, 21))
    with pytest.raises(ActionRefusee, match="il ne change plus"):
        actions.do_dater_rapport(rapport, "dob", D(2027, 3, 1), equipe)


def test_the_report_is_written_in_the_background_in_every_format(
    rapport, cast, connecte, django_capture_on_commit_callbacks, monkeypatch, tmp_path
):
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    client = connecte(cast["equipe_projet"])
    url = reverse("suivi:rapport", kwargs={"code": EPCI, "annee": 2027})
    for f in ("pdf", "docx", "odt"):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(url, {"generer": "1", "format": f}).status_code == 302
    call_command(
        "db_worker", "--backend", "documents", "--queue-name", "documents", "--batch", "--no-startup-delay", verbosity=0
    )
    documents = {d.format: d for d in DocumentRapport.objects.all()}
    assert set(documents) == {"pdf", "docx", "odt"} and all(d.statut == "pret" for d in documents.values())
    t = pdftotext(documents["pdf"].fichier.open("rb").read(), tmp_path)
    assert "État d'avancement du schéma de mutualisation des services" in " ".join(t.split())
    assert "réalisé en 2026 pour 2 communes" in " ".join(t.split())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"generer": "1", "format": "pdf"})
    assert DocumentRapport.objects.count() == 3  # the same content: served as stored


def test_the_pooling_section_of_the_activity_report_has_no_cover(rapport, cast, connecte):
    client = connecte(cast["dgs_merignac"])
    reponse = client.get(reverse("suivi:section", kwargs={"code": EPCI, "annee": 2027, "format": "docx"}))
    assert reponse.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(reponse.content)).read("word/document.xml").decode()
    assert "Sommaire" not in xml and "TOC \\o" not in xml
    assert xml.count('w:val="Heading1"') == 1 and xml.count('w:val="Heading2"') == len(
        rapports.document(rapport).chapitres
    )


def test_the_project_team_is_reminded_two_months_before_the_sitting(rapport, cast, territoire, capsys):
    from django.utils import timezone

    from commun.taches import a_faire
    from comptes.perms import acces_pour
    from echanges.models import Notification

    equipe = cast["equipe_projet"]

    def libelles(jour):
        moment = timezone.make_aware(dt.datetime.combine(jour, dt.time(10)))
        return [t.libelle for t in a_faire(acces_pour(equipe, territoire), equipe, moment)]

    attendu = "État d'avancement 2027 du schéma : à présenter le 15 février 2027 (débat d'orientation budgétaire)"
    assert attendu not in libelles(D(2026, 12, 15))
    assert attendu in libelles(D(2026, 12, 16))
    assert attendu not in libelles(D(2027, 2, 16))
    call_command("taches-quotidiennes", "--date", "2026-12-16")
    call_command("taches-quotidiennes", "--date", "2026-12-17")
    assert Notification.objects.filter(destinataire=equipe, libelle__contains="État d'avancement 2027").count() == 1
    assert not Notification.objects.filter(
        destinataire=cast["elu_copil"], libelle__contains="État d'avancement"
    ).exists()
