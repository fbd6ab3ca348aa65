"""The payroll export a user uploaded, kept only while she maps its columns (masse_salariale/views_export.py).

The file is written under MEDIA_ROOT (which no URL serves), named by a random token that only her session
knows; it is deleted as soon as the batch is prepared or the import abandoned, and when she uploads another
export. An export left half-way is deleted by the next upload of anyone after `DUREE`.

A session keeps one export: one uploaded in another tab replaces it. The pages that post about an export (its
mapping, its abandon) carry its token, so that a tab left on a replaced export is told so instead of acting on
the new one (`est_le_depot`)."""

import secrets
import time
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings

CLE = "export_paie"  # the session's key
DOSSIER = "exports-paie"
DUREE = timedelta(hours=24)


@dataclass(frozen=True)
class Depot:
    """What step 1 chose, kept in the session: the file's token and name, the employer, the year, the
    profile to start from."""

    jeton: str
    territoire: str
    fichier: str
    organisation: int
    annee: int
    profil: int | None = None

    @property
    def chemin(self) -> Path:
        return _dossier() / self.jeton


def _dossier() -> Path:
    return Path(settings.MEDIA_ROOT) / DOSSIER


def deposer(request, territoire, data: bytes, fichier: str, organisation, annee: int, profil=None) -> Depot:
    """Keep the uploaded export for the next step (replacing the session's previous one)."""
    retirer(request)
    nettoyer()
    depot = Depot(
        secrets.token_hex(16),
        territoire.code,
        fichier[:255],
        organisation.pk,
        annee,
        profil.pk if profil is not None else None,
    )
    depot.chemin.parent.mkdir(parents=True, exist_ok=True)
    depot.chemin.write_bytes(data)
    depot.chemin.chmod(0o600)
    request.session[CLE] = asdict(depot)
    return depot


def depot_de(request, territoire) -> Depot | None:
    """The session's export for this territory, if its file is still there."""
    donnees = request.session.get(CLE)
    if not donnees:
        return None
    try:
        depot = Depot(**donnees)
    except TypeError:  # a session written by another version
        retirer(request)
        return None
    if depot.territoire != territoire.code or not depot.chemin.is_file():
        return None
    return depot


def est_le_depot(depot: Depot, jeton) -> bool:
    """Whether a posted token (`jeton`, the hidden field of the page that posts) is this export's, and not
    that of an export it replaced, uploaded in another tab."""
    return isinstance(jeton, str) and secrets.compare_digest(jeton.encode(), depot.jeton.encode())


def retirer(request, jeton: str | None = None) -> bool:
    """Delete the session's export and forget it; given `jeton` (a page's), only if it is still that export.
    Whether an export was forgotten."""
    donnees = request.session.get(CLE)
    if not donnees:
        return False
    courant = donnees.get("jeton") if isinstance(donnees, dict) else None
    if jeton is not None and not (
        isinstance(courant, str) and isinstance(jeton, str) and secrets.compare_digest(jeton.encode(), courant.encode())
    ):
        return False
    del request.session[CLE]
    if isinstance(courant, str) and courant.isalnum():
        (_dossier() / courant).unlink(missing_ok=True)
    return True


def nettoyer() -> int:
    """Delete the exports left for more than `DUREE`; how many."""
    dossier = _dossier()
    if not dossier.is_dir():
        return 0
    limite = time.time() - DUREE.total_seconds()
    vieux = [f for f in dossier.iterdir() if f.is_file() and f.stat().st_mtime < limite]
    for f in vieux:
        f.unlink(missing_ok=True)
    return len(vieux)
