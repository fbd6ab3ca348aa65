"""The demo's approved schéma being followed (docs/suivi.md): the CA du Bassin d'Arcachon Nord (COBAN, 8
communes, from the official files), which drew up its 2026-2032 schéma early in the mandate. Its payroll of
2025 (synthetic, masse_salariale/generateur.py), a version sent to the communes in February 2026 and
approved in June once their opinions were deemed favourable; then a payroll of 2026 derived from 2025
(+2 %) with the moves the schéma planned for 2026 that actually happened: the RH staff of Andernos-les-Bains
and Biganos transferred to the EPCI (Mios's not yet), the finance staff of Arès and Lanton made available
to it. Items at every state, the year's record, and the 2027 report to present in six weeks: its project
team (`equipe-projet-coban`) finds it waiting at home. Bordeaux Métropole's demo, at the working groups'
stage, is left as it is."""

import datetime as dt
import io
from decimal import Decimal

import polars as pl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

SIREN = "243301504"
LOGIN = "equipe-projet-coban"
QUI = "l'équipe projet de la COBAN : suit son schéma approuvé"
SEED = 77
ANDERNOS, ARES, BIGANOS, LANTON, MIOS, MARCHEPRIME = "33005", "33011", "33051", "33229", "33284", "33555"


def _csv(frame: pl.DataFrame) -> bytes:
    from masse_salariale.generateur import write_payroll_csv

    buffer = io.BytesIO()
    write_payroll_csv(frame, buffer)
    return buffer.getvalue()


def annee_suivante(frame: pl.DataFrame, epci: str, transferts, mises_a_disposition, hausse: float = 0.02):
    """The next year's payroll: every cost raised by `hausse`; the own lines of each (commune, theme) of
    `transferts` now the EPCI's (transferred agents, new matricules); those of `mises_a_disposition` made
    available to the EPCI."""
    f = frame.with_columns((pl.col("cout_annuel") * (1 + hausse)).round(0))
    for commune, theme in transferts:
        visees = (pl.col("employeur") == commune) & (pl.col("theme") == theme) & (pl.col("situation") == "propre")
        f = f.with_columns(
            pl.when(visees).then(pl.lit(epci)).otherwise(pl.col("employeur")).alias("employeur"),
            pl.when(visees).then(pl.lit("transfere")).otherwise(pl.col("situation")).alias("situation"),
            pl.when(visees).then(pl.lit(f"T{commune}-") + pl.col("agent")).otherwise(pl.col("agent")).alias("agent"),
        )
    for commune, theme in mises_a_disposition:
        visees = (pl.col("employeur") == commune) & (pl.col("theme") == theme) & (pl.col("situation") == "propre")
        f = f.with_columns(
            pl.when(visees).then(pl.lit("mad")).otherwise(pl.col("situation")).alias("situation"),
            pl.when(visees).then(pl.lit(epci)).otherwise(pl.col("beneficiaire")).alias("beneficiaire"),
        )
    return f


def charger_suivi(mot_de_passe_chiffre: str) -> None:
    from comptes.enums import Role
    from comptes.models import Habilitation, Utilisateur
    from masse_salariale.generateur import generate_payroll
    from mutualis.installation import do_installer_territoire
    from suivi import actions as suivi
    from suivi import elements
    from territoire.actions import description_officielle

    territoire, _, _ = do_installer_territoire(description_officielle(SIREN))
    schema = territoire.schemas.get()
    orgs = {o.code: o for o in territoire.organisations.all()}
    epci = orgs[SIREN]
    equipe = Utilisateur.objects.create(
        username=LOGIN,
        password=mot_de_passe_chiffre,
        first_name="Léa",
        last_name="Marchand",
        email=f"{LOGIN}@demo.mutualis.localhost",
        organisation=epci,
    )
    Habilitation.objects.create(utilisateur=equipe, territoire=territoire, role=Role.EQUIPE_PROJET, organisation=epci)

    communes = [o for o in territoire.organisations.all() if not o.est_epci]
    paie_2025 = generate_payroll(
        (epci.code, epci.nom, epci.population), [(c.code, c.nom, c.population) for c in communes], seed=SEED
    )
    paie_2026 = annee_suivante(
        paie_2025,
        SIREN,
        transferts=[(ANDERNOS, "RH"), (BIGANOS, "RH")],
        mises_a_disposition=[(ARES, "FIN"), (LANTON, "FIN")],
    )
    importer(territoire, paie_2025, 2025, equipe)
    version = _approuver(schema, orgs, equipe, territoire)  # frozen on 2025, the only year then
    importer(territoire, paie_2026, 2026, equipe)

    _placer_calendrier(schema)
    aujourdhui = timezone.localdate()
    items = {e.identifiant: e for e in elements.synchroniser(schema, version)}

    def maj(ident, statut, progression=None, motif="", jalons=None):
        suivi.do_modifier_element(
            items[ident],
            {
                "statut": statut,
                "motif": motif,
                "annee_reportee": None,
                "progression": progression,
                "responsable": equipe,
                "aujourdhui": aujourdhui,
            },
            jalons or {},
            equipe,
        )

    maj("A1", "en_cours", 70, jalons={"cst": dt.date(2026, 9, 15), "convention": dt.date(2026, 10, 1)})
    maj("A3", "realisee", jalons={"agents": dt.date(2026, 9, 1), "service": dt.date(2026, 10, 1)})
    maj("A4", "en_cours")
    maj(
        "A5",
        "abandonnee",
        motif="Marcheprime garde son service : l'entretien des bâtiments y est assuré par les services techniques",
    )
    suivi.do_ajouter_convention(
        items["A1"],
        {
            "genre": "service_commun",
            "objet": "Service commun des ressources humaines",
            "signee_le": dt.date(2026, 10, 1),
            "debut": dt.date(2026, 10, 1),
            "fin": None,
            "aujourdhui": aujourdhui,
        },
        [epci, orgs[ANDERNOS], orgs[BIGANOS], orgs[MIOS]],
        None,
        equipe,
    )
    suivi.do_enregistrer_bilan(
        schema,
        2026,
        {
            "remboursements": None,
            "ac_votee": Decimal("210000"),
            "surcouts": Decimal("38000"),
            "couts_evites": None,
            "commentaire": "Harmonisation des régimes indemnitaires des agents transférés (surcoût constaté).",
        },
        equipe,
    )
    seance = aujourdhui + dt.timedelta(days=45)
    suivi.do_creer_rapport(schema, seance.year, "dob", seance, equipe)


CALENDRIER = {
    "groupes": ((2025, 10, 1), (2025, 12, 19)),
    "comite": ((2026, 1, 6), (2026, 1, 16)),
    "bureau": ((2026, 1, 19), (2026, 1, 30)),
    "consultation": ((2026, 2, 2), (2026, 5, 4)),
    "approbation": ((2026, 5, 5), (2026, 6, 18)),
    "suivi": ((2026, 6, 19), (2032, 12, 31)),
}


def _placer_calendrier(schema) -> None:
    """The phases as they went: groups in the autumn of 2025, approval in June 2026, follow-up since."""
    from territoire.calendrier import calendrier

    for etape in calendrier(schema):
        debut, fin = CALENDRIER[etape.phase]
        etape.debut, etape.fin = dt.date(*debut), dt.date(*fin)
        etape.save(update_fields=["debut", "fin"])


def _accuse_de_reception() -> bytes:
    """A one-page PDF standing for the electronic receipts of the projet (3 February 2026)."""
    from weasyprint import HTML

    return HTML(
        string="<p>Accusé de réception électronique du projet de schéma de mutualisation, le 3 février 2026.</p>"
    ).write_pdf()


def importer(territoire, frame: pl.DataFrame, annee: int, user) -> None:
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot

    lot = do_preparer_lot(territoire, _csv(frame), f"masse_salariale_{annee}_coban.csv", annee, user)
    do_confirmer_lot(lot, user)


def _approuver(schema, orgs, equipe, territoire):
    """The 2026-2032 schéma on the 2025 payroll, sent in February 2026, approved on 18 June 2026."""
    from parcours.actions import do_approuver, do_enregistrer_reception, do_envoyer_projet, do_figer_version
    from scenarios import calcul
    from scenarios.actions import do_ajouter_actions, do_creer

    scenario = do_creer(schema, equipe, "Schéma de mutualisation 2026-2032")

    def action(theme, modalite, annee, communes, toutes=False, economie=0):
        valeurs = {
            "theme": theme,
            "activite": "",
            "modalite": modalite,
            "part": Decimal("1"),
            "gain": Decimal("0.05") if modalite in ("service_commun", "transfert") else Decimal("0"),
            "annee": annee,
            "toutes": toutes,
        }
        if economie:
            valeurs["economie"] = Decimal(economie)
        return valeurs, [orgs[c] for c in communes], None

    do_ajouter_actions(
        calcul.contexte(territoire),
        scenario,
        equipe,
        [
            action("RH", "service_commun", 2026, (ANDERNOS, BIGANOS, MIOS)),
            action("SI", "service_commun", 2027, (), toutes=True),
            action("FIN", "mad_ascendante", 2026, (ARES, LANTON)),
            action("CPAJ", "groupement_commandes", 2026, (), toutes=True, economie=25000),
            action("BML", "service_commun", 2026, (MARCHEPRIME,)),
        ],
    )
    version = do_figer_version(schema, scenario, "projet", equipe, "Projet transmis aux conseils municipaux.")
    communes = [o for o in orgs.values() if not o.est_epci]
    accuse = _accuse_de_reception()
    for envoi in do_envoyer_projet(version, communes, dt.date(2026, 2, 2), "courriel", equipe, dt.date(2026, 2, 2)):
        preuve = SimpleUploadedFile("accuse-reception.pdf", accuse, content_type="application/pdf")
        do_enregistrer_reception(envoi, dt.date(2026, 2, 3), preuve, equipe, dt.date(2026, 2, 3))
    do_approuver(
        version,
        {
            "date": dt.date(2026, 6, 18),
            "numero": "2026-071",
            "objet": "Approbation du schéma de mutualisation des services 2026-2032",
            "effectif": 51,
            "presents": 46,
            "pour": 41,
            "contre": 2,
            "abstention": 3,
        },
        equipe,
        dt.date(2026, 6, 18),
    )
    version.refresh_from_db()
    return version
