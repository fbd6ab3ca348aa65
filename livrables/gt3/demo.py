"""Demo of GT3: the list of poolable activities started for the RH and FIN groups, with a few lines scored
by each co-pilot and the consultant and a consensus recorded on some. Not wired into mutualis/demo.py:
call `charger(territoire, users)` after the shared space's demo (`users`: demo accounts by login)."""

from livrables.gt3 import actions

# theme: [(activity code, sous-activités, pourquoi, modalité, "toutes" or commune codes, préconisation,
#          scores {co-pilote commune, co-pilote EPCI, consultant}: (qualification, faisabilité), consensus or None)]
LIGNES = {
    "RH": [
        (
            "RH-PAIE",
            "Paie, déclarations sociales, dossiers de carrière",
            "Procédures identiques d'une commune à l'autre, logiciels à renouveler, agents isolés dans les petites "
            "communes : un service commun sécurise la paie et libère du temps de gestion.",
            "service_commun",
            "toutes",
            "Créer un service commun de la paie porté par la Métropole, en cycle 1, hors missions réservées au "
            "centre de gestion pour les communes affiliées.",
            ((4, "3"), (4, "4"), (4, "3")),
            (4, "3"),
        ),
        (
            "RH-FORM",
            "Plan de formation, inscriptions, formations d'intégration",
            "Des besoins de formation communs (prévention, management) : des sessions partagées coûtent moins cher.",
            "groupement_commandes",
            ["33063", "33281", "33318"],
            "Un groupement de commandes pour les formations hors CNFPT, coordonné par la Métropole.",
            ((2, "4"), (3, "4+"), (2, "4")),
            None,
        ),
        (
            "RH-RECR",
            "Jurys, fiches de poste, marque employeur",
            "Les communes recrutent les mêmes profils rares : une bourse de l'emploi partagée éviterait la "
            "concurrence.",
            "prestation",
            "toutes",
            "",
            (None, (3, "2"), None),
            None,
        ),
    ],
    "FIN": [
        (
            "FIN-COMP",
            "Mandatement, titres, suivi des régies",
            "Une chaîne comptable dématérialisée commune réduirait les délais de paiement et les doublons de saisie.",
            "service_commun",
            ["33063", "33281"],
            "Service commun de la comptabilité pour les communes volontaires, après harmonisation des nomenclatures.",
            ((3, "2"), (4, "2"), (3, "1")),
            (3, "2"),
        ),
        (
            "FIN-BUDG",
            "Préparation budgétaire, prospective",
            "Chaque commune garde la maîtrise de son budget ; l'expertise en prospective peut être partagée.",
            "prestation",
            "toutes",
            "Une prestation de prospective financière proposée par la Métropole aux communes qui le demandent.",
            ((2, "3"), (2, "2"), None),
            None,
        ),
    ],
}
ROLES = ("copilote_commune", "copilote_epci", "consultant")


def charger(territoire, users: dict) -> None:
    from comptes.enums import Role

    equipe = users["equipe-projet"]
    consultant = users.get("consultant")
    groupes = {g.theme: g for g in territoire.schemas.order_by("-mandat").first().groupes.all()}
    communes = {o.code: o for o in territoire.organisations.communes()}
    for theme, lignes in LIGNES.items():
        groupe = groupes[theme]
        notants = {
            "copilote_commune": next(iter(groupe.participants(Role.COPILOTE_COMMUNE)), None),
            "copilote_epci": next(iter(groupe.participants(Role.COPILOTE_EPCI)), None),
            "consultant": next(iter(groupe.participants(Role.CONSULTANT)), None) or consultant,
        }
        for code, sous, pourquoi, modalite, concernees, precon, notes, consensus in lignes:
            activite = territoire.activites.filter(code=code).first()
            if activite is None:
                continue
            choisies = [] if concernees == "toutes" else [communes[c] for c in concernees if c in communes]
            ligne = actions.do_creer_ligne(
                groupe,
                equipe,
                {
                    "activite": activite,
                    "sous_activites": sous,
                    "pourquoi": pourquoi,
                    "modalite": modalite,
                    "toutes_communes": concernees == "toutes",
                    "communes": choisies,
                    "preconisation": precon,
                },
            )
            for role, note in zip(ROLES, notes, strict=True):
                qui = notants[role]
                if note is not None and qui is not None:
                    actions.do_noter(ligne, qui, role, *note)
            if consensus is not None:
                actions.do_consensus(ligne, notants["copilote_epci"] or equipe, *consensus)
