"""Writes of payroll batches: prepare (validate and stage), confirm (make current), abandon.

A batch is staged with its lines and aggregates, then becomes current for each of its employers once
confirmed; replacing an employer's current batch for the same year is explicit and keeps the old one."""

import hashlib
from decimal import Decimal

import polars as pl
from django.db import transaction
from django.utils import timezone

from commun.db import insert_rows
from commun.erreurs import ActionRefusee
from formats.payroll import TerritoryCodes, read_payroll
from masse_salariale.enums import StatutLot
from masse_salariale.models import Agregat, EffectifTheme, LignePaie, Lot, LotEmployeur
from masse_salariale.pseudonymes import pseudonymiser_tous
from territoire.models import Evenement, Territoire

ANNEE_MIN, ANNEE_MAX = 2000, 2100


def territory_codes(territoire: Territoire) -> TerritoryCodes:
    orgs = list(territoire.organisations.values_list("code", "type"))
    epci = next(code for code, kind in orgs if kind == "epci")
    return TerritoryCodes(
        epci=epci, communes=frozenset(code for code, kind in orgs if kind == "commune"), name=territoire.nom
    )


def check_annee(annee: int) -> None:
    if not ANNEE_MIN <= annee <= ANNEE_MAX:
        raise ActionRefusee([f"fichier : année de référence « {annee} » : attendue entre {ANNEE_MIN} et {ANNEE_MAX}"])


def lire_fichier(territoire: Territoire, data: bytes, filename: str, acces=None):
    """Validate a payroll file for this territory; `acces` limits the employers the user may import.
    Raises InvalidFile with every error, at once."""
    activities = dict(territoire.activites.values_list("code", "theme")) or None
    allowed = None if acces is None else set(acces.organisations_importables().values_list("code", flat=True))
    return read_payroll(data, filename, territory_codes(territoire), activities, allowed, LONGUEURS)


# Columns kept as text, with the length their storage allows.
LONGUEURS = {"activite": 20, "service": 200, "statut": 100}


def aggregate(lines: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The three aggregates stored with a batch: fine cells, employer × theme, employer."""
    sums = [
        pl.col("agent").n_unique().alias("nb_agents"),
        pl.len().alias("nb_lignes"),
        pl.col("montant").sum().alias("montant"),
        pl.col("etp_ligne").sum().alias("etp"),
    ]
    keyed = lines.with_columns(
        pl.col("activite").fill_null(""), pl.col("beneficiaire").fill_null(""), pl.col("categorie").fill_null("")
    )
    fine = keyed.group_by("employeur", "theme", "activite", "situation", "beneficiaire", "categorie").agg(sums)
    by_theme = keyed.group_by("employeur", "theme").agg(sums)
    by_employer = keyed.group_by("employeur").agg(sums)
    return fine, by_theme, by_employer


@transaction.atomic
def do_preparer_lot(territoire: Territoire, data: bytes, filename: str, annee: int, utilisateur, acces=None) -> Lot:
    """Validate and stage a batch (status « à confirmer »). Raises InvalidFile or ActionRefusee."""
    check_annee(annee)
    payroll = lire_fichier(territoire, data, filename, acces)
    lines = payroll.lines.with_columns(
        pl.Series("agent", pseudonymiser_tous(payroll.lines["employeur"].to_list(), payroll.lines["agent"].to_list()))
    )
    fine, by_theme, by_employer = aggregate(lines)
    lot = Lot.objects.create(
        territoire=territoire,
        annee=annee,
        fichier=filename[:255],
        empreinte=hashlib.sha256(data).hexdigest(),
        taille=len(data),
        importe_par=utilisateur,
        nb_lignes=lines.height,
        nb_agents=lines.select(pl.struct("employeur", "agent").n_unique()).item(),
        cout_total=_money(lines["montant"].sum()),
        etp_total=_fte(lines["etp_ligne"].sum()),
        avertissements=payroll.warnings,
    )
    orgs = {o.code: o for o in territoire.organisations.all()}
    LotEmployeur.objects.bulk_create(
        LotEmployeur(
            lot=lot,
            organisation=orgs[row["employeur"]],
            annee=annee,
            nb_lignes=row["nb_lignes"],
            nb_agents=row["nb_agents"],
            cout=_money(row["montant"]),
            etp=_fte(row["etp"]),
        )
        for row in by_employer.sort("employeur").iter_rows(named=True)
    )
    fine_fields = [
        "employeur",
        "theme",
        "activite",
        "situation",
        "beneficiaire",
        "categorie",
        "nb_agents",
        "nb_lignes",
        "montant",
        "etp",
    ]
    insert_rows(Agregat, ["lot", *fine_fields], ((lot.pk, *row) for row in fine.select(fine_fields).iter_rows()))
    insert_rows(
        EffectifTheme,
        ["lot", "employeur", "theme", "nb_agents", "montant", "etp"],
        ((lot.pk, *row) for row in by_theme.select("employeur", "theme", "nb_agents", "montant", "etp").iter_rows()),
    )
    columns = [
        "ligne",
        "employeur",
        "agent",
        "theme",
        "activite",
        "cout_annuel",
        "quotite",
        "etp",
        "situation",
        "beneficiaire",
        "service",
        "statut",
        "categorie",
    ]
    text = ["activite", "beneficiaire", "service", "statut", "categorie"]
    stored = lines.select(columns).with_columns(
        pl.col("cout_annuel").round(2), *(pl.col(c).fill_null("") for c in text)
    )
    insert_rows(LignePaie, ["lot", *columns], ((lot.pk, *row) for row in stored.iter_rows()))
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=utilisateur,
        action="masse_salariale.import",
        objet=f"Lot {lot.pk} ({filename})",
        details={
            "annee": annee,
            "lignes": lot.nb_lignes,
            "empreinte": lot.empreinte,
            "employeurs": sorted(by_employer["employeur"].to_list()),
        },
    )
    return lot


def conflits(lot: Lot) -> list[LotEmployeur]:
    """The employers' current batches (same year) that confirming `lot` would replace."""
    return list(
        LotEmployeur.objects.courants(lot.annee)
        .filter(organisation__in=lot.employeurs.values("organisation"))
        .exclude(lot=lot)
        .select_related("organisation", "lot")
    )


@transaction.atomic
def do_confirmer_lot(lot: Lot, utilisateur, remplacer: bool = False) -> Lot:
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    if lot.statut != StatutLot.A_CONFIRMER:
        raise ActionRefusee([f"fichier : ce lot est déjà {lot.get_statut_display().lower()}"])
    current = {le.organisation_id: le for le in conflits(lot)}
    if current and not remplacer:
        raise ActionRefusee(
            [
                f"fichier : {le.organisation.nom} ({le.organisation.code}) a déjà un lot courant pour {lot.annee} "
                f"(« {le.lot.fichier} », importé le {timezone.localtime(le.lot.importe_le):%d/%m/%Y}) : "
                "pour le remplacer, cochez « remplacer » (en ligne de commande : --remplacer)"
                for le in current.values()
            ]
        )
    for old in current.values():
        old.courant = False
        old.save(update_fields=["courant"])
    for entry in lot.employeurs.all():
        entry.courant = True
        entry.remplace = current.get(entry.organisation_id)
        entry.save(update_fields=["courant", "remplace"])
    avant, lot.statut = lot.statut, StatutLot.CONFIRME
    lot.confirme_par = utilisateur
    lot.confirme_le = timezone.now()
    lot.save(update_fields=["statut", "confirme_par", "confirme_le"])
    Evenement.objects.create(
        territoire=lot.territoire,
        utilisateur=utilisateur,
        action="masse_salariale.confirmation",
        objet=f"Lot {lot.pk} ({lot.fichier})",
        details={
            "annee": lot.annee,
            "remplaces": sorted(le.lot_id for le in current.values()),
            "avant": avant,
            "apres": lot.statut,
        },
    )
    return lot


@transaction.atomic
def do_abandonner_lot(lot: Lot, utilisateur) -> None:
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    if lot.statut != StatutLot.A_CONFIRMER:
        raise ActionRefusee(["fichier : seul un lot à confirmer peut être abandonné"])
    avant, lot.statut = lot.statut, StatutLot.ABANDONNE
    lot.save(update_fields=["statut"])
    # The lines of an abandoned batch are personal data with no further use.
    lot.lignes.all().delete()
    Evenement.objects.create(
        territoire=lot.territoire,
        utilisateur=utilisateur,
        action="masse_salariale.abandon",
        objet=f"Lot {lot.pk} ({lot.fichier})",
        details={"avant": avant, "apres": lot.statut},
    )


def _money(value) -> Decimal:
    return Decimal(str(round(float(value or 0), 2)))


def _fte(value) -> Decimal:
    return Decimal(str(round(float(value or 0), 4)))
