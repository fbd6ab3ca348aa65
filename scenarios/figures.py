"""Everything a scenario page, its workbook and the comparison show, from one run of the engine, each
amount and coefficient as the reader may see it (scenarios/confidentialite.py): the views only lay it out."""

from commun.tri import cle_francaise
from engine.themes import THEME_BY_CODE
from masse_salariale.confidentialite import lecture
from scenarios import calcul, graphiques
from scenarios.confidentialite import Montants


def _lignes_impact(ctx, simulation, montants: Montants):
    """The legal table « impact prévisionnel sur les effectifs et les dépenses de fonctionnement » as the
    engine computes it (`Simulation.impact`: net effect of each organisation), the EPCI first, then the
    communes in French order of their names (the engine lists them by code), each amount as this reader may
    see it (scenarios/confidentialite.py). Charges and savings are the user's inputs, not pay: always shown."""
    rows = []
    for r in simulation.impact.rows:
        o = r.org

        def m(valeur, code=r.code):
            return montants.organisation(code, valeur)

        rows.append(
            {
                "code": r.code,
                "nom": ctx.noms.get(r.code, r.code),
                "epci": r.epci,
                "o": o,
                "d_fte": r.d_fte,
                "touchee": r.touched,
                "avant": montants.avant(r.code),
                "apres": m(o.cost_after),
                "d_cost": m(r.d_cost),
                "remboursement": m(o.reimbursement),
                "ac": None if o.ac_adjustment is None else m(o.ac_adjustment),
                "net": m(r.net_effect),
            }
        )
    return sorted(rows, key=lambda r: (not r["epci"], cle_francaise(r["nom"])))


def _totaux(totals, montants: Montants) -> dict:
    """The engine's totals over the organisations (`Impact.totals`) under the templates' names."""
    return {
        "d_fte": totals.d_fte,
        "d_cost": montants.territoire_total(totals.d_cost),
        "net": montants.territoire_total(totals.net_effect),
        "charges": totals.charges,
        "savings": totals.savings,
    }


def figures(ctx, acces, scenario, lignes_actions) -> dict:
    """Everything a scenario page shows, from one run of the engine: the views only lay it out."""
    resultat = calcul.simuler(ctx, scenario, lignes_actions)
    out = {"resultat": resultat, "simulation": resultat.simulation}
    if resultat.simulation is None:
        return out
    sim = resultat.simulation
    moteur_actions = calcul.scenario_moteur(scenario, lignes_actions).actions
    montants = Montants(lecture(ctx.territoire, ctx.paie, acces), moteur_actions, ctx.moteur)
    impact = _lignes_impact(ctx, sim, montants)
    trajectoire = _trajectoire_complete(sim, montants)
    out.update(
        {
            "totaux_deplaces": {"fte": sim.moved_fte, "cost": montants.selection(sim.moved_cost)},
            "ac_total": None if sim.ac_total is None else montants.selection(sim.ac_total),
            "remboursements_communes": montants.selection(sim.communes_reimbursement),
            "impact": impact,
            "impact_touchees": [r for r in impact if r["touchee"] or r["epci"]],
            "totaux": _totaux(sim.impact.totals, montants),
            "par_action": [
                {
                    "ligne": l,
                    "r": r,
                    "masse": montants.action(r.id, r.moved_cost),
                    "coefficient": montants.coefficient(r.coefficient_after, jusqua=k + 1),
                }
                for k, (l, r) in enumerate(zip(lignes_actions, sim.actions, strict=True))
            ],
            **coefficients(sim, montants),
            "trajectoire": trajectoire,
            "graphique": graphiques.trajectoires([(scenario.nom, courbe(trajectoire))], list(trajectoire)),
            "themes_fonctionnels": [THEME_BY_CODE[t].label for t in sim.functional_themes],
        }
    )
    return out


def coefficients(sim, montants: Montants) -> dict:
    """The coefficient after the scenario and its change, as this reader may see them (scenarios/
    confidentialite.py: hidden when computed from a base she may not see)."""
    apres, avant = sim.after.coefficient, sim.before.coefficient
    ecart = None if apres is None or avant is None else apres - avant
    return {"coefficient_apres": montants.coefficient(apres), "ecart": montants.coefficient(ecart)}


def courbe(trajectoire: dict[int, dict]) -> dict[int, float | None]:
    """The trajectory's coefficients for the chart: a hidden year is a gap."""
    return {a: y["coefficient"].valeur if y["coefficient"].visible else None for a, y in trajectoire.items()}


def _trajectoire_complete(sim, montants: Montants) -> dict[int, dict]:
    """Every year of the mandate as the engine computes it (`Simulation.mandate_trajectory`: before the
    first action, the payroll as imported); the coefficient and the payroll derived from the bases moved
    by then."""
    return {
        a: {
            "coefficient": montants.coefficient(y.coefficient, annee=a),
            "fte": y.fte,
            "cost": montants.territoire_total(y.cost, a),
        }
        for a, y in sim.mandate_trajectory.items()
    }


def source_des_chiffres(ctx) -> dict:
    """Where the figures come from: the reference year (and why that one: `libelle`; the employers missing
    when it is incomplete: `avis`) and the current batches (file, confirmation date)."""
    paie = ctx.paie
    lots = {e.lot_id: e.lot for e in paie.lots.values()}
    return {
        "annee": paie.annee,
        "nb_employeurs": len(paie.lots),
        "lots": sorted(lots.values(), key=lambda l: (l.confirme_le is None, l.confirme_le, l.pk)),
        "libelle": ctx.annee_paie.libelle,
        "avis": paie.avis(calcul.PORTEE_SCENARIO),
    }
