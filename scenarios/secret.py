"""Statistical secrecy on the scenario pages. What an action moves in a commune is the payroll of that
commune's theme or activity: when fewer than 3 agents make it (comptes.perms `voit_cellule`), the
commune's moved and after figures are hidden from readers outside that commune, and an action's totals
are hidden when all its agents are fewer than 3 or when exactly one of its communes is hidden (the
total minus the visible communes would give it away). Agents are counted from the aggregates stored at
import: distinct agents per employer × theme (exact), and, for an activity, the sum over the aggregate
rows of that activity (an agent is in one row of an activity, so the sum is the distinct count in
practice). Limit, as on the coefficient page: a reader who knows every other figure of a total may
still deduce a hidden one; the coefficient itself is never hidden."""

from dataclasses import dataclass, field

import polars as pl


@dataclass
class Effectifs:
    par_theme: dict[tuple[str, str], int] = field(default_factory=dict)
    par_activite: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @classmethod
    def depuis(cls, paie) -> "Effectifs":
        themes = {(e, t): n for e, t, n in paie.effectifs.select("employeur", "theme", "nb_agents").iter_rows()}
        fins = (paie.agregats.filter(pl.col("situation") != "mad")
                .group_by("employeur", "theme", "activite").agg(pl.col("nb_agents").sum()))
        activites = {(e, t, a): n for e, t, a, n in fins.iter_rows()}
        return cls(themes, activites)

    def base(self, commune: str, theme: str, activite: str | None) -> int:
        if activite:
            return self.par_activite.get((commune, theme, activite), 0)
        return self.par_theme.get((commune, theme), 0)


@dataclass
class Masque:
    communes: set[str]
    actions: set[str]

    def commune(self, code: str) -> bool:
        return code in self.communes

    def action(self, ident: str) -> bool:
        return ident in self.actions

    @property
    def totaux(self) -> bool:
        """Totals over the actions (moved ETP, AC, the EPCI's row) would give a hidden action away."""
        return bool(self.actions)


def masque(acces, effectifs: Effectifs, territoire_m, actions) -> Masque:
    """The communes and actions whose moved figures this reader may not see."""
    communes, cachees = set(), set()
    for a in actions:
        if a.modalite not in ("service_commun", "transfert", "mad_ascendante", "mad_descendante"):
            continue
        total, masquees = 0, 0
        for c in a.communes_de(territoire_m):
            n = effectifs.base(c, a.theme, a.activite)
            total += n
            if n and not acces.voit_cellule(c, n):
                communes.add(c)
                masquees += 1
        # One hidden commune beside visible ones would be their difference: hide the total too.
        if masquees and (total < 3 or masquees == 1):
            cachees.add(a.id)
    return Masque(communes, cachees)
