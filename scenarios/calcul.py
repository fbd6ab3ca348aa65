"""From the database to the pure engine and back: a territory, its current payroll (the aggregates
stored at import, never the lines) and a scenario's rows become engine values; `simuler` returns the
engine's Simulation. The payroll reduced to `Bases` is cached per set of current batches, so that
editing a scenario recomputes in a few milliseconds (bench/bench_scenario.py)."""

from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

from engine import scenario as moteur
from masse_salariale.lecture import PaieCourante, paie_courante
from referentiel.models import Activite

_CACHE: "OrderedDict[tuple, moteur.Bases]" = OrderedDict()
_CACHE_TAILLE = 32
_VERROU = Lock()


def territoire_moteur(territoire) -> moteur.Territoire:
    communes = list(territoire.organisations.communes().filter(membre=True).order_by("code")
                    .values_list("code", "population"))
    return moteur.Territoire(epci=territoire.code, fpu=territoire.verse_ac, communes=tuple(c for c, _ in communes), populations=dict(communes))


def _cle(territoire, paie: PaieCourante) -> tuple:
    # The batch's checksum and confirmation time too: a test database may reuse a rolled-back id.
    lots = tuple(sorted((code, e.lot_id, e.lot.empreinte, str(e.lot.confirme_le)) for code, e in paie.lots.items()))
    return (territoire.pk, paie.annee, lots, territoire.themes_fonctionnels)


def bases(territoire, territoire_m: moteur.Territoire, paie: PaieCourante | None = None) -> tuple[moteur.Bases, PaieCourante]:
    """The payroll reduced once per set of current batches (a new batch changes the key)."""
    paie = paie if paie is not None else paie_courante(territoire)
    cle = _cle(territoire, paie)
    with _VERROU:
        trouve = _CACHE.get(cle)
        if trouve is not None:
            _CACHE.move_to_end(cle)
            return trouve, paie
    calcule = moteur.bases(paie.agregats, territoire_m, territoire.themes_fonctionnels)
    with _VERROU:
        _CACHE[cle] = calcule
        while len(_CACHE) > _CACHE_TAILLE:
            _CACHE.popitem(last=False)
    return calcule, paie


def referentiel(territoire) -> tuple[dict[str, str], frozenset[str]]:
    """The territory's activity codes → theme, and the RH activities reserved to the centres de gestion."""
    rows = list(Activite.objects.filter(territoire=territoire).values_list("code", "theme", "reserve_cdg"))
    return {c: t for c, t, _ in rows}, frozenset(c for c, _, r in rows if r)


def action_moteur(action, codes: dict[int, str]) -> moteur.Action:
    """An ActionScenario (its communes prefetched) as an engine Action; `codes`: organisation pk → code."""
    def f(x):
        return None if x is None else float(x)

    return moteur.Action(
        id=action.identifiant, theme=action.theme, activite=action.activite or None,
        communes=None if action.toutes else tuple(sorted(codes[c.pk] for c in action.communes.all())),
        modalite=action.modalite, part=float(action.part), gain=float(action.gain), annee=action.annee,
        economie=float(action.economie), charges_associees=float(action.charges_associees),
        cout_unitaire=f(action.cout_unitaire), unites=f(action.unites),
    )


def scenario_moteur(scenario, actions) -> moteur.Scenario:
    codes = {c.pk: c.code for a in actions for c in a.communes.all()}
    return moteur.Scenario(nom=scenario.nom, partage_gains=float(scenario.partage_gains),
                           actions=tuple(action_moteur(a, codes) for a in actions))


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


def contexte(territoire) -> Contexte:
    t = territoire_moteur(territoire)
    b, paie = bases(territoire, t)
    activites, reservees = referentiel(territoire)
    noms = dict(territoire.organisations.values_list("code", "nom"))
    return Contexte(territoire, t, b, paie, activites, reservees, noms)


@dataclass
class Resultat:
    simulation: moteur.Simulation | None
    erreurs: list[str]
    issues: list = field(default_factory=list)


def simuler(ctx: Contexte, scenario, actions) -> Resultat:
    """The engine's simulation of a scenario, or the French messages of the rules it breaks."""
    s = scenario_moteur(scenario, actions)
    found = moteur.issues(s, ctx.moteur, ctx.activites)
    if found:
        return Resultat(None, moteur.check(s, ctx.moteur, ctx.activites), found)
    return Resultat(moteur.simulate(ctx.bases, ctx.moteur, s, ctx.reservees, ctx.activites), [])
