"""Writing the cells of every spreadsheet and CSV export (docs/formats.md, « Exports neutres »): a text a
user typed stays a text. openpyxl writes any str beginning with « = » as a formula, and Excel also reads
« + », « - » and « @ » as the start of one: a label `=HYPERLINK("http://…","Cliquez ici")` would run as a
live formula in the reader's spreadsheet. XLSX cells are typed as strings with Excel's quote prefix; CSV
cells that would start a formula are written after an apostrophe, which the imports of Mutualis remove
(`sans_apostrophe`). ODS cells are written as typed strings by their writers (odfpy) already."""

from __future__ import annotations

from collections.abc import Iterable

DEBUTS_FORMULE = ("=", "+", "-", "@")


def en_texte(cell) -> None:
    """An openpyxl cell holding a str: a text cell, with the quote prefix when it looks like a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if cell.value.startswith(DEBUTS_FORMULE):
            cell.quotePrefix = True


def ajouter_ligne(feuille, valeurs: Iterable) -> None:
    """Append a row to an openpyxl sheet, its texts kept texts."""
    feuille.append(list(valeurs))
    for cell in feuille[feuille.max_row]:
        en_texte(cell)


def texte_csv(valeur: str) -> str:
    """A CSV cell a spreadsheet would read as a formula, written after an apostrophe."""
    return f"'{valeur}" if valeur.startswith(DEBUTS_FORMULE) else valeur


def sans_apostrophe(valeur: str) -> str:
    """What `texte_csv` wrote, read back."""
    return valeur[1:] if valeur.startswith("'") and valeur[1:].startswith(DEBUTS_FORMULE) else valeur
