"""Demo of GT1: the « liste des activités par domaine » filled for every theme by Bordeaux, Mérignac,
Pessac, Talence and three more communes, with ETP taken from the current payroll where there is some
(else a plausible figure from the population) and specifics (Bordeaux and Mérignac have answered half of the
activities of the two groups still open); submitted and validated by both co-pilots
for most themes. Everything goes through the actions (gt1/actions.py, circuit/actions.py), so the
deliverables carry their versions and history. Called with the territory and the demo's users (by
login, « dgs-bordeaux » ; the tests' cast spelling « dgs_bordeaux » is accepted too). Deterministic."""

import random
from decimal import Decimal

from livrables.enums import TypeLivrable

BORDEAUX, MERIGNAC, PESSAC, TALENCE = "33063", "33281", "33318", "33522"
NOMMEES = (BORDEAUX, MERIGNAC, PESSAC, TALENCE)
AUTRES = 3  # the next most populous communes also answer
NON_VALIDES = ("ECO", "TIDP")  # still to validate: the group has not met for GT1 yet
EN_COURS = (BORDEAUX, MERIGNAC)  # whose lists of the groups above are half filled

# Who answers for each commune (demo logins), else the project team.
REPONDANTS = {BORDEAUX: "dgs-bordeaux", MERIGNAC: "dgs-merignac", PESSAC: "copilote-rh-commune", TALENCE: "membre-rh"}

SPECIFICITES = [
    "Exercée en régie par un agent à temps partagé",
    "Pic d'activité en fin d'exercice ; renfort saisonnier",
    "Logiciel métier propre à la commune, marché jusqu'en 2027",
    "Activité confiée en partie à un prestataire",
    "Agent référent proche de la retraite : transmission à organiser",
    "Procédures écrites et partagées avec le CCAS",
    "Mutualisée de fait avec le CCAS et la caisse des écoles",
    "Besoin de montée en compétence identifié",
]


def _utilisateur(users, login):
    return users.get(login) or users.get(login.replace("-", "_"))


def _etp_paie(territoire) -> dict[tuple[str, str], Decimal]:
    """{(employer code, activity code): ETP} of the current payroll."""
    import polars as pl

    from masse_salariale.lecture import paie_courante

    paie = paie_courante(territoire)
    if paie.vide or paie.agregats.is_empty():
        return {}
    frame = (
        paie.agregats.filter(pl.col("activite").is_not_null() & (pl.col("activite") != ""))
        .group_by("employeur", "activite")
        .agg(pl.col("etp_ligne").sum())
    )
    return {(e, a): Decimal(str(round(v, 2))) for e, a, v in frame.iter_rows() if v is not None}


def communes_repondantes(territoire) -> list:
    communes = list(territoire.organisations.communes().filter(membre=True))
    nommees = [c for c in communes if c.code in NOMMEES]
    autres = sorted((c for c in communes if c.code not in NOMMEES), key=lambda c: (-(c.population or 0), c.code))
    return nommees + autres[:AUTRES]


def charger(territoire, users: dict) -> dict:
    """Load the GT1 demo; returns {theme: deliverable}."""
    from livrables.actions import livrable_de
    from livrables.circuit import actions as circuit
    from livrables.gt1.actions import do_enregistrer_inventaire

    equipe = _utilisateur(users, "equipe-projet")
    paie = _etp_paie(territoire)
    communes = communes_repondantes(territoire)
    schema = territoire.schemas.order_by("-mandat").first()
    groupes = list(schema.groupes.avec_participants())
    activites = {}
    for a in territoire.activites.prefetch_related("sous_activites").order_by("ordre", "code"):
        activites.setdefault(a.theme, []).append(a)
    livrables = {}
    for groupe in groupes:
        livrable = livrable_de(groupe, TypeLivrable.INVENTAIRE)
        livrables[groupe.theme] = livrable
        for commune in communes:
            hasard = random.Random(f"{groupe.theme}-{commune.code}")
            auteur = _utilisateur(users, REPONDANTS.get(commune.code, "")) or equipe
            valeurs, etp_paie = {}, {}
            du_theme = activites.get(groupe.theme, [])
            for rang, activite in enumerate(du_theme):
                if groupe.theme in NON_VALIDES and commune.code in EN_COURS and rang >= len(du_theme) // 2:
                    continue  # these lists are half filled: the DGS still have answers to give
                etp = paie.get((commune.code, activite.code))
                if etp is not None:
                    etp_paie[activite.pk] = etp
                exerce = etp is not None or hasard.random() < 0.75
                if exerce and etp is None:
                    base = (commune.population or 10000) / 60000
                    etp = Decimal(str(round(max(0.2, base * hasard.uniform(0.3, 1.5)), 1)))
                sous = [s.libelle for s in activite.sous_activites.all() if hasard.random() < 0.6] if exerce else []
                valeurs[activite.pk] = {
                    "exerce": exerce,
                    "etp": etp if exerce else None,
                    "sous_activites": "\n".join(sous),
                    "specificites": hasard.choice(SPECIFICITES) if exerce and hasard.random() < 0.4 else "",
                }
            do_enregistrer_inventaire(livrable, commune, auteur, valeurs, etp_paie)
        copilotes = livrable.copilotes()
        if groupe.theme in NON_VALIDES or not all(copilotes.get(r) for r in ("copilote_commune", "copilote_epci")):
            continue
        circuit.do_soumettre(livrable, equipe)
        circuit.do_viser(livrable, copilotes["copilote_commune"][0])
        circuit.do_viser(livrable, copilotes["copilote_epci"][0])
    return livrables
