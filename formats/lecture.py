"""Reading a user's file whatever its kind (docs/contrats §1): the kind is recognised by content first,
then by extension, and the file read as a workbook (formats/workbook.py) or a CSV (formats/tabular.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from formats.errors import InvalidFile
from formats.tabular import BINARY_ERROR, ODS, XLSX, Table, read_csv
from formats.workbook import read_workbook


def read_table(data: bytes, filename: str, sheet: str, *, expected: tuple[str, ...] = ()) -> Table:
    """Read a CSV, XLSX or ODS file; raise ``InvalidFile`` when it cannot be read at all.

    The format is recognised by content first (a workbook renamed ``.csv`` is read as a workbook, with a
    warning), then by extension. ``sheet`` is the preferred sheet's name, matched like a header; else
    the first sheet is read. ``expected`` (header keys of the format) helps choose the CSV separator.
    """
    extension = PurePath(filename or "").suffix.lower().lstrip(".")
    if not data or data.isspace():
        raise InvalidFile(["fichier : le fichier est vide"])
    kind = sniff(data)
    if kind in (XLSX, ODS):
        table = read_workbook(data, kind, sheet)
        if extension not in (kind, "xlsm") and extension:
            table.warnings.insert(
                0, f"le fichier « {filename} » est en réalité un classeur {kind.upper()} : il est lu comme tel"
            )
        return table
    if kind == "encrypted":
        raise InvalidFile(["fichier : classeur protégé par un mot de passe : enregistrez-le sans mot de passe"])
    if kind == "xls":
        raise InvalidFile(
            [
                "fichier : format Excel 97-2003 (.xls) non pris en charge : "
                "enregistrez le fichier au format XLSX, ODS ou CSV UTF-8"
            ]
        )
    if extension in ("xlsx", "xlsm", "ods"):
        raise InvalidFile([f"fichier : ce fichier n'est pas un classeur {extension.upper()} lisible"])
    if kind == "binary":
        raise InvalidFile([BINARY_ERROR])
    return read_csv(data, expected=expected)


# Magic numbers of binary formats users might rename by mistake (PDF, images, archives, Parquet).
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"PAR1")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_CONTROL = bytes(c for c in range(1, 32) if c not in (9, 10, 12, 13)) + b"\x7f"


def sniff(data: bytes) -> str:
    """``xlsx``, ``ods``, ``xls``, ``encrypted``, ``binary`` or ``text``."""
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "xl/workbook.xml" in names:
                    return XLSX
                if "content.xml" in names and b"opendocument.spreadsheet" in archive.read("mimetype"):
                    return ODS
        except (zipfile.BadZipFile, KeyError):
            pass
        return "binary"
    if data.startswith(_OLE):
        return "encrypted" if _ENCRYPTED in data else "xls"
    if data.startswith(_BINARY_MAGIC):
        return "binary"
    # Control characters other than tabs and line breaks are rare in text. NUL bytes are not counted:
    # they fill UTF-16 text, an encoding problem reported as such (_decode).
    head = data[:8192]
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    return "binary" if controls > len(head) / 20 else "text"
