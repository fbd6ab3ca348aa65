"""A version of the schéma and its figures: freezing a scenario (a frozen copy pinned to the payroll batches
of one year), the figures computed at that moment, the figures of a frozen version read again for a reader
through the one figures object (scenarios/figures.py: the same confidentiality as the scenario page), and
the comparison of two versions (actions added, removed, changed; figures that moved)."""

from dataclasses import dataclass, field

from scenarios import calcul
from scenarios.actions import actions_de
from scenarios.figures import figures
from scenarios.pages import fichier_scenario


def brutes(simulation, annee_paie: int) -> dict:
    """What a version stores when frozen: the engine's figures as computed, rounded to the cent (a JSON
    document that no later import changes). Shown to no one as such: pages read them again through the
    figures object, and check that they are unchanged (`conforme`)."""

    def r(x):
        return None if x is None else round(float(x), 2)

    return {
        "annee_paie": annee_paie,
        "coefficient_avant": r(simulation.before.coefficient and simulation.before.coefficient * 100),
        "coefficient_apres": r(simulation.after.coefficient and simulation.after.coefficient * 100),
        "organisations": {
            row.code: {
                "etp_avant": r(row.org.fte_before),
                "etp_apres": r(row.org.fte_after),
                "masse_avant": r(row.org.cost_before),
                "masse_apres": r(row.org.cost_after),
                "ac": r(row.org.ac_adjustment),
                "remboursement": r(row.org.reimbursement),
                "effet_net": r(row.net_effect),
            }
            for row in simulation.impact.rows
        },
        "trajectoire": {
            str(annee): {"coefficient": r(y.coefficient and y.coefficient * 100), "etp": r(y.fte), "masse": r(y.cost)}
            for annee, y in simulation.mandate_trajectory.items()
        },
    }


def contexte(version):
    """The context of a frozen version: the batches it kept, current or not."""
    entrees = version.lots.select_related("organisation", "lot")
    return calcul.contexte_fige(version.schema.territoire, entrees)


@dataclass
class FiguresVersion:
    ctx: object
    lignes: list
    chiffres: dict  # scenarios.figures.figures() for this reader
    conforme: bool  # recomputed from the kept batches, the figures equal those stored when frozen
    fichier: dict = field(default_factory=dict)  # the scenario as a docs/contrats §5 file


def figures_version(version, acces) -> FiguresVersion:
    ctx = contexte(version)
    lignes = actions_de(version.scenario)
    chiffres = figures(ctx, acces, version.scenario, lignes)
    sim = chiffres.get("simulation")
    conforme = sim is not None and brutes(sim, version.annee_paie) == version.figures
    return FiguresVersion(ctx, lignes, chiffres, conforme, fichier_scenario(version.scenario, lignes))


# --- comparing two versions --------------------------------------------------------------------------------

CHAMPS_COMPARES = {
    "theme": "thème",
    "activite": "activité",
    "communes": "communes",
    "modalite": "modalité",
    "part": "part mutualisée",
    "gain": "gain de productivité",
    "annee": "année d'effet",
    "economie": "économies hors masse salariale",
    "charges_associees": "charges associées",
    "cout_unitaire": "coût unitaire",
    "unites": "unités",
}


@dataclass
class Difference:
    ajoutees: list[str]
    retirees: list[str]
    modifiees: list[tuple[str, list[str]]]  # (action id, the fields changed, in words)
    partage_gains: bool

    @property
    def vide(self) -> bool:
        return not (self.ajoutees or self.retirees or self.modifiees or self.partage_gains)


def difference(a, b) -> Difference:
    """What changes from version `a` to version `b`, action by action (by identifier)."""
    fa = {x["id"]: x for x in fichier_scenario(a.scenario, actions_de(a.scenario))["actions"]}
    fb = {x["id"]: x for x in fichier_scenario(b.scenario, actions_de(b.scenario))["actions"]}
    modifiees = []
    for ident in fa.keys() & fb.keys():
        champs = [mot for cle, mot in CHAMPS_COMPARES.items() if fa[ident].get(cle) != fb[ident].get(cle)]
        if champs:
            modifiees.append((ident, champs))
    return Difference(
        ajoutees=sorted(fb.keys() - fa.keys()),
        retirees=sorted(fa.keys() - fb.keys()),
        modifiees=sorted(modifiees),
        partage_gains=a.scenario.partage_gains != b.scenario.partage_gains,
    )


def lignes_comparees(fa: FiguresVersion, fb: FiguresVersion) -> list[dict]:
    """The impact table of both versions side by side, organisation by organisation, each amount as this
    reader may see it in each version; `bouge` when an ETP or a visible amount differs."""
    par_code_a = {r["code"]: r for r in fa.chiffres.get("impact", [])}
    par_code_b = {r["code"]: r for r in fb.chiffres.get("impact", [])}
    out = []
    for code in dict.fromkeys([*par_code_a, *par_code_b]):
        ra, rb = par_code_a.get(code), par_code_b.get(code)
        nom = (ra or rb)["nom"]
        bouge = (
            ra is None
            or rb is None
            or round(ra["d_fte"], 2) != round(rb["d_fte"], 2)
            or ra["net"].affiche != rb["net"].affiche
        )
        out.append({"code": code, "nom": nom, "a": ra, "b": rb, "bouge": bouge, "epci": (ra or rb)["epci"]})
    return [r for r in out if r["bouge"] or r["epci"]]
