"""Statistical secrecy on the scenario pages. What an action moves in a commune is the payroll of that
commune's theme or activity: when fewer than 3 agents make it (comptes.perms `voit_cellule`), the
commune's moved and after figures are hidden from readers outside that commune, and an action's totals
are hidden when exactly one of its communes is hidden or its hidden communes count fewer than 3 agents
together (engine.secret.somme_secrete: the total minus the visible communes would give them away). Agents are the distinct agents of each base
(`Effectifs`). Limit, as on the coefficient page: a reader who knows every other figure of a total may
still deduce a hidden one; the coefficient itself is never hidden."""

from dataclasses import dataclass, field

from engine.secret import somme_secrete



@dataclass
class Effectifs:
    """Distinct agents of each base (employer × theme, employer × theme × activity, lines not `mad`: what
    an action moves), counted once per set of current batches from the pseudonymised lines (counts only,
    never amounts: the aggregates stored at import count agents per finer cell, and an agent made available
    or working on several activities would be counted wrongly by summing them)."""

    par_theme: dict[tuple[str, str], int] = field(default_factory=dict)
    par_activite: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @classmethod
    def depuis(cls, paie) -> "Effectifs":
        from django.db.models import Count

        from masse_salariale.models import LignePaie

        courants = {(e.lot_id, code) for code, e in paie.lots.items()}
        lignes = LignePaie.objects.filter(lot_id__in={l for l, _ in courants}).exclude(situation="mad")
        themes, activites = {}, {}
        for row in lignes.values("lot_id", "employeur", "theme").annotate(n=Count("agent", distinct=True)):
            if (row["lot_id"], row["employeur"]) in courants:
                themes[(row["employeur"], row["theme"])] = row["n"]
        for row in (lignes.exclude(activite="").values("lot_id", "employeur", "theme", "activite")
                    .annotate(n=Count("agent", distinct=True))):
            if (row["lot_id"], row["employeur"]) in courants:
                activites[(row["employeur"], row["theme"], row["activite"])] = row["n"]
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
        parts = []
        for c in a.communes_de(territoire_m):
            n = effectifs.base(c, a.theme, a.activite)
            cachee = bool(n) and not acces.voit_cellule(c, n)
            if cachee:
                communes.add(c)
            parts.append((n, cachee))
        if somme_secrete(parts):
            cachees.add(a.id)
    return Masque(communes, cachees)
