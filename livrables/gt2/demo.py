"""Demo of GT2: the AFOR grids in progress for four themes, with items from several communes and the
EPCI, one merge and one rewording by the group. Everything goes through livrables/gt2/actions.py, so the
deliverables carry their versions and history. Called with the territory and the demo's users (by
login, « dgs-bordeaux » ; the tests' cast spelling « dgs_bordeaux » is accepted too)."""

from livrables.enums import Quadrant

A, F, O, R = Quadrant.AVANTAGE, Quadrant.FAIBLESSE, Quadrant.OPPORTUNITE, Quadrant.RISQUE
EPCI = "EPCI"
BORDEAUX, MERIGNAC, PESSAC, TALENCE = "33063", "33281", "33318", "33522"

# theme -> [(activity code, quadrant, organisation, text)]
ELEMENTS = {
    "RH": [
        ("RH-PAIE", A, PESSAC, "Expertise partagée sur la paie et la réglementation statutaire"),
        ("RH-PAIE", A, MERIGNAC, "Expertise des gestionnaires sur la paie et la réglementation"),
        ("RH-PAIE", A, EPCI, "Un service RH de l'EPCI déjà dimensionné pour 3 000 agents"),
        ("RH-PAIE", F, BORDEAUX, "Logiciels de paie différents d'une commune à l'autre"),
        ("RH-PAIE", F, TALENCE, "Calendriers de paie et dates de versement différents"),
        ("RH-PAIE", F, MERIGNAC, "Régimes indemnitaires (RIFSEEP) hétérogènes"),
        ("RH-PAIE", O, EPCI, "Renouvellement du marché SIRH en 2027"),
        ("RH-PAIE", O, PESSAC, "Déclaration sociale nominative commune à tous les employeurs"),
        ("RH-PAIE", R, BORDEAUX, "Inquiétude des agents sur leur lieu de travail"),
        ("RH-PAIE", R, TALENCE, "Perte de proximité entre les agents et leur gestionnaire de paie"),
        ("RH-FORM", A, EPCI, "Plan de formation mutualisé déjà proposé aux petites communes"),
        ("RH-FORM", F, PESSAC, "Départs en formation difficiles à remplacer dans les petites équipes"),
        ("RH-FORM", O, MERIGNAC, "Sessions intra du CNFPT ouvertes à plusieurs collectivités"),
        ("RH-FORM", R, BORDEAUX, "Formations trop éloignées pour les agents des communes périphériques"),
        ("RH-RECR", F, TALENCE, "Concurrence entre communes pour recruter les mêmes profils"),
        ("RH-RECR", O, EPCI, "Marque employeur commune au territoire"),
    ],
    "FIN": [
        ("FIN-COMP", A, BORDEAUX, "Chaîne comptable dématérialisée de bout en bout"),
        ("FIN-COMP", F, TALENCE, "Délais de paiement au-delà de 30 jours dans plusieurs communes"),
        ("FIN-COMP", O, EPCI, "Passage au compte financier unique en 2026"),
        ("FIN-COMP", R, MERIGNAC, "Perte de la connaissance fine des fournisseurs locaux"),
        ("FIN-PROS", A, EPCI, "Outil de prospective financière déjà utilisé par l'EPCI"),
        ("FIN-PROS", F, PESSAC, "Peu de temps consacré à l'analyse financière dans les petites communes"),
        ("FIN-PROS", O, BORDEAUX, "Pacte financier et fiscal en préparation"),
    ],
    "SI": [
        ("SI-INFR", A, EPCI, "Centre de données de l'EPCI avec de la capacité disponible"),
        ("SI-INFR", F, MERIGNAC, "Parcs de serveurs vieillissants dans plusieurs communes"),
        ("SI-INFR", O, BORDEAUX, "Fibre optique du réseau d'initiative publique reliant les mairies"),
        ("SI-SECU", F, TALENCE, "Pas de responsable de la sécurité des systèmes d'information"),
        ("SI-SECU", R, PESSAC, "Cyberattaque paralysant plusieurs communes à la fois"),
        ("SI-SECU", O, EPCI, "Financement du parcours de cybersécurité de l'ANSSI"),
    ],
    "CPAJ": [
        ("CPAJ-PASS", A, BORDEAUX, "Acheteurs expérimentés et procédures formalisées"),
        ("CPAJ-PASS", F, PESSAC, "Nomenclatures d'achat différentes d'une commune à l'autre"),
        ("CPAJ-PASS", O, EPCI, "Groupements de commandes pour les fournitures et l'énergie"),
        ("CPAJ-PASS", R, MERIGNAC, "Allongement des délais de passation pour les petits achats"),
    ],
}

# Who speaks for each organisation (demo logins), else the project team.
AUTEURS = {
    EPCI: "dgs-metropole",
    BORDEAUX: "dgs-bordeaux",
    MERIGNAC: "dgs-merignac",
    PESSAC: "copilote-rh-commune",
    TALENCE: "membre-rh",
}


def _utilisateur(users, login):
    return users.get(login) or users.get(login.replace("-", "_"))


def charger(territoire, users: dict) -> dict:
    """Load the GT2 demo; returns {theme: deliverable}."""
    from livrables.gt2.actions import (
        do_ajouter_element,
        do_fusionner_elements,
        do_reformuler_element,
        livrable_afor,
    )

    equipe = _utilisateur(users, "equipe-projet")
    copilote = _utilisateur(users, "copilote-rh-epci") or equipe
    orgs = {o.code: o for o in territoire.organisations.all()}
    orgs[EPCI] = orgs[territoire.code]
    activites = {a.code: a for a in territoire.activites.all()}
    groupes = {g.theme: g for g in territoire.schemas.order_by("-mandat").first().groupes.all()}
    livrables, ajoutes = {}, {}
    for theme, elements in ELEMENTS.items():
        livrable = livrable_afor(groupes[theme])
        livrables[theme] = livrable
        for code, quadrant, org, texte in elements:
            if code not in activites or org not in orgs:
                continue  # a territory whose referential or communes differ
            auteur = _utilisateur(users, AUTEURS[org]) or equipe
            ajoutes[texte] = do_ajouter_element(livrable, auteur, activites[code], quadrant, texte, orgs[org])

    # The group's consolidation under way: two items merged in RH, one reworded in FIN.
    a, b = ajoutes.get(ELEMENTS["RH"][0][3]), ajoutes.get(ELEMENTS["RH"][1][3])
    if a and b:
        do_fusionner_elements(
            livrables["RH"], copilote, [a, b], None, "Expertise partagée sur la paie et la réglementation"
        )
    c = ajoutes.get(ELEMENTS["FIN"][1][3])
    if c:
        do_reformuler_element(
            livrables["FIN"], equipe, c, "Délais de paiement supérieurs à 30 jours dans plusieurs communes"
        )
    # The RH grid submitted by the EPCI's co-pilot, who has validated it: the commune's visa is awaited.
    if a and b and copilote is not equipe:
        from livrables.circuit.actions import do_soumettre, do_viser

        do_soumettre(livrables["RH"], copilote)
        do_viser(livrables["RH"], copilote)
    return livrables
