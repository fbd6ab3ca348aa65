"""Validation messages (docs/contrats §1): the exception callers catch, and the collector that sorts them."""

from __future__ import annotations

from collections.abc import Iterable

# A value longer than this is cut in messages: a message names the cell, it does not reprint it.
_MAX_SHOWN = 80
# Rows named in one message at most ("avec les lignes 4, 9, ... et 37 autres").
_MAX_ROWS_NAMED = 10


class InvalidFile(Exception):
    """The file cannot be imported. Nothing of it may be used.

    ``errors`` are complete French messages, sorted: errors about the whole file (``fichier : ...``)
    first, then by row, then by the column's position in the file. ``warnings`` are texts without the
    ``avertissement : `` prefix (the command line adds it).
    """

    def __init__(self, errors: Iterable[str], warnings: Iterable[str] = ()):
        self.errors: list[str] = list(errors)
        self.warnings: list[str] = list(warnings)
        super().__init__("\n".join(self.errors))


def nombre(n, decimales: int = 0) -> str:
    """A figure as a message writes it: « 16 518 000,00 » (commun.formatage is above this layer)."""
    return f"{n:,.{decimales}f}".replace(",", "\u202f").replace(".", ",")


def shown(value: object) -> str:
    """A cell value as quoted in a message: one line, trimmed, cut when long."""
    text = " ".join(str(value).split())
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 1] + "…"
    return text


def row_list(rows: Iterable[int]) -> str:
    """``la ligne 9`` or ``les lignes 9, 12`` (sorted, cut after ten rows)."""
    rows = sorted(set(rows))
    if len(rows) == 1:
        return f"la ligne {rows[0]}"
    named = ", ".join(str(r) for r in rows[:_MAX_ROWS_NAMED])
    if len(rows) > _MAX_ROWS_NAMED:
        named += f" et {len(rows) - _MAX_ROWS_NAMED} autres"
    return f"les lignes {named}"


def french_number(x: float) -> str:
    """A number as a French reader writes it in a message: ``1,2``, ``45231,5`` (no exponent)."""
    text = f"{x:.9f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(".", ",")


class Report:
    """Collects messages while a file is validated, then raises them all at once, sorted."""

    def __init__(self) -> None:
        self._file_errors: list[str] = []
        self._row_errors: list[tuple[int, int, int, str]] = []
        self._file_warnings: list[str] = []
        self._row_warnings: list[tuple[int, int, int, str]] = []
        self._seq = 0

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def file_error(self, text: str) -> None:
        self._file_errors.append(f"fichier : {text}")

    def error(self, row: int, position: int, column: str, value: object, rule: str) -> None:
        """``ligne N : <colonne> « <valeur> » : <règle>``; ``position`` orders errors of one row."""
        text = shown(value)
        quoted = f"« {text} »" if text else "« »"
        message = f"ligne {row} : {column} {quoted} : {rule}"
        self._row_errors.append((row, position, self._next(), message))

    def file_warning(self, text: str) -> None:
        self._file_warnings.append(text)

    def warning(self, row: int, position: int, text: str) -> None:
        """A warning about one row: ``ligne N : <texte>``."""
        self._row_warnings.append((row, position, self._next(), f"ligne {row} : {text}"))

    @property
    def has_errors(self) -> bool:
        return bool(self._file_errors or self._row_errors)

    @property
    def errors(self) -> list[str]:
        return self._file_errors + [m for *_, m in sorted(self._row_errors)]

    @property
    def warnings(self) -> list[str]:
        return self._file_warnings + [m for *_, m in sorted(self._row_warnings)]

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise InvalidFile(self.errors, self.warnings)
