"""Payroll uploads read by the worker of the queue `imports` (masse_salariale/imports.py): the request stores the
files and queues; the upload's page shows the progress, then the batch, the reading to place, or the same
French errors as before; the files are deleted once read; a reading survives its worker (run again once, then
given up with a French message), and the daily work gives up what no worker read within a day."""

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from masse_salariale import dsn, imports
from masse_salariale.models import ImportPaie, LectureDSN, Lot
from territoire.models import Evenement, Organisation
from tests.cast import BORDEAUX, EPCI, MERIGNAC, payroll_csv, run_command
from tests.dsn_ecriture import SIREN, contrat, dsn_mois
from tests.taches import travailleur

pytestmark = pytest.mark.django_db


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


@pytest.fixture
def merignac(territoire):
    org = Organisation.objects.get(territoire=territoire, code=MERIGNAC)
    org.siren = SIREN
    org.save(update_fields=["siren"])
    return org


def annee_dsn(m):
    return [("A1", [contrat("1", libelle="Jardinier")], [("1", "1800.00")])]


def envoyer_dsn(client, territoire, mois=12, **champs):
    envois = [SimpleUploadedFile(f"dsn-{m:02d}.txt", dsn_mois(m, annee_dsn(m)).encode()) for m in range(1, mois + 1)]
    donnees = {"organisation": MERIGNAC, "annee": 2025, "fichiers": envois, "taux_cnracl": "37,65", **champs}
    return client.post(reverse("masse_salariale:dsn", kwargs={"code": territoire.code}), donnees)


def fichiers_gardes(settings):
    racine = settings.MEDIA_ROOT / "imports-paie"
    return sorted(p.relative_to(racine) for p in racine.rglob("*")) if racine.exists() else []


def test_a_year_of_dsn_is_stored_queued_followed_then_leads_to_its_reading(
    connecte, cast, territoire, merignac, settings
):
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer_dsn(client, territoire)
    envoi = ImportPaie.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == reverse(
        "masse_salariale:import", kwargs={"code": territoire.code, "pk": envoi.pk}
    )
    # Nothing read in the request: the files wait for the worker, readable by this process alone.
    assert envoi.statut == "attente" and not LectureDSN.objects.exists()
    dossier = settings.MEDIA_ROOT / "imports-paie" / envoi.dossier
    assert oct(dossier.stat().st_mode & 0o777) == "0o700" and len(list(dossier.iterdir())) == 12
    assert all(oct(f.stat().st_mode & 0o777) == "0o600" for f in dossier.iterdir())
    assert [f["nom"] for f in envoi.fichiers][:2] == ["dsn-01.txt", "dsn-02.txt"]
    page = texte(client.get(reponse["Location"]))
    assert "Lecture des DSN 2025 de Mérignac" in page and "data-etat-url" in page and "<progress" in page
    assert "En attente : en file d'attente (0 %)" in page and "js/progression.js" in page
    etat = client.get(reverse("masse_salariale:import_etat", kwargs={"code": territoire.code, "pk": envoi.pk}))
    assert etat.json()["statut"] == "attente" and "no-store" in etat["Cache-Control"]
    # The DSN page lists the year under way.
    assert "DSN en cours de lecture" in texte(
        client.get(reverse("masse_salariale:dsn", kwargs={"code": territoire.code}))
    )

    travailleur("imports")
    envoi.refresh_from_db()
    lecture = LectureDSN.objects.get()
    assert (envoi.statut, envoi.progression, envoi.lecture) == ("lu", 100, lecture)
    assert client.get(etat.wsgi_request.path).json()["statut"] == "pret"
    suite = client.get(reponse["Location"])
    assert suite["Location"].endswith(f"/dsn/{lecture.pk}/")
    assert "1 agent à placer" in texte(client.get(suite["Location"]))
    assert fichiers_gardes(settings) == []  # deleted once read


def test_the_progress_is_written_while_the_files_are_read(connecte, cast, territoire, merignac, monkeypatch):
    vus = []
    lire = dsn.dsn.lire_annee

    def lire_et_regarder(*args, **kwargs):
        annee = lire(*args, **kwargs)
        envoi = ImportPaie.objects.get()
        vus.append((envoi.statut, envoi.progression, envoi.etape))
        return annee

    monkeypatch.setattr(dsn.dsn, "lire_annee", lire_et_regarder)
    envoyer_dsn(connecte(cast["dgs_merignac"]), territoire)
    travailleur("imports")
    [(statut, progression, etape)] = vus
    assert statut == "cours" and etape == "Lecture des DSN" and 60 <= progression <= 90


def test_a_refused_year_shows_the_same_errors_on_its_page_and_keeps_nothing(
    connecte, cast, territoire, merignac, settings
):
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer_dsn(client, territoire, mois=11, chapitre_012="120 000")
    travailleur("imports")
    page = texte(client.get(reponse["Location"]))
    assert "Les DSN n'ont pas été lues" in page and "mois manquant : décembre 2025" in page
    assert "le taux « régime général » (general) manque" not in page  # only CNRACL agents
    # The form is filled again as it was sent (the files are to be chosen again).
    assert 'value="37,65"' in page and 'value="120000' in page.replace("\u202f", "").replace(" ", "")
    assert not LectureDSN.objects.exists() and fichiers_gardes(settings) == []
    refus = Evenement.objects.get(action="masse_salariale.dsn_refus")
    assert refus.details["erreurs"] == 1 and len(refus.details["empreintes"]) == 11


def test_a_large_payroll_file_goes_to_the_worker_a_small_one_is_read_at_once(connecte, cast, territoire, monkeypatch):
    client = connecte(cast["equipe_projet"])
    url = reverse("masse_salariale:importer", kwargs={"code": territoire.code})
    petit = payroll_csv(f"{BORDEAUX};B1;FIN;41000;1;1;propre;;;B")
    reponse = client.post(url, {"fichier": SimpleUploadedFile("petit.csv", petit), "annee": 2024})
    assert "/lots/" in reponse["Location"] and not ImportPaie.objects.exists()

    monkeypatch.setattr(imports, "SEUIL_FICHIER", 100)
    grand = payroll_csv(*(f"{BORDEAUX};B{k};FIN;41000;1;1;propre;;;B" for k in range(20)))
    reponse = client.post(url, {"fichier": SimpleUploadedFile("grand.csv", grand), "annee": 2025})
    envoi = ImportPaie.objects.get()
    assert "/imports/" in reponse["Location"] and not Lot.objects.filter(annee=2025).exists()
    assert "Lecture du fichier « grand.csv » (2025)" in texte(client.get(reponse["Location"]))
    travailleur("imports")
    lot = Lot.objects.get(annee=2025)
    assert lot.statut == "a_confirmer" and lot.nb_agents == 20 and lot.importe_par == cast["equipe_projet"]
    assert client.get(reponse["Location"])["Location"].endswith(f"/lots/{lot.pk}/")
    assert ImportPaie.objects.get(pk=envoi.pk).lot == lot


def test_a_refused_large_payroll_file_shows_the_same_report_as_before(
    connecte, cast, territoire, monkeypatch, settings
):
    monkeypatch.setattr(imports, "SEUIL_FICHIER", 10)
    client = connecte(cast["dgs_merignac"])
    data = payroll_csv(f"{MERIGNAC};M1;RH;44000;1;1;propre;;;B", f"{BORDEAUX};B1;XYZ;abc;1;1;propre;;;B")
    url = reverse("masse_salariale:importer", kwargs={"code": territoire.code})
    reponse = client.post(url, {"fichier": SimpleUploadedFile("paie.csv", data), "annee": 2025})
    travailleur("imports")
    page = texte(client.get(reponse["Location"]))
    assert "Le fichier « paie.csv » n'a pas été importé" in page
    assert f"ligne 3 : employeur « {BORDEAUX} » : vous ne pouvez importer que les lignes de votre organisation" in page
    assert "ligne 3 : cout_annuel « abc »" in page and "rien n'a été importé" in page
    assert not Lot.objects.exists() and fichiers_gardes(settings) == []
    assert Evenement.objects.get(action="masse_salariale.refus").objet == "paie.csv"


def test_only_its_sender_follows_an_upload(connecte, cast, territoire, monkeypatch):
    monkeypatch.setattr(imports, "SEUIL_FICHIER", 10)
    client = connecte(cast["equipe_projet"])
    data = payroll_csv(f"{EPCI};E1;FIN;50000;1;1;propre;;;A")
    url = reverse("masse_salariale:importer", kwargs={"code": territoire.code})
    page = client.post(url, {"fichier": SimpleUploadedFile("paie.csv", data), "annee": 2025})["Location"]
    assert client.get(page).status_code == 200
    assert connecte(cast["dgs_metropole"]).get(page).status_code == 404
    assert connecte(cast["membre_rh"]).get(page).status_code == 403


def test_a_job_queued_while_no_worker_runs_is_done_when_one_starts(connecte, cast, territoire, merignac):
    envoyer_dsn(connecte(cast["dgs_merignac"]), territoire)
    [tache] = DBTaskResult.objects.filter(backend_name="imports")
    assert tache.status == "READY"  # it waits in the database as long as it takes
    travailleur("imports")
    tache.refresh_from_db()
    assert tache.status == "SUCCESSFUL" and ImportPaie.objects.get().statut == "lu"


def interrompre(tache, *morts):
    """What a worker killed in the middle of the task leaves: the task RUNNING, claimed by dead workers."""
    tache.status, tache.worker_ids, tache.started_at = "RUNNING", list(morts), timezone.now()
    tache.save(update_fields=["status", "worker_ids", "started_at"])


def test_a_reading_whose_worker_died_is_read_again_by_the_next_worker(connecte, cast, territoire, merignac, settings):
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer_dsn(client, territoire)
    [tache] = DBTaskResult.objects.filter(backend_name="imports")
    interrompre(tache, "tue-en-cours-de-route")
    ImportPaie.objects.update(statut="cours", progression=40, etape="Lecture des DSN")
    travailleur("imports")  # the worker that starts takes it back, from the files kept
    tache.refresh_from_db()
    assert tache.status == "SUCCESSFUL" and len(tache.worker_ids) == 2
    assert client.get(reponse["Location"])["Location"].endswith(f"/dsn/{LectureDSN.objects.get().pk}/")
    assert fichiers_gardes(settings) == []


def test_a_reading_interrupted_twice_is_given_up_with_a_french_message(
    connecte, cast, territoire, merignac, settings, caplog
):
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer_dsn(client, territoire)
    [tache] = DBTaskResult.objects.filter(backend_name="imports")
    interrompre(tache, "premier", "second")
    travailleur("imports")
    tache.refresh_from_db()
    assert tache.status == "FAILED" and tache.exception_class_path == "commun.travaux.TravailInterrompu"
    envoi = ImportPaie.objects.get()
    assert envoi.statut == "echec" and not LectureDSN.objects.exists() and fichiers_gardes(settings) == []
    page = texte(client.get(reponse["Location"]))
    assert "La lecture n'a pas abouti" in page and "interrompu deux fois par l'arrêt du serveur" in page
    assert "data-etat-url" not in page and "Envoyer de nouveau" in page
    etat = client.get(reverse("masse_salariale:import_etat", kwargs={"code": territoire.code, "pk": envoi.pk}))
    assert etat.json()["statut"] == "echec" and "renvoyez-les" in etat.json()["erreur"]
    assert "abandonnée" in caplog.text


def test_a_failure_of_the_reading_itself_is_said_and_the_files_deleted(
    connecte, cast, territoire, merignac, settings, monkeypatch
):
    def panne(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(dsn.dsn, "lire_annee", panne)
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer_dsn(client, territoire)
    travailleur("imports")
    assert DBTaskResult.objects.get(backend_name="imports").status == "FAILED"
    assert "la lecture a échoué (MemoryError)" in texte(client.get(reponse["Location"]))
    assert fichiers_gardes(settings) == []


def test_the_daily_work_gives_up_what_no_worker_read_within_a_day(
    connecte, cast, territoire, merignac, settings, capsys
):
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer_dsn(client, territoire)
    ImportPaie.objects.update(demande_le=timezone.now() - dt.timedelta(hours=25))
    assert run_command(capsys, "taches-quotidiennes")[1].strip().endswith("1 envoi de paie non lu effacé")
    assert fichiers_gardes(settings) == []
    assert "n'ont pas été lus dans les 24 heures" in texte(client.get(reponse["Location"]))
    travailleur("imports")  # a worker that comes at last finds nothing to read
    assert ImportPaie.objects.get().statut == "echec" and not LectureDSN.objects.exists()
