"""Pages of the legal path: every member reads them, the project team writes, a commune's DGS records her
own council's receipt and deliberation only; the home page shows the phase and the next gate; the
calendar feed parses, holds the deadlines and is revoked by a new address."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from tests.cast import BORDEAUX, MERIGNAC

pytestmark = pytest.mark.django_db


def u(territoire, name, **kwargs):
    return reverse(f"parcours:{name}", kwargs={"code": territoire.code, **kwargs})


@pytest.mark.parametrize(
    "nom", ["cockpit", "versions", "consultation", "approbation", "donnees_ouvertes", "mon_calendrier"]
)
def test_every_member_reads_the_pages_and_outsiders_get_404(cast, territoire, connecte, nom):
    assert connecte(cast["elu_copil"]).get(u(territoire, nom)).status_code == 200
    assert connecte(cast["exterieur"]).get(u(territoire, nom)).status_code == 404


def test_home_page_shows_the_phase_and_the_next_gate(cast, territoire, connecte):
    page = (
        connecte(cast["dgs_bordeaux"]).get(reverse("espace:accueil", kwargs={"code": territoire.code})).content.decode()
    )
    assert "Phase en cours" in page and "Figer une version du schéma pour le comité de pilotage" in page


def test_commune_dgs_records_her_own_receipt_but_not_another_communes(cast, territoire, envoyee, connecte):
    client = connecte(cast["dgs_merignac"])
    donnees = {"reception": "1", "recu_le": "2026-12-04", "preuve": SimpleUploadedFile("ar.pdf", b"%PDF-1.4 x")}
    assert client.post(u(territoire, "commune", commune=BORDEAUX), donnees).status_code == 403
    donnees["preuve"] = SimpleUploadedFile("ar.pdf", b"%PDF-1.4 x")
    assert client.post(u(territoire, "commune", commune=MERIGNAC), donnees).status_code == 302
    page = client.get(u(territoire, "commune", commune=MERIGNAC)).content.decode()
    assert "avis attendu au plus tard le <strong>4 mars 2027</strong>" in page
    assert connecte(cast["elu_copil"]).post(u(territoire, "commune", commune=MERIGNAC), donnees).status_code == 403


def test_a_refused_deliberation_says_why_in_french_and_saves_nothing(cast, territoire, envoyee, connecte):
    from parcours.models import Deliberation

    client = connecte(cast["equipe_projet"])
    client.post(
        u(territoire, "commune", commune=MERIGNAC),
        {"reception": "1", "recu_le": "2026-12-04", "preuve": SimpleUploadedFile("ar.pdf", b"%PDF-1.4 x")},
    )
    reponse = client.post(
        u(territoire, "commune", commune=MERIGNAC),
        {
            "deliberation": "1",
            "date": "2026-12-05",
            "numero": "D-1",
            "objet": "Avis",
            "issue": "favorable",
            "presents": "10",
            "pour": "9",
            "contre": "3",
        },
    )
    assert reponse.status_code == 400
    assert "12 voix pour, contre et abstentions, plus que les 10 votants" in reponse.content.decode()
    assert not Deliberation.objects.exists()


def test_the_dashboard_lists_every_commune_with_its_state(cast, territoire, envoyee, connecte):
    page = connecte(cast["observateur"]).get(u(territoire, "consultation")).content.decode()
    for nom in ("Bordeaux", "Mérignac", "Pessac", "Talence"):
        assert nom in page
    assert page.count("réception à enregistrer") == 4


def test_the_calendar_feed_parses_holds_the_deadline_and_is_revoked(cast, territoire, envoyee, connecte, client):
    from parcours.models import JetonCalendrier

    connecte(cast["equipe_projet"]).post(
        u(territoire, "commune", commune=MERIGNAC),
        {"reception": "1", "recu_le": "2026-12-04", "preuve": SimpleUploadedFile("ar.pdf", b"%PDF-1.4 x")},
    )
    dgs = connecte(cast["dgs_merignac"])
    assert dgs.post(u(territoire, "mon_calendrier")).status_code == 302
    jeton = JetonCalendrier.objects.get(utilisateur=cast["dgs_merignac"]).jeton
    dgs.logout()
    reponse = client.get(reverse("calendrier:flux", kwargs={"jeton": jeton}))
    assert reponse.status_code == 200 and reponse["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(reponse.content)
    evenements = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    echeance = evenements["Échéance de l'avis de Mérignac sur le projet de schéma"]
    assert echeance.decoded("dtstart") == dt.date(2027, 3, 4)
    assert "Échéance de l'avis de Bordeaux sur le projet de schéma" not in evenements  # not hers
    assert any(s.startswith("Consultation des conseils municipaux") for s in evenements)
    dgs = connecte(cast["dgs_merignac"])
    dgs.post(u(territoire, "mon_calendrier"))
    dgs.logout()
    assert client.get(reverse("calendrier:flux", kwargs={"jeton": jeton})).status_code == 404


def test_pieces_are_for_members_only(cast, territoire, envoyee, connecte):
    connecte(cast["equipe_projet"]).post(
        u(territoire, "commune", commune=MERIGNAC),
        {"reception": "1", "recu_le": "2026-12-04", "preuve": SimpleUploadedFile("ar.pdf", b"%PDF-1.4 x")},
    )
    pk = envoyee.envois.get(organisation__code=MERIGNAC).pk
    assert connecte(cast["observateur"]).get(u(territoire, "piece", sorte="reception", pk=pk)).status_code == 200
    assert connecte(cast["exterieur"]).get(u(territoire, "piece", sorte="reception", pk=pk)).status_code == 404
