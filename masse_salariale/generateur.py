"""Synthetic payroll (masse salariale) for demos and benchmarks: deterministic and plausible.

`generate_payroll` builds, for an EPCI and its member communes, one row per payroll line with the
columns of the payroll file (docs/contrats §3), and `write_payroll_csv` writes it as a file the
importer reads. Nothing here is real data: matricules, costs and assignments are drawn at random from a
seeded generator, so the same arguments always give the same frame.

The model, with its sources (docs/domaine.md §4, orders of magnitude of the territorial civil service):

- **Headcount.** A commune employs about 8 agents per 1,000 inhabitants up to 5,000 inhabitants, then
  more with size on a logarithmic scale, up to about 22 per 1,000 for a city of 250,000 (capped at 25:
  docs/domaine.md gives 5-25). The EPCI employs 3.5 to 6 per 1,000 inhabitants of its territory, more for a
  large one (docs/domaine.md: 3-8). Each employer's rate is jittered by ±8 %. `scale` multiplies every
  headcount (at least one agent per employer), leaving shares and rates unchanged.
- **Working time.** 10 % of agents work part-time (0.5, 0.8 or 0.9 ETP); their cost is the full-time
  cost times their ETP (in reality 80 % and 90 % are paid 6/7 and 32/35: ignored here).
- **Cost.** Full-time employer cost, all charges included, by category: C about 44 k€, B about 51 k€, A
  about 62 k€, bounded to 40-70 k€ (docs/domaine.md: average net pay 2,254 €/month, A 3,534, B 2,493, C 2,060;
  employer cost about 1.5 × gross, net about 0.84 × gross). The cost is then made one that a DSN reading can
  give back (docs/contrats/9-dsn.md: gross × (1 + the rate of the pension regime), rounded once, half up, to
  the cent): the drawn cost D, in cents, gives the yearly gross G = D / (1 + rate) rounded half up to the
  cent, and the cost is round_half_up(G × (1 + rate)). Not every cent amount is of that form, so the cost
  may differ from D by one cent; the arithmetic is on integers (cents, and the rate as an exact fraction),
  never on floats. The rate is that of the agent's regime (`REGIME_DEMO`: titulaire → CNRACL, contractuel
  → régime général) in `TAUX_CHARGES_DEMO`, the demo's employer-contribution rates for 2025, applied to the
  whole gross pay (traitement and primes):
  - **CNRACL, 46.55 %**: pension 34.65 % (décret n° 2025-86, up from 31.65 % in 2024) on the traitement
    indiciaire, taken as 80 % of the gross, so 27.72 %; RAFP 5 % on the primes (20 %), 1 %; maladie 9.88 %;
    allocations familiales 3.45 % (reduced rate, pay up to 3.3 SMIC); FNAL 0.50 %; contribution solidarité
    autonomie 0.30 %; CNFPT 0.90 %; centre de gestion 0.80 %; versement mobilité 2 % (Bordeaux area).
  - **Régime général, 35.27 %**: vieillesse 8.55 % (capped) + 2.02 %; IRCANTEC 4.20 % (tranche A); maladie
    7 % (reduced rate, pay up to 2.25 SMIC); allocations familiales 3.45 %; accidents du travail 1.50 %
    (varies by employer); FNAL 0.50 %; CSA 0.30 %; assurance chômage 4.05 % (employer adhering to it;
    many self-insure); CNFPT 0.90 %; centre de gestion 0.80 %; versement mobilité 2 %.
- **Support share.** The five functional themes (FIN RH CPAJ SI BML) take 13 % of an employer's ETP for
  a handful of agents, rising to 18 % for 5,000 agents (docs/domaine.md: 12-20 %, more in large employers).
  Each agent is drawn in support with that probability, then the gap to the target is closed by
  moving agents across, the last one for part of its time only, so the share is met to within 0.05
  ETP (that agent is the secrétariat général: part finance or HR, part other duties).
- **Themes.** Within support: BML 35 %, RH 22 %, FIN 20 %, SI 13 %, CPAJ 10 %. Outside support, a
  commune's staff is mostly `AUTRE` (schools, catering, early childhood, sport, culture, police...), then
  TIDP (roads, green spaces), AOS, GDP and ECO; the EPCI has more TIDP and ECO, and its `AUTRE` is waste,
  water, transport, housing.
- **Lines.** 12 % of agents split their time over 2 or 3 lines (quotités 0.5/0.5, 0.6/0.4, 0.7/0.3,
  0.8/0.2, 0.5/0.3/0.2, 0.4/0.3/0.3, 0.6/0.2/0.2), each line on a different theme of the same group
  (support or not); quotités are tenths and add up to exactly 1 per agent. Every themed line carries an
  activity of the default referential of that theme, except 5 % left blank as in many real files;
  `AUTRE` lines have none.
- **Category and status.** A/B/C drawn by the agent's main theme (support and themed services have
  more A and B, `AUTRE` mostly C), giving about 13/15/72 % overall (docs/domaine.md). 24 % contractuels.
- **Situations** (on every line of the agent unless said): 3 % of EPCI agents `transfere`; 0.8 % of
  commune agents `mad` to the EPCI and 0.6 % of EPCI agents `mad` to a commune (drawn in proportion to
  population), on their main line only (made available for that share of their time); one or two
  commune agents (times `scale`) `mad` to another commune. The beneficiary is set on `mad` lines only.

Every line satisfies docs/contrats §3: quotités in (0, 1] adding up to 1 per (employeur, agent), one cost
and one ETP per agent, a beneficiary that is a member different from the employer, `transfere` only
under the EPCI. The work is vectorised with numpy (about 1.5 million lines in a few seconds); the only
Python loops run over employers. A commune of unknown population (`None`) counts as 1,000 inhabitants;
an EPCI of unknown population as the sum of its communes.

Pure Python: no Django import.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from os import PathLike
from typing import IO

import numpy as np
import polars as pl

from engine.themes import AUTRE, THEMES
from engine.vocabulaire import SITUATIONS
from referentiel.defaut import activities_by_theme

Organisation = tuple[str, str, int | None]

# Columns of the payroll file, in the order of docs/contrats §3.
PAYROLL_COLUMNS: tuple[str, ...] = (
    "employeur",
    "agent",
    "theme",
    "cout_annuel",
    "quotite",
    "etp",
    "situation",
    "beneficiaire",
    "activite",
    "service",
    "statut",
    "categorie",
)
PAYROLL_SCHEMA: dict[str, type[pl.DataType]] = {
    "employeur": pl.String,
    "agent": pl.String,
    "theme": pl.String,
    "cout_annuel": pl.Float64,
    "quotite": pl.Float64,
    "etp": pl.Float64,
    "situation": pl.String,
    "beneficiaire": pl.String,
    "activite": pl.String,
    "service": pl.String,
    "statut": pl.String,
    "categorie": pl.String,
}

DEFAULT_POPULATION = 1_000

# --- Themes: index 0..8 follow THEMES, 9 is AUTRE.
_THEME_CODES: tuple[str, ...] = tuple(t.code for t in THEMES) + (AUTRE,)
_T = {code: i for i, code in enumerate(_THEME_CODES)}
_SUPPORT = np.array([_T[t.code] for t in THEMES if t.functional])
_NON_SUPPORT = np.array([_T[t.code] for t in THEMES if not t.functional] + [_T[AUTRE]])

# Main theme of an agent, within its group (support or not): weights by theme code, in the order
# of _SUPPORT and _NON_SUPPORT.
_SUPPORT_WEIGHTS = [{"FIN": 0.20, "RH": 0.22, "CPAJ": 0.10, "SI": 0.13, "BML": 0.35}[_THEME_CODES[i]] for i in _SUPPORT]
_NON_SUPPORT_WEIGHTS_COMMUNE = [
    {"AOS": 0.02, "GDP": 0.02, "ECO": 0.015, "TIDP": 0.095, AUTRE: 0.85}[_THEME_CODES[i]] for i in _NON_SUPPORT
]
_NON_SUPPORT_WEIGHTS_EPCI = [
    {"AOS": 0.03, "GDP": 0.04, "ECO": 0.05, "TIDP": 0.24, AUTRE: 0.64}[_THEME_CODES[i]] for i in _NON_SUPPORT
]
# Group of a main theme, for the category draw: 0 support, 1 other themes, 2 AUTRE.
_GROUP = np.array([0 if i in _SUPPORT else 2 if code == AUTRE else 1 for i, code in enumerate(_THEME_CODES)])

# Themes of an agent's 2nd and 3rd lines, always in the group of its main theme, so that splitting
# time never moves ETP across the support boundary.
_PARTNERS = {
    "FIN": ("RH", "CPAJ"),
    "RH": ("FIN", "SI"),
    "CPAJ": ("FIN", "BML"),
    "SI": ("BML", "RH"),
    "BML": ("SI", "CPAJ"),
    "AOS": ("GDP", AUTRE),
    "GDP": ("AOS", "TIDP"),
    "ECO": (AUTRE, "GDP"),
    "TIDP": (AUTRE, "GDP"),
    AUTRE: ("TIDP", "GDP"),
}
_PARTNER_INDEX = np.array([[_T[p] for p in _PARTNERS[code]] for code in _THEME_CODES])

# Quotités in tenths, main line first; each row adds up to 10.
_SPLITS = np.array([[5, 5, 0], [6, 4, 0], [7, 3, 0], [8, 2, 0], [5, 3, 2], [4, 3, 3], [6, 2, 2]])
_SPLIT_LENGTHS = (_SPLITS > 0).sum(axis=1)
_SPLIT_WEIGHTS = np.array([0.22, 0.20, 0.16, 0.18, 0.10, 0.07, 0.07])
_MULTI_LINE_RATE = 0.12

_PART_TIME_RATE = 0.10
_PART_TIME_ETP10 = np.array([5, 8, 9])  # tenths of ETP
_PART_TIME_WEIGHTS = np.array([0.3, 0.5, 0.2])

_CATEGORIES = ("A", "B", "C")
# (A, B, C) by group of the agent's main theme: support, other themes, AUTRE.
_CATEGORY_WEIGHTS = np.array([[0.20, 0.22, 0.58], [0.18, 0.28, 0.54], [0.10, 0.11, 0.79]])
_CATEGORY_CUMULATIVE = np.cumsum(_CATEGORY_WEIGHTS / _CATEGORY_WEIGHTS.sum(axis=1)[:, None], axis=1)
# Full-time employer cost (mean, standard deviation, floor, ceiling) in euros, by category.
_COST = np.array(
    [
        [62_000.0, 4_500.0, 52_000.0, 70_000.0],
        [51_000.0, 3_000.0, 45_000.0, 60_000.0],
        [44_000.0, 2_000.0, 40_000.0, 50_000.0],
    ]
)
_STATUTS = ("titulaire", "contractuel")
# The demo's employer-contribution rates by pension regime (docs/contrats/9-dsn.md), justified in the
# module's docstring, and the regime of each statut of _STATUTS.
TAUX_CHARGES_DEMO: dict[str, Decimal] = {"cnracl": Decimal("0.4655"), "general": Decimal("0.3527")}
REGIME_DEMO: dict[str, str] = {"titulaire": "cnracl", "contractuel": "general"}
_CONTRACTUAL_RATE = 0.24

_SITUATIONS = tuple(SITUATIONS)
_TRANSFERRED_RATE = 0.03  # of EPCI agents
_MAD_TO_EPCI_RATE = 0.008  # of commune agents
_MAD_TO_COMMUNE_RATE = 0.006  # of EPCI agents

_THEMED_SERVICES = {
    "FIN": "Direction des finances",
    "RH": "Direction des ressources humaines",
    "CPAJ": "Commande publique et affaires juridiques",
    "SI": "Direction du numérique et des systèmes d'information",
    "BML": "Bâtiments et moyens généraux",
    "AOS": "Urbanisme et droit des sols",
    "GDP": "Domaine public et réglementation",
    "ECO": "Développement économique et emploi",
    "TIDP": "Voirie et espaces publics",
}
_OTHER_SERVICES_COMMUNE = {
    "Éducation et enfance": 0.22,
    "Restauration scolaire": 0.12,
    "Petite enfance": 0.10,
    "Sports": 0.08,
    "Culture": 0.09,
    "Police municipale": 0.06,
    "Population et état civil": 0.07,
    "Propreté urbaine": 0.08,
    "Solidarités et action sociale": 0.07,
    "Jeunesse et vie associative": 0.05,
    "Communication": 0.03,
    "Cabinet et direction générale": 0.03,
}
_OTHER_SERVICES_EPCI = {
    "Collecte et traitement des déchets": 0.30,
    "Eau et assainissement": 0.12,
    "Mobilités et transports": 0.10,
    "Propreté et nettoiement": 0.14,
    "Habitat et politique de la ville": 0.06,
    "Planification urbaine et aménagement": 0.08,
    "Équipements et grands projets": 0.06,
    "Environnement et énergie": 0.05,
    "Cabinet, communication et direction générale": 0.05,
    "Archives et patrimoine culturel": 0.04,
}
_SPLIT_SERVICE_COMMUNE = "Secrétariat général"
_SPLIT_SERVICE_EPCI = "Direction générale des services"
_SERVICES: tuple[str, ...] = (
    tuple(_THEMED_SERVICES.values())
    + tuple(_OTHER_SERVICES_COMMUNE)
    + tuple(_OTHER_SERVICES_EPCI)
    + (_SPLIT_SERVICE_COMMUNE, _SPLIT_SERVICE_EPCI)
)
_S = {label: i for i, label in enumerate(_SERVICES)}
_S_COMMUNE_FIRST = _S[next(iter(_OTHER_SERVICES_COMMUNE))]
_S_EPCI_FIRST = _S[next(iter(_OTHER_SERVICES_EPCI))]
# Service of an agent by main theme (AUTRE: drawn among the other services instead).
_THEMED_SERVICE_INDEX = np.array([_S[_THEMED_SERVICES[code]] for code in _THEME_CODES[:-1]] + [-1])

# Activity codes of the default referential, grouped by theme: theme i uses
# _ACTIVITIES[_ACT_OFFSET[i] : _ACT_OFFSET[i] + _ACT_COUNT[i]].
_BY_THEME = activities_by_theme()
_ACTIVITIES: tuple[str, ...] = tuple(a.code for code in _THEME_CODES[:-1] for a in _BY_THEME[code])
_ACT_COUNT = np.array([len(_BY_THEME[code]) for code in _THEME_CODES[:-1]] + [0])
_ACT_OFFSET = np.concatenate([[0], np.cumsum(_ACT_COUNT)[:-1]])
_BLANK_ACTIVITY_RATE = 0.05


def charge_factors(statuts, taux: Mapping[str, Decimal] = TAUX_CHARGES_DEMO) -> tuple[np.ndarray, np.ndarray]:
    """(1 + the rate of each statut's regime) as exact fractions: numerators and denominators (int64).

    A statut outside REGIME_DEMO is a ValueError, as is a regime without a rate."""
    numerators, denominators = [], []
    for statut in statuts:
        if statut not in REGIME_DEMO:
            raise ValueError(f"statut « {statut} » : attendu {', '.join(REGIME_DEMO)}")
        numerator, denominator = (1 + Decimal(taux[REGIME_DEMO[statut]])).as_integer_ratio()
        numerators.append(numerator)
        denominators.append(denominator)
    return np.array(numerators, dtype=np.int64), np.array(denominators, dtype=np.int64)


def _half_up(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator rounded half up, for non-negative integers (exact)."""
    return (2 * numerator + denominator) // (2 * denominator)


def gross_from_cost(cost_cents: np.ndarray, numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """The gross pay, in cents, of a cost in cents: cost / (1 + rate), rounded half up to the cent.

    For a cost that cost_from_gross gave, this is its gross exactly: with a positive rate, cost / (1 + rate)
    is within half a cent of that gross, strictly."""
    return _half_up(np.asarray(cost_cents, dtype=np.int64) * denominator, numerator)


def cost_from_gross(gross_cents: np.ndarray, numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """The cost « toutes charges comprises », in cents, of a gross pay in cents: gross × (1 + rate),
    rounded half up once, as formats/dsn.py computes it."""
    return _half_up(np.asarray(gross_cents, dtype=np.int64) * numerator, denominator)


def commune_rate(population: float) -> float:
    """Agents per 1,000 inhabitants of a commune, before jitter: 8 up to 5,000, ~22 at 250,000."""
    if population <= 5_000:
        return 8.0
    return min(25.0, 8.0 + 14.0 * math.log(population / 5_000) / math.log(50))


def epci_rate(population: float) -> float:
    """EPCI agents per 1,000 inhabitants of its territory, before jitter: 3.5 to 6 (1 million)."""
    position = math.log(max(population, 1) / 20_000) / math.log(50)
    return 3.5 + 2.5 * min(1.0, max(0.0, position))


def support_share(headcount: float) -> float:
    """Share of an employer's ETP in the functional themes, before jitter (13 % to 18 %)."""
    position = math.log(max(headcount, 1.0) / 10) / math.log(500)
    return 0.13 + 0.05 * min(1.0, max(0.0, position))


def _cumulative(weights) -> np.ndarray:
    """Cumulative probabilities of weights (a sequence, or a dict's values in order)."""
    values = np.array(list(weights.values()) if isinstance(weights, dict) else weights, dtype=float)
    return np.cumsum(values / values.sum())


def _draw(rng: np.random.Generator, cumulative: np.ndarray, size: int) -> np.ndarray:
    """Indices drawn from a cumulative distribution (vectorised categorical draw)."""
    return np.minimum(np.searchsorted(cumulative, rng.random(size), side="right"), len(cumulative) - 1)


def _check(epci: Organisation, communes: list[Organisation], scale: float) -> None:
    if not scale > 0 or not math.isfinite(scale):
        raise ValueError(f"scale must be a positive number, got {scale!r}")
    codes = [epci[0]] + [c[0] for c in communes]
    if len(set(codes)) != len(codes):
        raise ValueError("organisation codes must be unique")
    for code, _nom, population in [epci, *communes]:
        if population is not None and population < 0:
            raise ValueError(f"negative population for {code}")


def generate_payroll(epci: Organisation, communes: list[Organisation], seed: int, scale: float = 1.0) -> pl.DataFrame:
    """Return a synthetic payroll for the EPCI and its communes, one row per line (PAYROLL_COLUMNS).

    `epci` and each commune are (code, nom, population). Same arguments, same frame. Rows are sorted
    by employer (EPCI first, then communes in the given order), matricule, then line (main line first).
    """
    _check(epci, communes, scale)
    rng = np.random.default_rng(seed)
    employers = [epci[0]] + [c[0] for c in communes]
    n_communes = len(communes)
    commune_pop = np.array([DEFAULT_POPULATION if c[2] is None else c[2] for c in communes], dtype=float)
    territory_pop = float(commune_pop.sum()) if epci[2] is None else float(epci[2])

    # --- Employers: headcount at scale 1 (it drives rates and shares), then scaled.
    rates = np.array([epci_rate(territory_pop)] + [commune_rate(p) for p in commune_pop])
    rates *= rng.uniform(0.92, 1.08, size=len(rates))
    rates[1:] = np.clip(rates[1:], 5.0, 25.0)
    base = np.concatenate([[territory_pop], commune_pop]) * rates / 1000
    headcount = np.maximum(1, np.rint(base * scale)).astype(np.int64)
    shares = np.array([support_share(h) for h in base]) + rng.uniform(-0.004, 0.004, size=len(base))

    # --- Agents, grouped by employer, EPCI first. No draw depends on an agent's position, so the
    # position (its matricule) reveals nothing. Working time is in tenths so that sums are exact.
    n_agents = int(headcount.sum())
    n_epci = int(headcount[0])
    emp = np.repeat(np.arange(len(employers)), headcount)
    first = np.concatenate([[0], np.cumsum(headcount)[:-1]])
    etp10 = np.where(
        rng.random(n_agents) < _PART_TIME_RATE,
        _PART_TIME_ETP10[_draw(rng, _cumulative(_PART_TIME_WEIGHTS), n_agents)],
        10,
    )
    support_tenths = _support_tenths(rng, emp, first, etp10, shares)
    support = support_tenths == 10
    straddling = (support_tenths > 0) & (support_tenths < 10)

    # Main theme: drawn in the agent's group. The agent straddling the support boundary is the
    # secrétariat général: finance or HR, then other duties (AUTRE) on its second line.
    main = _SUPPORT[_draw(rng, _cumulative(_SUPPORT_WEIGHTS), n_agents)]
    other = np.empty(n_agents, dtype=np.int64)
    other[:n_epci] = _NON_SUPPORT[_draw(rng, _cumulative(_NON_SUPPORT_WEIGHTS_EPCI), n_epci)]
    other[n_epci:] = _NON_SUPPORT[_draw(rng, _cumulative(_NON_SUPPORT_WEIGHTS_COMMUNE), n_agents - n_epci)]
    main = np.where(support, main, other)
    n_straddling = int(straddling.sum())
    main[straddling] = np.where(rng.random(n_straddling) < 0.5, _T["FIN"], _T["RH"])

    # --- Agent attributes.
    group = _GROUP[main]
    draw = rng.random(n_agents)
    category = (draw > _CATEGORY_CUMULATIVE[group, 0]).astype(np.int64) + (draw > _CATEGORY_CUMULATIVE[group, 1])
    full_time = np.clip(rng.normal(_COST[category, 0], _COST[category, 1]), _COST[category, 2], _COST[category, 3])
    drawn = np.rint(full_time * etp10 / 10 * 100).astype(np.int64)  # cents, as np.round(..., 2) gives
    statut = (rng.random(n_agents) < _CONTRACTUAL_RATE).astype(np.int64)
    numerator, denominator = charge_factors(_STATUTS)
    factor_num, factor_den = numerator[statut], denominator[statut]
    cost = cost_from_gross(gross_from_cost(drawn, factor_num, factor_den), factor_num, factor_den) / 100
    service = _THEMED_SERVICE_INDEX[main]
    other_service = np.empty(n_agents, dtype=np.int64)
    other_service[:n_epci] = _S_EPCI_FIRST + _draw(rng, _cumulative(_OTHER_SERVICES_EPCI), n_epci)
    other_service[n_epci:] = _S_COMMUNE_FIRST + _draw(rng, _cumulative(_OTHER_SERVICES_COMMUNE), n_agents - n_epci)
    service = np.where(main == _T[AUTRE], other_service, service)
    service[:n_epci][straddling[:n_epci]] = _S[_SPLIT_SERVICE_EPCI]
    service[n_epci:][straddling[n_epci:]] = _S[_SPLIT_SERVICE_COMMUNE]

    # --- Situations, per agent: transfere applies to all its lines, mad to its main line only
    # (made available for that share of its time). Beneficiary: an employer index, -1 for none.
    draw = rng.random(n_agents)
    transferred = np.zeros(n_agents, dtype=bool)
    transferred[:n_epci] = draw[:n_epci] < _TRANSFERRED_RATE
    beneficiary = np.full(n_agents, -1, dtype=np.int64)
    beneficiary[n_epci:][draw[n_epci:] < _MAD_TO_EPCI_RATE] = 0
    if n_communes:
        by_population = np.cumsum(commune_pop + 1) / (commune_pop + 1).sum()
        to_commune = np.flatnonzero(
            (draw[:n_epci] >= _TRANSFERRED_RATE) & (draw[:n_epci] < _TRANSFERRED_RATE + _MAD_TO_COMMUNE_RATE)
        )
        beneficiary[to_commune] = 1 + _draw(rng, by_population, len(to_commune))
    if n_communes >= 2:
        # One or two commune agents (times scale) made available to another commune.
        candidates = n_epci + np.flatnonzero(beneficiary[n_epci:] < 0)
        wanted = min(len(candidates), int(rng.integers(1, 3)) * max(1, round(scale)))
        chosen = rng.choice(candidates, size=wanted, replace=False)
        target = 1 + _draw(rng, by_population, wanted)
        beneficiary[chosen] = np.where(target == emp[chosen], 1 + target % n_communes, target)

    # --- Lines: one per agent, or a split pattern (12 %), or the straddling agent's two.
    multi = rng.random(n_agents) < _MULTI_LINE_RATE
    pattern = _draw(rng, _cumulative(_SPLIT_WEIGHTS), n_agents)
    n_lines = np.where(straddling, 2, np.where(multi, _SPLIT_LENGTHS[pattern], 1))
    agent = np.repeat(np.arange(n_agents), n_lines)
    col = np.arange(len(agent)) - np.repeat(np.cumsum(n_lines) - n_lines, n_lines)
    q10 = np.where(multi[agent], _SPLITS[pattern[agent], col], 10)
    split_agent = straddling[agent]
    q10 = np.where(split_agent, np.where(col == 0, support_tenths[agent], 10 - support_tenths[agent]), q10)
    # Further lines go to partner themes of the same group, so splitting never crosses the boundary.
    line_main = main[agent]
    swap = rng.integers(0, 2, n_agents)[agent]
    partner = _PARTNER_INDEX[line_main, np.where(col == 1, swap, 1 - swap)]
    line_theme = np.where(col == 0, line_main, partner)
    line_theme = np.where(split_agent & (col == 1), _T[AUTRE], line_theme)
    situation = np.where(transferred[agent], 1, 0)
    line_beneficiary = np.where(col == 0, beneficiary[agent], -1)
    situation = np.where(line_beneficiary >= 0, 2, situation)
    n_act = _ACT_COUNT[line_theme]
    activity = _ACT_OFFSET[line_theme] + (rng.random(len(agent)) * n_act).astype(np.int64)
    blank = (n_act == 0) | (rng.random(len(agent)) < _BLANK_ACTIVITY_RATE)
    activity = np.where(blank, -1, activity)

    matricule = np.arange(n_agents) - first[emp] + 1
    width = max(6, len(str(int(headcount.max()))))
    frame = pl.DataFrame(
        {
            "employeur": _labels(employers, emp[agent]),
            "agent": pl.Series(matricule[agent]).cast(pl.String).str.zfill(width),
            "theme": _labels(_THEME_CODES, line_theme),
            "cout_annuel": cost[agent],
            "quotite": q10 / 10,
            "etp": etp10[agent] / 10,
            "situation": _labels(_SITUATIONS, situation),
            "beneficiaire": _labels(employers, line_beneficiary),
            "activite": _labels(_ACTIVITIES, activity),
            "service": _labels(_SERVICES, service[agent]),
            "statut": _labels(_STATUTS, statut[agent]),
            "categorie": _labels(_CATEGORIES, category[agent]),
        }
    )
    return frame.with_columns((pl.lit("M") + pl.col("agent")).alias("agent"))


def _support_tenths(
    rng: np.random.Generator,
    emp: np.ndarray,
    first: np.ndarray,
    etp10: np.ndarray,
    shares: np.ndarray,
) -> np.ndarray:
    """Tenths of each agent's working time spent in support, meeting each employer's share.

    Each agent is first drawn in support with its employer's share as probability. Then, per
    employer, the gap to the target ETP is closed by moving agents of the other side, laid end to end
    in position order (a random order: no draw depends on position); the last one moved is moved for
    part of its time only, rounded to a tenth, so the share is met to within 0.05 ETP.
    """
    target = shares * np.add.reduceat(etp10, first)
    drawn = rng.random(len(etp10)) < shares[emp]
    gap = target - np.add.reduceat(np.where(drawn, etp10, 0), first)
    movable = np.where(gap[emp] > 0, ~drawn, drawn)
    width = np.where(movable, etp10, 0)
    laid_end = np.cumsum(width)
    before_employer = (laid_end - width)[first]
    start = laid_end - width - before_employer[emp]
    moved = np.rint(10 * np.clip((np.abs(gap)[emp] - start) / etp10, 0, 1)).astype(np.int64)
    moved = np.where(movable, moved, 0)
    return np.where(drawn, 10 - moved, moved)


def _labels(vocabulary, indices: np.ndarray) -> pl.Series:
    """Strings for integer indices (-1 gives null); without a vocabulary, the numbers as text."""
    if vocabulary is None:
        return pl.Series(indices).cast(pl.String)
    index = pl.Series(np.where(indices < 0, 0, indices).astype(np.uint32))
    values = pl.Series(list(vocabulary), dtype=pl.String).gather(index)
    if (indices < 0).any():
        values = values.scatter(np.flatnonzero(indices < 0), None)
    return values


def write_payroll_csv(frame: pl.DataFrame, path: str | PathLike[str] | IO[bytes]) -> None:
    """Write a payroll frame as the payroll file: `;`, UTF-8 without BOM, header, decimal point, LF.

    `path` is a file path or a binary buffer. Exactly PAYROLL_COLUMNS in that order (a missing column
    is a ValueError; other columns are left out); nulls as empty cells.
    """
    missing = [c for c in PAYROLL_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"missing payroll columns: {', '.join(missing)}")
    frame.select(PAYROLL_COLUMNS).write_csv(
        path, separator=";", include_header=True, null_value="", line_terminator="\n"
    )
