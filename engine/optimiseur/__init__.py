"""The optimal portfolio of actions (`mutualis optimize`, docs/contrats §6; method in docs/optimiseur.md).

Plain values in, plain values out; no Django. Each candidate is reduced to its additive effect on the
coefficient's numerator and denominator, its moved ETP and a few attributes; a 0-1 program (HiGHS)
chooses the portfolio:

- `target` mode: the eligible sets whose coefficient reaches the target (tolerance `TOL_COEFFICIENT`)
  are the class; the one with the least moved ETP wins;
- `max_fte` mode: the sets with moved ETP ≤ the cap; the highest coefficient (Dinkelbach's parametric
  method: the coefficient is a ratio) defines the class of sets within `TOL_COEFFICIENT` of it.

Ties are broken in both modes by less moved ETP (tolerance `TOL_FTE`), higher total feasibility, fewer
actions, then the lexicographically smallest sorted list of input positions. By default the whole class
of tied sets is listed by an exact enumeration around a Lagrangian bound and ties are broken directly;
on the MIP path (the fallback), one solve per level, the level fixed as a constraint for the next, and
the last level proven unique by a no-good cut (or walked position by position). Either way the result
is the one a brute force with the same tolerances finds.

The package, each module importing only those before it:

- `probleme`: tolerances, constraint names, `Candidate`, `Problem`, `Portfolio`, the exceptions, and the
  problem of a candidates file (`probleme_depuis_candidats`);
- `programme`: the 0-1 program of one run (`_Instance`: eligible candidates, rows, one HiGHS solve);
- `mip`: the MIP path (the fallback): Dinkelbach and the tie-breaking levels by MIP solves;
- `relaxation`: Lagrangian bounds from the duals of the linear relaxation (with cover cuts on the caps);
- `enumeration`: the exact enumeration under that bound (the default path) and its tie-breaking;
- `binding`: the binding constraints;
- this module: `optimise`, which picks the path, and the names the rest of the project imports.
"""

from __future__ import annotations

import math
import time

import numpy as np

from engine.optimiseur.binding import _binding
from engine.optimiseur.enumeration import (
    _enumerated_max_class,
    _enumerated_max_ratio,
    _enumerated_target,
    _TooLarge,
)
from engine.optimiseur.mip import _lexicographic, _max_ratio
from engine.optimiseur.probleme import (
    CIBLE,
    FAISABILITE_MIN,
    PLAFOND_ETP,
    SCALE,
    TOL_COEFFICIENT,
    TOL_FTE,
    Candidate,
    NoSolutionInTime,
    Portfolio,
    Problem,
    UnreachableTarget,
    _Stopped,
    candidats_depuis_effets,
    chevauchement,
    plafond_annuel,
    probleme_depuis_candidats,
    refus,
)
from engine.optimiseur.programme import _Instance, _Prepared
from engine.vocabulaire import FAISABILITE_MAX

__all__ = [
    "CIBLE",
    "FAISABILITE_MAX",
    "FAISABILITE_MIN",
    "PLAFOND_ETP",
    "SCALE",
    "TOL_COEFFICIENT",
    "TOL_FTE",
    "Candidate",
    "NoSolutionInTime",
    "Portfolio",
    "Problem",
    "UnreachableTarget",
    "candidats_depuis_effets",
    "chevauchement",
    "optimise",
    "plafond_annuel",
    "probleme_depuis_candidats",
    "refus",
]


# --- the two modes -----------------------------------------------------------------------------------


def _select_target(inst: _Instance, target: float) -> np.ndarray | None:
    """Target mode: by enumeration, or by a MIP per level when the enumeration would be too long."""
    try:
        return _enumerated_target(inst, target)
    except _TooLarge:
        return _lexicographic(inst, [inst.coefficient_row(target - TOL_COEFFICIENT)], None)


def _best_ratio(inst: _Instance) -> tuple[float, np.ndarray]:
    try:
        return _enumerated_max_ratio(inst)
    except _TooLarge:
        return _max_ratio(inst, [])


def _select_max(inst: _Instance) -> np.ndarray:
    """Max-fte mode: the highest coefficient (Dinkelbach), then the ties; the best set found so far at the
    deadline (`inst.stopped`)."""
    best, x = _best_ratio(inst)
    if inst.stopped:
        return x
    try:
        return _enumerated_max_class(inst, best)
    except _Stopped:
        inst.stopped = True
        return x
    except _TooLarge:
        pass
    try:
        return _lexicographic(inst, [inst.coefficient_row(best - TOL_COEFFICIENT)], x)
    except _Stopped:
        return x


def optimise(
    problem: Problem,
    *,
    target: float | None = None,
    max_fte: float | None = None,
    time_limit: float = 60.0,
    with_binding: bool = True,
) -> Portfolio:
    """The optimal portfolio; exactly one of `target` and `max_fte`. Raises UnreachableTarget,
    NoSolutionInTime, or ValueError (no mode, or a denominator before that is not positive).
    `with_binding=False` skips the analysis of binding constraints (one solve or more per constraint):
    `binding` is then empty."""
    if (target is None) == (max_fte is None):
        raise ValueError("indiquer soit une cible, soit un plafond d'ETP")
    if not problem.denominator0 > 0:
        raise ValueError("la masse salariale des services fonctionnels est nulle : coefficient non défini")
    for cap in (max_fte, problem.yearly_fte_cap):
        if cap is not None and not cap >= 0:
            raise ValueError("un plafond d'ETP doit être positif ou nul")
    deadline = time.monotonic() + time_limit
    prep = _Prepared(problem)
    inst = _Instance(prep, frozenset(), max_fte, deadline)
    if target is not None:
        try:
            x = _select_target(inst, target)
        except _Stopped:
            raise NoSolutionInTime from None
        if x is None:
            unbounded = _Instance(prep, frozenset(), None, deadline)
            best, _ = _best_ratio(unbounded)
            raise UnreachableTarget(target, best, optimal=not unbounded.stopped)
    else:
        x = _select_max(inst)
    optimal = not inst.stopped
    warnings = []
    binding: tuple[str, ...] = ()
    if optimal and with_binding:
        try:
            binding = _binding(prep, inst, x, target, max_fte, deadline)
        except _Stopped:
            warnings.append("délai dépassé : la liste des contraintes saturées n'a pas pu être établie")
    return _portfolio(problem, inst, x, optimal, binding, tuple(warnings))


def _portfolio(problem, inst, x, optimal, binding, warnings) -> Portfolio:
    chosen = [c for c, on in zip(inst.cands, x, strict=True) if on]
    return Portfolio(
        selected=tuple(c.id for c in chosen),
        coefficient=inst.ratio(x),
        moved_fte=math.fsum(c.moved_fte for c in chosen),
        moved_cost=math.fsum(c.moved_cost for c in chosen),
        ac_total=math.fsum(c.ac or 0.0 for c in chosen) if problem.fpu else None,
        optimal=optimal,
        binding=binding,
        warnings=warnings,
    )
