"""From the database to the pure engine and back: a territory, its current payroll (the aggregates
stored at import, never the lines) and a scenario's rows become engine values; `simuler` returns the
engine's Simulation. The payroll read and reduced to `Bases` is cached per payroll year and set of current
batches of that year (the key costs one small query; commun/cache.py), so that editing a scenario
recomputes in a few milliseconds (bench/bench_scenario_web.py). Each process has its own cache.

The payroll year: the scenario's own choice (`Scenario.annee_paie`) when that year has current batches,
else the latest year in which every employer of the territory has one (masse_salariale/lecture.py), else,
when no year is complete, the latest year. `AnneePaie` says which, and why, on every page."""

from dataclasses import dataclass, field, replace

from commun.cache import CacheLRU
from engine import scenario as moteur
from livrables.enums import Modalite
from masse_salariale.lecture import (
    PaieCourante,
    annee_par_defaut,
    annees_completes,
    cle_lot,
    paie_courante,
    paie_des_lots,
)
from masse_salariale.models import LotEmployeur
from referentiel.models import Activite
from territoire.enums import TypeOrganisation

PORTEE_SCENARIO = "Le coefficient et les effets des scénarios ne portent que sur les employeurs présents."

_CACHE = CacheLRU(32)  # the reduced payroll (`Paie`) by `_cle`


def _organisations(territoire) -> list[tuple]:
    """Every organisation of the territory by code, (code, name, population, type, member): the engine's
    territory and the names of a context in one query."""
    return list(territoire.organisations.order_by("code").values_list("code", "nom", "population", "type", "membre"))


def territoire_moteur(territoire, organisations: list[tuple] | None = None) -> moteur.Territoire:
    """The engine's territory: the EPCI and its member communes by code (`organisations`: `_organisations`,
    read here when not given)."""
    if organisations is None:
        organisations = _organisations(territoire)
    communes = [(c, pop) for c, _, pop, type_, membre in organisations if type_ == TypeOrganisation.COMMUNE and membre]
    return moteur.Territoire(
        epci=territoire.code,
        fpu=territoire.verse_ac,
        communes=tuple(c for c, _ in communes),
        populations=dict(communes),
    )


@dataclass(frozen=True)
class AnneePaie:
    """The payroll year a computation uses, and why: said on every scenario page and export."""

    annee: int | None
    choisie: bool  # the scenario's stored choice, rather than the automatic rule
    complete: bool  # every employer of the territory has a current batch for that year
    annees: tuple[int, ...] = ()  # years with a current batch, latest first
    completes: tuple[int, ...] = ()  # complete years, latest first
    demandee: int | None = None  # a stored choice that no longer has any current batch
    figee: bool = False  # the batches kept by a frozen version of the schéma, current or not

    @property
    def libelle(self) -> str:
        """« Masse salariale 2025 (dernière année complète) », « Masse salariale 2024 (choisie) »…"""
        if self.annee is None:
            return "Aucune masse salariale importée"
        if self.figee:
            return f"Masse salariale {self.annee} (les lots de paie gardés par la version figée)"
        if self.choisie:
            return f"Masse salariale {self.annee} (choisie)"
        if self.complete:
            return f"Masse salariale {self.annee} (dernière année complète)"
        return f"Masse salariale {self.annee} (dernière année importée : aucune année n'est complète)"


def _lots_courants(territoire) -> list[tuple]:
    """Every current batch entry of the territory, all years, in one small query: (year, employer, batch,
    checksum, confirmation time)."""
    return list(
        LotEmployeur.objects.courants()
        .filter(lot__territoire=territoire)
        .values_list("annee", "organisation__code", "lot_id", "lot__empreinte", "lot__confirme_le")
    )


def choisir_annee(lots: list[tuple], territoire_m: moteur.Territoire, voulue: int | None = None) -> AnneePaie:
    """The year to compute on: `voulue` when it has current batches, else the latest complete year (every
    employer: the EPCI and the member communes), else the latest year."""
    presents: dict[int, set[str]] = {}
    for annee, code, *_ in lots:
        presents.setdefault(annee, set()).add(code)
    annees = sorted(presents, reverse=True)
    completes = annees_completes(presents, (territoire_m.epci, *territoire_m.communes))
    choisie = voulue is not None and voulue in presents
    annee = voulue if choisie else annee_par_defaut(annees, completes, complete=True)
    return AnneePaie(
        annee,
        choisie,
        annee in completes,
        tuple(annees),
        tuple(completes),
        voulue if voulue is not None and not choisie else None,
    )


def _cle(territoire, territoire_m: moteur.Territoire, lots: list[tuple], annee: int | None) -> tuple:
    """What the reduced payroll depends on: the year actually used, its current batches (`cle_lot`), the
    members and the functional themes."""
    du_millesime = tuple(sorted(cle_lot(*lot) for a, *lot in lots if a == annee))
    return (
        territoire.pk,
        annee,
        du_millesime,
        territoire_m.epci,
        territoire_m.communes,
        territoire.themes_fonctionnels,
    )


@dataclass(frozen=True)
class Paie:
    """The current payroll as read for the scenarios: aggregates and their reduction."""

    courante: PaieCourante
    bases: moteur.Bases


def paie_reduite(territoire, territoire_m: moteur.Territoire, voulue: int | None = None) -> tuple[Paie, AnneePaie]:
    """The current payroll of the year to use (`choisir_annee`), read and reduced once per year and set of
    current batches of that year (a new batch of that year changes the key), and that year's account."""
    lots = _lots_courants(territoire)
    annee = choisir_annee(lots, territoire_m, voulue)

    def lire() -> Paie:
        courante = paie_courante(territoire, annee.annee)
        return Paie(courante, moteur.bases(courante.agregats, territoire_m, territoire.themes_fonctionnels))

    return _a_jour(_CACHE.obtenir(_cle(territoire, territoire_m, lots, annee.annee), lire), annee), annee


def _a_jour(paie: Paie, annee: AnneePaie) -> Paie:
    """A cached payroll with the territory's years as read now: the key holds only the year used and its
    batches, so a batch of another year may have completed a year since (the frames are shared)."""
    courante = replace(paie.courante, annees=list(annee.annees), completes=list(annee.completes))
    return replace(paie, courante=courante)


def referentiel(territoire) -> tuple[dict[str, str], frozenset[str]]:
    """The territory's activity codes → theme, and the RH activities reserved to the centres de gestion."""
    rows = list(Activite.objects.filter(territoire=territoire).values_list("code", "theme", "reserve_cdg"))
    return {c: t for c, t, _ in rows}, frozenset(c for c, _, r in rows if r)


CHAMPS_MOTEUR = (
    "theme",
    "activite",
    "toutes",
    "modalite",
    "part",
    "gain",
    "annee",
    "economie",
    "charges_associees",
    "cout_unitaire",
    "unites",
)


def action_depuis_valeurs(valeurs: dict, codes, identifiant: str) -> moteur.Action:
    """An action's field values (an ActionScenario's, a form's, a GT3 line's) as an engine Action; `codes`:
    the communes' codes (ignored when `toutes`)."""

    def f(x):
        return None if x is None else float(x)

    return moteur.Action(
        id=identifiant,
        theme=valeurs["theme"],
        activite=valeurs.get("activite") or None,
        communes=None if valeurs.get("toutes") else tuple(sorted(codes)),
        modalite=valeurs["modalite"],
        part=float(valeurs.get("part", 1)),
        gain=float(valeurs.get("gain", 0)),
        annee=int(valeurs.get("annee", moteur.FIRST_YEAR)),
        economie=float(valeurs.get("economie") or 0),
        charges_associees=float(valeurs.get("charges_associees") or 0),
        cout_unitaire=f(valeurs.get("cout_unitaire")),
        unites=f(valeurs.get("unites")),
    )


def action_moteur(action, codes: dict[int, str] | None = None) -> moteur.Action:
    """An ActionScenario (its communes prefetched) as an engine Action; `codes`: organisation pk → code
    (without it, the communes' own codes)."""
    communes = action.communes.all()
    return action_depuis_valeurs(
        {c: getattr(action, c) for c in CHAMPS_MOTEUR},
        [c.code for c in communes] if codes is None else [codes[c.pk] for c in communes],
        action.identifiant,
    )


def scenario_moteur(scenario, actions) -> moteur.Scenario:
    return moteur.Scenario(
        nom=scenario.nom,
        partage_gains=float(scenario.partage_gains),
        actions=tuple(action_moteur(a) for a in actions),  # one pass over each action's prefetched communes
    )


@dataclass
class Contexte:
    """What every computation of a territory needs, loaded once per request."""

    territoire: object
    moteur: moteur.Territoire
    bases: moteur.Bases
    paie: PaieCourante
    activites: dict[str, str]
    reservees: frozenset[str]
    noms: dict[str, str] = field(default_factory=dict)
    annee_paie: AnneePaie | None = None


def contexte(territoire, annee: int | None = None) -> Contexte:
    """`annee`: a scenario's chosen payroll year (`Scenario.annee_paie`); None: the automatic rule."""
    organisations = _organisations(territoire)
    t = territoire_moteur(territoire, organisations)
    paie, annee_paie = paie_reduite(territoire, t, annee)
    activites, reservees = referentiel(territoire)
    noms = {code: nom for code, nom, *_ in organisations}
    return Contexte(territoire, t, paie.bases, paie.courante, activites, reservees, noms, annee_paie)


def contexte_fige(territoire, entrees) -> Contexte:
    """The context of a frozen version of the schéma: the payroll of the batch entries it kept (one year),
    current or not, so that a later import never changes its figures; its bases not cached (read for its
    pages; the frames are, per set of batches: masse_salariale/lecture.py)."""
    organisations = _organisations(territoire)
    t = territoire_moteur(territoire, organisations)
    courante = paie_des_lots(territoire, list(entrees))
    bases = moteur.bases(courante.agregats, t, territoire.themes_fonctionnels)
    activites, reservees = referentiel(territoire)
    noms = {code: nom for code, nom, *_ in organisations}
    annee = AnneePaie(courante.annee, True, not courante.manquants, (courante.annee,), (), figee=True)
    return Contexte(territoire, t, bases, courante, activites, reservees, noms, annee)


class Contextes:
    """The contexts of one territory for one request, one per payroll year asked (None: automatic): the
    list and comparison pages compute scenarios that may use different years."""

    def __init__(self, territoire):
        self.territoire = territoire
        self._faits: dict[int | None, Contexte] = {}

    def __call__(self, annee: int | None = None) -> Contexte:
        if annee not in self._faits:
            self._faits[annee] = contexte(self.territoire, annee)
        return self._faits[annee]


@dataclass
class Resultat:
    simulation: moteur.Simulation | None
    erreurs: list[str]
    issues: list = field(default_factory=list)


# The engine speaks docs/contrats §5 (file keys, modalité codes, commune codes): the web speaks its forms.
LIBELLES_CHAMPS = {
    "charges_associees": "charges associées",
    "cout_unitaire": "coût unitaire",
    "unites": "unités",
    "economie": "économies hors masse salariale",
    "gain": "gain de productivité",
    "part": "part mutualisée",
    "partage_gains": "part des gains rendue aux communes",
    "annee": "année d'effet",
}


class MotsDuWeb(moteur.Mots):
    """The engine's rules in the forms' words: field labels, modalité labels, commune names."""

    def __init__(self, noms: dict[str, str]):
        self.noms = noms

    def champ(self, cle: str) -> str:
        return LIBELLES_CHAMPS.get(cle, cle)

    def modalite(self, code: str) -> str:
        return Modalite(code).label.lower()

    def commune(self, code: str) -> str:
        return self.noms.get(code, code)


def simuler(ctx: Contexte, scenario, actions) -> Resultat:
    """The engine's simulation of a scenario, or the French messages of the rules it breaks."""
    s = scenario_moteur(scenario, actions)
    found = moteur.issues(s, ctx.moteur, ctx.activites)
    if found:
        mots = MotsDuWeb(ctx.noms)
        return Resultat(None, [moteur.message(i, s, mots) for i in found], found)
    return Resultat(moteur.simulate(ctx.bases, ctx.moteur, s, ctx.reservees, ctx.activites), [])
