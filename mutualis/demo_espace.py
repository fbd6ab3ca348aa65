"""The demo's shared space: the nine groups with their co-pilots and consultant, meetings held and
planned, minutes at every state of the workflow, mandate letters. Dates are relative to the loading
day, so that a newcomer always sees a process under way (GT1 held, GT2 in progress, GT3 ahead)."""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from comptes.enums import Role
from comptes.models import Habilitation, Utilisateur

# theme -> (commune co-pilot: code, first name, last name; EPCI co-pilot: first name, last name)
COPILOTES = {
    "FIN": (("33281", "Isabelle", "Fontaine"), ("Olivier", "Garnier")),
    "CPAJ": (("33522", "Claire", "Chevalier"), ("Thomas", "Lambert")),
    "SI": (("33069", "Nicolas", "Faure"), ("Émilie", "Rousseau")),
    "BML": (("33192", "Laurent", "Blanc"), ("Céline", "Guerin")),
    "AOS": (("33162", "Sandrine", "Muller"), ("Pierre", "Henry")),
    "GDP": (("33039", "François", "Roussel"), ("Valérie", "Nicolas")),
    "ECO": (("33119", "Caroline", "Perrin"), ("David", "Morin")),
    "TIDP": (("33249", "Stéphane", "Mathieu"), ("Aurélie", "Clement")),
}
SECOND_CONSULTANT = ("Léa", "Marchand")
LIEU = "Hôtel de Bordeaux Métropole, esplanade Charles-de-Gaulle, salle 3.12"
VISIO = "https://visio.bordeaux-metropole.example/gt"


def _personne(territoire, first, last, org, role, groupe=None):
    """A person of the demo who does not log in (no usable password): she appears in the groups."""
    login = f"{first}.{last}".lower().replace("é", "e").replace("è", "e").replace("ç", "c").replace(" ", "-")
    user = Utilisateur.objects.create(
        username=login,
        password=make_password(None),
        first_name=first,
        last_name=last,
        email=f"{login}@demo.mutualis.localhost",
        organisation=org,
    )
    Habilitation.objects.create(utilisateur=user, territoire=territoire, role=role, organisation=org, groupe=groupe)
    return user


def _jour(now, jours, heure=9, minute=30):
    local = timezone.localtime(now) + dt.timedelta(days=jours)
    return local.replace(hour=heure, minute=minute, second=0, microsecond=0)


def charger_espace(territoire, users: dict) -> None:
    from documents.actions import do_changer_statut, do_generer_lettres
    from groupes.actions import do_ajouter_membre, do_creer_sous_groupe, do_modifier_perimetre
    from seances.actions import (
        do_ecrire_compte_rendu,
        do_enregistrer_presences,
        do_envoyer_invitations,
        do_planifier_seance,
        do_renvoyer_compte_rendu,
        do_soumettre_compte_rendu,
        do_valider_compte_rendu,
        trames_du_schema,
    )
    from seances.enums import Presence
    from seances.models import Seance

    equipe = users["equipe-projet"]
    schema = territoire.schemas.get()
    orgs = {o.code: o for o in territoire.organisations.all()}
    epci = orgs[territoire.code]
    groupes = {g.theme: g for g in schema.groupes.all()}
    consultant2 = _personne(territoire, *SECOND_CONSULTANT, None, Role.CONSULTANT)

    tandems = {"RH": (users["copilote-rh-commune"], users["copilote-rh-epci"])}
    for theme, ((code, f1, l1), (f2, l2)) in COPILOTES.items():
        groupe = groupes[theme]
        tandems[theme] = (
            _personne(territoire, f1, l1, orgs[code], Role.COPILOTE_COMMUNE, groupe),
            _personne(territoire, f2, l2, epci, Role.COPILOTE_EPCI, groupe),
        )
    for i, (theme, groupe) in enumerate(groupes.items()):
        consultant = users["consultant"] if i < 5 else consultant2
        Habilitation.objects.create(utilisateur=consultant, territoire=territoire, role=Role.CONSULTANT, groupe=groupe)
        activites = list(territoire.activites.filter(theme=theme).values_list("libelle", flat=True)[:6])
        do_modifier_perimetre(groupe, "Activités étudiées : " + " ; ".join(activites) + ".", equipe)

    # The RH group has members and a sub-group on payroll.
    rh = groupes["RH"]
    for login in ("dgs-bordeaux", "dgs-merignac"):
        do_ajouter_membre(rh, users[login], equipe)
    do_creer_sous_groupe(
        rh,
        nom="Paie et carrières",
        description="Gestion de la paie et des carrières, SIRH.",
        membres=[users["copilote-rh-commune"], users["dgs-merignac"]],
        auteur=equipe,
    )

    now = timezone.now()
    from parcours.demo import placer_calendrier

    placer_calendrier(territoire.schemas.get(), timezone.localdate(now))
    textes = {
        "GT1": (
            "Tour de table des communes présentes. Présentation de la feuille de route et des enjeux du "
            "schéma 2026-2032. Revue de la liste de référence des activités du thème : chaque commune "
            "indique les activités qu'elle exerce et ses spécificités.",
            "Chaque commune complète sa liste des activités avant la séance GT2.",
        ),
        "GT2": (
            "Analyse activité par activité : avantages et faiblesses (internes), opportunités et risques "
            "(externes). Les contributions des communes sont consolidées dans la grille AFOR.",
            "Les co-pilotes consolident la grille AFOR ; le consultant prépare la séance GT3.",
        ),
    }
    trames = trames_du_schema(schema)  # each meeting starts from its stage's agenda, as in the form
    for i, (theme, groupe) in enumerate(groupes.items()):
        commune_cp, epci_cp = tandems[theme]
        plan = [("GT1", -42 + i, True), ("GT2", -10 + i if i < 5 else 4 + i, i < 5), ("GT3", 21 + 2 * i, False)]
        for etape, jours, passee in plan:
            debut = _jour(now, jours, 9 if i % 2 else 14)
            seance = do_planifier_seance(
                groupe,
                equipe,
                {
                    "etape": etape,
                    "titre": "",
                    "debut": debut,
                    "fin": debut + dt.timedelta(hours=2, minutes=30),
                    "lieu": LIEU if i % 3 else "",
                    "lien_visio": "" if i % 3 else f"{VISIO}-{theme.lower()}",
                    "ordre_du_jour": trames[etape].ordre_du_jour,
                },
            )
            if not passee:
                if etape == "GT2" or (etape == "GT3" and i < 3):
                    do_envoyer_invitations(seance, equipe, now=now)
                continue
            presences = {
                p.pk: (Presence.EXCUSE if k == 3 else Presence.PRESENT)
                for k, p in enumerate(seance.participations.all())
            }
            do_enregistrer_presences(seance, equipe, presences, now=now)
            texte, decisions = textes[etape]
            cr, _ = do_ecrire_compte_rendu(seance, commune_cp, texte, decisions, now=now)
            # Minutes at every state: GT1 published (one after a return), GT2 submitted, validated by one
            # co-pilot, returned or still in draft.
            if etape == "GT1":
                do_soumettre_compte_rendu(cr, commune_cp)
                if theme == "SI":
                    do_renvoyer_compte_rendu(cr, epci_cp, "Préciser les spécificités des petites communes.")
                    do_ecrire_compte_rendu(
                        seance,
                        commune_cp,
                        texte + " Les communes de moins de 5 000 habitants n'ont pas de service informatique propre.",
                        decisions,
                        now=now,
                    )
                    do_soumettre_compte_rendu(cr, commune_cp)
                if theme != "ECO":
                    do_valider_compte_rendu(cr, commune_cp)
                    do_valider_compte_rendu(cr, epci_cp)
            elif theme in ("FIN", "CPAJ"):
                do_soumettre_compte_rendu(cr, commune_cp)
                if theme == "CPAJ":
                    do_valider_compte_rendu(cr, epci_cp)
            elif theme == "SI":
                do_soumettre_compte_rendu(cr, commune_cp)
                do_renvoyer_compte_rendu(cr, epci_cp, "Ajouter la liste des présents excusés.")
    assert Seance.objects.filter(groupe__schema=schema).count() == 27

    # The deliverables: GT1 done for every theme, GT2 in progress, GT3 started for RH and FIN.
    from livrables.gt1 import demo as demo_gt1
    from livrables.gt2 import demo as demo_gt2
    from livrables.gt3 import demo as demo_gt3

    for module in (demo_gt1, demo_gt2, demo_gt3):
        module.charger(territoire, users)
    from scenarios import demo as demo_scenarios

    demo_scenarios.charger(territoire, users)
    from parcours.demo import charger_comite, figer_version

    charger_comite(schema, equipe, now)
    figer_version(schema, equipe)

    # Exchanges: a discussion on the RH payroll line of GT3 and on an AFOR grid, with a mention.
    from echanges.actions import do_commenter
    from livrables.models import LigneMutualisable

    ligne = LigneMutualisable.objects.filter(livrable__groupe=rh, activite__code="RH-PAIE").first()
    if ligne is not None:
        question = do_commenter(
            territoire,
            users["dgs-merignac"],
            ligne,
            "Quel calendrier pour Mérignac ? Notre marché de logiciel de paie court jusqu'en "
            "2028. @nadia.roux pouvez-vous préciser le cycle envisagé ?",
            envoyer=False,
        )
        do_commenter(
            territoire,
            users["copilote-rh-epci"],
            ligne,
            "Le cycle 1 (1er janvier 2028) viserait les communes prêtes ; Mérignac pourrait rejoindre "
            "le cycle 2 à l'échéance de son marché.",
            parent=question,
            envoyer=False,
        )
    activite = territoire.activites.get(code="RH-PAIE")
    do_commenter(
        territoire,
        users["copilote-rh-commune"],
        activite,
        "Pensons à distinguer la paie des élus de celle des agents dans la grille.",
        groupe=rh,
        envoyer=False,
    )

    lettres, _ = do_generer_lettres(schema, equipe)
    for lettre in lettres:
        if lettre.groupe.theme in ("RH", "FIN", "SI", "BML"):
            do_changer_statut(lettre, "envoyee", equipe)
        if lettre.groupe.theme in ("RH", "FIN"):
            do_changer_statut(lettre, "signee", equipe)
