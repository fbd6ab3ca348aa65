"""Scenarios of the schéma: what pooling actions do to staff, payroll, the coefficient and the money
flows between the EPCI and its communes (docs/contrats §5, §6; docs/scenarios.md).

Plain values in, plain values out; no Django here. The web recomputes a scenario on every edit, so the
payroll is reduced once to a `Bases` object (sums by employer × theme × activity, totals by employer,
numerator and denominator by theme) and `simulate` then works on small dicts only.

Sign conventions, seen from each organisation: `ac_adjustment` is the change of the attribution de
compensation it receives (negative: the commune receives less, or pays more); `reimbursement` is the
money it receives (negative: it pays); `savings` are non-payroll savings it makes; `charges` the
non-payroll spending handed over (commune −, EPCI +). `OrgResult.net_effect` sums them with the payroll
change into the effect on the organisation's operating balance; `Simulation.impact` is the legal table
built on it, the one source of those figures for the pages, the exports and the command line.

Modules, from the ground up: `entrees` (territory, actions, scenario, constants), `masse` (the payroll
reduced once: `Bases`, `bases`), `regles` (the checks: `issues`, `check`, `chevauchent`), `effets` (one
action: `OrgDelta`, `Effet`, `effet`), `simulation` (results, the impact table and `simulate`). Importers
use this package (`from engine import scenario as moteur`), which re-exports every public name.
"""

from engine.scenario.effets import ZERO, Effet, OrgDelta, effet
from engine.scenario.entrees import (
    EMPLOYER_MOVES,
    FIRST_YEAR,
    LAST_YEAR,
    LINE_COLUMNS,
    MAD_MODALITES,
    MAX_AMOUNT,
    MODALITES,
    OTHER_MODALITES,
    RH,
    STAFF_MODALITES,
    TOUTES,
    UNTOUCHED,
    Action,
    Scenario,
    ScenarioInvalide,
    Territoire,
)
from engine.scenario.masse import Bases, bases
from engine.scenario.regles import MOTS_FICHIER, Issue, Mots, check, chevauchent, issues, message, name
from engine.scenario.simulation import (
    ActionResult,
    Impact,
    ImpactRow,
    ImpactTotals,
    OrgResult,
    Ratio,
    Simulation,
    YearResult,
    simulate,
)

__all__ = [
    "EMPLOYER_MOVES",
    "FIRST_YEAR",
    "LAST_YEAR",
    "LINE_COLUMNS",
    "MAD_MODALITES",
    "MAX_AMOUNT",
    "MODALITES",
    "OTHER_MODALITES",
    "RH",
    "STAFF_MODALITES",
    "TOUTES",
    "UNTOUCHED",
    "ZERO",
    "Action",
    "ActionResult",
    "Bases",
    "Effet",
    "Impact",
    "ImpactRow",
    "ImpactTotals",
    "Issue",
    "MOTS_FICHIER",
    "Mots",
    "OrgDelta",
    "OrgResult",
    "Ratio",
    "Scenario",
    "ScenarioInvalide",
    "Simulation",
    "Territoire",
    "YearResult",
    "bases",
    "check",
    "chevauchent",
    "effet",
    "issues",
    "message",
    "name",
    "simulate",
]
