"""What one action does, alone, against the payroll as imported (`effet`): per organisation, and on
the coefficient's numerator and denominator. Effects of non-overlapping actions add up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from operator import attrgetter

from engine.scenario.entrees import FIRST_YEAR, RH, Action, Territoire
from engine.scenario.masse import Bases

# --- Effects of one action ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrgDelta:
    """What one action changes for one organisation (payroll and ETP as employer, all themes)."""

    cost: float = 0.0
    fte: float = 0.0
    functional_cost: float = 0.0
    functional_fte: float = 0.0
    ac_adjustment: float = 0.0  # always 0 in FA
    reimbursement: float = 0.0
    savings: float = 0.0
    charges: float = 0.0  # non-payroll operating spending handed over (commune −, EPCI +)
    moved_cost: float = 0.0
    moved_fte: float = 0.0

    def __add__(self, other: OrgDelta) -> OrgDelta:
        return OrgDelta(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))


_DELTA_FIELDS = tuple(OrgDelta.__dataclass_fields__)
(_COST, _FTE, _FCOST, _FFTE, _AC, _REIMBURSEMENT, _SAVINGS, _CHARGES, _MOVED_COST, _MOVED_FTE) = range(
    len(_DELTA_FIELDS)
)
ZERO = OrgDelta()
_values = attrgetter(*_DELTA_FIELDS)


@dataclass(frozen=True)
class Effet:
    id: str
    moved_cost: float
    moved_fte: float
    d_numerator: float
    d_denominator: float
    by_organisation: dict[str, OrgDelta]
    ac_total: float | None  # the communes' ac_adjustment summed; None in FA
    warnings: tuple[str, ...] = ()
    annee: int = FIRST_YEAR
    functional: bool = False


def effet(
    action: Action,
    bases: Bases,
    territoire: Territoire,
    partage_gains: float = 0.0,
    reserved_rh: frozenset[str] | set[str] = frozenset(),
) -> Effet:
    """One action alone against the payroll as imported. Effects of non-overlapping actions add up."""
    epci, s, g = territoire.epci, partage_gains, action.gain
    communes = action.communes_de(territoire)
    functional = action.theme in bases.functional
    warnings = list(_warnings(action, bases, reserved_rh))
    # Plain float lists in the loop (indices of _DELTA_FIELDS): the web recomputes on every edit.
    acc: dict[str, list[float]] = {}
    moved_cost = moved_fte = d_num = d_den = 0.0

    def row(code: str) -> list[float]:
        r = acc.get(code)
        if r is None:
            r = acc[code] = [0.0] * len(_DELTA_FIELDS)
        return r

    if action.moves_staff:
        price = action.unit_price
        charges = action.charges_associees
        ascendante = action.modalite == "mad_ascendante"
        descendante = action.modalite == "mad_descendante"
        fpu = territoire.fpu
        e = row(epci)
        for c in communes:
            base_cost, base_fte = bases.base(c, action.theme, action.activite)
            m, f = action.part * base_cost, action.part * base_fte
            moved_cost += m
            moved_fte += f
            kept_cost, kept_fte = m * (1 - g), f * (1 - g)
            d = row(c)
            d[_MOVED_COST] += m
            d[_MOVED_FTE] += f
            if ascendante:
                # The commune stays the employer; the gain is lost on its payroll; the EPCI reimburses it.
                # docs/contrats §5: the EPCI reimburses moved_cost × (1 − gain), or cout_unitaire × unites; the
                # commune keeps running the service, so no charges are handed over (a warning says so).
                paid = price if price is not None else kept_cost
                lost_cost, lost_fte = m * g, f * g
                d[_REIMBURSEMENT] += paid
                e[_REIMBURSEMENT] -= paid
            else:
                lost_cost, lost_fte = m, f
                e[_COST] += kept_cost
                e[_FTE] += kept_fte
                if functional:
                    e[_FCOST] += kept_cost
                    e[_FFTE] += kept_fte
                d[_CHARGES] -= charges
                e[_CHARGES] += charges
                if descendante:
                    paid = price if price is not None else kept_cost + charges
                    d[_REIMBURSEMENT] -= paid
                    e[_REIMBURSEMENT] += paid
                else:
                    amount = m * (1 - s * g) + charges
                    slot = _AC if fpu else _REIMBURSEMENT
                    d[slot] -= amount
                    e[slot] += amount
            d[_COST] -= lost_cost
            d[_FTE] -= lost_fte
            if functional:
                d[_FCOST] -= lost_cost
                d[_FFTE] -= lost_fte
                d_num += kept_cost
                d_den -= m * g
    elif action.economie:
        for c, share in _population_shares(communes, territoire, warnings, action).items():
            row(c)[_SAVINGS] += action.economie * share

    deltas = {code: OrgDelta(*values) for code, values in acc.items() if any(values)}
    ac_total = sum(d.ac_adjustment for c, d in deltas.items() if c != epci) if territoire.fpu else None
    return Effet(
        id=action.id,
        moved_cost=moved_cost,
        moved_fte=moved_fte,
        d_numerator=d_num,
        d_denominator=d_den,
        by_organisation=deltas,
        ac_total=ac_total,
        warnings=tuple(warnings),
        annee=action.annee,
        functional=functional,
    )


def _population_shares(
    communes: tuple[str, ...], territoire: Territoire, warnings: list[str], action: Action
) -> dict[str, float]:
    """Shares of a non-payroll saving: by population; equal shares when a population is unknown or all
    are zero (then a warning says so)."""
    if not communes:
        return {}
    populations = [territoire.populations.get(c) for c in communes]
    total = sum(p or 0 for p in populations)
    if any(p is None for p in populations) or total <= 0:
        warnings.append(
            f"action « {action.id} » : population inconnue pour au moins une commune concernée : "
            "l'économie est répartie à parts égales"
        )
        return {c: 1 / len(communes) for c in communes}
    return {c: p / total for c, p in zip(communes, populations, strict=True)}


def _warnings(action: Action, bases: Bases, reserved_rh) -> Iterable[str]:
    who = f"action « {action.id} »"
    if action.modalite == "mad_ascendante" and action.charges_associees:
        yield (
            f"{who} : charges_associees sans effet pour une mise à disposition ascendante : la commune reste "
            "employeur et gestionnaire, l'EPCI lui rembourse la masse mise à disposition (docs/contrats §5)"
        )
    if action.modalite == "transfert" and action.theme in bases.functional:
        yield (
            f"{who} : transfert sur un thème fonctionnel ({action.theme}) : les fonctions support ne sont pas "
            "des compétences, le service commun est l'outil habituel"
        )
    if action.moves_staff and action.theme == RH:
        if not action.activite:
            yield (
                f"{who} : le thème RH entier comprend les missions réservées aux centres de gestion (art. 23 de "
                "la loi 84-53), exclues d'un service commun pour les communes qui leur sont obligatoirement "
                "affiliées (L5211-4-2)"
            )
        elif action.activite in reserved_rh:
            yield (
                f"{who} : l'activité {action.activite} relève des missions réservées aux centres de gestion "
                "(art. 23 de la loi 84-53), exclues d'un service commun pour les communes qui leur sont "
                "obligatoirement affiliées (L5211-4-2)"
            )
