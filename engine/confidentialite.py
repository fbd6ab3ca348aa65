"""Confidentiality of pay (« confidentialité des rémunérations »): the one rule, the suppression
pattern, and the audit that proves a pattern holds (docs/confidentialite.md).

Plain values in, plain values out; no Django here. An amount is *diffusible* when it covers at least
`SEUIL_AGENTS` distinct agents and no agent accounts for more than `PART_DOMINANTE` of it (the practice
of public statistics on individual pay). The unit of the rule is a set of per-agent contributions, so
that an agent split across themes or bases counts once and her share of any sum is exact.

Suppression works on *cells* (the finest figures a page publishes to readers outside the employer) and
*lines* (published sums of cells: a row total, a theme's denominator or numerator, a grand total). A
line whose hidden cells are a single cell, or a set of cells that is itself not diffusible, would give
them away by subtraction: another cell of the line is hidden, until every line is safe or has no cell
left to hide (then the line's total is hidden too). Candidates are taken smallest first, preferring one
that makes the hidden set diffusible. A heuristic of statistical disclosure control, checked by `audit`.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

SEUIL_AGENTS = 5
PART_DOMINANTE = 0.8

# Why an amount is not shown, in the words of the pages.
RAISON_EFFECTIF = f"moins de {SEUIL_AGENTS} agents"
RAISON_DOMINANCE = f"un agent en représente plus de {PART_DOMINANTE:.0%}".replace("%", "\u00a0%")
RAISON_SECONDAIRE = "masqué pour protéger un montant confidentiel voisin"
RAISON_DETAIL = "détail plus fin que l'organisation et le thème, réservé à l'employeur et à l'équipe projet"

# The rule as pages state it (templates/includes/confidentialite.html).
REGLE = (
    f"Hors de son employeur, un montant n'est diffusé que s'il couvre au moins {SEUIL_AGENTS} agents et "
    f"qu'aucun agent n'en représente plus de {PART_DOMINANTE:.0%} ; un autre montant peut être masqué "
    "pour que le premier ne se déduise pas d'un total. L'employeur (son DGS et ses référents paie) voit tous "
    "ses montants ; l'équipe projet voit tous les montants, marqués « confidentiel » quand ils ne sont pas "
    "diffusables. Les ETP et le coefficient sont publics. Montants arrondis à l'euro."
).replace("%", "\u00a0%")

Contributions = Mapping[Hashable, float]  # agent -> amount


def raison(contributions: Contributions) -> str | None:
    """None when the amount is diffusible, else the French reason it is not."""
    agents = [a for a, v in contributions.items() if v > 0]
    if len(agents) < SEUIL_AGENTS:
        return RAISON_EFFECTIF
    total = sum(contributions[a] for a in agents)
    if total > 0 and max(contributions[a] for a in agents) > PART_DOMINANTE * total:
        return RAISON_DOMINANCE
    return None


def diffusible(contributions: Contributions) -> bool:
    return raison(contributions) is None


def union(parts: Iterable[Contributions]) -> dict[Hashable, float]:
    """The contributions of a sum: each agent's amounts added across the parts."""
    out: dict[Hashable, float] = {}
    for part in parts:
        for agent, value in part.items():
            out[agent] = out.get(agent, 0.0) + value
    return out


@dataclass(frozen=True)
class Motif:
    """A suppression pattern: the cells hidden (primary: not diffusible; the others: to protect them) and
    the lines whose total cannot be published safely."""

    primaires: frozenset
    caches: frozenset
    lignes_cachees: frozenset

    def cache(self, cellule) -> bool:
        return cellule in self.caches


Equation = tuple[Hashable, tuple[Hashable, ...]]  # (line, its members: cells or lines) : line = Σ members


def motif(
    cellules: Mapping[Hashable, Contributions],
    lignes: Mapping[Hashable, Iterable[Hashable]],
    equations: Iterable[Equation] = (),
    connues: Iterable[Hashable] = (),
    muettes: Iterable[Hashable] = (),
) -> Motif:
    """The pattern for a reader who knows `connues` (her own employer's cells, shown to her whatever
    their size) and may see the other cells only when diffusible.

    `lignes`: name -> cells of every published sum. `equations`: how published sums add up, as
    (line, members) where a member is a cell or a line (a theme's denominator is the sum of its grid cells,
    the grand denominator the sum of the themes' and also of the organisations'); every line is also the
    sum of its cells. Whenever a line is shown, the members of each of its equations that the reader cannot
    see (hidden cells, hidden lines) must be none, or several that together are diffusible: otherwise one
    more member is hidden (a cell, else a line holding a hidden cell), and when none is left the line
    itself is hidden. `muettes`: cells no page shows on their own, taken first since hiding them costs the
    reader nothing."""
    connues = frozenset(connues)
    muettes = frozenset(muettes)
    lignes = {nom: [k for k in dict.fromkeys(ks) if k in cellules] for nom, ks in lignes.items()}
    toutes = [
        *((nom, tuple(ks)) for nom, ks in lignes.items()),
        *((nom, tuple(m for m in membres if m in cellules or m in lignes)) for nom, membres in equations),
    ]
    totaux = {k: sum(c.values()) for k, c in cellules.items()}
    stats = {k: (totaux[k], max(c.values(), default=0.0), diffusible(c)) for k, c in cellules.items()}
    primaires = frozenset(k for k in cellules if k not in connues and not stats[k][2])
    caches = set(primaires)
    exposees: set = set()
    unions: dict = {}

    def contributions(membre):
        if membre in cellules:
            return cellules[membre]
        if membre not in unions:  # what the reader does not know of the line: its cells she may not see
            unions[membre] = union(cellules[k] for k in lignes[membre] if k not in connues)
        return unions[membre]

    def statistiques(membre):
        if membre in cellules:
            return stats[membre]
        if membre not in stats:
            c = contributions(membre)
            stats[membre] = (sum(c.values()), max(c.values(), default=0.0), diffusible(c))
        return stats[membre]

    def cache(membre) -> bool:
        return membre in caches if membre in cellules else membre in exposees

    def connu(membre) -> bool:
        return membre in connues if membre in cellules else all(k in connues for k in lignes[membre])

    def cachable(membre) -> bool:
        # a line is worth hiding only if it holds a hidden cell (else its cells give it back)
        return not connu(membre) and (membre in cellules or any(k in caches for k in lignes[membre]))

    ou: dict[Hashable, list[int]] = {}
    for n, (nom, membres) in enumerate(toutes):
        for m in (nom, *membres):
            ou.setdefault(m, []).append(n)
    # A stack: lines as sums of their cells first (hiding a cell keeps the totals), then the equations.
    file = list(range(len(toutes) - 1, -1, -1))
    en_attente = set(file)

    def revoir(membre):
        for n in ou.get(membre, ()):
            if n not in en_attente:
                en_attente.add(n)
                file.append(n)

    while file:
        n = file.pop()
        en_attente.discard(n)
        nom, membres = toutes[n]
        if nom in exposees:
            continue
        masques = [m for m in membres if cache(m)]
        if not masques or _protege(masques, contributions, statistiques):
            continue
        candidats = sorted(
            (m for m in membres if not cache(m) and cachable(m)),
            key=lambda m: (m not in muettes, m not in cellules, statistiques(m)[0], repr(m)),
        )
        if not candidats:
            exposees.add(nom)
            revoir(nom)
            continue
        somme = union(contributions(m) for m in masques)
        choisi = next((m for m in candidats if diffusible(union((somme, contributions(m))))), candidats[0])
        if choisi in cellules:
            caches.add(choisi)
            for ligne in ou.get(choisi, ()):
                revoir(toutes[ligne][0])
        else:
            exposees.add(choisi)
        revoir(choisi)
    return Motif(primaires, frozenset(caches), frozenset(exposees))


def _protege(masques: list, contributions, statistiques) -> bool:
    if len(masques) < 2:
        return False
    # Sufficient without merging (large lines): one part is diffusible (so the sum has enough agents), and
    # even if the largest agent of every part were one person she would hold no more than the dominance
    # share of the sum.
    total = maxima = 0.0
    une_diffusible = False
    for m in masques:
        t, plus_grand, d = statistiques(m)
        total += t
        maxima += plus_grand
        une_diffusible = une_diffusible or d
    if une_diffusible and maxima <= PART_DOMINANTE * total:
        return True
    return diffusible(union(contributions(m) for m in masques))


# --- Audit: can a hidden amount be recovered from what was shown? ----------------------------------------

Combinaison = Mapping[Hashable, float]  # atom -> coefficient


@dataclass(frozen=True)
class Publie:
    """A released figure: a linear combination of atoms and the value shown (rounded to the euro)."""

    combinaison: Combinaison
    valeur: float


# A target whose range is narrower than this is taken as recovered: rounding every released figure to the
# euro leaves each determined amount a few euros of play, far less than any real protection interval.
LARGEUR_MINIMALE = 10.0


def audit(
    publies: Iterable[Publie],
    cibles: Mapping[Hashable, Combinaison],
    bornes: Mapping[Hashable, tuple[float, float]] | None = None,
    demi_pas: float = 0.5,
) -> dict:
    """For each target (a hidden cell or a hidden sum, as a combination of atoms), its minimum and maximum
    over every non-negative assignment of the atoms that reproduces each released figure to ± `demi_pas`.
    Returns {target: (min, max)} for the targets whose range is narrower than LARGEUR_MINIMALE."""
    import highspy
    import numpy as np

    publies = list(publies)
    atomes = sorted({a for p in publies for a in p.combinaison} | {a for c in cibles.values() for a in c}, key=repr)
    index = {a: i for i, a in enumerate(atomes)}
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    for a in atomes:
        lo, hi = (bornes or {}).get(a, (0.0, inf))
        h.addVar(lo, hi)
    for p in publies:
        idx = np.array([index[a] for a in p.combinaison], dtype=np.int32)
        val = np.array([float(c) for c in p.combinaison.values()], dtype=np.float64)
        h.addRow(p.valeur - demi_pas, p.valeur + demi_pas, len(idx), idx, val)
    trouves = {}
    zeros = np.zeros(len(atomes))
    for nom, combinaison in cibles.items():
        extremes = []
        for sens in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            couts = zeros.copy()
            for a, c in combinaison.items():
                couts[index[a]] = c
            h.changeColsCost(len(atomes), np.arange(len(atomes), dtype=np.int32), couts)
            h.changeObjectiveSense(sens)
            h.run()
            status = h.getModelStatus()
            if status == highspy.HighsModelStatus.kUnbounded:
                extremes.append(inf)
                continue
            if status != highspy.HighsModelStatus.kOptimal:
                raise RuntimeError(f"audit : le programme linéaire n'a pas abouti ({h.modelStatusToString(status)})")
            extremes.append(h.getInfo().objective_function_value)
        if extremes[1] - extremes[0] < LARGEUR_MINIMALE:
            trouves[nom] = (extremes[0], extremes[1])
    return trouves
