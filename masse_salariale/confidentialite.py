"""The one reader API for payroll amounts (docs/confidentialite.md): every page, export and document asks
it what may be shown of an amount to a reader, and it keeps the register of what it released.

Cells and lines. The cells are the finest figures published to readers outside an employer: per
employer and theme, its own agents (situation propre or transféré: the base of a scenario's action) and,
apart, its agents made available to each beneficiary. Every other amount a reader can reach is a
published *line* (an organisation's functional or all-themes total, a theme's denominator, numerator,
the communes' agents made available to the EPCI, the grand totals), or is *derived* from cells and lines
(a scenario's moved payroll, AC and net effect, a GT3 line's payroll at stake, the optimiser's totals),
or is a finer figure (activity × situation × beneficiary) that only the employer's own users and the
project team see. The suppression pattern is computed once per set of current batches and per reader
class (the project team; the own users of one employer; everyone else) over every cell and line, so it
holds across pages; a derived amount is shown only when every cell and line it is built from is shown,
so no page says more than the tables.

Counts come from one source: the stored pseudonymised lines of the current batches, summed per agent and
cell, so an agent split across themes, activities or bases counts once in any sum."""

from collections import OrderedDict
from collections.abc import Hashable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal
from threading import Lock

from engine import confidentialite as regle
from masse_salariale.models import LignePaie

# Atom: (employer, theme, activity, situation, beneficiary): the finest breakdown, seen by own users only.
# Cell, the unit of suppression: (employer, theme, activity, "") for the employer's own agents (situation
# propre or transféré: what an action on that activity moves), (employer, theme, TOUTES, beneficiary) for
# its agents made available to a beneficiary. The grid's « cells » (employer × theme, own agents or made
# available to one body) are published lines of these: ("cellule", employer, theme, beneficiary or "").
PROPRES = ""
TOUTES = "*"
DIFFERENCES_JUSQUA = 200  # cells of the largest line whose differences with the lines inside it are published


def cellule_de(atome) -> tuple[str, str, str, str]:
    employeur, theme, activite, situation, beneficiaire = atome
    if situation == "mad":
        return (employeur, theme, TOUTES, beneficiaire)
    return (employeur, theme, activite, PROPRES)


@dataclass(frozen=True)
class Tableau:
    """The confidentiality cells of one territory's current payroll, read from its pseudonymised lines."""

    epci: str
    fonctionnels: tuple[str, ...]
    atomes: dict  # atom -> {agent: amount}
    cellules: dict  # cell -> {agent: amount}
    atomes_de: dict  # cell -> [atoms]
    lignes: dict  # line name -> [cells]

    def cellules_de_ligne(self, nom) -> list:
        return self.lignes.get(nom, [])

    def grille(self) -> list[tuple[str, str, str]]:
        """The grid's keys (employer, theme, beneficiary or "" for own agents), sorted."""
        return sorted(nom[1:] for nom in self.lignes if nom[0] == "cellule")


def lignes_publiees(epci: str, fonctionnels, cellules: Iterable) -> dict:
    """Every sum of cells a page publishes, by name, and the difference of every two of them of which one
    holds the other (a grid cell inside its organisation's total: the rest of the total is published too)."""
    fonctionnels = set(fonctionnels)
    lignes: dict[Hashable, list] = {("denominateur",): [], ("numerateur",): [], ("total",): []}
    for cle in sorted(cellules):
        employeur, theme, _, beneficiaire = cle
        lignes.setdefault(("cellule", employeur, theme, beneficiaire), []).append(cle)
        lignes.setdefault(("organisation_tous_themes", employeur), []).append(cle)
        lignes["total",].append(cle)
        if theme not in fonctionnels:
            continue
        lignes.setdefault(("organisation", employeur), []).append(cle)
        lignes.setdefault(("denominateur", theme), []).append(cle)
        lignes["denominateur",].append(cle)
        if employeur == epci or beneficiaire == epci:
            lignes.setdefault(("numerateur", theme), []).append(cle)
            lignes["numerateur",].append(cle)
        if employeur != epci and beneficiaire == epci:
            lignes.setdefault(("mis_a_disposition_epci", theme), []).append(cle)
    ensembles = {nom: frozenset(cles) for nom, cles in lignes.items()}
    contenant: dict = {}
    for nom, cles in ensembles.items():
        for cle in cles:
            contenant.setdefault(cle, []).append(nom)
    connus = set(ensembles.values())
    differences = {}
    for petit, a in ensembles.items():
        for grand in contenant[next(iter(a))] if a else ():
            b = ensembles[grand]
            # A large total less a part keeps a large hidden set: only smaller totals need their differences.
            if len(a) < len(b) <= DIFFERENCES_JUSQUA and a <= b and (b - a) not in connus and (b - a) not in differences:
                differences[b - a] = ("difference", grand, petit)
    for reste, nom in differences.items():
        lignes[nom] = list(reste)
    return lignes


def lire_tableau(paie, epci: str, fonctionnels) -> Tableau:
    """The cells of the current batches of `paie` (a masse_salariale.lecture.PaieCourante): one query."""
    courants = {(e.lot_id, code) for code, e in paie.lots.items()}
    rows = (LignePaie.objects.filter(lot_id__in={lot for lot, _ in courants})
            .values_list("lot_id", "employeur", "theme", "activite", "situation", "beneficiaire", "agent",
                         "cout_annuel", "quotite"))
    atomes: dict = {}
    for lot, employeur, theme, activite, situation, beneficiaire, agent, cout, quotite in rows.iterator():
        if (lot, employeur) not in courants:
            continue
        montant = float(Decimal(cout) * Decimal(repr(quotite)))
        par_agent = atomes.setdefault((employeur, theme, activite, situation, beneficiaire), {})
        par_agent[agent] = par_agent.get(agent, 0.0) + montant
    cellules: dict = {}
    atomes_de: dict = {}
    for atome, par_agent in atomes.items():
        cle = cellule_de(atome)
        atomes_de.setdefault(cle, []).append(atome)
        cible = cellules.setdefault(cle, {})
        for agent, montant in par_agent.items():
            cible[agent] = cible.get(agent, 0.0) + montant
    fonctionnels = tuple(fonctionnels)
    return Tableau(epci, fonctionnels, atomes, cellules, atomes_de, lignes_publiees(epci, fonctionnels, cellules))


# --- The pattern, cached per set of current batches and reader class -----------------------------------

TOUT = ("tout",)
PUBLIC = ("public",)

_CACHE: "OrderedDict[tuple, tuple[Tableau, dict]]" = OrderedDict()
_CACHE_TAILLE = 16
_VERROU = Lock()


def cle_paie(territoire, paie) -> tuple:
    """What the cells depend on: the current batches (with their checksum and confirmation time: a test
    database may reuse a rolled-back id), the EPCI and the functional themes."""
    lots = tuple(sorted((code, e.lot_id, e.lot.empreinte, str(e.lot.confirme_le)) for code, e in paie.lots.items()))
    return (territoire.pk, paie.annee, lots, territoire.code, tuple(territoire.themes_fonctionnels))


def classe_de(acces) -> tuple:
    """The reader class: the project team sees all; an employer's own users know its cells."""
    if acces.est_equipe_projet:
        return TOUT
    code = acces.code_employeur
    return ("employeur", code) if code else PUBLIC


def _entree(territoire, paie) -> tuple[Tableau, dict]:
    cle = cle_paie(territoire, paie)
    with _VERROU:
        trouve = _CACHE.get(cle)
        if trouve is not None:
            _CACHE.move_to_end(cle)
            return trouve
    entree = (lire_tableau(paie, territoire.code, territoire.themes_fonctionnels), {})
    with _VERROU:
        _CACHE[cle] = entree
        while len(_CACHE) > _CACHE_TAILLE:
            _CACHE.popitem(last=False)
    return entree


def _motif(tableau: Tableau, motifs: dict, classe: tuple) -> regle.Motif:
    trouve = motifs.get(classe)
    if trouve is None:
        if classe == TOUT:
            primaires = frozenset(k for k, c in tableau.cellules.items() if not regle.diffusible(c))
            trouve = regle.Motif(primaires, frozenset(), frozenset())
        else:
            connues = [k for k in tableau.cellules if classe[0] == "employeur" and k[0] == classe[1]]
            muettes = [k for k in tableau.cellules if k[1] not in tableau.fonctionnels]
            trouve = regle.motif(tableau.cellules, tableau.lignes, connues, muettes)
        motifs[classe] = trouve
    return trouve


# --- What a reader is shown ---------------------------------------------------------------------------


@dataclass
class Montant:
    """An amount as one reader may see it: `visible` or not (with the French reason); `confidentiel` marks,
    for the project team, an amount that is not diffusible to others."""

    valeur: float
    visible: bool
    raison: str = ""
    confidentiel: bool = False
    agents: int = 0  # distinct agents behind the amount (a count, never an amount)

    @property
    def affiche(self) -> int | None:
        """The released value, rounded to the euro in every format; None when hidden."""
        return round(self.valeur) if self.visible else None


@dataclass
class Lecture:
    """What one reader may see of one territory's current payroll; records every amount it releases."""

    tableau: Tableau
    motif: regle.Motif
    classe: tuple
    publies: list = field(default_factory=list)  # engine.confidentialite.Publie: cells, lines, atoms
    derives: list = field(default_factory=list)  # released amounts derived from published ones

    @property
    def voit_tout(self) -> bool:
        return self.classe == TOUT

    def connait(self, employeur: str) -> bool:
        """Does the reader see every figure of this employer (own users, the project team)?"""
        return self.voit_tout or self.classe == ("employeur", employeur)

    # primitives
    def cellule(self, employeur: str, theme: str, beneficiaire: str = PROPRES) -> Montant:
        """A cell of the grid: an employer's own agents in a theme, or those it makes available to one body."""
        return self.ligne("cellule", employeur, theme, beneficiaire)

    def _cellule(self, cle) -> Montant:
        contributions = self.tableau.cellules.get(cle, {})
        valeur = sum(contributions.values())
        if cle in self.motif.caches and not self.connait(cle[0]):
            primaire = cle in self.motif.primaires
            return Montant(valeur, False, regle.raison(contributions) if primaire else regle.RAISON_SECONDAIRE,
                           agents=len(contributions))
        return self._publie(self._atomes_de([cle]), valeur, contributions)

    def ligne(self, *nom) -> Montant:
        cles = self.tableau.cellules_de_ligne(nom)
        contributions = regle.union(self.tableau.cellules[k] for k in cles)
        valeur = sum(contributions.values())
        if not all(self.connait(k[0]) for k in cles) and nom in self.motif.lignes_cachees:
            raison = regle.raison(contributions) or regle.RAISON_SECONDAIRE
            return Montant(valeur, False, raison, agents=len(contributions))
        return self._publie(self._atomes_de(cles), valeur, contributions)

    def atomes(self, cles: Iterable) -> Montant:
        """A figure finer than the cells (activity × situation × beneficiary of one employer)."""
        cles = [k for k in cles if k in self.tableau.atomes]
        contributions = regle.union(self.tableau.atomes[k] for k in cles)
        valeur = sum(contributions.values())
        if cles and not all(self.connait(k[0]) for k in cles):
            return Montant(valeur, False, regle.RAISON_DETAIL, agents=len(contributions))
        return self._publie(cles, valeur, contributions)

    def base(self, commune: str, theme: str, activite: str | None) -> Montant:
        """What a staff-moving action moves in a commune at part 1 (FORMATS §5: the lines that are not
        `mad`): the commune's own cell for a theme, its activity's atoms for an activity."""
        if not activite:
            return self.cellule(commune, theme)
        return self._cellule((commune, theme, activite, PROPRES))

    def derive(self, valeur: float, sources: Iterable[Montant]) -> Montant:
        """An amount computed from published ones (a scenario's figures): shown only when every source is."""
        sources = list(sources)
        cache = next((s for s in sources if not s.visible), None)
        if cache is not None:
            return Montant(valeur, False, cache.raison)
        m = Montant(valeur, True, confidentiel=any(s.confidentiel for s in sources))
        self.derives.append(m.affiche)
        return m

    def _atomes_de(self, cles) -> list:
        return [a for k in cles for a in self.tableau.atomes_de.get(k, [])]

    def _publie(self, atomes, valeur, contributions) -> Montant:
        m = Montant(valeur, True, confidentiel=bool(contributions) and not regle.diffusible(contributions),
                    agents=len(contributions))
        self.publies.append(regle.Publie({a: 1.0 for a in atomes}, m.affiche))
        return m

    def cibles(self) -> dict:
        """What must stay unknown to this reader, as combinations of atoms: every non-diffusible cell and
        atom of an employer she does not know, and the hidden part of every published line when that part
        is not diffusible (two one-agent cells of a row are no protection of each other)."""
        t = self.tableau
        cibles = {("cellule", k): {a: 1.0 for a in t.atomes_de[k]} for k, c in t.cellules.items()
                  if not self.connait(k[0]) and not regle.diffusible(c)}
        cibles |= {("atome", a): {a: 1.0} for a, c in t.atomes.items()
                   if not self.connait(a[0]) and not regle.diffusible(c)}
        for nom, cles in t.lignes.items():
            if all(self.connait(k[0]) for k in cles):
                continue
            cachees = cles if nom in self.motif.lignes_cachees else [k for k in cles if k in self.motif.caches]
            if cachees and not regle.diffusible(regle.union(t.cellules[k] for k in cachees)):
                cibles[("ligne", nom)] = {a: 1.0 for k in cachees for a in t.atomes_de[k]}
        return cibles

    def retrouves(self) -> dict:
        """The targets that what this reader was shown determines (engine.confidentialite.audit)."""
        return regle.audit(self.publies, self.cibles())

    def montants_affiches(self) -> set[int]:
        """Every value released so far (the sweep test checks each amount of a page against it)."""
        return {p.valeur for p in self.publies} | set(self.derives)


_REGISTRES: ContextVar[list | None] = ContextVar("registres_confidentialite", default=None)


@contextmanager
def registres():
    """Collects every `Lecture` made inside the block, with its register: how the sweep test learns what a
    page or an export released (tests/confidentialite)."""
    lectures: list[Lecture] = []
    jeton = _REGISTRES.set(lectures)
    try:
        yield lectures
    finally:
        _REGISTRES.reset(jeton)


def lecture(territoire, paie, acces) -> Lecture:
    """The reader API: what `acces` may see of `paie` (the current batches of one year)."""
    tableau, motifs = _entree(territoire, paie)
    classe = classe_de(acces)
    resultat = Lecture(tableau, _motif(tableau, motifs, classe), classe)
    collecte = _REGISTRES.get()
    if collecte is not None:
        collecte.append(resultat)
    return resultat


def montants_lot(lot, acces) -> tuple[dict[str, Montant], Montant]:
    """A batch's amount per employer and in total, as `acces` may see them (the batch page): the same
    rule as the current payroll, on the batch's own lines (a staged batch is not yet in any table)."""
    par_employeur: dict[str, dict] = {}
    for employeur, agent, cout, quotite in (LignePaie.objects.filter(lot=lot)
                                            .values_list("employeur", "agent", "cout_annuel", "quotite").iterator()):
        par_agent = par_employeur.setdefault(employeur, {})
        par_agent[agent] = par_agent.get(agent, 0.0) + float(Decimal(cout) * Decimal(repr(quotite)))
    classe = classe_de(acces)
    connues = [e for e in par_employeur if classe == TOUT or classe == ("employeur", e)]
    m = regle.motif(par_employeur, {("total",): list(par_employeur)}, connues)

    def montant(contributions, cache, raison):
        valeur = sum(contributions.values())
        if cache:
            return Montant(valeur, False, raison, agents=len(contributions))
        return Montant(valeur, True, confidentiel=not regle.diffusible(contributions), agents=len(contributions))

    montants = {e: montant(c, e in m.caches, regle.raison(c) if e in m.primaires else regle.RAISON_SECONDAIRE)
                for e, c in par_employeur.items()}
    total = montant(regle.union(par_employeur.values()), ("total",) in m.lignes_cachees, regle.RAISON_SECONDAIRE)
    return montants, total
