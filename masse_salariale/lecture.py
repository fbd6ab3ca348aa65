"""Reading the current payroll of a territory, for pages and scenarios: the aggregates stored with each
employer's current batch, never the lines.

A year is **complete** when every employer of the territory (the EPCI and its current member communes)
has a current batch for it. A figure of an incomplete year covers only the employers present: every page
and export that shows one says which employers are missing (`PaieCourante.manquants`). The coefficient
pages show the latest year by default; the scenarios, the optimiser, the GT3 payroll at stake and the
priority matrix use the latest complete year (`paie_courante(..., complete=True)`).

The aggregates of a set of batches are read into frames once per process and kept (commun/cache.py), keyed
on the batches (`cle_lot`): a page then costs the same small queries whatever the payroll's size (441
aggregate rows for 1,000 lines, 5,745 for 100,000: bench/bench_pages.py). What pages reduce from the frames
is kept beside them (`PaieCourante.reduite`)."""

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import polars as pl
from django.db.models import Q

from commun.cache import CacheLRU
from commun.formatage import nombre
from commun.tri import cle_francaise
from masse_salariale.models import Agregat, EffectifTheme, LotEmployeur
from territoire.enums import TypeOrganisation

AGREGAT_SCHEMA = {
    "employeur": pl.Utf8,
    "theme": pl.Utf8,
    "activite": pl.Utf8,
    "situation": pl.Utf8,
    "beneficiaire": pl.Utf8,
    "categorie": pl.Utf8,
    "nb_agents": pl.Int64,
    "montant": pl.Float64,
    "etp_ligne": pl.Float64,
}
EFFECTIF_SCHEMA = {
    "employeur": pl.Utf8,
    "theme": pl.Utf8,
    "nb_agents": pl.Int64,
    "montant": pl.Float64,
    "etp": pl.Float64,
}


PORTEE_COEFFICIENT = "Le coefficient ne porte que sur les employeurs présents."

# The frames of the last sets of batches read, with their reductions: a year of 100,000 lines is 0.3 MB of
# frames, and up to a few MB once its drill-down rows are grouped (masse_salariale/tableaux.py).
_CACHE = CacheLRU(32)


def cle_lot(employeur: str, lot_id: int, empreinte: str, confirme_le) -> tuple:
    """What one employer's batch contributes to the key of every cache of payroll figures: the batch with
    its checksum and confirmation time (a test database may reuse a rolled-back id)."""
    return (employeur, lot_id, empreinte, str(confirme_le))


def cle_lots(entrees) -> tuple:
    """The key part of batch entries (LotEmployeur, their organisation and batch loaded)."""
    return tuple(sorted(cle_lot(e.organisation.code, e.lot_id, e.lot.empreinte, e.lot.confirme_le) for e in entrees))


@dataclass(frozen=True)
class Employeur:
    code: str
    nom: str


@dataclass
class PaieCourante:
    """The current batches of a territory's employers for one reference year, as frames; the employers
    missing for that year, and the complete years."""

    annee: int | None
    annees: list[int]  # years with at least one current batch, latest first
    lots: dict[str, LotEmployeur] = field(default_factory=dict)  # employer code -> its current batch entry
    agregats: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=AGREGAT_SCHEMA))
    effectifs: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=EFFECTIF_SCHEMA))
    manquants: list[Employeur] = field(default_factory=list)  # employers without a current batch for `annee`
    completes: list[int] = field(default_factory=list)  # years where every employer has one, latest first
    # What pages reduced from the frames, shared by every reading of the same batches (`reduite`).
    reductions: dict = field(default_factory=dict, repr=False, compare=False)

    def reduite(self, nom: Hashable, calculer: Callable):
        """`calculer()`, computed once per set of batches: the value is kept beside the cached frames, so
        `nom` must hold whatever else it depends on (the functional themes, the organisations…)."""
        if nom not in self.reductions:
            self.reductions[nom] = calculer()
        return self.reductions[nom]

    @property
    def vide(self) -> bool:
        return not self.lots

    @property
    def incomplete(self) -> bool:
        """Some employer has no batch for this year (an empty payroll is said otherwise)."""
        return not self.vide and bool(self.manquants)

    @property
    def derniere_complete(self) -> int | None:
        return self.completes[0] if self.completes else None

    @property
    def constat(self) -> str:
        """« Année 2025 incomplète : 3 employeurs n'ont pas de lot de paie pour cette année »."""
        n = len(self.manquants)
        verbe = "n'a" if n == 1 else "n'ont"
        return (
            f"Année {self.annee} incomplète : {nombre(n)} employeur{'s' if n > 1 else ''} {verbe} pas de lot "
            f"de paie pour cette année"
        )

    @property
    def noms_manquants(self) -> str:
        return ", ".join(e.nom for e in self.manquants)

    def avis(self, portee: str = PORTEE_COEFFICIENT) -> str:
        """The whole notice as one text (exports), every missing employer named; "" for a complete year."""
        if not self.incomplete:
            return ""
        return f"{self.constat} : {self.noms_manquants}. {portee}".strip()


def employeurs(territoire) -> list[Employeur]:
    """The employers a complete year needs: the EPCI, then its current member communes by name (a commune
    that left keeps its data but is no longer awaited)."""
    rows = territoire.organisations.filter(
        Q(type=TypeOrganisation.EPCI) | Q(type=TypeOrganisation.COMMUNE, membre=True)
    ).values_list("code", "nom", "type")
    rows = sorted(rows, key=lambda r: (r[2] != TypeOrganisation.EPCI, cle_francaise(r[1]), r[0]))
    return [Employeur(code, nom) for code, nom, _ in rows]


def annees_completes(presents: dict[int, set[str]], attendus) -> list[int]:
    """The years (latest first) where every expected employer code has a current batch."""
    attendus = set(attendus)
    return sorted((a for a, codes in presents.items() if attendus <= set(codes)), reverse=True)


def _presents(territoire) -> dict[int, set[str]]:
    presents: dict[int, set[str]] = {}
    for annee, code in (
        LotEmployeur.objects.courants().filter(lot__territoire=territoire).values_list("annee", "organisation__code")
    ):
        presents.setdefault(annee, set()).add(code)
    return presents


def annees_disponibles(territoire) -> list[int]:
    return sorted(
        set(LotEmployeur.objects.courants().filter(lot__territoire=territoire).values_list("annee", flat=True)),
        reverse=True,
    )


def derniere_annee_complete(territoire) -> int | None:
    """The latest year in which every employer of the territory has a current batch (None if none)."""
    completes = annees_completes(_presents(territoire), (e.code for e in employeurs(territoire)))
    return completes[0] if completes else None


def annee_par_defaut(annees: list[int], completes: list[int], complete: bool) -> int | None:
    """The latest complete year when asked for (`complete`) and there is one, else the latest year."""
    if complete and completes:
        return completes[0]
    return annees[0] if annees else None


def paie_courante(territoire, annee: int | None = None, complete: bool = False) -> PaieCourante:
    """The current payroll of `annee`; without it (or for a year without any batch) the latest year, or with
    `complete` the latest complete year (the latest year when none is complete). Two queries whatever the
    size (every current entry, the employers), and two more the first time a process reads these batches
    (their fine aggregates and theme counts)."""
    toutes = list(
        LotEmployeur.objects.courants().filter(lot__territoire=territoire).select_related("organisation", "lot")
    )
    attendus = employeurs(territoire)
    presents: dict[int, set[str]] = {}
    for e in toutes:
        presents.setdefault(e.annee, set()).add(e.organisation.code)
    annees = sorted(presents, reverse=True)
    completes = annees_completes(presents, (e.code for e in attendus))
    if annee is None or annee not in annees:
        annee = annee_par_defaut(annees, completes, complete)
    if annee is None:
        return PaieCourante(None, annees, manquants=attendus, completes=completes)
    entries = [e for e in toutes if e.annee == annee]
    return _paie_des_entrees(territoire, annee, annees, entries, attendus, completes)


def paie_des_lots(territoire, entrees: list[LotEmployeur]) -> PaieCourante:
    """The payroll of given batch entries of one year, current or not: what a frozen version of the schéma
    keeps (parcours/versions.py), so that a later import never changes its figures."""
    annees = sorted({e.annee for e in entrees}, reverse=True)
    if len(annees) != 1:
        raise ValueError(f"des lots d'une seule année sont attendus, pas de {annees}")
    attendus = employeurs(territoire)
    return _paie_des_entrees(territoire, annees[0], annees, entrees, attendus, [])


def _paie_des_entrees(territoire, annee: int, annees: list[int], entries, attendus, completes) -> PaieCourante:
    presents = {e.organisation.code for e in entries}
    manquants = [e for e in attendus if e.code not in presents]
    lots = {e.organisation.code: e for e in entries}
    fine, counts, reductions = _CACHE.obtenir((territoire.pk, cle_lots(entries)), lambda: _lire(entries))
    return PaieCourante(annee, annees, lots, fine, counts, manquants, completes, reductions)


def _lire(entries) -> tuple[pl.DataFrame, pl.DataFrame, dict]:
    """The fine aggregates and theme counts of batch entries (two queries), and an empty dict for what
    pages will reduce from them."""
    wanted = pl.DataFrame(
        {"lot_id": [e.lot_id for e in entries], "employeur": [e.organisation.code for e in entries]},
        schema={"lot_id": pl.Int64, "employeur": pl.Utf8},
    )
    lot_ids = sorted({e.lot_id for e in entries})

    fine = pl.DataFrame(
        list(
            Agregat.objects.filter(lot_id__in=lot_ids).values_list(
                "lot_id",
                "employeur",
                "theme",
                "activite",
                "situation",
                "beneficiaire",
                "categorie",
                "nb_agents",
                "montant",
                "etp",
            )
        ),
        schema={"lot_id": pl.Int64, **AGREGAT_SCHEMA},
        orient="row",
    )
    counts = pl.DataFrame(
        list(
            EffectifTheme.objects.filter(lot_id__in=lot_ids).values_list(
                "lot_id", "employeur", "theme", "nb_agents", "montant", "etp"
            )
        ),
        schema={"lot_id": pl.Int64, **EFFECTIF_SCHEMA},
        orient="row",
    )
    # A batch may cover several employers, of which only some still count: keep (batch, employer) pairs.
    fine = fine.join(wanted, on=["lot_id", "employeur"], how="semi").drop("lot_id")
    counts = counts.join(wanted, on=["lot_id", "employeur"], how="semi").drop("lot_id")
    return fine, counts, {}
