"""Reading a user's file in a child process under a memory and a time limit, so that no file can take the
web process down: a workbook whose last cell is XFD1048576 makes the spreadsheet reader ask for the whole
grid (hundreds of gigabytes), and the native reader aborts its process when an allocation fails. In a
child, that abort, an exhausted memory limit or a timeout becomes a French refusal of the file.

The children are forked from a server process started once with the readers imported (multiprocessing's
"forkserver"): a clean process, without the web server's threads or database connections, and cheap to fork.
The limits: `MEMOIRE_MO` of address space (the readers' own libraries reserve some 700 MB of it; a 20,000-line
workbook reads within 1 GB) and `DUREE_S` of processor time."""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from typing import Any

from formats.errors import InvalidFile

MEMOIRE_MO = 2048
DUREE_S = 60
_CONTEXTE = multiprocessing.get_context("forkserver")
_CONTEXTE.set_forkserver_preload(["formats.workbook", "formats.tabular", "polars"])


def _enfant(connexion, fonction, args, memoire: int, duree: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memoire, memoire))
    resource.setrlimit(resource.RLIMIT_CPU, (duree, duree + 1))
    try:
        connexion.send(("ok", fonction(*args)))
    except InvalidFile as exc:
        connexion.send(("refus", exc.errors, exc.warnings))
    except MemoryError:
        connexion.send(("memoire",))


def isole(fonction: Callable[..., Any], *args) -> Any:
    """`fonction(*args)` in a child process limited to `MEMOIRE_MO` of address space and `DUREE_S` seconds;
    its result, or InvalidFile with its errors, or a refusal saying which limit the file went beyond."""
    memoire_mo, duree_s = MEMOIRE_MO, DUREE_S
    lecture, ecriture = _CONTEXTE.Pipe(duplex=False)
    enfant = _CONTEXTE.Process(target=_enfant, args=(ecriture, fonction, args, memoire_mo << 20, duree_s), daemon=True)
    enfant.start()
    ecriture.close()
    try:
        if not lecture.poll(duree_s + 2):
            raise InvalidFile([f"fichier : la lecture du fichier dépasse {duree_s} s : il est refusé"])
        reponse = lecture.recv()
    except EOFError:
        reponse = ("memoire",)  # the child died: the native reader aborts when an allocation fails
    finally:
        lecture.close()
        if enfant.is_alive():
            enfant.kill()
        enfant.join()
    if reponse[0] == "ok":
        return reponse[1]
    if reponse[0] == "refus":
        raise InvalidFile(reponse[1], reponse[2])
    raise InvalidFile(
        [
            f"fichier : la lecture du fichier demande plus de {memoire_mo} Mo de mémoire : il est refusé "
            "(une feuille qui s'étend sur des millions de cellules vides ? supprimez les lignes et colonnes "
            "inutiles)"
        ]
    )
