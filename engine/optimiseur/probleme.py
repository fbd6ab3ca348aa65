"""What the optimiser takes and gives: the tolerances and the names of the constraints, the problem
(`Candidate`, `Problem`) and how a candidates file becomes one, the result (`Portfolio`) and the
exceptions. The first module of the package: it imports none of the others."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# A coefficient reaches a target, or ties with the best one, within this (docs/contrats §6: 1e-9).
TOL_COEFFICIENT = 1e-9
# Moved ETP are compared within this: sums of ETP such as 0.1 + 0.2 and 0.3 are equal.
TOL_FTE = 1e-6
# Euros are rescaled so that the denominator before is this many units: the solver's absolute
# tolerances (below) are then far below TOL_COEFFICIENT whatever the size of the territory.
SCALE = 1e6
_SOLVER_FEASIBILITY = 1e-9
_GAP_EUROS = 1e-6  # in scaled euros: 1e-12 of the denominator
_GAP_FTE = 1e-9


CIBLE = "cible"
PLAFOND_ETP = "plafond_etp"
FAISABILITE_MIN = "faisabilite_min"


def plafond_annuel(annee: int) -> str:
    return f"plafond_etp_annuel:{annee}"


def refus(commune: str, theme: str) -> str:
    return f"refus:{commune}:{theme}"


def chevauchement(id_a: str, id_b: str) -> str:
    return f"chevauchement:{id_a}/{id_b}"


@dataclass(frozen=True)
class Candidate:
    """One candidate action reduced to what the optimiser needs. `d_numerator`/`d_denominator` are its
    additive effects on the coefficient (euros); `communes` the member communes it touches (for
    refusals); `staff` is False for the modalités that move no staff (never selected)."""

    id: str
    position: int
    d_numerator: float
    d_denominator: float
    moved_fte: float
    moved_cost: float
    ac: float | None
    faisabilite: int
    annee: int
    theme: str = ""
    communes: tuple[str, ...] = ()
    staff: bool = True


@dataclass(frozen=True)
class Problem:
    numerator0: float
    denominator0: float
    candidates: tuple[Candidate, ...]
    # Pairs of ids of which at most one may be selected (order within a pair does not matter).
    overlaps: frozenset[tuple[str, str]] = frozenset()
    yearly_fte_cap: float | None = None
    min_feasibility: int = 0
    refusals: Mapping[str, frozenset[str]] = field(default_factory=dict)  # commune → refused themes
    fpu: bool = True


@dataclass(frozen=True)
class Portfolio:
    selected: tuple[str, ...]
    coefficient: float | None
    moved_fte: float
    moved_cost: float
    ac_total: float | None
    optimal: bool
    binding: tuple[str, ...]
    warnings: tuple[str, ...] = ()

    def as_json(self) -> dict:
        """The `mutualis optimize --json` document (docs/contrats §6), without `warnings`."""
        return {
            "selected": list(self.selected),
            "coefficient": self.coefficient,
            "moved_fte": self.moved_fte,
            "moved_cost": self.moved_cost,
            "ac_total": self.ac_total,
            "optimal": self.optimal,
            "binding": list(self.binding),
        }


class UnreachableTarget(Exception):
    """No eligible set reaches the target; `best` is the highest coefficient an eligible set reaches."""

    def __init__(self, target: float, best: float | None, optimal: bool = True):
        super().__init__(f"cible {target} inatteignable, meilleur coefficient {best}")
        self.target = target
        self.best = best
        self.optimal = optimal


class NoSolutionInTime(Exception):
    """The time limit stopped the search before any set reaching the target was found."""


class _Stopped(Exception):
    """Internal: the deadline has passed."""


# --- from a candidates file --------------------------------------------------------------------------


def candidats_depuis_effets(
    actions: Sequence, effets: Sequence, faisabilites: Mapping[str, int], territoire
) -> tuple[list[Candidate], list[str]]:
    """Candidates from the scenario engine's actions and their effects (`engine.scenario.effet`), in
    file order, with warnings. An action that moves staff but finds no base (no agent of that theme in
    its communes) moves nothing: it is left out like the modalités that move no staff."""
    candidates, warnings = [], []
    for position, (action, e) in enumerate(zip(actions, effets, strict=True)):
        staff = action.moves_staff
        if staff and e.moved_fte == 0 and e.moved_cost == 0:
            warnings.append(f"action « {action.id} » : aucun agent concerné dans la masse salariale : écartée")
            staff = False
        candidates.append(
            Candidate(
                id=action.id,
                position=position,
                d_numerator=e.d_numerator,
                d_denominator=e.d_denominator,
                moved_fte=e.moved_fte,
                moved_cost=e.moved_cost,
                ac=e.ac_total,
                faisabilite=faisabilites.get(action.id, 0),
                annee=action.annee,
                theme=action.theme,
                communes=tuple(action.communes_de(territoire)),
                staff=staff,
            )
        )
    return candidates, warnings


def probleme_depuis_candidats(
    candidats, bases, territoire, min_feasibility: int = 0, reserved_rh: frozenset[str] = frozenset()
) -> tuple[Problem, list[str]]:
    """The optimisation problem of a candidates file (`formats.scenario.Candidats`) on a payroll reduced
    to `engine.scenario.Bases`; shared by `mutualis optimize` and the web. Returns warnings too."""
    from engine.scenario import chevauchent, effet

    scenario = candidats.scenario
    effets = [effet(a, bases, territoire, scenario.partage_gains, reserved_rh) for a in scenario.actions]
    candidates, warnings = candidats_depuis_effets(scenario.actions, effets, candidats.faisabilites, territoire)
    warnings = [*(w for e in effets for w in e.warnings), *warnings]
    staff = [a for a in scenario.actions if a.moves_staff]
    overlaps = frozenset(
        (a.id, b.id) for i, a in enumerate(staff) for b in staff[i + 1 :] if chevauchent(a, b, territoire)
    )
    problem = Problem(
        numerator0=bases.total_numerator,
        denominator0=bases.total_denominator,
        candidates=tuple(candidates),
        overlaps=overlaps,
        yearly_fte_cap=candidats.plafond_etp_annuel,
        min_feasibility=min_feasibility,
        refusals=dict(candidats.refus),
        fpu=territoire.fpu,
    )
    return problem, warnings
