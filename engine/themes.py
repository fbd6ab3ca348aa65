"""The nine themes of the schéma (docs/domaine.md §2) and the default functional list (docs/contrats §4)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    functional: bool


THEMES: tuple[Theme, ...] = (
    Theme("FIN", "Finances", True),
    Theme("RH", "Ressources humaines", True),
    Theme("CPAJ", "Commande publique et affaires juridiques", True),
    Theme("SI", "Informatique, numérique et systèmes d'information", True),
    Theme("BML", "Bâtiments, moyens matériels et logistique", True),
    Theme("AOS", "Autorisation d'occupation des sols", False),
    Theme("GDP", "Gestion du domaine public", False),
    Theme("ECO", "Animation économique et emploi", False),
    Theme("TIDP", "Travaux d'investissement sur le domaine public", False),
)
THEME_CODES: tuple[str, ...] = tuple(t.code for t in THEMES)
# Work outside the nine themes: accepted in payroll files, never in a scenario.
AUTRE = "AUTRE"
DEFAULT_FUNCTIONAL: tuple[str, ...] = tuple(t.code for t in THEMES if t.functional)
THEME_BY_CODE: dict[str, Theme] = {t.code: t for t in THEMES}
# The themes as (code, label) choices of the models' fields, with and without work outside them.
THEME_CHOICES: list[tuple[str, str]] = [(t.code, t.label) for t in THEMES]
THEME_OR_AUTRE: list[tuple[str, str]] = [*THEME_CHOICES, (AUTRE, "Hors des neuf thèmes")]
