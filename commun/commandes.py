"""Base of our console commands: French messages, exit status 2 on invalid input (each error on its
own line of standard error, nothing on standard output), warnings as `avertissement : ...`."""

import json
import sys

from django.core.management.base import BaseCommand

from formats.errors import InvalidFile


class SortieInvalide(Exception):
    """Invalid input: exit status 2 with these messages."""

    def __init__(self, messages: list[str], warnings: list[str] | None = None, status: int = 2):
        super().__init__("\n".join(messages))
        self.messages = messages
        self.warnings = warnings or []
        self.status = status


class Commande(BaseCommand):
    def execute(self, *args, **options):
        from commun.erreurs import ActionRefusee

        try:
            return super().execute(*args, **options)
        except InvalidFile as exc:
            self._fail(exc.errors, exc.warnings, 2)
        except ActionRefusee as exc:
            self._fail(exc.messages, [], 2)
        except SortieInvalide as exc:
            self._fail(exc.messages, exc.warnings, exc.status)

    def _fail(self, messages, warnings, status):
        for warning in warnings:
            sys.stderr.write(f"avertissement : {warning}\n")
        for message in messages:
            sys.stderr.write(f"{message}\n")
        sys.stderr.flush()
        sys.exit(status)

    def avertir(self, warnings):
        for warning in warnings:
            self.stderr.write(f"avertissement : {warning}", style_func=lambda x: x)

    def json(self, document) -> None:
        self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))


class CommandeCalcul(Commande):
    """A computation over files (`coefficient`, `simulate`, `optimize`…): it reads no database, so it runs
    without the system checks, which import the whole URL configuration, and `mutualis` starts it without
    the app registry (mutualis/cli.py, COMMANDES_CALCUL). Its heavy libraries (polars, numpy, HiGHS…) are
    imported inside `handle`, so that `--help` and option errors answer at once."""

    requires_system_checks = []


def lire_octets(path: str) -> tuple[bytes, str]:
    """Read a file given on the command line; a missing or unreadable file is invalid input."""
    from pathlib import Path

    p = Path(path)
    try:
        return p.read_bytes(), p.name
    except OSError as exc:
        raise SortieInvalide([f"fichier : {path} : lecture impossible ({exc.strerror or exc})"]) from exc
