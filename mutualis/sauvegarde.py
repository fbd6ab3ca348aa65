"""Backup and restoration of a whole instance (`mutualis sauvegarde`, `mutualis restauration`;
docs/exploitation.md, « Sauvegarde et restauration »).

One zip archive holds the rows of every model (one JSON Lines member a table, Django's serialisation), the
files under MEDIA_ROOT that the rows name (the FileFields: generated documents, conventions, deliberations,
logos) and a manifest: the format, the date, the migrations applied (so that an archive only goes back into
the same schema), the rows counted per table and the SHA-256 of every member.

Everything is read inside one transaction (REPEATABLE READ on PostgreSQL, one read snapshot on SQLite): a
write during the backup is either wholly in the archive or not at all. The archive is written beside FILE
under a temporary name and renamed when complete, so FILE is never half an archive.

Restoration goes into an empty instance only, of the same migrations, after every checksum has been
verified; the rows are inserted as they were (no save(), no signal: restoring writes no audit event and
sends no notification), in one transaction, then the files are moved into MEDIA_ROOT before the commit;
on any failure the database is rolled back and no restored file remains.

The pseudonymisation key is never in the archive: the archive keeps only a fingerprint of it, so that a
restoration into an instance with another key is refused (its new imports would give the same agents
other pseudonyms than the restored batches)."""

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from itertools import batched
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.utils import validate_file_name
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from commun.commandes import SortieInvalide
from commun.db import insert_rows
from commun.formatage import compte, nombre

FORMAT = "mutualis-sauvegarde"
VERSION_FORMAT = 1
MANIFESTE = "manifeste.json"
DONNEES = "donnees/"
MEDIAS = "medias/"

# Not archived. Content types and permissions are made by `mutualis migrate` in every instance, with ids of
# their own: the rows that point to them name them by natural key instead. Sessions: users sign in again
# after a restoration. The database cache (login throttling counters) is a table without a model.
EXCLUS = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session"})
NATURELS = (ContentType, Permission)
LOT = 2000  # rows read, and inserted, at a time: a territory's 100,000 payroll lines never sit in memory


def modeles() -> list[type[models.Model]]:
    """Every table archived: every model of every installed app, the tables of many-to-many links
    included, save EXCLUS. A model added tomorrow is archived without a change here."""
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.label_lower not in EXCLUS and m._meta.managed and not m._meta.proxy
    ]


def champs_fichiers(modele) -> list[models.FileField]:
    return [f for f in modele._meta.local_concrete_fields if isinstance(f, models.FileField)]


def etat_migrations() -> dict[str, list[str]]:
    """The migrations applied, per app: the last ones of each app (those no applied migration of the same
    app follows). Two instances with the same state have the same tables and columns."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    appliquees = {cle for cle in loader.applied_migrations if cle in loader.graph.node_map}
    etat: dict[str, list[str]] = {}
    for app, nom in sorted(appliquees):
        suivantes = loader.graph.node_map[(app, nom)].children
        if not any(s[0] == app and s in appliquees for s in suivantes):
            etat.setdefault(app, []).append(nom)
    return etat


def verifier_migrations() -> None:
    """Refuse a database that lacks migrations of this code: a model would have no table to read or fill."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        noms = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:3]) + (" …" if len(plan) > 3 else "")
        raise SortieInvalide(
            [
                f"la base n'a pas toutes les migrations de cette version de Mutualis ({noms}) : « mutualis migrate » "
                "d'abord"
            ]
        )


def empreinte_cle() -> str:
    """A fingerprint of the pseudonymisation key (a keyed hash of a fixed text): tells whether two
    instances share the key without revealing it."""
    return hmac.new(settings.PSEUDONYM_KEY.encode(), b"mutualis:sauvegarde:cle", hashlib.sha256).hexdigest()[:16]


def ou_est_la_cle() -> str:
    """Where this instance reads its pseudonymisation key (mutualis/settings.py), for the messages."""
    if chemin := os.environ.get("MUTUALIS_PSEUDONYM_KEY_FILE"):
        return f"dans le fichier {chemin} (variable MUTUALIS_PSEUDONYM_KEY_FILE)"
    if os.environ.get("MUTUALIS_PSEUDONYM_KEY"):
        return "dans la variable d'environnement MUTUALIS_PSEUDONYM_KEY"
    return f"dans le fichier {Path(settings.VAR_DIR) / 'pseudonym_key'}"


def avertissement_cle_sauvegarde() -> str:
    return (
        "la clé de pseudonymisation n'est pas dans l'archive. Elle est "
        f"{ou_est_la_cle()} : gardez-en une copie en lieu sûr, à part des archives (qui la possède avec une "
        "archive peut retrouver les agents derrière leurs pseudonymes). L'instance restaurée doit utiliser "
        "la même clé (MUTUALIS_PSEUDONYM_KEY, MUTUALIS_PSEUDONYM_KEY_FILE ou le fichier pseudonym_key de son "
        "dossier var), sinon ses nouveaux imports de paie pseudonymiseraient les mêmes agents autrement et ne "
        "se rapprocheraient plus des lots restaurés."
    )


def chemin_media(nom: str) -> Path:
    """The file of a FileField's value under MEDIA_ROOT; a name that climbs out of it is refused."""
    validate_file_name(nom, allow_relative_path=True)
    racine = Path(settings.MEDIA_ROOT).resolve()
    chemin = (racine / nom).resolve()
    if not chemin.is_relative_to(racine) or chemin == racine:
        raise SuspiciousFileOperation(f"« {nom} » sort de MEDIA_ROOT")
    return chemin


def membre_donnees(modele) -> str:
    return f"{DONNEES}{modele._meta.label_lower}.jsonl"


class _Encodeur(DjangoJSONEncoder):
    """Django's encoder, but datetimes and times to the microsecond (Django's stops at the millisecond,
    which would change every timestamp of the instance restored)."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _Serialiseur(jsonl.Serializer):
    """JSON Lines, one table a member: a many-to-many link is a row of its own table (its through model),
    and only content types and permissions are named by natural key (the rest keeps its ids)."""

    def end_object(self, obj):
        # json.dumps, not Django's json.dump into the stream: dumps uses the C encoder, four times faster.
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs) + "\n")
        self._current = None

    def handle_fk_field(self, obj, field):
        if field.related_model in NATURELS:
            cible = getattr(obj, field.name)
            self._current[field.name] = None if cible is None else list(cible.natural_key())
        else:
            self._current[field.name] = field.value_from_object(obj)

    def handle_m2m_field(self, obj, field):
        pass  # the link table is archived as a table of its own


class _Membre:
    """The text stream a member is written through: UTF-8, hashed on the way, in blocks of 1 MB (the
    serialiser writes a row in many small pieces)."""

    def __init__(self, brut):
        self.brut, self.sha, self.tampon, self.taille = brut, hashlib.sha256(), [], 0

    def write(self, texte: str) -> None:
        self.tampon.append(texte)
        self.taille += len(texte)
        if self.taille > 1 << 20:
            self.flush()

    def flush(self) -> None:
        octets = "".join(self.tampon).encode()
        self.sha.update(octets)
        self.brut.write(octets)
        self.tampon, self.taille = [], 0


@dataclass
class Bilan:
    """What a backup or a restoration did, for the command's summary."""

    lignes: dict[str, int] = field(default_factory=dict)  # per table
    fichiers: int = 0
    absents: list[str] = field(default_factory=list)  # files named by a row but missing on disk
    relancees: int = 0  # background tasks under way at the backup, run again after the restoration
    octets: int = 0

    @property
    def total(self) -> int:
        return sum(self.lignes.values())

    def resume(self) -> str:
        """« 57 138 lignes de 78 tables, 8 fichiers »."""
        lignes = f"{nombre(self.total)} ligne{'s' if self.total > 1 else ''}"
        return f"{lignes} de {compte(len(self.lignes), 'table')}, {compte(self.fichiers, 'fichier')}"


# --- Backup -------------------------------------------------------------------------------------------


def sauvegarder(fichier: Path, ecraser: bool = False) -> Bilan:
    """Write the archive of the whole instance to `fichier` (refused if it exists, unless `ecraser`)."""
    fichier = Path(fichier)
    verifier_migrations()
    if fichier.is_dir():
        raise SortieInvalide([f"fichier : {fichier} est un dossier"])
    if fichier.exists() and not ecraser:
        raise SortieInvalide([f"fichier : {fichier} existe déjà : --ecraser pour le remplacer"])
    try:
        descripteur, temporaire = tempfile.mkstemp(dir=fichier.parent, prefix=f".{fichier.name}.", suffix=".partiel")
    except OSError as exc:
        raise SortieInvalide([f"fichier : {fichier} : écriture impossible ({exc.strerror or exc})"]) from exc
    temporaire = Path(temporaire)
    try:
        with os.fdopen(descripteur, "wb") as flux:
            bilan = _ecrire_archive(flux)
            flux.flush()
            os.fsync(flux.fileno())
        if fichier.exists() and not ecraser:  # appeared while the archive was written
            raise SortieInvalide([f"fichier : {fichier} existe déjà : --ecraser pour le remplacer"])
        os.replace(temporaire, fichier)
    except OSError as exc:
        raise SortieInvalide([f"fichier : {fichier} : écriture impossible ({exc.strerror or exc})"]) from exc
    finally:
        temporaire.unlink(missing_ok=True)
    bilan.octets = fichier.stat().st_size
    return bilan


def _ecrire_archive(flux) -> Bilan:
    bilan, empreintes = Bilan(), {}
    premiere = not connection.in_atomic_block
    with (
        zipfile.ZipFile(flux, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive,
        transaction.atomic(),
    ):
        if premiere and connection.vendor == "postgresql":
            # Must be the transaction's first statement: every query below reads the same snapshot.
            with connection.cursor() as curseur:
                curseur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        manifeste = {
            "format": FORMAT,
            "version": VERSION_FORMAT,
            "cree_le": timezone.now().isoformat(),
            "base": connection.vendor,
            "migrations": etat_migrations(),
            "cle_pseudonymes": empreinte_cle(),
        }
        noms_fichiers = set()
        for modele in modeles():
            nom = membre_donnees(modele)
            empreintes[nom], bilan.lignes[modele._meta.label_lower] = _ecrire_table(archive, nom, modele)
            for champ in champs_fichiers(modele):
                noms = modele._base_manager.exclude(**{champ.attname: ""}).exclude(**{f"{champ.attname}__isnull": True})
                noms_fichiers.update(noms.values_list(champ.attname, flat=True))
        # Copied inside the transaction too: a document replaced meanwhile is still on disk in most cases.
        for nom in sorted(noms_fichiers):
            try:
                empreintes[MEDIAS + nom] = _copier_fichier(archive, nom)
                bilan.fichiers += 1
            except FileNotFoundError:
                bilan.absents.append(nom)
        manifeste |= {"modeles": bilan.lignes, "membres": empreintes, "fichiers_absents": bilan.absents}
        archive.writestr(MANIFESTE, json.dumps(manifeste, ensure_ascii=False, indent=1))
    return bilan


def _ecrire_table(archive, nom: str, modele) -> tuple[str, int]:
    naturels = [
        f.name if f.related_model is ContentType else f"{f.name}__content_type"
        for f in modele._meta.local_concrete_fields
        if f.related_model in NATURELS
    ]
    lignes = modele._base_manager.order_by("pk")
    if naturels:  # (select_related() without a name would follow every foreign key)
        lignes = lignes.select_related(*naturels)
    lignes = lignes.iterator(chunk_size=LOT)
    n = 0

    def comptees():
        nonlocal n
        for ligne in lignes:
            n += 1
            yield ligne

    with archive.open(nom, "w", force_zip64=True) as brut:
        membre = _Membre(brut)
        _Serialiseur().serialize(comptees(), stream=membre, cls=_Encodeur)
        membre.flush()
    return membre.sha.hexdigest(), n


def _copier_fichier(archive, nom: str) -> str:
    sha = hashlib.sha256()
    with chemin_media(nom).open("rb") as source, archive.open(MEDIAS + nom, "w", force_zip64=True) as cible:
        while bloc := source.read(1 << 20):
            sha.update(bloc)
            cible.write(bloc)
    return sha.hexdigest()


# --- Restoration --------------------------------------------------------------------------------------


def restaurer(fichier: Path, nouvelle_cle: bool = False) -> Bilan:
    """Restore the archive `fichier` into this instance, which must be empty and of the same migrations.
    Every check comes before any write; then all or nothing."""
    fichier = Path(fichier)
    try:
        archive = zipfile.ZipFile(fichier)
    except (OSError, zipfile.BadZipFile) as exc:
        raise SortieInvalide([f"archive illisible : {fichier} ({getattr(exc, 'strerror', None) or exc})"]) from exc
    with archive:
        manifeste = _verifier_archive(archive)
        verifier_migrations()
        _verifier_instance(manifeste, nouvelle_cle)
        return _charger(archive, manifeste)


def _corrompue(raison: str) -> SortieInvalide:
    return SortieInvalide([f"archive corrompue : {raison} ; rien n'a été restauré"])


def _verifier_archive(archive) -> dict:
    """The manifest, once every member has been read against its SHA-256 (and zip's CRC)."""
    try:
        manifeste = json.loads(archive.read(MANIFESTE))
    except KeyError as exc:
        raise _corrompue("pas de manifeste (ce n'est pas une sauvegarde de Mutualis)") from exc
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _corrompue(f"manifeste illisible ({exc})") from exc
    if not isinstance(manifeste, dict) or manifeste.get("format") != FORMAT:
        raise _corrompue("ce n'est pas une sauvegarde de Mutualis")
    if manifeste.get("version") != VERSION_FORMAT:
        raise SortieInvalide(
            [f"archive au format {manifeste.get('version')} : cette version de Mutualis lit le format {VERSION_FORMAT}"]
        )
    if not all(isinstance(manifeste.get(cle), dict) for cle in ("migrations", "modeles", "membres")):
        raise _corrompue("manifeste incomplet")
    membres = manifeste["membres"]
    presents = set(archive.namelist()) - {MANIFESTE}
    if inattendus := sorted(presents - set(membres)):
        raise _corrompue(f"membre inconnu du manifeste : « {inattendus[0]} »")
    if manquants := sorted(set(membres) - presents):
        raise _corrompue(f"membre absent : « {manquants[0]} »")
    for nom, attendue in membres.items():
        sha = hashlib.sha256()
        try:
            with archive.open(nom) as flux:
                while bloc := flux.read(1 << 20):
                    sha.update(bloc)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise _corrompue(f"« {nom} » illisible ({exc})") from exc
        if sha.hexdigest() != attendue:
            raise _corrompue(f"« {nom} » ne correspond pas à son empreinte SHA-256")
        if nom.startswith(MEDIAS):
            try:
                chemin_media(nom.removeprefix(MEDIAS))
            except SuspiciousFileOperation as exc:
                raise _corrompue(f"nom de fichier refusé : « {nom} »") from exc
    return manifeste


def _verifier_instance(manifeste: dict, nouvelle_cle: bool) -> None:
    ici, la = etat_migrations(), manifeste.get("migrations", {})
    archives = {m._meta.label_lower for m in modeles()}
    if ici != la or set(manifeste.get("modeles", {})) != archives:
        ecarts = [
            f"{app} : {', '.join(la.get(app, [])) or 'aucune'} dans l'archive, "
            f"{', '.join(ici.get(app, [])) or 'aucune'} ici"
            for app in sorted(set(ici) | set(la))
            if ici.get(app) != la.get(app)
        ] or ["les tables de l'archive ne sont pas celles de cette version"]
        raise SortieInvalide(
            [
                "l'archive vient d'un autre état du schéma de la base ; restaurez-la avec la version de Mutualis "
                "qui l'a écrite (mêmes migrations appliquées) ; rien n'a été restauré",
                *(f"  migrations {e}" for e in ecarts),
            ]
        )
    if manifeste.get("cle_pseudonymes") != empreinte_cle() and not nouvelle_cle:
        raise SortieInvalide(
            [
                "clé de pseudonymisation : celle de cette instance, lue "
                f"{ou_est_la_cle()}, n'est pas celle de l'instance sauvegardée. Mettez-y la clé de l'instance "
                "sauvegardée puis recommencez : avec une autre clé, les nouveaux imports de paie pseudonymiseraient "
                "les mêmes agents autrement que les lots restaurés. Si cette clé est perdue, --nouvelle-cle "
                "restaure quand même. Rien n'a été restauré."
            ]
        )
    occupees = [f"{m._meta.label_lower} ({compte(n, 'ligne')})" for m in modeles() if (n := m._base_manager.count())]
    if occupees:
        raise SortieInvalide(
            [
                "instance non vide : la restauration se fait dans une instance neuve (base créée par « mutualis "
                "migrate », sans territoire ni compte) ; rien n'a été restauré",
                f"  tables qui ont des lignes : {', '.join(occupees[:5])}" + (" …" if len(occupees) > 5 else ""),
            ]
        )
    deja = [
        nom.removeprefix(MEDIAS)
        for nom in manifeste["membres"]
        if nom.startswith(MEDIAS) and chemin_media(nom.removeprefix(MEDIAS)).exists()
    ]
    if deja:
        raise SortieInvalide(
            [f"fichier déjà présent dans MEDIA_ROOT ({settings.MEDIA_ROOT}) : « {deja[0]} » ; rien n'a été restauré"]
        )


def _charger(archive, manifeste: dict) -> Bilan:
    bilan = Bilan(absents=list(manifeste.get("fichiers_absents", [])))
    medias = [nom for nom in manifeste["membres"] if nom.startswith(MEDIAS)]
    racine = Path(settings.MEDIA_ROOT)
    if medias:
        racine.mkdir(parents=True, exist_ok=True)
    # The files first into a temporary folder of MEDIA_ROOT (same disk: moving them is a rename).
    attente = Path(tempfile.mkdtemp(dir=racine, prefix=".restauration-")) if medias else None
    places, dossiers = [], []
    try:
        for nom in medias:
            provisoire = attente / f"{len(places)}"
            with archive.open(nom) as source, provisoire.open("wb") as cible:
                shutil.copyfileobj(source, cible, 1 << 20)
            places.append((provisoire, chemin_media(nom.removeprefix(MEDIAS))))
        with transaction.atomic():
            for modele in modeles():
                bilan.lignes[modele._meta.label_lower] = _charger_table(archive, modele)
            if ecarts := [m for m, n in manifeste["modeles"].items() if bilan.lignes.get(m) != n]:
                raise _corrompue(f"la table {ecarts[0]} n'a pas le nombre de lignes du manifeste")
            with connection.cursor() as curseur:
                for sql in connection.ops.sequence_reset_sql(no_style(), modeles()):
                    curseur.execute(sql)
            connection.check_constraints(table_names=[m._meta.db_table for m in modeles()])
            bilan.relancees = _relancer_taches()
            for provisoire, chemin in places:  # last, so that a failure here rolls the rows back
                dossiers += _creer_dossiers(chemin.parent)
                os.replace(provisoire, chemin)
                bilan.fichiers += 1
    except Exception as exc:
        for _, chemin in places[: bilan.fichiers]:
            chemin.unlink(missing_ok=True)
        for dossier in reversed(dossiers):
            _retirer_si_vide(dossier)
        if isinstance(exc, SortieInvalide):
            raise
        if isinstance(exc, DatabaseError | serializers.base.DeserializationError | ValueError):
            raise SortieInvalide([f"restauration impossible : {exc} ; rien n'a été restauré"]) from exc
        raise
    finally:
        if attente is not None:
            shutil.rmtree(attente, ignore_errors=True)
    return bilan


def _charger_table(archive, modele) -> int:
    """Insert the rows of one member as they were: no save(), no signal, no auto_now."""
    champs = modele._meta.local_concrete_fields
    base = connections[DEFAULT_DB_ALIAS]  # the connection itself, not its proxy: looked up once a value
    n = 0
    with archive.open(membre_donnees(modele)) as brut:
        lignes = (brut_ligne.decode() for brut_ligne in brut)
        objets = (o.object for o in serializers.deserialize("jsonl", lignes))
        for lot in batched(objets, LOT):
            for objet in lot:
                if type(objet) is not modele:
                    raise _corrompue(f"une ligne de {objet._meta.label_lower} dans {membre_donnees(modele)}")
            n += insert_rows(
                modele,
                [f.name for f in champs],
                [tuple(f.get_db_prep_save(getattr(o, f.attname), base) for f in champs) for o in lot],
                batch_size=LOT,
            )
    return n


def _relancer_taches() -> int:
    """A background task that was running when the backup was read (a document being written) would stay
    « en cours » for ever in the restored instance, where nothing runs it: it goes back to the queue."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).update(status=TaskResultStatus.READY)


def _creer_dossiers(dossier: Path) -> list[Path]:
    """Make `dossier` and return the folders it made, the outermost first."""
    crees = []
    while not dossier.exists():
        crees.append(dossier)
        dossier = dossier.parent
    for d in reversed(crees):
        d.mkdir()
    return list(reversed(crees))


def _retirer_si_vide(dossier: Path) -> None:
    with contextlib.suppress(OSError):  # not empty: not ours alone
        dossier.rmdir()
