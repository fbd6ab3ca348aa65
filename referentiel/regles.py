"""The rules an activity of the referential obeys, shared by the edit form and the XLSX import so that
both say the same thing in the same words.

Codes are hierarchical (see referentiel/defaut.py): an activity's code starts with its theme
(`FIN-BUDG`), a sub-activity's code with its activity's (`FIN-BUDG-01`). Payroll and scenario files
quote activity codes as plain text, so a code is the stable key of an activity; the prefix lets a
reader of those files see the theme at a glance, and it is why a wrong prefix is an error rather than
a warning.

Pure Python: no Django import.
"""

import re
from dataclasses import replace

from engine.themes import THEME_CODES, THEMES
from formats.tabular import normalize_header
from referentiel.defaut import Activite

# Lengths of the model fields (referentiel/models.py).
CODE_ACTIVITE_MAX = 20
CODE_SOUS_ACTIVITE_MAX = 24
LIBELLE_MAX = 200

_CODE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")
_THEMES = {normalize_header(t.code): t.code for t in THEMES} | {normalize_header(t.label): t.code for t in THEMES}
_OUI = {"oui", "o", "x", "vrai", "true", "1", "yes", "reserve", "reservee", "cdg"}
_NON = {"", "non", "n", "faux", "false", "0", "no"}

THEMES_ATTENDUS = ", ".join(THEME_CODES)


def normaliser_code(texte: str) -> str:
    """Codes are compared and stored trimmed, in upper case (payroll files match them so)."""
    return str(texte).strip().upper()


def normaliser_libelle(texte: str) -> str:
    """A label on one line, runs of spaces made one (a cell pasted from a document often has two)."""
    return " ".join(str(texte).split())


def lire_theme(texte: str) -> str | None:
    """A theme given by its code or its French label, matched like a header; None if unknown."""
    return _THEMES.get(normalize_header(texte))


def lire_oui_non(texte: str) -> bool | None:
    """`oui`/`non` (also `x`, `VRAI`/`FAUX`, `1`/`0`); empty means no; None when unreadable."""
    cle = normalize_header(texte)
    if cle in _OUI:
        return True
    if cle in _NON:
        return False
    return None


def regle_code_activite(code: str, theme: str | None) -> str | None:
    """Why `code` cannot be the code of an activity of `theme` (None: it can). `theme` None: unknown
    theme, the prefix is not checked (the theme gets its own message)."""
    return _regle_code(
        code, f"{theme}-" if theme else None, CODE_ACTIVITE_MAX, "de l'activité", f"une activité du thème {theme}"
    )


def regle_code_sous_activite(code: str, code_activite: str | None) -> str | None:
    """Why `code` cannot be the code of a sub-activity of `code_activite` (None: it can)."""
    return _regle_code(
        code,
        f"{code_activite}-" if code_activite else None,
        CODE_SOUS_ACTIVITE_MAX,
        "de la sous-activité",
        f"une sous-activité de {code_activite}",
    )


def _regle_code(code: str, prefixe: str | None, maximum: int, de_quoi: str, quoi: str) -> str | None:
    if not code:
        return f"code {de_quoi} obligatoire"
    if len(code) > maximum:
        return f"{maximum} caractères au plus"
    if not _CODE.match(code):
        return "caractères admis : lettres sans accent, chiffres et tirets (par exemple FIN-BUDG)"
    if prefixe and (not code.startswith(prefixe) or code == prefixe):
        return f"le code d'{quoi} commence par « {prefixe} » suivi d'au moins un caractère"
    return None


def regle_libelle(libelle: str, de_quoi: str) -> str | None:
    if not libelle:
        return f"libellé {de_quoi} obligatoire"
    if len(libelle) > LIBELLE_MAX:
        return f"{LIBELLE_MAX} caractères au plus"
    return None


def aligner_reserve(activite: Activite) -> Activite:
    """Keep the CDG marks consistent: an activity reserved to the centres de gestion has every
    sub-activity reserved, and an activity whose sub-activities are all reserved is reserved.

    The export has one `reserve_cdg` column per row (per sub-activity); this rule is what lets the
    import read the activity's mark back from its rows without losing anything.
    """
    sous = activite.sous_activites
    if activite.reserve_cdg:
        return replace(activite, sous_activites=tuple(replace(s, reserve_cdg=True) for s in sous))
    if sous and all(s.reserve_cdg for s in sous):
        return replace(activite, reserve_cdg=True)
    return activite
