"""Reading the current payroll of a territory, for pages and (later) scenarios: the aggregates stored
with each employer's current batch, never the lines."""

from dataclasses import dataclass, field

import polars as pl

from masse_salariale.models import Agregat, EffectifTheme, LotEmployeur

AGREGAT_SCHEMA = {
    "employeur": pl.Utf8, "theme": pl.Utf8, "activite": pl.Utf8, "situation": pl.Utf8, "beneficiaire": pl.Utf8,
    "categorie": pl.Utf8, "nb_agents": pl.Int64, "montant": pl.Float64, "etp_ligne": pl.Float64,
}
EFFECTIF_SCHEMA = {"employeur": pl.Utf8, "theme": pl.Utf8, "nb_agents": pl.Int64, "montant": pl.Float64,
                   "etp": pl.Float64}


@dataclass
class PaieCourante:
    """The current batches of a territory's employers for one reference year, as frames."""

    annee: int | None
    annees: list[int]
    lots: dict[str, LotEmployeur] = field(default_factory=dict)  # employer code -> its current batch entry
    agregats: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=AGREGAT_SCHEMA))
    effectifs: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=EFFECTIF_SCHEMA))

    @property
    def vide(self) -> bool:
        return not self.lots


def annees_disponibles(territoire) -> list[int]:
    return sorted(
        set(LotEmployeur.objects.courants().filter(lot__territoire=territoire).values_list("annee", flat=True)),
        reverse=True,
    )


def paie_courante(territoire, annee: int | None = None) -> PaieCourante:
    """Three queries whatever the size: current entries, their fine aggregates, their theme counts."""
    annees = annees_disponibles(territoire)
    if annee is None or annee not in annees:
        annee = annees[0] if annees else None
    if annee is None:
        return PaieCourante(None, annees)
    entries = list(
        LotEmployeur.objects.courants(annee)
        .filter(lot__territoire=territoire)
        .select_related("organisation", "lot")
    )
    lots = {e.organisation.code: e for e in entries}
    wanted = pl.DataFrame({"lot_id": [e.lot_id for e in entries], "employeur": [e.organisation.code for e in entries]},
                          schema={"lot_id": pl.Int64, "employeur": pl.Utf8})
    lot_ids = sorted({e.lot_id for e in entries})

    fine = pl.DataFrame(
        list(Agregat.objects.filter(lot_id__in=lot_ids).values_list(
            "lot_id", "employeur", "theme", "activite", "situation", "beneficiaire", "categorie", "nb_agents",
            "montant", "etp")),
        schema={"lot_id": pl.Int64, **AGREGAT_SCHEMA},
        orient="row",
    )
    counts = pl.DataFrame(
        list(EffectifTheme.objects.filter(lot_id__in=lot_ids).values_list(
            "lot_id", "employeur", "theme", "nb_agents", "montant", "etp")),
        schema={"lot_id": pl.Int64, **EFFECTIF_SCHEMA},
        orient="row",
    )
    # A batch may cover several employers, of which only some still count: keep (batch, employer) pairs.
    fine = fine.join(wanted, on=["lot_id", "employeur"], how="semi").drop("lot_id")
    counts = counts.join(wanted, on=["lot_id", "employeur"], how="semi").drop("lot_id")
    return PaieCourante(annee, annees, lots, fine, counts)
