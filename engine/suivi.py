"""Planned versus actual for the follow-up of an approved schéma (docs/suivi.md): plain values and polars
frames in, plain values out; no Django here.

The realised move of an action in one commune, between the schéma's payroll year Y0 and a later year N,
is the fall of that commune's payroll and ETP on the action's theme (or activity), every line counted,
plus the rise of its agents made available to the EPCI there (an agent made available stays on the
commune's payroll: the fall alone would miss a mise à disposition ascendante). It is set against the
planned move (the action's part of the commune's base in Y0, docs/contrats §5) by ETP, the measure that
pay rises and constant euros do not blur: a commune counts as done from 80 % of the planned ETP, as
partly done from 20 %. A commune without a payroll of year N has no measure: it is said, never guessed."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl

from engine.vocabulaire import MAD, TRANSFERE

SEUIL_REALISE = 0.8
SEUIL_PARTIEL = 0.2

REALISE, PARTIEL, NON_CONSTATE, SANS_DONNEE, SANS_BASE = (
    "realise",
    "partiel",
    "non_constate",
    "sans_donnee",
    "sans_base",
)
LIBELLES = {
    REALISE: "réalisé",
    PARTIEL: "partiellement réalisé",
    NON_CONSTATE: "non constaté dans la paie",
    SANS_DONNEE: "sans masse salariale de l'année",
    SANS_BASE: "sans agent dans la base de l'année du schéma",
}


@dataclass(frozen=True)
class Volume:
    cout: float = 0.0
    etp: float = 0.0

    def __add__(self, other: "Volume") -> "Volume":
        return Volume(self.cout + other.cout, self.etp + other.etp)

    def __sub__(self, other: "Volume") -> "Volume":
        return Volume(self.cout - other.cout, self.etp - other.etp)

    def fois(self, k: float) -> "Volume":
        return Volume(self.cout * k, self.etp * k)


class Index:
    """One year's payroll aggregates, summed by (employer, theme, activity), all lines and those made
    available to the EPCI; the employers that have a payroll that year."""

    def __init__(self, agregats: pl.DataFrame, epci: str):
        self.epci = epci
        self.agregats = agregats
        self.employeurs = frozenset(agregats["employeur"].unique().to_list()) if agregats.height else frozenset()
        frame = agregats.with_columns(
            pl.col("activite").fill_null(""),
            ((pl.col("situation") == MAD) & (pl.col("beneficiaire") == epci)).alias("_mad_epci"),
        )
        self._tout: dict[tuple, Volume] = {}
        self._mad: dict[tuple, Volume] = {}
        grouped = frame.group_by("employeur", "theme", "activite", "_mad_epci").agg(
            pl.col("montant").sum(), pl.col("etp_ligne").sum()
        )
        for employeur, theme, activite, mad_epci, cout, etp in grouped.iter_rows():
            v = Volume(cout, etp)
            for cle in ((employeur, theme, activite), (employeur, theme, ""), (employeur, "", "")):
                self._tout[cle] = self._tout.get(cle, Volume()) + v
                if mad_epci:
                    self._mad[cle] = self._mad.get(cle, Volume()) + v

    def tout(self, employeur: str, theme: str = "", activite: str | None = None) -> Volume:
        return self._tout.get((employeur, theme, activite or ""), Volume())

    def mad_epci(self, employeur: str, theme: str = "", activite: str | None = None) -> Volume:
        return self._mad.get((employeur, theme, activite or ""), Volume())


def realise(y0: Index, yn: Index, commune: str, theme: str, activite: str | None) -> Volume | None:
    """The realised move of one commune on a theme or activity between Y0 and N (None: no payroll N)."""
    if commune not in yn.employeurs:
        return None
    chute = y0.tout(commune, theme, activite) - yn.tout(commune, theme, activite)
    return chute + (yn.mad_epci(commune, theme, activite) - y0.mad_epci(commune, theme, activite))


@dataclass(frozen=True)
class MesureCommune:
    commune: str
    prevu: Volume
    realise: Volume | None

    @property
    def taux(self) -> float | None:
        if self.realise is None or self.prevu.etp <= 0:
            return None
        return max(0.0, self.realise.etp) / self.prevu.etp

    @property
    def etat(self) -> str:
        if self.realise is None:
            return SANS_DONNEE
        if self.prevu.etp <= 0:
            return SANS_BASE
        if self.taux >= SEUIL_REALISE:
            return REALISE
        return PARTIEL if self.taux >= SEUIL_PARTIEL else NON_CONSTATE


def mesurer(
    y0: Index, yn: Index, prevus: Mapping[str, Volume], theme: str, activite: str | None
) -> list[MesureCommune]:
    """Each commune of an action: its planned move (`prevus`: commune -> part × its base in Y0) against
    its realised one."""
    return [MesureCommune(c, p, realise(y0, yn, c, theme, activite)) for c, p in prevus.items()]


def phrase(mesures: list[MesureCommune], annee: int, noms: Mapping[str, str]) -> str:
    """The gap said in words where the data allow (« réalisé en 2027 pour 3 communes sur 5 »)."""
    avec = [m for m in mesures if m.etat not in (SANS_DONNEE, SANS_BASE)]
    sans = sorted(noms.get(m.commune, m.commune) for m in mesures if m.etat == SANS_DONNEE)
    morceaux = []
    if avec:
        faits = sum(1 for m in avec if m.etat == REALISE)
        partiels = sum(1 for m in avec if m.etat == PARTIEL)
        texte = f"réalisé en {annee} pour {faits} commune{'s' if faits > 1 else ''} sur {len(avec)}"
        if partiels:
            texte += f", partiellement pour {partiels}"
        morceaux.append(texte)
    if sans:
        morceaux.append(f"pas de masse salariale {annee} pour {', '.join(sans)} : pas de mesure")
    if not morceaux:
        return "aucune base à mesurer dans la masse salariale de l'année du schéma"
    return " ; ".join(morceaux)


def avancement_pondere(elements: Iterable[tuple[int | None, float]]) -> tuple[float | None, int]:
    """Progress weighted by what is at stake: (progress % or None when not recorded, weight) per item. An
    item with no progress recorded counts 0; returns (weighted %, how many had none). None when nothing
    weighs."""
    total = poids = 0.0
    sans = 0
    for progression, w in elements:
        if progression is None:
            sans += 1
        total += (progression or 0) * w
        poids += w
    return (total / poids if poids > 0 else None), sans


def transferes_et_mis_a_disposition(index: Index, communes: Iterable[str]) -> float:
    """ETP the EPCI has by transfer, and the communes' ETP made available to it."""
    a = index.agregats
    transferes = a.filter((pl.col("employeur") == index.epci) & (pl.col("situation") == TRANSFERE))["etp_ligne"].sum()
    return float(transferes) + sum(index.mad_epci(c).etp for c in communes)


def par_theme(index: Index, communes: Iterable[str], themes: Iterable[str]) -> dict[str, dict[str, Volume]]:
    """Per theme, the EPCI's side (its lines and the communes' agents made available to it) and the
    communes' side (their lines but those)."""
    communes = list(communes)
    out = {}
    for t in themes:
        mad = sum((index.mad_epci(c, t) for c in communes), Volume())
        out[t] = {
            "epci": index.tout(index.epci, t) + mad,
            "communes": sum((index.tout(c, t) for c in communes), Volume()) - mad,
        }
    return out


def prevu_par_theme(
    depart: dict[str, dict[str, Volume]], deplacements: Iterable[tuple[str, Volume, float]]
) -> dict[str, dict[str, Volume]]:
    """The per-theme sides of `depart` (Y0) after the planned moves in effect: (theme, what moves, gain)
    each; the communes lose what moves, the EPCI gains it less the productivity gain."""
    out = {t: dict(v) for t, v in depart.items()}
    for theme, v, gain in deplacements:
        if theme not in out:
            continue
        out[theme]["communes"] = out[theme]["communes"] - v
        out[theme]["epci"] = out[theme]["epci"] + v.fois(1 - gain)
    return out
