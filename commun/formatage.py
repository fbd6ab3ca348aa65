"""French formatting of numbers, amounts, shares and dates: one home for what pages, documents and
the command line print (`1 234 567 €`, `23,4 %`, `3 juillet 2026`)."""

import datetime as dt

NNBSP = "\u202f"  # narrow no-break space: thousands separator
NBSP = "\u00a0"  # no-break space: before a unit

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def compte(n: int, nom: str, pluriel: str | None = None) -> str:
    """« 1 commune », « 3 communes » (« 2 avis réputés favorables » with `pluriel`)."""
    return f"{n} {nom if n < 2 else (pluriel or nom + 's')}"


def nombre(value, decimales: int = 0) -> str:
    if value is None:
        return "–"
    text = f"{float(value):,.{decimales}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    return text.replace(",", NNBSP).replace(".", ",").replace("-", "−")


def euros(value, decimales: int = 0) -> str:
    return "–" if value is None else f"{nombre(value, decimales)}{NBSP}€"


def pourcent(value, decimales: int = 1) -> str:
    """A share (0.234) as a percentage (`23,4 %`)."""
    return "–" if value is None else f"{nombre(float(value) * 100, decimales)}{NBSP}%"


def etp(value) -> str:
    return "–" if value is None else nombre(value, 1)


def signe(text: str, value) -> str:
    """`+` before a positive change (a negative one already has its `−`); nothing before zero."""
    shown = value is not None and float(value) > 0 and any(ch in "123456789" for ch in text)
    return f"+{text}" if shown else text


def ecart_euros(value, decimales: int = 0) -> str:
    return signe(euros(value, decimales), value)


def ecart_etp(value) -> str:
    return signe(etp(value), value)


def points(value, decimales: int = 2) -> str:
    """A change of a share (0.0123) in percentage points (`+1,23 pt`)."""
    return "–" if value is None else signe(f"{nombre(float(value) * 100, decimales)}{NBSP}pt", value)


def date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    jour = "1er" if value.day == 1 else str(value.day)
    return f"{jour} {MOIS[value.month - 1]} {value.year}"
