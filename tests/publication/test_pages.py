"""The documents' pages (issue 13, points 4 and 5): a request queued and written by the worker of the
database task backend, its progress, the file stored with its checksum and served again; the layout with
its sanitised introductions and its preview."""

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from publication import actions
from publication.enums import StatutGeneration
from publication.models import DocumentSchema, Gabarit
from territoire.models import Evenement
from tests.cast import EPCI, MERIGNAC
from tests.concurrence import enregistrer
from tests.publication.conftest import pdftotext
from tests.publication.fichiers import PNG

pytestmark = pytest.mark.django_db


def url(name, **kwargs):
    return reverse(f"publication:{name}", kwargs={"code": EPCI, **kwargs})


def travailleur(monkeypatch):
    """The worker of `make run`, once over what is queued. It closes the connections it finds outside
    autocommit between tasks: inside a test's transaction (PostgreSQL) that would close the test's own."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command(
        "db_worker", "--backend", "documents", "--queue-name", "documents", "--batch", "--no-startup-delay", verbosity=0
    )


def test_a_document_is_written_in_the_background_stored_with_its_checksum_and_served_again(
    version, cast, connecte, django_capture_on_commit_callbacks, tmp_path, monkeypatch
):
    client = connecte(cast["equipe_projet"])
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url("generer", numero=version.numero), {"format": "pdf"})
    assert reponse.status_code == 302
    demande = DocumentSchema.objects.get()
    assert demande.statut == StatutGeneration.EN_ATTENTE  # queued: nothing written during the request
    etat = client.get(url("etat", pk=demande.pk)).json()
    assert etat["statut"] == "attente" and etat["lien"] == ""
    page = client.get(url("version", numero=version.numero)).content.decode()
    assert "data-etat-url" in page and "progress" in page

    travailleur(monkeypatch)
    demande.refresh_from_db()
    assert demande.statut == StatutGeneration.PRET and demande.progression == 100 and demande.pages > 5
    contenu = demande.fichier.open("rb").read()
    assert hashlib.sha256(contenu).hexdigest() == demande.empreinte
    assert Evenement.objects.get(action="publication.document").details["sha256"] == demande.empreinte
    assert client.get(url("etat", pk=demande.pk)).json()["lien"] == url("telecharger", pk=demande.pk)
    telecharge = client.get(url("telecharger", pk=demande.pk))
    assert b"".join(telecharge.streaming_content) == contenu
    assert telecharge["X-Checksum-SHA256"] == demande.empreinte
    assert "Impact prévisionnel" in pdftotext(contenu, tmp_path)

    # Same choices, same layout: the stored file is served, nothing is queued; a member downloads it too.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("generer", numero=version.numero), {"format": "pdf"})
    assert DocumentSchema.objects.count() == 1
    client = connecte(cast["elu_copil"])
    page = client.get(url("version", numero=version.numero)).content.decode()
    assert url("telecharger", pk=demande.pk) in page and "Présentation des montants" not in page


def test_a_second_request_while_one_is_under_way_is_the_same_request(version, cast):
    premiere = actions.do_demander(version, "odt", cast["equipe_projet"])
    assert actions.do_demander(version, "odt", cast["equipe_projet"]).pk == premiere.pk


def test_a_new_layout_makes_a_new_document_until_the_version_is_sent(version, cast, territoire):
    from parcours.actions import do_envoyer_projet
    from tests.publication.conftest import AUJOURDHUI, organisation

    equipe = cast["equipe_projet"]
    premiere = actions.do_demander(version, "docx", equipe)
    DocumentSchema.objects.filter(pk=premiere.pk).update(statut=StatutGeneration.PRET)
    valeurs = {"couleur": "#224466", "couleur_secondaire": "#eeeeee", "titre": "", "sous_titre": "", "mention": ""}
    actions.do_modifier_gabarit(version.schema, {**valeurs, "introductions": {}}, None, equipe)
    seconde = actions.do_demander(version, "docx", equipe)
    assert seconde.pk != premiere.pk
    DocumentSchema.objects.filter(pk=seconde.pk).update(statut=StatutGeneration.PRET)
    do_envoyer_projet(version, [organisation(territoire, MERIGNAC)], AUJOURDHUI, "courriel", equipe, AUJOURDHUI)
    actions.do_modifier_gabarit(version.schema, {**valeurs, "couleur": "#112233", "introductions": {}}, None, equipe)
    assert actions.do_demander(version, "docx", equipe).pk == premiere.pk  # the first stored: never rewritten


def test_an_unknown_format_is_refused_in_french(version, cast, connecte):
    client = connecte(cast["equipe_projet"])
    reponse = client.post(url("generer", numero=version.numero), {"format": "rtf"}, follow=True)
    assert "format « rtf » inconnu" in reponse.content.decode()
    assert not DocumentSchema.objects.exists()


def test_the_presentation_form_records_the_choices(version, cast, connecte):
    client = connecte(cast["equipe_projet"])
    page = client.get(url("version", numero=version.numero)).content.decode()
    assert "Mérignac" in page and "moins de 5 agents" in page
    reponse = client.post(
        url("version", numero=version.numero),
        {"p_33281": "montrer", "dgs_33281": "", "le_33281": "", "p_33318": "cout_moyen", "p_33522": "cout_moyen"},
    )
    assert reponse.status_code == 400
    assert "demande l&#x27;accord de son DGS" in reponse.content.decode()
    assert not version.choix_publication.exists()
    reponse = client.post(
        url("version", numero=version.numero),
        {
            "p_33281": "montrer",
            "dgs_33281": cast["dgs_merignac"].pk,
            "le_33281": "2026-12-01",
            "p_33318": "cout_moyen",
            "p_33522": "cout_moyen",
        },
    )
    assert reponse.status_code == 302
    choix = version.choix_publication.get(organisation__code=MERIGNAC)
    assert choix.consentement_de == cast["dgs_merignac"] and str(choix.consentement_le) == "2026-12-01"


def test_the_layout_sanitises_the_introductions_and_previews_without_saving(version, cast, connecte, tmp_path):
    client = connecte(cast["equipe_projet"])
    donnees = {
        "couleur": "#8a1538",
        "couleur_secondaire": "#f4e8ec",
        "titre": "Projet de schéma de mutualisation",
        "sous_titre": "",
        "mention": "Document remis aux conseils municipaux",
        "intro_synthese": "Le **bureau** a retenu *trois* priorités.\n\n- la paie\n- les marchés",
        "intro_cadre": '<p onclick="x()">Texte collé <b>gras</b><img src=x onerror=alert(1)>'
        "<script>alert(2)</script></p>",
    }
    apercu = client.post(url("gabarit"), {**donnees, "apercu": "1"})
    html = apercu.content.decode()
    assert apercu.status_code == 200 and "Aperçu (non enregistré)" in html
    assert "<strong>bureau</strong>" in html and "<li>la paie</li>" in html and "<b>gras</b>" in html
    assert "<script>alert" not in html and "<img src=x" not in html and 'onclick="x()"' not in html
    assert not Gabarit.objects.exists()

    reponse = enregistrer(client, url("gabarit"), {**donnees, "logo": _logo()})
    assert reponse.status_code == 302
    g = Gabarit.objects.get()
    assert g.couleur == "#8a1538" and g.logo
    assert client.get(url("logo"))["Content-Type"] == "image/png"
    texte = " ".join(pdftotext(ecrire_pdf(version), tmp_path).split())
    assert "Projet de schéma de mutualisation" in texte and "Le bureau a retenu trois priorités." in texte
    assert "alert" not in texte and "Texte collé gras" in texte


def test_the_layout_refuses_a_bad_colour_and_a_file_that_is_no_image(cast, territoire, connecte):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = connecte(cast["equipe_projet"])
    donnees = {"couleur": "rouge", "couleur_secondaire": "#ffffff", "titre": "", "sous_titre": "", "mention": ""}
    faux = SimpleUploadedFile("logo.png", b"%PDF-1.4 pas une image", content_type="image/png")
    reponse = client.post(url("gabarit"), {**donnees, "logo": faux})
    html = reponse.content.decode()
    assert reponse.status_code == 400
    assert "« rouge » : attendu une couleur #RRVVBB" in html and "n&#x27;est pas une image PNG ou JPEG" in html
    assert not Gabarit.objects.exists()


def _logo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("logo.png", PNG, content_type="image/png")


def ecrire_pdf(version) -> bytes:
    from publication.generation import ecrire

    return ecrire(version, "pdf")[0]


def test_the_project_team_is_told_to_prepare_the_document_until_a_pdf_is_under_way(version, cast, territoire):
    from django.utils import timezone

    from commun.taches import a_faire
    from comptes.perms import acces_pour

    equipe = cast["equipe_projet"]

    def libelles(user):
        return [t.libelle for t in a_faire(acces_pour(user, territoire), user, timezone.now())]

    assert "Version 1 du schéma : préparer le rapport et projet de schéma" in libelles(equipe)
    assert not any("rapport et projet" in l for l in libelles(cast["dgs_merignac"]))
    demande = actions.do_demander(version, "pdf", equipe)
    assert not any("rapport et projet" in l for l in libelles(equipe))
    DocumentSchema.objects.filter(pk=demande.pk).update(statut=StatutGeneration.ECHEC)
    assert "Version 1 du schéma : relancer la préparation du rapport et projet de schéma (échec)" in libelles(equipe)


def test_a_document_whose_worker_died_twice_says_so_instead_of_staying_under_way(
    version, cast, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from commun.travaux import INTERROMPU, reprendre_interrompus

    with django_capture_on_commit_callbacks(execute=True):
        demande = actions.do_demander(version, "pdf", cast["equipe_projet"])
    DocumentSchema.objects.filter(pk=demande.pk).update(statut=StatutGeneration.EN_COURS, progression=40)
    DBTaskResult.objects.filter(backend_name="documents").update(status="RUNNING", worker_ids=["un", "deux"])
    assert reprendre_interrompus("documents", ["documents"]) == (0, 1)
    demande.refresh_from_db()
    assert demande.statut == StatutGeneration.ECHEC and demande.erreur.startswith(INTERROMPU)
