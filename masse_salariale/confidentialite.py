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

from collections.abc import Hashable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from commun.cache import CacheLRU
from engine import confidentialite as regle
from engine.themes import THEME_CODES
from masse_salariale.lecture import cle_lot
from masse_salariale.models import LignePaie

# Atom: (employer, theme, activity, situation, beneficiary): the finest breakdown, seen by own users only.
# Cell, the unit of suppression: (employer, theme, activity, "") for the employer's own agents (situation
# propre or transféré: what an action on that activity moves), (employer, theme, TOUTES, beneficiary) for
# its agents made available to a beneficiary. The grid's « cells » (employer × theme, own agents or made
# available to one body) are published lines of these: ("cellule", employer, theme, beneficiary or "").
PROPRES = ""
TOUTES = "*"


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
    equations: list  # (line, members) : how the lines add up
    alias: dict  # line name -> the line of the same cells it is
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def cellules_de_ligne(self, nom) -> list:
        return self.lignes.get(self.alias.get(nom, nom), [])

    def raison(self, cle, contributions) -> str | None:
        """engine.confidentialite.raison of a cell, atom or line, computed once per set of batches."""
        memo = ("raison", cle)
        if memo not in self._memo:
            self._memo[memo] = regle.raison(contributions)
        return self._memo[memo]

    def atomes_de_ligne(self, nom) -> list:
        memo = ("atomes", nom)
        if memo not in self._memo:
            self._memo[memo] = [a for k in self.cellules_de_ligne(nom) for a in self.atomes_de.get(k, [])]
        return self._memo[memo]

    def contributions_de_ligne(self, nom) -> dict:
        """Per-agent amounts of a line, summed once per set of batches (the tableau is cached)."""
        trouve = self._memo.get(nom)
        if trouve is None:
            trouve = self._memo[nom] = regle.union(self.cellules[k] for k in self.cellules_de_ligne(nom))
        return trouve

    def somme(self, cle, contributions) -> float:
        """The amount of a cell, atom or line (the sum of its agents' amounts), once per set of batches."""
        memo = ("somme", cle)
        if memo not in self._memo:
            self._memo[memo] = sum(contributions.values())
        return self._memo[memo]

    def publication(self, cle, atomes) -> tuple[dict, frozenset]:
        """What releasing a cell or line publishes (its atoms, each once, as the audit's combination) and
        the employers it concerns, once per set of batches: shared, never changed, by every reading."""
        memo = ("publication", cle)
        if memo not in self._memo:
            self._memo[memo] = (dict.fromkeys(atomes, 1.0), frozenset(a[0] for a in atomes))
        return self._memo[memo]

    def grille(self) -> list[tuple[str, str, str]]:
        """The grid's keys (employer, theme, beneficiary or "" for own agents), sorted."""
        return sorted(nom[1:] for nom in (*self.lignes, *self.alias) if nom[0] == "cellule")


def lignes_publiees(epci: str, fonctionnels, cellules: Iterable) -> dict:
    """Every sum of cells a page publishes, by name. The lines of each theme (an organisation's total in
    it, its denominator, numerator and agents made available to the EPCI) are protected for all nine
    themes, functional or not: when the project team changes the functional list, the totals before and
    after differ by such lines, which must then be safe already."""
    fonctionnels = set(fonctionnels)
    lignes: dict[Hashable, list] = {("denominateur",): [], ("numerateur",): [], ("total",): []}
    for cle in sorted(cellules):
        employeur, theme, _, beneficiaire = cle
        lignes.setdefault(("cellule", employeur, theme, beneficiaire), []).append(cle)
        lignes.setdefault(("organisation_theme", employeur, theme), []).append(cle)
        lignes.setdefault(("organisation_tous_themes", employeur), []).append(cle)
        lignes["total",].append(cle)
        if theme not in THEME_CODES:
            continue  # work outside the nine themes: only in the totals of all themes
        if employeur != epci and beneficiaire == PROPRES:
            # what an action on every commune moves, by activity and for the whole theme
            lignes.setdefault(("communes", theme, cle[2]), []).append(cle)
            lignes.setdefault(("communes", theme), []).append(cle)
        lignes.setdefault(("denominateur", theme), []).append(cle)
        if employeur == epci or beneficiaire == epci:
            lignes.setdefault(("numerateur", theme), []).append(cle)
        if employeur != epci and beneficiaire == epci:
            lignes.setdefault(("mis_a_disposition_epci", theme), []).append(cle)
        if theme not in fonctionnels:
            continue
        lignes.setdefault(("organisation", employeur), []).append(cle)
        lignes["denominateur",].append(cle)
        if employeur == epci or beneficiaire == epci:
            lignes["numerateur",].append(cle)
    return lignes


def equations(epci: str, fonctionnels, lignes: dict) -> list[tuple]:
    """How the published lines add up (besides each line being the sum of its cells): what a reader can
    subtract from what. engine.confidentialite.motif protects every one of them."""
    fonctionnels = set(fonctionnels)
    grille = sorted(nom for nom in lignes if nom[0] == "cellule")
    organisations = sorted({nom[1] for nom in grille})
    themes = sorted({nom[2] for nom in grille if nom[2] in THEME_CODES})
    du_lot = [t for t in themes if t in fonctionnels]
    out = []
    for e in organisations:
        siens = sorted({g[2] for g in grille if g[1] == e})
        for t in siens:
            out.append((("organisation_theme", e, t), tuple(g for g in grille if g[1] == e and g[2] == t)))
        out.append((("organisation", e), tuple(("organisation_theme", e, t) for t in siens if t in fonctionnels)))
        out.append((("organisation_tous_themes", e), tuple(("organisation_theme", e, t) for t in siens)))
        out.append(
            (
                ("organisation_tous_themes", e),
                (("organisation", e), *(("organisation_theme", e, t) for t in siens if t not in fonctionnels)),
            )
        )
    for t in themes:
        du_theme = [g for g in grille if g[2] == t]
        out.append((("denominateur", t), tuple(du_theme)))
        out.append((("denominateur", t), tuple(("organisation_theme", e, t) for e in organisations)))
        out.append((("mis_a_disposition_epci", t), tuple(g for g in du_theme if g[1] != epci and g[3] == epci)))
        num = (*(g for g in du_theme if g[1] == epci), ("mis_a_disposition_epci", t))
        out.append((("numerateur", t), num))
        out.append((("denominateur", t), (("numerateur", t), *(g for g in du_theme if g[1] != epci and g[3] != epci))))
    mad = [("mis_a_disposition_epci", t) for t in du_lot]
    out.append((("denominateur",), tuple(("denominateur", t) for t in du_lot)))
    out.append((("denominateur",), tuple(("organisation", e) for e in organisations)))
    out.append((("numerateur",), tuple(("numerateur", t) for t in du_lot)))
    out.append((("numerateur",), (("organisation", epci), *mad)))
    out.append((("total",), tuple(("organisation_tous_themes", e) for e in organisations)))
    return [(nom, tuple(m for m in membres if m in lignes)) for nom, membres in out if nom in lignes]


def lire_tableau(courants: set[tuple[int, str]], epci: str, fonctionnels) -> Tableau:
    """The cells of the (batch, employer) pairs `courants` (the current batches of a year, or one batch):
    one query."""
    rows = LignePaie.objects.filter(lot_id__in={lot for lot, _ in courants}).values_list(
        "lot_id", "employeur", "theme", "activite", "situation", "beneficiaire", "agent", "cout_annuel", "quotite"
    )
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
    lignes, alias = canoniques(lignes_publiees(epci, fonctionnels, cellules))
    eqs = [
        (alias.get(nom, nom), tuple(dict.fromkeys(alias.get(m, m) for m in membres)))
        for nom, membres in equations(epci, fonctionnels, {**lignes, **dict.fromkeys(alias)})
    ]
    eqs = [(nom, membres) for nom, membres in eqs if membres != (nom,)]
    return Tableau(epci, fonctionnels, atomes, cellules, atomes_de, lignes, eqs, alias)


def canoniques(lignes: dict) -> tuple[dict, dict]:
    """One line per set of cells: two published sums of the same cells (an organisation's total in a theme
    where it has only its own agents, and that grid cell) are one figure, shown or hidden together.
    Returns (the lines, each other name -> the line it is)."""
    par_cellules: dict[frozenset, Hashable] = {}
    gardees, alias = {}, {}
    for nom, cles in lignes.items():
        ensemble = frozenset(cles)
        if ensemble in par_cellules:
            alias[nom] = par_cellules[ensemble]
        else:
            par_cellules[ensemble] = nom
            gardees[nom] = cles
    return gardees, alias


# --- The pattern, cached per set of current batches and reader class -----------------------------------

TOUT = ("tout",)
PUBLIC = ("public",)

_CACHE = CacheLRU(16)  # (Tableau, its patterns by reader class) by cle_paie


def cle_paie(territoire, paie) -> tuple:
    """What the cells depend on: the current batches (masse_salariale.lecture.cle_lot), the EPCI and the
    functional themes."""
    lots = tuple(sorted(cle_lot(code, e.lot_id, e.lot.empreinte, e.lot.confirme_le) for code, e in paie.lots.items()))
    return (territoire.pk, paie.annee, lots, territoire.code, tuple(territoire.themes_fonctionnels))


def classe_de(acces) -> tuple:
    """The reader class: the project team sees all; an employer's own users know its cells."""
    if acces.est_equipe_projet:
        return TOUT
    code = acces.code_employeur
    return ("employeur", code) if code else PUBLIC


def _entree(territoire, paie) -> tuple[Tableau, dict]:
    courants = {(e.lot_id, code) for code, e in paie.lots.items()}
    return _en_cache(
        cle_paie(territoire, paie), lambda: lire_tableau(courants, territoire.code, territoire.themes_fonctionnels)
    )


def _en_cache(cle, lire) -> tuple[Tableau, dict]:
    """The table of `cle` (read by `lire()` when missing) and its patterns, filled per reader class."""
    return _CACHE.obtenir(cle, lambda: (lire(), {}))


def _motif(tableau: Tableau, motifs: dict, classe: tuple) -> regle.Motif:
    trouve = motifs.get(classe)
    if trouve is None:
        if classe == TOUT:
            primaires = frozenset(k for k, c in tableau.cellules.items() if not regle.diffusible(c))
            trouve = regle.Motif(primaires, frozenset(), frozenset())
        else:
            connues = [k for k in tableau.cellules if classe[0] == "employeur" and k[0] == classe[1]]
            # cells no page shows alone whatever the functional list: work outside the nine themes
            muettes = [k for k in tableau.cellules if k[1] not in THEME_CODES]
            trouve = regle.motif(tableau.cellules, tableau.lignes, tableau.equations, connues, muettes)
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
class Part:
    """A share computed from payroll amounts (a scenario's coefficient after its actions): shown only when
    every amount it is computed from is, since its author may choose the parameters (a part, a gain) that
    turn the displayed share back into the amount."""

    valeur: float | None
    visible: bool
    raison: str = ""


@dataclass
class Lecture:
    """What one reader may see of one territory's current payroll; records every amount it releases."""

    tableau: Tableau
    motif: regle.Motif
    classe: tuple
    publies: list = field(default_factory=list)  # engine.confidentialite.Publie: cells, lines, atoms
    derives: list = field(default_factory=list)  # released amounts derived from published ones
    employeurs: set = field(default_factory=set)  # the employers whose published amounts it released
    _lignes: dict = field(default_factory=dict, repr=False)  # each line and cell asked once per reading

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
        if cle not in self._lignes:  # each cell, like each line, asked once per reading
            self._lignes[cle] = self._lire_cellule(cle)
        return self._lignes[cle]

    def _lire_cellule(self, cle) -> Montant:
        contributions = self.tableau.cellules.get(cle, {})
        valeur = self.tableau.somme(cle, contributions)
        if cle in self.motif.caches and not self.connait(cle[0]):
            primaire = cle in self.motif.primaires
            return Montant(
                valeur,
                False,
                self.tableau.raison(cle, contributions) if primaire else regle.RAISON_SECONDAIRE,
                agents=len(contributions),
            )
        publication = self.tableau.publication(cle, self.tableau.atomes_de.get(cle, []))
        return self._publie(publication, valeur, contributions, self.tableau.raison(cle, contributions))

    def ligne(self, *nom) -> Montant:
        nom = self.tableau.alias.get(nom, nom)
        if nom in self._lignes:
            return self._lignes[nom]
        self._lignes[nom] = montant = self._ligne(nom)
        return montant

    def _ligne(self, nom) -> Montant:
        cles = self.tableau.cellules_de_ligne(nom)
        contributions = self.tableau.contributions_de_ligne(nom)
        valeur = self.tableau.somme(nom, contributions)
        if nom in self.motif.lignes_cachees and not all(self.connait(k[0]) for k in cles):
            raison = self.tableau.raison(nom, contributions) or regle.RAISON_SECONDAIRE
            return Montant(valeur, False, raison, agents=len(contributions))
        publication = self.tableau.publication(nom, self.tableau.atomes_de_ligne(nom))
        return self._publie(publication, valeur, contributions, self.tableau.raison(nom, contributions))

    def atomes(self, cles: Iterable) -> Montant:
        """A figure finer than the cells (activity × situation × beneficiary of one employer)."""
        cles = [k for k in cles if k in self.tableau.atomes]
        contributions = regle.union(self.tableau.atomes[k] for k in cles)
        valeur = sum(contributions.values())
        if cles and not all(self.connait(k[0]) for k in cles):
            return Montant(valeur, False, regle.RAISON_DETAIL, agents=len(contributions))
        publication = (dict.fromkeys(cles, 1.0), frozenset(k[0] for k in cles))
        return self._publie(publication, valeur, contributions, regle.raison(contributions))

    def bases_des_communes(self, theme: str, activite: str | None) -> Montant:
        """What an action on every member commune moves at part 1: a published line, protected like the
        others (so that its coefficient may be shown even where one commune's base is not)."""
        return self.ligne(*(("communes", theme, activite) if activite else ("communes", theme)))

    def base(self, commune: str, theme: str, activite: str | None) -> Montant:
        """What a staff-moving action moves in a commune at part 1 (docs/contrats §5: the lines that are not
        `mad`): the commune's own cell for a theme, its activity's atoms for an activity."""
        if not activite:
            return self.cellule(commune, theme)
        return self._cellule((commune, theme, activite, PROPRES))

    def contributions_base(self, commune: str, theme: str, activite: str | None) -> dict:
        """Per-agent amounts of a base (`base`): what a published document tests against the rule when it
        presents an organisation's row (publication/impact.py); never shown as such."""
        if not activite:
            return self.tableau.contributions_de_ligne(("cellule", commune, theme, PROPRES))
        return dict(self.tableau.cellules.get((commune, theme, activite, PROPRES), {}))

    def derive(self, valeur: float, sources: Iterable[Montant]) -> Montant:
        """An amount computed from published ones (a scenario's figures): shown only when every source is."""
        sources = list(sources)
        cache = next((s for s in sources if not s.visible), None)
        if cache is not None:
            return Montant(valeur, False, cache.raison)
        m = Montant(valeur, True, confidentiel=any(s.confidentiel for s in sources))
        self.derives.append(m.affiche)
        return m

    def part(self, valeur: float | None, sources: Iterable[Montant]) -> Part:
        """A share computed from these amounts: shown only when every one of them is."""
        cache = next((s for s in sources if not s.visible), None)
        if cache is not None:
            return Part(valeur, False, f"calculé d'une masse salariale non diffusée ({cache.raison})")
        return Part(valeur, True)

    def _publie(self, publication, valeur, contributions, raison: str | None) -> Montant:
        combinaison, employeurs = publication
        m = Montant(valeur, True, confidentiel=bool(contributions) and raison is not None, agents=len(contributions))
        self.publies.append(regle.Publie(combinaison, m.affiche))
        self.employeurs |= employeurs
        return m

    def cibles(self) -> dict:
        """What must stay unknown to this reader, as combinations of atoms: every non-diffusible cell and
        atom of an employer she does not know, and the hidden part of every published line when that part
        is not diffusible (two one-agent cells of a row are no protection of each other)."""
        t = self.tableau
        cibles = {
            ("cellule", k): {a: 1.0 for a in t.atomes_de[k]}
            for k, c in t.cellules.items()
            if not self.connait(k[0]) and not regle.diffusible(c)
        }
        cibles |= {
            ("atome", a): {a: 1.0} for a, c in t.atomes.items() if not self.connait(a[0]) and not regle.diffusible(c)
        }
        m = self.motif

        def cellules_de(membre):
            return [membre] if membre in t.cellules else t.lignes[membre]

        for nom, cles in t.lignes.items():
            cachee = nom in m.lignes_cachees and not all(self.connait(k[0]) for k in cles)
            if cachee and not regle.diffusible(regle.union(t.cellules[k] for k in cles)):
                cibles[("ligne", nom)] = {a: 1.0 for k in cles for a in t.atomes_de[k]}
        for nom, membres in [*((n, tuple(c)) for n, c in t.lignes.items()), *t.equations]:
            if nom in m.lignes_cachees:
                continue
            masques = [x for x in membres if (x in m.caches and not self.connait(x[0])) or x in m.lignes_cachees]
            cles = sorted({k for x in masques for k in cellules_de(x) if not self.connait(k[0])})
            if cles and not regle.diffusible(regle.union(t.cellules[k] for k in cles)):
                cibles[("equation", nom, tuple(masques))] = {a: 1.0 for k in cles for a in t.atomes_de[k]}
        return cibles

    def retrouves(self) -> dict:
        """The targets that what this reader was shown determines (engine.confidentialite.audit)."""
        return regle.audit(self.publies, self.cibles())

    def montants_affiches(self) -> set[int]:
        """Every value released so far (the sweep test checks each amount of a page against it)."""
        return {p.valeur for p in self.publies} | set(self.derives)


_REGISTRES: ContextVar[tuple[list, ...]] = ContextVar("registres_confidentialite", default=())


@contextmanager
def registres():
    """Collects every `Lecture` made inside the block, with its register: how the audit of reading learns
    what a request released (masse_salariale/consultations.py), and the sweep test what a page or an export
    released (tests/confidentialite). Blocks nest: each collects what is read inside it."""
    lectures: list[Lecture] = []
    jeton = _REGISTRES.set((*_REGISTRES.get(), lectures))
    try:
        yield lectures
    finally:
        _REGISTRES.reset(jeton)


@dataclass(frozen=True)
class Lecteur:
    """A reader who is no user: the writer of a published document (publication/), who reads every amount
    as the project team does and publishes only what publication/impact.py allows (`REDACTION`), and the
    readers of that document, outside every employer (`EXTERIEUR`)."""

    est_equipe_projet: bool
    code_employeur: str | None = None


REDACTION = Lecteur(est_equipe_projet=True)
EXTERIEUR = Lecteur(est_equipe_projet=False)


def lecture(territoire, paie, acces) -> Lecture:
    """The reader API: what `acces` may see of `paie` (the current batches of one year)."""
    tableau, motifs = _entree(territoire, paie)
    classe = classe_de(acces)
    return _enregistree(Lecture(tableau, _motif(tableau, motifs, classe), classe))


def _enregistree(resultat: Lecture) -> Lecture:
    for collecte in _REGISTRES.get():
        collecte.append(resultat)
    return resultat


def lecture_lot(lot, acces) -> Lecture:
    """What `acces` may see of one batch (the batch page): the same rule and the same register as the
    current payroll, on the batch's own lines (a staged batch is not yet in any table)."""
    courants = {(lot.pk, code) for code in lot.employeurs.values_list("organisation__code", flat=True)}
    territoire = lot.territoire
    tableau, motifs = _en_cache(
        ("lot", lot.pk, lot.empreinte, tuple(territoire.themes_fonctionnels)),
        lambda: lire_tableau(courants, territoire.code, territoire.themes_fonctionnels),
    )
    return _enregistree(Lecture(tableau, _motif(tableau, motifs, classe_de(acces)), classe_de(acces)))
