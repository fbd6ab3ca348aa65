"""From the database to the pure engine and back: a territory, its current payroll (the aggregates
stored at import, never the lines) and a scenario's rows become engine values; `simuler` returns the
engine's Simulation. The payroll read and reduced to `Bases` is cached per set of current batches (the
key costs two small queries), so that editing a scenario recomputes in a few milliseconds
(bench/bench_scenario_web.py). Each process has its own cache."""

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from threading import Lock

from engine import scenario as moteur
from masse_salariale.lecture import PaieCourante, annees_disponibles, paie_courante
from masse_salariale.models import LotEmployeur
from referentiel.models import Activite
from livrables.enums import Modalite
from scenarios.secret import Effectifs

_CACHE: "OrderedDict[tuple, Paie]" = OrderedDict()
_CACHE_TAILLE = 32
_VERROU = Lock()


def territoire_moteur(territoire) -> moteur.Territoire:
    communes = list(territoire.organisations.communes().filter(membre=True).order_by("code")
                    .values_list("code", "population"))
    return moteur.Territoire(epci=territoire.code, fpu=territoire.verse_ac, communes=tuple(c for c, _ in communes),
                             populations=dict(communes))


def _cle(territoire, territoire_m: moteur.Territoire) -> tuple:
    """What the reduced payroll depends on, read in two small queries: the current batches of the latest
    year (with their checksum and confirmation time: a test database may reuse a rolled-back id), the
    members and the functional themes."""
    annees = annees_disponibles(territoire)
    lots = ()
    if annees:
        lots = tuple(sorted(LotEmployeur.objects.courants(annees[0]).filter(lot__territoire=territoire)
                            .values_list("organisation__code", "lot_id", "lot__empreinte", "lot__confirme_le")))
    return (territoire.pk, annees[0] if annees else None, lots, territoire_m.epci, territoire_m.communes,
            territoire.themes_fonctionnels)


@dataclass(frozen=True)
class Paie:
    """The current payroll as read for the scenarios: aggregates, their reduction, agents per base."""

    courante: PaieCourante
    bases: moteur.Bases
    effectifs: Effectifs


def paie_reduite(territoire, territoire_m: moteur.Territoire) -> Paie:
    """The current payroll read and reduced once per set of current batches (a new batch changes the key)."""
    cle = _cle(territoire, territoire_m)
    with _VERROU:
        trouve = _CACHE.get(cle)
        if trouve is not None:
            _CACHE.move_to_end(cle)
            return trouve
    courante = paie_courante(territoire)
    calcule = Paie(courante, moteur.bases(courante.agregats, territoire_m, territoire.themes_fonctionnels),
                   Effectifs.depuis(courante))
    with _VERROU:
        _CACHE[cle] = calcule
        while len(_CACHE) > _CACHE_TAILLE:
            _CACHE.popitem(last=False)
    return calcule


def referentiel(territoire) -> tuple[dict[str, str], frozenset[str]]:
    """The territory's activity codes → theme, and the RH activities reserved to the centres de gestion."""
    rows = list(Activite.objects.filter(territoire=territoire).values_list("code", "theme", "reserve_cdg"))
    return {c: t for c, t, _ in rows}, frozenset(c for c, _, r in rows if r)


CHAMPS_MOTEUR = ("theme", "activite", "toutes", "modalite", "part", "gain", "annee", "economie",
                 "charges_associees", "cout_unitaire", "unites")


def action_depuis_valeurs(valeurs: dict, codes, identifiant: str) -> moteur.Action:
    """An action's field values (an ActionScenario's, a form's, a GT3 line's) as an engine Action; `codes`:
    the communes' codes (ignored when `toutes`)."""
    def f(x):
        return None if x is None else float(x)

    return moteur.Action(
        id=identifiant, theme=valeurs["theme"], activite=valeurs.get("activite") or None,
        communes=None if valeurs.get("toutes") else tuple(sorted(codes)),
        modalite=valeurs["modalite"], part=float(valeurs.get("part", 1)), gain=float(valeurs.get("gain", 0)),
        annee=int(valeurs.get("annee", moteur.FIRST_YEAR)), economie=float(valeurs.get("economie") or 0),
        charges_associees=float(valeurs.get("charges_associees") or 0),
        cout_unitaire=f(valeurs.get("cout_unitaire")), unites=f(valeurs.get("unites")),
    )


def action_moteur(action, codes: dict[int, str]) -> moteur.Action:
    """An ActionScenario (its communes prefetched) as an engine Action; `codes`: organisation pk → code."""
    return action_depuis_valeurs({c: getattr(action, c) for c in CHAMPS_MOTEUR},
                                 [codes[c.pk] for c in action.communes.all()], action.identifiant)


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
    effectifs: Effectifs
    activites: dict[str, str]
    reservees: frozenset[str]
    noms: dict[str, str] = field(default_factory=dict)


def contexte(territoire) -> Contexte:
    t = territoire_moteur(territoire)
    paie = paie_reduite(territoire, t)
    activites, reservees = referentiel(territoire)
    noms = dict(territoire.organisations.values_list("code", "nom"))
    return Contexte(territoire, t, paie.bases, paie.courante, paie.effectifs, activites, reservees, noms)


@dataclass
class Resultat:
    simulation: moteur.Simulation | None
    erreurs: list[str]
    issues: list = field(default_factory=list)


# The engine speaks FORMATS.md (file keys, modalité codes, commune codes): the web speaks its forms.
LIBELLES_CHAMPS = {
    "charges_associees": "charges associées", "cout_unitaire": "coût unitaire", "unites": "unités",
    "economie": "économies hors masse salariale", "gain": "gain de productivité", "part": "part mutualisée",
    "partage_gains": "part des gains rendue aux communes", "annee": "année d'effet",
}
_MOTS = re.compile(r"\b(" + "|".join(sorted([*LIBELLES_CHAMPS, *Modalite.values], key=len, reverse=True))
                   + r")\b|\b(\d{5}|2[AB]\d{3})\b")


def en_francais(message: str, noms: dict[str, str]) -> str:
    """An engine message with the forms' words: field labels, modalité labels, commune names."""
    libelles = {**LIBELLES_CHAMPS, **{m.value: m.label.lower() for m in Modalite}}

    def mot(m):
        if m.group(1):
            return libelles[m.group(1)]
        return noms.get(m.group(2), m.group(2))

    return _MOTS.sub(mot, message)


def simuler(ctx: Contexte, scenario, actions) -> Resultat:
    """The engine's simulation of a scenario, or the French messages of the rules it breaks."""
    s = scenario_moteur(scenario, actions)
    found = moteur.issues(s, ctx.moteur, ctx.activites)
    if found:
        return Resultat(None, [en_francais(e, ctx.noms) for e in moteur.check(s, ctx.moteur, ctx.activites)], found)
    return Resultat(moteur.simulate(ctx.bases, ctx.moteur, s, ctx.reservees, ctx.activites), [])
