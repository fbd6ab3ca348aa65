"""The state of a commune's opinion on the projet de schéma (L5211-39-1; docs/consultation.md): from the
date its council received the projet, the deliberations recorded and the day it is, whether the opinion
is awaited, expressed (the last deliberation dated in time prevails), or réputé favorable (none dated in
time, the deadline passed). A deliberation dated after the deadline is « hors délai »: kept in the file
as an element of appreciation, it does not change the deemed opinion. Pure: dates in, a state out."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from engine.calendrier import Echeance, echeance_avis


class EtatAvis(StrEnum):
    NON_TRANSMIS = "non_transmis"  # no sending recorded
    RECEPTION_A_ENREGISTRER = "reception"  # sent, the date of receipt not yet recorded
    ATTENDU = "attendu"  # received, within the three months, no deliberation dated in time
    EXPRIME = "exprime"  # a deliberation dated in time (the last one prevails)
    REPUTE_FAVORABLE = "repute_favorable"  # the deadline passed with no deliberation dated in time


LIBELLES = {
    EtatAvis.NON_TRANSMIS: "projet non transmis",
    EtatAvis.RECEPTION_A_ENREGISTRER: "réception à enregistrer",
    EtatAvis.ATTENDU: "avis attendu",
    EtatAvis.EXPRIME: "avis rendu",
    EtatAvis.REPUTE_FAVORABLE: "avis réputé favorable",
}

BASE_LEGALE_REPUTE = (
    "CGCT, art. L5211-39-1 : à défaut de délibération dans un délai de trois mois, l'avis du conseil "
    "municipal est réputé favorable."
)


@dataclass(frozen=True)
class Avis:
    """A deliberation as the clock sees it: its date, its outcome code, and its order of recording."""

    date: dt.date
    issue: str
    ordre: int = 0


@dataclass(frozen=True)
class Etat:
    etat: EtatAvis
    echeance: Echeance | None = None
    retenu: Avis | None = None  # the deliberation that prevails (EXPRIME)
    dans_le_delai: tuple[Avis, ...] = ()
    hors_delai: tuple[Avis, ...] = ()
    jours_restants: int | None = None  # until the deadline included (ATTENDU or EXPRIME before it)

    @property
    def a_un_avis(self) -> bool:
        """Expressed or deemed: what approval needs from every commune."""
        return self.etat in (EtatAvis.EXPRIME, EtatAvis.REPUTE_FAVORABLE)

    @property
    def libelle(self) -> str:
        return LIBELLES[self.etat]


def departement_de(code_insee: str) -> str:
    """The département of a commune from its INSEE code: three characters overseas (971…976), else two."""
    return code_insee[:3] if code_insee.startswith("97") else code_insee[:2]


def etat_avis(
    envoye: bool, reception: dt.date | None, avis: Sequence[Avis], aujourdhui: dt.date, departement: str | None = None
) -> Etat:
    """The opinion's state on `aujourdhui`. A deliberation is in time when it is dated on or before the
    deadline, whenever it was recorded; among those, the latest dated (then the latest recorded) prevails."""
    if not envoye:
        return Etat(EtatAvis.NON_TRANSMIS)
    if reception is None:
        return Etat(EtatAvis.RECEPTION_A_ENREGISTRER)
    e = echeance_avis(reception, departement)
    dans = tuple(sorted((a for a in avis if a.date <= e.echeance), key=lambda a: (a.date, a.ordre)))
    hors = tuple(sorted((a for a in avis if a.date > e.echeance), key=lambda a: (a.date, a.ordre)))
    restants = (e.echeance - aujourdhui).days if aujourdhui <= e.echeance else None
    if dans:
        return Etat(EtatAvis.EXPRIME, e, dans[-1], dans, hors, restants)
    if aujourdhui >= e.reputee_favorable_le:
        return Etat(EtatAvis.REPUTE_FAVORABLE, e, None, (), hors, None)
    return Etat(EtatAvis.ATTENDU, e, None, (), hors, restants)
