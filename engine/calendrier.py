"""The councils' opinion clock (CGCT L5211-39-1; docs/consultation.md): three months from the commune's
receipt of the projet, to the same day number, or the last day of the month when that day does not exist;
never moved for a weekend or a public holiday, only flagged, with the last working day before advised;
réputé favorable from the day after. The convocation of a council: 3 clear days before its sitting under
3,500 inhabitants, 5 from 3,500 (L2121-11, L2121-12). Public holidays of the département from the
`holidays` library (Alsace-Moselle and overseas included). Pure: dates in, dates out."""

import calendar
import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

DELAI_AVIS_MOIS = 3
SEUIL_CONVOCATION_HABITANTS = 3500
JOURS_FRANCS = {"moins": 3, "plus": 5}  # clear days of convocation: under 3,500 inhabitants / from 3,500
RAPPELS_JOURS = (60, 30)  # reminders to the commune's DGS, days before the deadline

# Départements with their own public holidays in the `holidays` library (its subdivision codes); every
# other metropolitan département, Corsica included, has the national ones.
SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
    # Collectivités d'outre-mer with member communes in INSEE's code list (engine.avis.departement_de).
    "975": "PM",
    "977": "BL",
    "978": "MF",
}
METROPOLE = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"}  # 20 split into 2A and 2B in 1976
WEEK_END = {5: "samedi", 6: "dimanche"}
UN_JOUR = dt.timedelta(days=1)


def ajouter_mois(d: dt.date, mois: int) -> dt.date:
    """The same day number `mois` months later, or the last day of that month when it has no such day."""
    annee, m = divmod(d.month - 1 + mois, 12)
    annee, m = d.year + annee, m + 1
    return dt.date(annee, m, min(d.day, calendar.monthrange(annee, m)[1]))


def _subdivision(departement: str | None) -> str | None:
    """The `holidays` subdivision of a département code (None: metropolitan France); ValueError if unknown."""
    if departement is None:
        return None
    code = departement.strip().upper()
    if code in SUBDIVISIONS:
        return SUBDIVISIONS[code]
    if code in METROPOLE:
        return None
    raise ValueError(f"département inconnu : « {departement} »")


@lru_cache(maxsize=256)
def _feries(subdivision: str | None, annee: int) -> dict[dt.date, str]:
    # Imported here: `holidays` loads its tables of every country (some 50 ms), and the apps import this module at
    # start-up (parcours.taches) where no date is computed yet.
    import holidays

    return dict(holidays.country_holidays("FR", subdiv=subdivision, years=annee, language="fr"))


def jour_non_ouvre(d: dt.date, departement: str | None = None) -> str | None:
    """Why `d` is not a working day in the département (metropolitan France when None): the holiday's name
    (even on a weekend), « samedi » or « dimanche »; None on a working day. ValueError: unknown département."""
    return _feries(_subdivision(departement), d.year).get(d) or WEEK_END.get(d.weekday())


@dataclass(frozen=True)
class Echeance:
    """A council's deadline for its opinion, counted from its receipt of the projet."""

    reception: dt.date
    echeance: dt.date  # never moved: a deliberation dated on or before it is in time
    jour_non_ouvre: bool
    motif_non_ouvre: str | None  # « samedi », « dimanche » or the holiday's name
    dernier_jour_ouvre: dt.date  # the last working day on or before the deadline: the advised sitting
    reputee_favorable_le: dt.date  # the day after the deadline


def echeance_avis(reception: dt.date, departement: str | None = None) -> Echeance:
    """The deadline of a council's opinion for a receipt on `reception`. ValueError: unknown département."""
    echeance = ajouter_mois(reception, DELAI_AVIS_MOIS)
    motif = jour_non_ouvre(echeance, departement)
    ouvre = echeance
    while jour_non_ouvre(ouvre, departement):
        ouvre -= UN_JOUR
    return Echeance(reception, echeance, motif is not None, motif, ouvre, echeance + UN_JOUR)


def derniere_convocation(echeance: dt.date, population: int | None) -> dt.date:
    """The last day to send the convocation of a council sitting on the deadline: clear days exclude the
    day of sending and the day of the sitting. An unknown population counts as 3,500 or more (the longer
    delay, so that the reminder is never late)."""
    petite = population is not None and population < SEUIL_CONVOCATION_HABITANTS
    return echeance - (JOURS_FRANCS["moins" if petite else "plus"] + 1) * UN_JOUR


@dataclass(frozen=True)
class Rappel:
    code: str  # "J-60", "J-30", "convocation"
    le: dt.date


def rappels(echeance: dt.date, population: int | None) -> tuple[Rappel, ...]:
    """The reminders of a commune's deadline to its DGS, by date: 60 and 30 days before, then the last day to
    convene the council (derniere_convocation)."""
    out = [Rappel(f"J-{n}", echeance - n * UN_JOUR) for n in RAPPELS_JOURS]
    out.append(Rappel("convocation", derniere_convocation(echeance, population)))
    return tuple(sorted(out, key=lambda r: r.le))
