"""Rows of the legal path: every member reads its pages; the project team freezes versions, sends the
projet, approves, records sittings and edits the calendar; a commune's DGS records her own council's
receipt and deliberation (docs/permissions.md, « Démarche »)."""

from tests.permissions.commun import members, team_only

MATRIX = {
    ("parcours:cockpit", "get"): members(200),
    ("parcours:cockpit", "post"): team_only(400),
    ("parcours:versions", "get"): members(200),
    ("parcours:versions", "post"): team_only(400),
    ("parcours:version", "get"): members(200),
    ("parcours:comparer", "get"): members(200),
    ("parcours:consultation", "get"): members(200),
    ("parcours:consultation", "post"): team_only(400),
    ("parcours:commune", "get"): members(200),
    ("parcours:commune", "post"): members(403, equipe_projet=400, dgs_merignac=400),
    ("parcours:approbation", "get"): members(200),
    ("parcours:approbation", "post"): team_only(400),
    ("parcours:piece", "get"): members(200),
    ("parcours:donnees_ouvertes", "get"): members(200),
    ("parcours:donnees_ouvertes", "post"): team_only(302),
    ("parcours:scdl", "get"): members(200),
    ("parcours:mon_calendrier", "get"): members(200),
    ("parcours:mon_calendrier", "post"): members(302),
    ("parcours:synthese", "get"): members(200),
    ("parcours:synthese_document", "get"): members(200),
    ("parcours:synthese", "post"): members(403, equipe_projet=400, copilote_rh_commune=400, copilote_rh_epci=400),
    ("parcours:comite", "get"): members(200),
    ("parcours:comite", "post"): team_only(400),
    ("parcours:seance_comite", "get"): members(200),
    ("parcours:seance_comite", "post"): team_only(400),
    ("parcours:ics_seance", "get"): members(200),
    ("parcours:releve", "get"): members(200),
}


def cas(cast, territoire) -> dict[str, dict]:
    """A version frozen and sent, Mérignac's receipt recorded with its proof."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot
    from parcours.actions import do_enregistrer_reception, do_envoyer_projet, do_figer_version
    from scenarios import actions, calcul
    from tests.cast import payroll_csv, payroll_rows_small

    equipe = cast["equipe_projet"]
    lot = do_preparer_lot(territoire, payroll_csv(*payroll_rows_small()), "paie.csv", 2025, equipe)
    do_confirmer_lot(lot, equipe)
    schema = territoire.schemas.get()
    scenario = actions.do_creer(schema, equipe, "Paie (démarche)")
    bordeaux = territoire.organisations.get(code="33063")
    valeurs = {
        "theme": "RH",
        "activite": "RH-PAIE",
        "toutes": False,
        "modalite": "service_commun",
        "part": 1,
        "gain": 0,
        "annee": 2027,
    }
    actions.do_ajouter_actions(calcul.contexte(territoire), scenario, equipe, [(valeurs, [bordeaux], None)])
    version = do_figer_version(schema, scenario, "projet", equipe)
    jour = dt.date(2026, 12, 1)
    [envoi, *_] = do_envoyer_projet(
        version, list(territoire.organisations.communes().filter(code="33281")), jour, "courriel", equipe, jour
    )
    do_enregistrer_reception(envoi, jour, SimpleUploadedFile("ar.pdf", b"%PDF-1.4 x"), equipe, jour)
    from django.utils import timezone

    from parcours import comite

    seance = comite.do_creer_seance(comite.comite(schema, "copil"), timezone.now(), "", equipe)
    return {
        "parcours:comite": {"instance": "copil"},
        "parcours:synthese": {"theme": "RH"},
        "parcours:synthese_document": {"theme": "RH", "format": "odt"},
        "parcours:seance_comite": {"instance": "copil", "pk": seance.pk},
        "parcours:ics_seance": {"instance": "copil", "pk": seance.pk},
        "parcours:releve": {"instance": "copil", "pk": seance.pk, "format": "pdf"},
        "parcours:version": {"numero": version.numero},
        "parcours:commune": {"commune": "33281"},
        "parcours:piece": {"sorte": "reception", "pk": envoi.pk},
        "parcours:scdl": {"organisation": "33281"},
    }
