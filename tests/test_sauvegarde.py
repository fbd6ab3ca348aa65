"""Backups (issue 16, point 9): `mutualis sauvegarde FILE` then `mutualis restauration FILE` into an empty
instance gives back every row of every table, every file the rows name (byte for byte) and the same
figures; each refusal writes nothing (docs/exploitation.md, « Sauvegarde et restauration »)."""

import datetime as dt
import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models

from mutualis.sauvegarde import EXCLUS, modeles
from tests.cast import EPCI, run_command

# Real transactions: the backup opens its own (REPEATABLE READ on PostgreSQL), the restoration commits, and
# PostgreSQL cannot flush tables inside a test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)


# --- What is compared ---------------------------------------------------------------------------------


def valeur(champ, objet):
    """A column as the database gives it back; a content type or a permission by its natural key (a
    restored instance numbers those its own way), a file by its name."""
    v = champ.value_from_object(objet)
    if v is not None and champ.related_model is ContentType:
        return ContentType.objects.get_for_id(v).natural_key()
    if v is not None and champ.related_model is Permission:
        return Permission.objects.get(pk=v).natural_key()
    if isinstance(champ, models.FileField):
        return v.name
    return v


def etat_complet() -> dict[str, list[tuple]]:
    """Every row of every table of every installed app, many-to-many link tables included, listed on
    their own (not through the module under test): only the documented exclusions are left out."""
    return {
        m._meta.label_lower: [
            tuple(valeur(c, o) for c in m._meta.local_concrete_fields) for o in m._base_manager.order_by("pk")
        ]
        for m in apps.get_models(include_auto_created=True)
        if m._meta.label_lower not in {"contenttypes.contenttype", "auth.permission", "sessions.session"}
    }


def fichiers() -> dict[str, bytes]:
    """Every file under MEDIA_ROOT, by its path."""
    racine = Path(_media())
    return {str(p.relative_to(racine)): p.read_bytes() for p in sorted(racine.rglob("*")) if p.is_file()}


def _media():
    from django.conf import settings

    return settings.MEDIA_ROOT


def vider():
    """An instance as `mutualis migrate` leaves it: no row, no file. Content types and permissions are made
    again in another order, so that their ids differ from the saved instance's."""
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.all().delete()
    ContentType.objects.clear_cache()
    for modele in reversed(apps.get_models(include_auto_created=True)):
        ContentType.objects.get_for_model(modele)
    for config in apps.get_app_configs():
        create_permissions(config, verbosity=0)
    shutil.rmtree(_media(), ignore_errors=True)


def vide() -> bool:
    return not any(m._base_manager.exists() for m in modeles()) and not fichiers()


def travailleur(monkeypatch):
    """The documents' worker of `make run`, once over what is queued (as in tests/publication/test_pages.py)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command(
        "db_worker", "--backend", "documents", "--queue-name", "documents", "--batch", "--no-startup-delay", verbosity=0
    )


def poser_logo(schema):
    """The schéma's layout with a logo, stored as the layout page stores it (publication/actions.py)."""
    from publication.models import Gabarit
    from tests.publication.fichiers import PNG

    gabarit = Gabarit.objects.create(schema=schema, titre="Schéma de mutualisation")
    gabarit.logo.save(f"logo-{schema.pk}.png", ContentFile(PNG))
    return gabarit


# --- The round trip on the demo -----------------------------------------------------------------------


def chiffres() -> dict:
    """The figures of the demo territory, through the code of the pages: each year's coefficient, read from
    the database (the in-process caches emptied first: the restored batches have the same keys)."""
    from engine.coefficient import compute_coefficient
    from masse_salariale import confidentialite, lecture
    from masse_salariale.lecture import paie_courante
    from scenarios import calcul

    lecture._CACHE.clear()
    calcul._CACHE.clear()
    confidentialite._CACHE.clear()
    from mutualis.demo import ANNEES, SIREN
    from territoire.models import Territoire

    territoire = Territoire.objects.get(code=SIREN)
    codes = [o.code for o in territoire.organisations.all()]
    resultats = {}
    for annee, *_ in ANNEES:
        paie = paie_courante(territoire, annee)
        resultats[annee] = compute_coefficient(paie.agregats, territoire.code, codes, territoire.themes_fonctionnels)
    return {annee: r.as_json() for annee, r in resultats.items()}


def aplatir(document, chemin="") -> dict:
    """A JSON document as {path: scalar}, for pytest.approx: polars sums in parallel threads, so the last bits
    of a float total may vary from one computation to the next, restoration or not."""
    if isinstance(document, dict | list):
        paires = document.items() if isinstance(document, dict) else enumerate(document)
        return {k: v for cle, element in paires for k, v in aplatir(element, f"{chemin}/{cle}").items()}
    return {chemin: document}


@pytest.fixture
def demo(db, monkeypatch):
    """The demo, plus what it lacks: a document written by the worker, one still queued, a logo, an
    administration journal row, a group of permissions."""
    from django.contrib.admin.models import ADDITION, LogEntry

    from comptes.models import Utilisateur
    from mutualis.demo import SIREN, charger_demo
    from parcours.models import VersionSchema
    from publication.actions import do_demander
    from territoire.models import Territoire

    charger_demo()
    equipe = Utilisateur.objects.get(username="equipe-projet")
    version = VersionSchema.objects.filter(schema__territoire__code=SIREN).order_by("numero").last()
    do_demander(version, "odt", equipe)  # queued at its commit (the test's transactions are real)
    travailleur(monkeypatch)
    do_demander(version, "docx", equipe)  # left in the queue
    poser_logo(version.schema)
    groupe = Group.objects.create(name="relecteurs")
    groupe.permissions.add(Permission.objects.get(codename="view_territoire"))
    equipe.groups.add(groupe)
    equipe.user_permissions.add(Permission.objects.get(codename="change_evenement"))
    territoire = Territoire.objects.get(code=SIREN)
    LogEntry.objects.log_actions(equipe.pk, [territoire], ADDITION)


def test_the_round_trip_gives_back_every_row_every_file_and_the_same_figures(demo, capsys, tmp_path, client):
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from mutualis.demo import MOT_DE_PASSE
    from publication.enums import StatutGeneration
    from publication.models import DocumentSchema
    from territoire.models import Evenement

    avant, fichiers_avant, chiffres_avant = etat_complet(), fichiers(), chiffres()
    document = DocumentSchema.objects.get(statut=StatutGeneration.PRET)
    assert fichiers_avant[document.fichier.name]  # the generated document is on disk
    assert DocumentSchema.objects.filter(statut=StatutGeneration.EN_ATTENTE).exists()
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    assert sum(1 for lignes in avant.values() if lignes) > 50  # the comparisons below are not trivially true
    assert 0 < chiffres_avant[2025]["coefficient"] < 1

    archive = tmp_path / "sauvegardes" / "mutualis.zip"
    archive.parent.mkdir()
    status, out, err = run_command(capsys, "sauvegarde", str(archive))
    assert status == 0, err
    assert out.startswith(f"Sauvegarde écrite : {archive}")
    resume = out.split(" Mo) : ")[1]
    assert resume.endswith(" fichiers.\n") and " lignes de " in resume
    assert "la clé de pseudonymisation n'est pas dans l'archive" in err and "pseudonym_key" in err
    assert "pseudonymiseraient les mêmes agents autrement" in err
    assert [p.name for p in archive.parent.iterdir()] == ["mutualis.zip"]  # no temporary file left

    vider()
    assert vide()
    status, out, err = run_command(capsys, "restauration", str(archive))
    assert status == 0, err
    assert out == f"Restauration terminée : {resume}"  # the same rows, tables and files as saved
    assert "empreinte vérifiée" in err

    assert etat_complet() == avant
    assert fichiers() == fichiers_avant  # byte for byte, and nothing else (no temporary folder)
    apres, avant_ = aplatir(chiffres()), aplatir(chiffres_avant)
    assert apres.keys() == avant_.keys()
    reels = {k for k, v in avant_.items() if isinstance(v, float)}
    assert {k: apres[k] for k in reels} == pytest.approx({k: avant_[k] for k in reels}, rel=1e-12, abs=1e-9)
    assert {k: v for k, v in apres.items() if k not in reels} == {k: v for k, v in avant_.items() if k not in reels}
    document.refresh_from_db()
    assert hashlib.sha256(fichiers()[document.fichier.name]).hexdigest() == document.empreinte

    # The instance works on: its accounts sign in, new rows take new ids.
    assert client.login(username="equipe-projet", password=MOT_DE_PASSE)
    dernier = Evenement.objects.order_by("pk").last()
    nouveau = Evenement.objects.create(territoire=dernier.territoire, action="test", objet="après la restauration")
    assert nouveau.pk > dernier.pk
    assert Group.objects.create(name="autre").pk > Group.objects.get(name="relecteurs").pk


def test_every_table_is_archived_but_content_types_permissions_and_sessions():
    """A model added tomorrow is archived by default; the exclusions are the three documented ones."""
    tous = {m._meta.label_lower for m in apps.get_models(include_auto_created=True)}
    assert tous - {m._meta.label_lower for m in modeles()} == EXCLUS
    assert {"masse_salariale.lignepaie", "comptes.utilisateur_groups", "django_tasks_database.dbtaskresult"} <= {
        m._meta.label_lower for m in modeles()
    }


# --- Refusals, on a small territory -------------------------------------------------------------------


@pytest.fixture
def archive(cast, territoire, lot_courant, capsys, tmp_path):
    """The archive of the small territory with its logo; its path."""
    poser_logo(territoire.schemas.get())
    chemin = tmp_path / "sauvegardes" / "petite.zip"
    chemin.parent.mkdir()
    status, _, err = run_command(capsys, "sauvegarde", str(chemin))
    assert status == 0, err
    return chemin


def reecrire(chemin: Path, changer) -> None:
    """Rewrite the archive with `changer(members)` applied to its members (name -> bytes)."""
    with zipfile.ZipFile(chemin) as z:
        membres = {nom: z.read(nom) for nom in z.namelist()}
    changer(membres)
    with zipfile.ZipFile(chemin, "w") as z:
        for nom, contenu in membres.items():
            z.writestr(nom, contenu)


def manifeste(membres: dict) -> dict:
    return json.loads(membres["manifeste.json"])


def test_an_existing_file_is_replaced_only_with_ecraser(db, capsys, tmp_path):
    chemin = tmp_path / "sauvegardes" / "a.zip"
    chemin.parent.mkdir()
    chemin.write_bytes(b"une autre sauvegarde")
    status, out, err = run_command(capsys, "sauvegarde", str(chemin))
    assert status == 2 and out == ""
    assert err == f"fichier : {chemin} existe déjà : --ecraser pour le remplacer\n"
    assert chemin.read_bytes() == b"une autre sauvegarde"
    assert [p.name for p in chemin.parent.iterdir()] == ["a.zip"]
    status, _, err = run_command(capsys, "sauvegarde", str(chemin), "--ecraser")
    assert status == 0, err
    assert zipfile.is_zipfile(chemin)
    status, _, err = run_command(capsys, "sauvegarde", str(tmp_path / "absent" / "a.zip"))
    assert status == 2 and err.startswith(f"fichier : {tmp_path / 'absent' / 'a.zip'} : écriture impossible")


def test_the_archive_holds_no_key_but_every_member_checksummed(archive):
    from django.conf import settings

    with zipfile.ZipFile(archive) as z:
        membres = {nom: z.read(nom) for nom in z.namelist()}
    doc = manifeste(membres)
    assert doc["format"] == "mutualis-sauvegarde" and doc["version"] == 1
    assert doc["modeles"]["masse_salariale.lignepaie"] == 17 and doc["modeles"]["territoire.territoire"] == 2
    assert set(doc["membres"]) == set(membres) - {"manifeste.json"}
    assert all(hashlib.sha256(membres[n]).hexdigest() == sha for n, sha in doc["membres"].items())
    assert any(n.startswith("medias/publication/logos/") for n in membres)
    assert "territoire" in doc["migrations"] and "comptes" in doc["migrations"]
    assert not any(settings.PSEUDONYM_KEY.encode() in contenu for contenu in membres.values())
    assert archive.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only


def test_a_non_empty_instance_is_refused_and_left_as_it_was(archive, capsys):
    avant, fichiers_avant = etat_complet(), fichiers()
    status, out, err = run_command(capsys, "restauration", str(archive))
    assert status == 2 and out == ""
    assert err.startswith("instance non vide : la restauration se fait dans une instance neuve")
    assert "comptes.utilisateur (11 lignes)" in err
    assert etat_complet() == avant and fichiers() == fichiers_avant


def test_a_user_alone_makes_the_instance_non_empty(archive, capsys):
    from comptes.models import Utilisateur

    vider()
    Utilisateur.objects.create_user(username="premier", password="x")
    status, _, err = run_command(capsys, "restauration", str(archive))
    assert status == 2 and "instance non vide" in err and "comptes.utilisateur (1 ligne)" in err
    assert Utilisateur.objects.count() == 1 and not fichiers()


def test_a_corrupt_archive_is_refused_and_nothing_is_written(archive, capsys, tmp_path):
    def changer_une_ligne(membres):
        membres["donnees/masse_salariale.lignepaie.jsonl"] = membres["donnees/masse_salariale.lignepaie.jsonl"].replace(
            b"50000", b"90000", 1
        )

    vider()
    reecrire(archive, changer_une_ligne)
    status, out, err = run_command(capsys, "restauration", str(archive))
    assert status == 2 and out == ""
    assert err == (
        "archive corrompue : « donnees/masse_salariale.lignepaie.jsonl » ne correspond pas à son empreinte SHA-256 ; "
        "rien n'a été restauré\n"
    )
    assert vide()

    tronquee = tmp_path / "tronquee.zip"
    tronquee.write_bytes(archive.read_bytes()[:-4000])
    status, _, err = run_command(capsys, "restauration", str(tronquee))
    assert status == 2 and err.startswith("archive illisible : ")
    assert vide()

    pas_une_sauvegarde = tmp_path / "autre.zip"
    with zipfile.ZipFile(pas_une_sauvegarde, "w") as z:
        z.writestr("notes.txt", "bonjour")
    status, _, err = run_command(capsys, "restauration", str(pas_une_sauvegarde))
    assert status == 2 and err.startswith("archive corrompue : pas de manifeste (ce n'est pas une sauvegarde")
    assert vide()

    def ajouter(membres):
        membres["medias/../../hors.txt"] = b"x"

    reecrire(archive, ajouter)
    status, _, err = run_command(capsys, "restauration", str(archive))
    assert status == 2 and "membre inconnu du manifeste" in err
    assert vide()


def test_an_archive_of_another_schema_is_refused(archive, capsys):
    def migration_future(membres):
        doc = manifeste(membres)
        doc["migrations"]["territoire"] = ["9999_future"]
        membres["manifeste.json"] = json.dumps(doc).encode()

    vider()
    reecrire(archive, migration_future)
    status, out, err = run_command(capsys, "restauration", str(archive))
    assert status == 2 and out == ""
    assert err.startswith("l'archive vient d'un autre état du schéma de la base")
    assert "  migrations territoire : 9999_future dans l'archive, 0" in err
    assert vide()


def test_another_pseudonymisation_key_is_refused_unless_nouvelle_cle(archive, capsys, settings):
    vider()
    settings.PSEUDONYM_KEY = "une-autre-cle-generee-au-premier-demarrage"
    status, out, err = run_command(capsys, "restauration", str(archive))
    assert status == 2 and out == ""
    assert err.startswith("clé de pseudonymisation : celle de cette instance, lue dans ")
    assert "pseudonymiseraient les mêmes agents autrement" in err and "--nouvelle-cle" in err
    assert vide()
    status, _, err = run_command(capsys, "restauration", str(archive), "--nouvelle-cle")
    assert status == 0, err
    assert "n'est pas forcément celle de l'instance sauvegardée" in err


def test_a_failure_while_loading_rolls_everything_back_and_leaves_no_file(archive, capsys):
    def evenement_orphelin(membres):
        nom = "donnees/territoire.evenement.jsonl"
        lignes = membres[nom].decode().splitlines()
        ligne = json.loads(lignes[0])
        ligne["fields"]["territoire"] = 999999
        membres[nom] = "\n".join([json.dumps(ligne), *lignes[1:]]).encode() + b"\n"
        doc = manifeste(membres)
        doc["membres"][nom] = hashlib.sha256(membres[nom]).hexdigest()
        membres["manifeste.json"] = json.dumps(doc).encode()

    vider()
    reecrire(archive, evenement_orphelin)
    status, out, err = run_command(capsys, "restauration", str(archive))
    assert status == 2 and out == ""
    assert err.startswith("restauration impossible : ") and err.endswith("rien n'a été restauré\n")
    assert vide()
    assert not any(Path(_media()).iterdir())  # nor the temporary folder


def test_a_missing_file_and_a_running_task_are_told_about(cast, territoire, capsys, tmp_path):
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult, get_date_max

    gabarit = poser_logo(territoire.schemas.get())
    Path(gabarit.logo.path).unlink()
    DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="publication.generation.generer_document",
        queue_name="documents",
        backend_name="documents",
        run_after=get_date_max(),
    )
    chemin = tmp_path / "a.zip"
    status, _, err = run_command(capsys, "sauvegarde", str(chemin))
    assert status == 0
    assert f"avertissement : fichier désigné par la base mais absent du disque : {gabarit.logo.name}" in err

    vider()
    status, _, err = run_command(capsys, "restauration", str(chemin))
    assert status == 0, err
    assert "1 tâche en cours lors de la sauvegarde" in err and gabarit.logo.name in err
    assert DBTaskResult.objects.get(backend_name="documents").status == TaskResultStatus.READY
    assert territoire.schemas.get().gabarit.logo.name == gabarit.logo.name
    assert EPCI in {t.code for t in type(territoire).objects.all()}
