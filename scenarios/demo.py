"""Demo of decision support: more GT3 lines with a consensus (SI, BML, CPAJ) so that the priority matrix
and the optimiser have material, and two scenarios of the project team: the cycle 1 built from the GT3
lines, and a more ambitious variant with hand-made actions. Both are built as on the pages, so that their
origin is the one the pages store (« à partir des lignes GT3 », « et à la main » for the variant).
Called after the deliverables' demo."""

from livrables.gt3 import actions as lignes_gt3

# theme: [(activity code, pourquoi, modalité, "toutes" or commune codes, qualification, faisabilité)]
LIGNES = {
    "SI": [
        (
            "SI-INFR",
            "Des infrastructures (serveurs, réseaux, sauvegardes) dupliquées dans chaque commune.",
            "service_commun",
            "toutes",
            4,
            "3",
        ),
        (
            "SI-POST",
            "Un support aux utilisateurs mutualisé couvrirait les horaires élargis.",
            "service_commun",
            ["33063", "33281", "33318", "33522"],
            3,
            "4",
        ),
    ],
    "BML": [
        (
            "BML-PARC",
            "Des flottes de véhicules sous-utilisées ; un pool partagé et un atelier commun.",
            "mad_ascendante",
            ["33063", "33318"],
            2,
            "2",
        )
    ],
    "CPAJ": [
        (
            "CPAJ-PASS",
            "Des procédures de marchés identiques ; l'expertise juridique est rare.",
            "service_commun",
            "toutes",
            3,
            "4+",
        ),
        ("CPAJ-ASSU", "Des contrats d'assurance à renégocier ensemble.", "groupement_commandes", "toutes", 3, "4"),
    ],
}


def charger(territoire, users: dict) -> None:
    from scenarios import actions, calcul

    equipe = users["equipe-projet"]
    schema = territoire.schemas.order_by("-mandat").first()
    groupes = {g.theme: g for g in schema.groupes.all()}
    communes = {o.code: o for o in territoire.organisations.communes()}
    for theme, rows in LIGNES.items():
        for code, pourquoi, modalite, concernees, qualification, faisabilite in rows:
            activite = territoire.activites.filter(code=code).first()
            if activite is None:
                continue
            ligne = lignes_gt3.do_creer_ligne(
                groupes[theme],
                equipe,
                {
                    "activite": activite,
                    "pourquoi": pourquoi,
                    "modalite": modalite,
                    "toutes_communes": concernees == "toutes",
                    "communes": [] if concernees == "toutes" else [communes[c] for c in concernees if c in communes],
                },
            )
            lignes_gt3.do_consensus(ligne, equipe, qualification, faisabilite)

    from livrables.models import LigneMutualisable

    ctx = calcul.contexte(territoire)
    gt3 = {
        (l.livrable.groupe.theme, l.activite.code): l
        for l in LigneMutualisable.objects.filter(livrable__groupe__schema=schema)
        .select_related("livrable__groupe", "activite")
        .prefetch_related("communes")
    }

    def depuis(theme, code, annee, gain):
        l = gt3.get((theme, code))
        return None if l is None else actions.depuis_gt3(l, annee, gain=gain)

    cycle1 = actions.do_creer(
        schema,
        equipe,
        "Cycle 1 : paie, comptabilité, marchés",
        description="Les préconisations GT3 les plus avancées, en deux temps (2027 et 2028).",
    )
    actions.do_ajouter_actions(
        ctx,
        cycle1,
        equipe,
        [
            a
            for a in (
                depuis("RH", "RH-PAIE", 2027, 0.05),
                depuis("FIN", "FIN-COMP", 2028, 0.05),
                depuis("CPAJ", "CPAJ-PASS", 2027, 0.03),
            )
            if a is not None
        ],
    )

    ambitieux = actions.do_dupliquer(cycle1, equipe, "Cycle 1 élargi au numérique")
    ambitieux.description = "Le cycle 1, plus un service commun du numérique en 2029 et un groupement d'assurances."
    ambitieux.partage_gains = 0.5
    ambitieux.save(update_fields=["description", "partage_gains"])
    actions.do_ajouter_actions(
        ctx,
        ambitieux,
        equipe,
        [
            a
            for a in (
                depuis("SI", "SI-INFR", 2029, 0.08),
                (
                    {
                        "theme": "CPAJ",
                        "activite": "CPAJ-ASSU",
                        "toutes": True,
                        "modalite": "groupement_commandes",
                        "part": 1,
                        "gain": 0,
                        "annee": 2027,
                        "economie": 180000,
                    },
                    [],
                    "ASSU",
                ),
            )
            if a is not None
        ],
    )
