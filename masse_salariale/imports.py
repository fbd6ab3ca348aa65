"""Payroll uploads read in the background (docs/import-export-paie.md; docs/exploitation.md, « Travaux en
arrière-plan »): the view stores the upload and queues a task of the database queue `imports`; its worker
reads it as the request did, all or nothing, and the upload's page (masse_salariale/views_imports.py) shows
the progress, then the result: the batch to confirm, the DSN reading to place, or the file's errors, with
the same French messages as when the request read it.

Which uploads go to the worker: every DSN upload, a year of an employer's DSN (40 to 500 MB for a large one,
docs/contrats/9-dsn.md), read twice (its fingerprint, then its rubriques); and a payroll file (CSV, XLSX or
ODS, 20 MB at most) over `SEUIL_FICHIER`. A smaller payroll file is read by the request, as before: on a
Bordeaux-sized payroll (23 002 lines, bench/bench_import.py) the 2.0 MB CSV is read in 0.9 s and the 1.2 MB
XLSX in 1.6 s, so a file of a few hundred kilobytes answers at once, where a page of progress would only make
it wait for the worker; a file of 20 MB would hold the request for ten to thirty seconds.

The files are written under MEDIA_ROOT/imports-paie/<a random name>/ (no URL serves MEDIA_ROOT), the folder
0700 and each file 0600, named by their rank (the names the user gave are in the row), and deleted once read,
whatever the outcome. A reading whose worker died is run again once by the next worker, from the same files
(commun/travaux.py); a second time it fails, its files are deleted, and its page says so. What the worker
never read (it was stopped for a day) is given up by the daily work (`expirer`)."""

import hashlib
import os
import secrets
import shutil
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.move import file_move_safe
from django.db import transaction
from django.dispatch import receiver
from django.tasks import TaskResultStatus, task
from django.tasks.signals import task_finished
from django.utils import timezone

from commun.erreurs import ActionRefusee
from commun.travaux import INTERROMPU, TravailInterrompu
from comptes.perms import Acces
from formats import correspondance
from formats.errors import InvalidFile
from masse_salariale import dsn
from masse_salariale.actions import do_preparer_lot
from masse_salariale.enums import GenreImport, StatutImport
from masse_salariale.models import ImportPaie
from territoire.models import Evenement

SEUIL_FICHIER = 1024 * 1024  # a payroll file over 1 MB is read by the worker
DOSSIER = "imports-paie"
DUREE = timedelta(hours=24)  # an upload the worker has not read by then is given up (its files deleted)
ECHEC = "la lecture a échoué ({}) : rien n'a été enregistré ; renvoyez les fichiers, ou signalez-le à l'administrateur"
ARRET = "la lecture a été interrompue par l'arrêt du serveur"
PERIME = (
    "les fichiers n'ont pas été lus dans les 24 heures (le service qui les lit était arrêté) : rien n'a été "
    "enregistré, et ils sont effacés ; renvoyez-les"
)


def _dossier(envoi: ImportPaie) -> Path:
    return Path(settings.MEDIA_ROOT) / DOSSIER / envoi.dossier


def _chemin(envoi: ImportPaie, rang: int) -> Path:
    return _dossier(envoi) / str(rang)


def _stocker(envoi, chemin: Path) -> None:
    """Keep an upload: Django's temporary file is moved (a year of DSN is not copied), a small one written."""
    if hasattr(envoi, "temporary_file_path"):
        file_move_safe(envoi.temporary_file_path(), str(chemin))
    else:
        with chemin.open("wb") as f:
            for morceau in envoi.chunks():
                f.write(morceau)
    chemin.chmod(0o600)


@transaction.atomic
def deposer(territoire, genre: str, annee: int, envois: list[tuple[str, object]], utilisateur, **champs) -> ImportPaie:
    """Store the uploads (`envois`: (role, uploaded file), the role « paie », « dsn » or « agents ») and queue
    their reading; `champs`: the organisation and the DSN's parameters."""
    envoi = ImportPaie(
        territoire=territoire,
        genre=genre,
        annee=annee,
        dossier=secrets.token_hex(16),
        demande_par=utilisateur,
        fichiers=[{"nom": e.name[:255], "taille": e.size, "role": role} for role, e in envois],
        **champs,
    )
    dossier = _dossier(envoi)
    dossier.mkdir(mode=0o700, parents=True)
    try:
        for rang, (_, e) in enumerate(envois):
            _stocker(e, _chemin(envoi, rang))
        envoi.save()
        lire_import.enqueue(envoi.pk)
    except BaseException:
        shutil.rmtree(dossier, ignore_errors=True)
        raise
    return envoi


def deposer_fichier(territoire, upload, annee: int, utilisateur) -> ImportPaie:
    return deposer(territoire, GenreImport.FICHIER, annee, [("paie", upload)], utilisateur)


def deposer_dsn(territoire, organisation, annee: int, fichiers, agents, taux: dict, chapitre_012, mois_manquants, user):
    """A year of DSN files (and the optional agents file) with the form's rates (fractions), chapter 012 and
    choice about missing months."""
    envois = [("dsn", f) for f in fichiers] + ([("agents", agents)] if agents is not None else [])
    parametres = {
        "taux": {k: str(v) for k, v in taux.items()},
        "chapitre_012": None if chapitre_012 is None else str(chapitre_012),
        "mois_manquants": bool(mois_manquants),
    }
    return deposer(territoire, GenreImport.DSN, annee, envois, user, organisation=organisation, parametres=parametres)


def effacer(envoi: ImportPaie) -> None:
    shutil.rmtree(_dossier(envoi), ignore_errors=True)


# --- The worker's side -------------------------------------------------------------------------------------


@task(backend="imports", queue_name="imports")
def lire_import(pk: int) -> str:
    """Read one stored upload, all or nothing; returns its status. The refusal of the file is an outcome
    (its errors on the row, as the request showed them); any other failure is recorded and raised again, so
    the worker logs it."""
    envoi = ImportPaie.objects.select_related("territoire", "organisation", "demande_par").filter(pk=pk).first()
    if envoi is None or envoi.termine:  # given up meanwhile (`expirer`), or read by a worker that died after
        if envoi is not None:
            effacer(envoi)
        return envoi.statut if envoi else "absent"
    suivi = _Suivi(envoi)
    suivi(5, "Démarrage")
    try:
        if envoi.genre == GenreImport.DSN:
            _lire_dsn(envoi, suivi)
        else:
            _lire_fichier(envoi, suivi)
    except (InvalidFile, ActionRefusee) as exc:
        _refuser(envoi, exc)
    except Exception as exc:
        _echouer(envoi, ECHEC.format(type(exc).__name__))
        raise
    finally:
        effacer(envoi)
    return envoi.statut


class _Suivi:
    """The progress written on the row, outside any transaction, so the page reads it at once; while the
    files are read (`force=False`), once a percent at most: 85 writes for a year of DSN, whatever its size."""

    def __init__(self, envoi: ImportPaie):
        self.pk, self.dernier = envoi.pk, -1

    def __call__(self, pourcent: int, etape: str, force: bool = True) -> None:
        if not force and pourcent == self.dernier:
            return
        self.dernier = pourcent
        vivant = ImportPaie.objects.filter(pk=self.pk, statut__in=(StatutImport.EN_ATTENTE, StatutImport.EN_COURS))
        vivant.update(statut=StatutImport.EN_COURS, progression=pourcent, etape=etape)


class _Compte(File):
    """A stored file that counts the bytes read from it (the progress of a DSN reading)."""

    def __init__(self, f, nom: str, lus):
        super().__init__(f, name=nom)
        self.lus = lus

    def read(self, *args):
        donnees = self.file.read(*args)
        self.lus(len(donnees))
        return donnees


def _lire_fichier(envoi: ImportPaie, suivi) -> None:
    suivi(10, "Lecture et vérification du fichier")
    data = _chemin(envoi, 0).read_bytes()
    acces = Acces(envoi.demande_par, envoi.territoire)
    with transaction.atomic():  # the batch and the end of the upload together: a re-run makes no second batch
        lot = do_preparer_lot(envoi.territoire, data, envoi.fichiers[0]["nom"], envoi.annee, envoi.demande_par, acces)
        _lu(envoi, lot=lot)


def _lire_dsn(envoi: ImportPaie, suivi) -> None:
    acces = Acces(envoi.demande_par, envoi.territoire)
    if not acces.organisations_importables().filter(pk=envoi.organisation_id).exists():
        raise ActionRefusee([f"employeur : vous n'importez plus la masse salariale de {envoi.organisation.nom}"])
    rangs = {"dsn": [], "agents": []}
    for rang, f in enumerate(envoi.fichiers):
        rangs[f["role"]].append(rang)
    # Each file is read twice: its fingerprint (5 to 13 %), then its rubriques (13 to 90 %), about ten
    # times slower (147 MB of DSN: 0.3 s, then 4 s).
    taille = max(1, sum(envoi.fichiers[r]["taille"] for r in rangs["dsn"]))
    lus = 0

    def compter(n):
        nonlocal lus
        lus += n
        pourcent = 5 + 8 * lus // taille if lus <= taille else 13 + min(77, 77 * (lus - taille) // taille)
        suivi(pourcent, "Lecture des DSN", force=False)

    p = envoi.parametres
    taux = {k: Decimal(v) for k, v in p["taux"].items()}
    ouverts = [_Compte(_chemin(envoi, r).open("rb"), envoi.fichiers[r]["nom"], compter) for r in rangs["dsn"]]
    try:
        services = {}
        for r in rangs["agents"]:
            services = correspondance.lire_agents(_chemin(envoi, r).read_bytes(), envoi.fichiers[r]["nom"])
        fichiers = dsn.fichiers_envoyes(ouverts)
        lue = dsn.lire_dsn(envoi.organisation, envoi.annee, fichiers, taux, p["mois_manquants"])
    finally:
        for f in ouverts:
            f.close()
    suivi(90, "Enregistrement des agents lus")
    chapitre_012 = None if p["chapitre_012"] is None else Decimal(p["chapitre_012"])
    # The reading, its batch when every agent is placed, and the end of the upload together: a worker that
    # dies in between leaves nothing, and the re-run makes no second reading.
    with transaction.atomic():
        lecture = dsn.do_enregistrer_lecture(
            envoi.organisation, envoi.annee, fichiers, taux, envoi.demande_par, lue, services, chapitre_012
        )
        if dsn.a_placer(lecture):
            _lu(envoi, lecture=lecture)
            return
        try:  # every agent is placed by the correspondence: the batch is prepared at once, as by the page
            lot = dsn.do_preparer_depuis_dsn(lecture, envoi.demande_par, acces)
        except (InvalidFile, ActionRefusee) as exc:
            _lu(envoi, lecture=lecture, erreurs=exc.errors if isinstance(exc, InvalidFile) else exc.messages)
        else:
            _lu(envoi, lecture=lecture, lot=lot)


def _lu(envoi: ImportPaie, lot=None, lecture=None, erreurs=()) -> None:
    envoi.statut, envoi.progression, envoi.etape = StatutImport.LU, 100, "Terminé"
    envoi.lot, envoi.lecture, envoi.erreurs, envoi.termine_le = lot, lecture, list(erreurs), timezone.now()
    envoi.save(update_fields=["statut", "progression", "etape", "lot", "lecture", "erreurs", "termine_le"])


def _refuser(envoi: ImportPaie, exc: InvalidFile | ActionRefusee) -> None:
    """The file's errors, kept for its page; the refusal in the audit trail, as the request wrote it."""
    erreurs = exc.errors if isinstance(exc, InvalidFile) else exc.messages
    avertissements = exc.warnings if isinstance(exc, InvalidFile) else []
    empreintes = [_empreinte(_chemin(envoi, r)) for r, f in enumerate(envoi.fichiers) if f["role"] != "agents"]
    with transaction.atomic():
        envoi.statut, envoi.progression, envoi.etape = StatutImport.REFUSE, 100, "Terminé"
        envoi.erreurs, envoi.avertissements, envoi.termine_le = erreurs, avertissements, timezone.now()
        envoi.save(update_fields=["statut", "progression", "etape", "erreurs", "avertissements", "termine_le"])
        if envoi.genre == GenreImport.DSN:
            action, objet, details = "masse_salariale.dsn_refus", f"DSN {envoi.annee}", {"empreintes": empreintes}
        else:
            action, objet, details = "masse_salariale.refus", envoi.fichiers[0]["nom"], {"empreinte": empreintes[0]}
        Evenement.objects.create(
            territoire=envoi.territoire,
            utilisateur=envoi.demande_par,
            action=action,
            objet=objet[:200],
            details={"erreurs": len(erreurs), **details},
        )


def _empreinte(chemin: Path) -> str:
    h = hashlib.sha256()
    with chemin.open("rb") as f:
        while bloc := f.read(1 << 20):
            h.update(bloc)
    return h.hexdigest()


def _echouer(envoi: ImportPaie, raison: str) -> None:
    ImportPaie.objects.filter(pk=envoi.pk).update(
        statut=StatutImport.ECHEC, erreurs=[raison], etape="Échec", termine_le=timezone.now()
    )
    envoi.statut = StatutImport.ECHEC


@receiver(task_finished, dispatch_uid="masse_salariale.imports")
def _tache_finie(sender, task_result, **kwargs) -> None:
    """A reading recorded as failed without having said so itself: its worker was stopped in the middle (a
    forced stop), or died twice (commun/travaux.py)."""
    if task_result.task.func is not lire_import.func or task_result.status != TaskResultStatus.FAILED:
        return
    envoi = ImportPaie.objects.filter(pk=task_result.args[0]).first()
    if envoi is not None and not envoi.termine:
        interrompu = any(
            e.exception_class_path == f"{TravailInterrompu.__module__}.TravailInterrompu" for e in task_result.errors
        )
        raison = INTERROMPU if interrompu else ARRET
        _echouer(envoi, f"{raison} : rien n'a été enregistré ; les fichiers envoyés sont effacés, renvoyez-les")
        effacer(envoi)


def expirer(maintenant) -> int:
    """Give up the uploads still unread after `DUREE` (their files deleted, their page says why), and delete
    the folders no upload names (left by a failed store). How many uploads were given up."""
    vieux = list(
        ImportPaie.objects.filter(
            statut__in=(StatutImport.EN_ATTENTE, StatutImport.EN_COURS), demande_le__lt=maintenant - DUREE
        )
    )
    for envoi in vieux:
        _echouer(envoi, PERIME)
        effacer(envoi)
    racine = Path(settings.MEDIA_ROOT) / DOSSIER
    if racine.is_dir():
        vivants = set(
            ImportPaie.objects.filter(statut__in=(StatutImport.EN_ATTENTE, StatutImport.EN_COURS)).values_list(
                "dossier", flat=True
            )
        )
        limite = maintenant.timestamp() - DUREE.total_seconds()
        for d in racine.iterdir():
            if d.name not in vivants and os.stat(d).st_mtime < limite:
                shutil.rmtree(d, ignore_errors=True)
    return len(vieux)
