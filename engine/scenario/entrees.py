"""Inputs of the scenario engine: the territory, the actions and the scenario as plain frozen values,
the modalités and the bounds of docs/contrats §5, and the error raised on a scenario that breaks them."""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.vocabulaire import EMPLOYER_MOVES, MAD_MODALITES, MODALITES, OTHER_MODALITES, STAFF_MODALITES

__all__ = ["EMPLOYER_MOVES", "MAD_MODALITES", "MODALITES", "OTHER_MODALITES", "STAFF_MODALITES"]

FIRST_YEAR, LAST_YEAR = 2026, 2032  # the 2026-2032 mandate
MAX_AMOUNT = 1e12  # euros per year (or units): far beyond any territory's budget
# Below this, in euros or ETP, a change is rounding noise: the organisation is not touched by the scenario.
UNTOUCHED = 1e-9
RH = "RH"
TOUTES = "toutes"
LINE_COLUMNS = ("employeur", "theme", "activite", "situation", "beneficiaire", "montant", "etp_ligne")


# --- Inputs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Territoire:
    epci: str
    fpu: bool
    communes: tuple[str, ...]
    populations: dict[str, int | None] = field(default_factory=dict)

    @property
    def organisations(self) -> tuple[str, ...]:
        return (self.epci, *self.communes)


@dataclass(frozen=True)
class Action:
    id: str
    theme: str
    activite: str | None
    communes: tuple[str, ...] | None  # None = "toutes"
    modalite: str
    part: float = 1.0
    gain: float = 0.0
    annee: int = FIRST_YEAR
    economie: float = 0.0
    charges_associees: float = 0.0
    cout_unitaire: float | None = None
    unites: float | None = None

    def communes_de(self, territoire: Territoire) -> tuple[str, ...]:
        """The member communes the action concerns ("toutes" expanded, territory order)."""
        return territoire.communes if self.communes is None else self.communes

    @property
    def moves_staff(self) -> bool:
        return self.modalite in STAFF_MODALITES

    @property
    def unit_price(self) -> float | None:
        """D5211-16: cout_unitaire × unites when both are given (per commune concerned)."""
        if self.cout_unitaire is None or self.unites is None:
            return None
        return self.cout_unitaire * self.unites


@dataclass(frozen=True)
class Scenario:
    nom: str | None
    partage_gains: float
    actions: tuple[Action, ...]


class ScenarioInvalide(ValueError):
    """The scenario breaks a rule of docs/contrats §5; `errors` are French messages."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors
