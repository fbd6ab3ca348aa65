"""The schéma document of one version (« rapport relatif aux mutualisations de services et projet de
schéma », docs/publication.md), built once as plain values (publication/blocs.py) from the records: the
version's figures through the one figures object (parcours/versions.py, scenarios/figures.py), its impact
table as published (publication/impact.py), the groups' work, the comité's decisions, the communes'
opinions. Every amount of another employer follows the confidentiality rule for readers outside every
employer; the formats only lay this value out."""

from django.template.loader import render_to_string
from django.utils import timezone

from commun.formatage import compte, date, ecart_etp, etp, euros, pourcent
from commun.tri import cle_francaise
from comptes.enums import Role
from comptes.models import Habilitation
from engine.confidentialite import PART_DOMINANTE, SEUIL_AGENTS
from engine.themes import THEME_BY_CODE
from masse_salariale.confidentialite import EXTERIEUR, lecture
from parcours.consultation import avis_des_communes
from parcours.enums import EtatVersion
from parcours.models import Decision, SeanceComite
from parcours.syntheses import generer
from publication import gabarit as gabarits
from publication.blocs import (
    Chapitre,
    Couverture,
    Document,
    Graphique,
    Liste,
    Paragraphe,
    Tableau,
    TexteRiche,
    Titre,
)
from publication.impact import CATEGORIES, TableauPublie, tableau_publie
from scenarios.graphiques import trajectoires
from seances.enums import StatutSeance
from seances.models import Seance
from territoire.calendrier import calendrier

# The chapters, in order: their key (the template's introductions are keyed so) and title.
CHAPITRES = {
    "synthese": "Synthèse",
    "cadre": "Contexte et cadre légal",
    "methode": "La méthode de travail",
    "etat": "État des lieux des services fonctionnels",
    "themes": "Les propositions par thème",
    "impact": "Impact prévisionnel sur les effectifs et les dépenses de fonctionnement",
    "trajectoire": "Trajectoire du coefficient de mutualisation",
    "calendrier": "Calendrier de mise en œuvre",
    "avis": "Annexe 1 – Avis des conseils municipaux",
    "decisions": "Annexe 2 – Décisions du comité de pilotage",
    "valorisation": "Annexe 3 – Présentation des montants et méthode de valorisation",
}
TITRE = "Rapport relatif aux mutualisations de services et projet de schéma"
NOTE_ETAT = (
    f"Confidentialité des rémunérations : la masse salariale d'un employeur n'est publiée que si elle couvre au "
    f"moins {SEUIL_AGENTS} agents et qu'aucun agent n'en représente plus de {PART_DOMINANTE:.0%} ; sinon, ou "
    "quand elle permettrait de retrouver un tel montant par différence, elle est « non diffusé ». Les ETP et "
    "le coefficient sont publics. Montants arrondis à l'euro."
).replace("%", "\u00a0%")

CADRE = [
    "L'article L5211-39-1 du code général des collectivités territoriales prévoit que, dans l'année qui suit "
    "chaque renouvellement général des conseils municipaux, le président de l'établissement public de "
    "coopération intercommunale peut établir un rapport relatif aux mutualisations de services entre les "
    "services de l'EPCI et ceux des communes membres. Ce rapport comporte un projet de schéma de mutualisation "
    "des services à mettre en œuvre pendant la durée du mandat.",
    "Depuis la loi n° 2019-1461 du 27 décembre 2019 relative à l'engagement dans la vie locale et à la "
    "proximité de l'action publique, l'établissement de ce schéma est facultatif ; la procédure est inchangée "
    "lorsque l'EPCI choisit de l'établir.",
    "Le projet de schéma prévoit notamment l'impact prévisionnel de la mutualisation sur les effectifs de l'EPCI "
    "et des communes concernées et sur leurs dépenses de fonctionnement. Le rapport est transmis pour avis à "
    "chacun des conseils municipaux des communes membres, qui disposent d'un délai de trois mois pour se "
    "prononcer ; à défaut de délibération dans ce délai, l'avis est réputé favorable. Le projet de schéma est "
    "ensuite approuvé par l'organe délibérant de l'EPCI, puis adressé à chacun des conseils municipaux.",
    "Chaque année, lors du débat d'orientation budgétaire ou, à défaut, lors du vote du budget, l'avancement du "
    "schéma fait l'objet d'une communication du président à son organe délibérant.",
    "Le coefficient de mutualisation des services (article L5211-4-1) rapporte la rémunération, charges "
    "comprises, des agents affectés aux services fonctionnels de l'EPCI (y compris les agents transférés ou "
    "mis à sa disposition) à celle des services fonctionnels de l'EPCI et de toutes ses communes membres. Son "
    "décret d'application n'a jamais été publié et il n'a jamais modulé la dotation globale de "
    "fonctionnement : il est présenté ici comme un indicateur de pilotage.",
]


def _intro(blocs: list, introductions: dict, cle: str) -> None:
    html = gabarits.html_de(introductions.get(cle, ""))
    if html:
        blocs.append(TexteRiche(html))


def _etat_version(version) -> str:
    return {
        EtatVersion.COMITE: "pour le comité de pilotage",
        EtatVersion.PROJET: "projet transmis aux communes",
        EtatVersion.APPROUVE: "schéma approuvé",
    }[version.etat]


def montant_publie(valeur: float | None, estimee: bool = False) -> str:
    """A figure of the published impact table: to the euro (as the scenario page), or to the thousand
    euros for an estimate (already rounded by publication/impact.py), signed."""
    if valeur is None:
        return "–"
    v = round(valeur)
    texte = euros(abs(v))
    return texte if v == 0 else ("+" if v > 0 else "−") + texte


# --- chapters ----------------------------------------------------------------------------------------


def _synthese(version, fv, tp: TableauPublie, intros) -> list:
    c = fv.chiffres
    blocs = []
    _intro(blocs, intros, "synthese")
    sim = c["simulation"]
    annees = sorted({l.annee for l in fv.lignes})
    communes = sorted((l.nom for l in tp.lignes if not l.epci and l.d_fte), key=cle_francaise)
    communes += [n for l in tp.lignes for n in l.communes]
    avant = sim.before.coefficient
    apres = list(tp.trajectoire.values())[-1]["coefficient"] if tp.trajectoire else None
    themes = sorted({l.get_theme_display() for l in fv.lignes}, key=cle_francaise)
    blocs.append(
        Paragraphe(
            f"Le projet de schéma retient {compte(len(fv.lignes), 'action')} de mutualisation"
            + (f", prenant effet de {annees[0]} à {annees[-1]}" if len(annees) > 1 else "")
            + (f", en {annees[0]}" if len(annees) == 1 else "")
            + f", dans {compte(len(themes), 'thème')} : {', '.join(t.lower() for t in themes)}. Elles déplacent "
            f"{etp(sim.moved_fte)} ETP vers des services mutualisés et concernent "
            f"{compte(len(communes), 'commune')} en plus de l'EPCI."
        )
    )
    lignes = [
        ["Actions retenues", str(len(fv.lignes))],
        ["ETP déplacés vers des services mutualisés", etp(sim.moved_fte)],
        ["Communes concernées", str(len(communes))],
        [f"Coefficient de mutualisation ({version.annee_paie})", pourcent(avant, 2) if avant is not None else "–"],
        ["Coefficient en fin de mandat", pourcent(apres, 2) if apres is not None else "non diffusé"],
        ["Écart d'effectifs du territoire (gains de productivité)", ecart_etp(tp.d_fte_total)],
    ]
    blocs.append(Tableau("Chiffres clés", ["Indicateur", "Valeur"], lignes, nombres=frozenset({1}), largeurs=[4, 1.5]))
    if avant is not None and apres is not None:
        blocs.append(
            Paragraphe(
                f"Le coefficient de mutualisation des services passerait de {pourcent(avant, 2)} "
                f"(masse salariale {version.annee_paie}) à {pourcent(apres, 2)} en fin de mandat."
            )
        )
    blocs.append(
        Paragraphe(
            f"Les chiffres sont ceux de la version {version.numero} du schéma, figée le "
            f"{date(timezone.localtime(version.cree_le).date())} sur la masse salariale de {version.annee_paie}, "
            "en euros constants de cette année. Les montants d'un employeur qui ne couvrent pas au moins cinq "
            "agents sont présentés sans révéler de rémunération individuelle (annexe 3)."
        )
    )
    return blocs


def _cadre(intros) -> list:
    blocs = []
    _intro(blocs, intros, "cadre")
    return blocs + [Paragraphe(p) for p in CADRE]


def _methode(schema, intros) -> list:
    blocs = []
    _intro(blocs, intros, "methode")
    blocs.append(
        Paragraphe(
            "Le schéma a été préparé par neuf groupes de travail thématiques, chacun co-piloté par un représentant "
            "des communes et un représentant de l'EPCI, en trois étapes : la liste des activités exercées par "
            "chaque commune (GT1), une analyse des atouts, faiblesses, opportunités et risques (GT2), puis "
            "l'identification des activités mutualisables et de leur modalité (GT3). Un comité de pilotage "
            "réunissant élus de l'EPCI et des communes a arbitré leurs propositions."
        )
    )
    habilitations = Habilitation.objects.filter(
        groupe__schema=schema, role__in=[Role.COPILOTE_COMMUNE, Role.COPILOTE_EPCI]
    ).select_related("utilisateur", "organisation", "groupe")
    copilotes: dict[int, dict] = {}
    for h in habilitations:
        qui = f"{h.utilisateur} ({h.organisation.nom})" if h.organisation else str(h.utilisateur)
        copilotes.setdefault(h.groupe_id, {})[h.role] = qui
    tenues: dict[int, list] = {}
    for s in Seance.objects.filter(groupe__schema=schema, statut=StatutSeance.TENUE).order_by("debut"):
        tenues.setdefault(s.groupe_id, []).append(s)
    lignes = []
    for g in sorted(schema.groupes.all(), key=lambda g: cle_francaise(g.libelle)):
        c = copilotes.get(g.pk, {})
        seances = tenues.get(g.pk, [])
        lignes.append(
            [
                g.libelle,
                c.get(Role.COPILOTE_COMMUNE, "–"),
                c.get(Role.COPILOTE_EPCI, "–"),
                str(len(seances)),
                date(timezone.localtime(seances[-1].debut).date()) if seances else "–",
            ]
        )
    blocs.append(
        Tableau(
            "Les groupes de travail, leurs co-pilotes et leurs séances tenues",
            ["Groupe", "Co-pilote communes", "Co-pilote EPCI", "Séances tenues", "Dernière séance"],
            lignes,
            nombres=frozenset({3}),
            largeurs=[2.2, 3, 3, 1.2, 1.8],
        )
    )
    comites = SeanceComite.objects.filter(comite__schema=schema, debut__lte=timezone.now()).order_by("debut")
    if comites:
        blocs.append(
            Paragraphe(
                "Séances du comité de pilotage et de la conférence des DGS : "
                + " ; ".join(f"{s.comite} du {date(timezone.localtime(s.debut).date())}" for s in comites)
                + "."
            )
        )
    return blocs


def _etat(version, fv, intros) -> list:
    ctx, c = fv.ctx, fv.chiffres
    blocs = []
    _intro(blocs, intros, "etat")
    themes = c["themes_fonctionnels"]
    blocs.append(
        Paragraphe(
            f"Services fonctionnels retenus ({compte(len(themes), 'thème')}) : "
            + ", ".join(t.lower() for t in themes)
            + "."
        )
    )
    lec = lecture(ctx.territoire, ctx.paie, EXTERIEUR)
    bases = ctx.bases
    orgs = sorted(
        ctx.territoire.organisations.filter(code__in=[ctx.moteur.epci, *ctx.moteur.communes]),
        key=lambda o: (not o.est_epci, cle_francaise(o.nom)),
    )
    lignes = []
    for o in orgs:
        cout, fte = bases.functional_total.get(o.code, (0.0, 0.0))
        m = lec.ligne("organisation", o.code)
        lignes.append([o.nom, etp(fte), euros(m.affiche) if m.visible else "non diffusé"])
    total = lec.ligne("denominateur")
    blocs.append(
        Tableau(
            f"Effectifs et masse salariale chargée des services fonctionnels par employeur ({version.annee_paie})",
            ["Employeur", "ETP", "Masse salariale"],
            lignes,
            nombres=frozenset({1, 2}),
            pied=[
                "Territoire",
                etp(sum(bases.functional_total.get(o.code, (0.0, 0.0))[1] for o in orgs)),
                euros(total.affiche) if total.visible else "non diffusé",
            ],
            marques=["epci" if o.est_epci else "" for o in orgs],
            largeurs=[4, 1.5, 2],
        )
    )
    blocs.append(Paragraphe(NOTE_ETAT, note=True))
    avant = c["simulation"].before.coefficient
    if avant is not None:
        blocs.append(
            Paragraphe(
                f"Le coefficient de mutualisation des services est de {pourcent(avant, 2)} en {version.annee_paie}."
            )
        )
    return blocs


def _themes(schema, fv, intros) -> list:
    blocs = []
    _intro(blocs, intros, "themes")
    libelles = dict(schema.territoire.activites.values_list("code", "libelle"))
    par_theme: dict[str, list] = {}
    for l in fv.lignes:
        par_theme.setdefault(l.theme, []).append(l)
    for g in sorted(schema.groupes.all(), key=lambda g: list(THEME_BY_CODE).index(g.theme)):
        blocs.append(Titre(g.libelle, 2))
        contenu = generer(g)
        gt1 = contenu["gt1"]
        if gt1:
            blocs.append(
                Paragraphe(
                    f"Inventaire des activités (GT1) : {gt1['repondu']} commune{'s' if gt1['repondu'] > 1 else ''} "
                    f"sur {gt1['communes']} ont décrit leurs activités."
                )
            )
        else:
            blocs.append(Paragraphe("Inventaire des activités (GT1) : pas encore établi."))
        afor = [q for q in contenu["afor"] if q["nombre"]]
        if afor:
            blocs.append(Titre("Synthèse atouts, faiblesses, opportunités, risques (GT2)", 3))
            for q in afor:
                blocs.append(Paragraphe(f"{q['quadrant']} ({q['nombre']}) :"))
                blocs.append(Liste(q["points"]))
        actions = par_theme.get(g.theme, [])
        blocs.append(Titre("Actions retenues", 3))
        if not actions:
            blocs.append(Paragraphe("Aucune action retenue dans ce thème pour le mandat."))
            continue
        lignes = []
        for a in actions:
            gt3 = a.ligne_gt3
            communes = (
                "toutes les communes"
                if a.toutes
                else ", ".join(sorted((c.nom for c in a.communes.all()), key=cle_francaise))
            )
            lignes.append(
                [
                    libelles.get(a.activite, a.activite) if a.activite else "tout le thème",
                    a.get_modalite_display(),
                    communes,
                    str(a.annee),
                    "–" if gt3 is None or gt3.qualification is None else str(gt3.qualification),
                    gt3.get_faisabilite_display() if gt3 is not None and gt3.faisabilite else "–",
                ]
            )
        blocs.append(
            Tableau(
                f"Actions retenues – {g.libelle}",
                ["Activité", "Modalité", "Communes", "Année", "Qualification", "Faisabilité"],
                lignes,
                nombres=frozenset({3, 4}),
                largeurs=[3, 2.2, 3.2, 1.2, 1.9, 1.7],
            )
        )
    return blocs


def _impact(tp: TableauPublie, intros) -> list:
    blocs = []
    _intro(blocs, intros, "impact")
    blocs.append(
        Paragraphe(
            "Pour l'EPCI et chaque commune concernée : écart d'effectifs (ETP), écart de masse salariale, "
            "remboursements"
            + (" et variation de l'attribution de compensation" if tp.fpu else "")
            + ", charges transférées et économies hors masse salariale ; « effet net » : variation du solde de "
            "fonctionnement (positif : la collectivité y gagne), en année pleine après toutes les actions."
        )
    )
    colonnes = [("d_cost", "Écart de masse salariale"), ("remboursement", "Remboursements")]
    if tp.fpu:
        colonnes.append(("ac", "Attribution de compensation"))
    colonnes += [("charges", "Charges transférées"), ("savings", "Économies"), ("net", "Effet net")]
    # A column of the user's inputs that is nil for every organisation says nothing: left out, and said.
    vides = [
        titre
        for k, titre in colonnes
        if k in ("remboursement", "charges", "savings") and all(not round(l.montants[k] or 0) for l in tp.lignes)
    ]
    colonnes = [(k, titre) for k, titre in colonnes if titre not in vides]
    champs = [k for k, _ in colonnes]
    entetes = ["Organisation", "Écart ETP", *(titre for _, titre in colonnes)]
    if vides:
        blocs.append(
            Paragraphe(
                f"Colonnes nulles pour toutes les organisations, omises : {', '.join(vides).lower()}.", note=True
            )
        )
    lignes, marques = [], []
    for l in tp.lignes:
        nom = l.nom + (" *" if l.estimee else "")
        lignes.append([nom, ecart_etp(l.d_fte), *(montant_publie(l.montants[k], l.estimee) for k in champs)])
        marques.append("epci" if l.epci else "estimee" if l.estimee else "")
    blocs.append(
        Tableau(
            "Impact prévisionnel par organisation, en année pleine après toutes les actions",
            entetes,
            lignes,
            nombres=frozenset(range(1, len(entetes))),
            pied=["Total" + (" des montants présentés" if tp.avec_estimations else ""), ecart_etp(tp.d_fte_total)]
            + [montant_publie(tp.totaux[k]) for k in champs],
            marques=marques,
            largeurs=[2.6] + [1.4] * (len(entetes) - 1),
        )
    )
    if tp.avec_estimations:
        blocs.append(
            Paragraphe(
                "* Montants estimés : les ETP déplacés de chaque catégorie sont valorisés au coût moyen chargé de "
                "cette catégorie sur le territoire, arrondis au millier d'euros (annexe 3). Aucune rémunération "
                "individuelle n'y figure.",
                note=True,
            )
        )
    groupe = next((l for l in tp.lignes if l.communes), None)
    if groupe is not None:
        blocs.append(Paragraphe(f"{groupe.nom} : {', '.join(groupe.communes)}.", note=True))
    return blocs


def _trajectoire(tp: TableauPublie, nom: str, intros) -> list:
    blocs = []
    _intro(blocs, intros, "trajectoire")
    courbe = {a: y["coefficient"] for a, y in tp.trajectoire.items()}
    graphique = trajectoires([(nom, courbe)], list(courbe))
    if graphique is not None:
        svg = render_to_string("publication/graphique.svg", {"graphique": graphique})
        blocs.append(Graphique(svg, "Coefficient de mutualisation au 1er janvier de chaque année"))
    lignes = [
        [str(a), "non diffusé" if y["coefficient"] is None else pourcent(y["coefficient"], 2), etp(y["fte"])]
        for a, y in tp.trajectoire.items()
    ]
    blocs.append(
        Tableau(
            "Coefficient et ETP du territoire au 1er janvier de chaque année (actions comptées dès leur année d'effet)",
            ["Année", "Coefficient", "ETP du territoire"],
            lignes,
            nombres=frozenset({1, 2}),
            largeurs=[1, 1.5, 1.5],
        )
    )
    return blocs


def _calendrier(schema, fv, intros) -> list:
    blocs = []
    _intro(blocs, intros, "calendrier")
    par_annee: dict[int, list[str]] = {}
    libelles = dict(schema.territoire.activites.values_list("code", "libelle"))
    for a in fv.lignes:
        quoi = libelles.get(a.activite, a.activite) if a.activite else THEME_BY_CODE[a.theme].label
        par_annee.setdefault(a.annee, []).append(f"{quoi} : {a.get_modalite_display().lower()}")
    for annee in sorted(par_annee):
        blocs.append(Titre(f"Au 1er janvier {annee}", 3))
        blocs.append(Liste(sorted(par_annee[annee], key=cle_francaise)))
    blocs.append(Titre("Les étapes de la procédure", 3))
    blocs.append(
        Tableau(
            "Calendrier de la démarche",
            ["Étape", "Du", "Au"],
            [[e.get_phase_display(), date(e.debut), date(e.fin)] for e in calendrier(schema)],
            largeurs=[4, 2, 2],
        )
    )
    return blocs


def _avis(schema, version) -> list:
    avis = avis_des_communes(schema, version, timezone.localdate())
    if not any(a.envoi for a in avis):
        return [Paragraphe("Le projet n'a pas encore été transmis aux conseils municipaux : leurs avis viendront ici.")]
    lignes = []
    for a in avis:
        d = a.retenue
        lignes.append(
            [
                a.commune.nom,
                date(a.envoi.recu_le) if a.envoi and a.envoi.recu_le else "–",
                a.etat.libelle,
                date(d.date) if d is not None else "–",
            ]
        )
    return [
        Tableau(
            "Avis des conseils municipaux",
            ["Commune", "Projet reçu le", "Avis", "Délibération du"],
            lignes,
            largeurs=[3, 2, 3, 2],
        )
    ]


def _decisions(schema) -> list:
    decisions = (
        Decision.objects.filter(point__seance__comite__schema=schema)
        .select_related("point__seance__comite")
        .order_by("point__seance__debut", "point__position")
    )
    if not decisions:
        return [Paragraphe("Aucune décision du comité de pilotage n'est encore enregistrée.")]
    blocs = []
    for d in decisions:
        s = d.point.seance
        jour = date(timezone.localtime(s.debut).date())
        blocs.append(Titre(f"{s.comite} du {jour} – {d.point.objet}", 3))
        vote = ""
        if d.pour is not None or d.contre is not None:
            vote = f" ({d.pour or 0} pour, {d.contre or 0} contre, {d.abstention or 0} abstention(s))"
        blocs.append(Paragraphe(f"Décision : {d.get_issue_display().lower()}{vote}. {d.texte}"))
    return blocs


def _valorisation(tp: TableauPublie) -> list:
    blocs = [
        Paragraphe(
            "Un montant de la masse salariale d'un employeur n'est publié que s'il couvre au moins cinq agents et "
            "qu'aucun agent n'en représente plus de 80 % (confidentialité des rémunérations). Chaque ligne du "
            "tableau d'impact qui ne respecte pas cette règle est présentée comme suit."
        )
    ]
    signalees = [l for l in tp.lignes if l.presentation != "reel"]
    if not signalees:
        blocs.append(Paragraphe("Toutes les lignes du tableau d'impact sont diffusibles : présentées au réel."))
        return blocs
    blocs.append(
        Tableau(
            "Présentation de chaque ligne du tableau d'impact",
            ["Ligne", "Présentation", "Motif ou accord"],
            [[l.nom, l.libelle_presentation, l.consentement or l.raison or ", ".join(l.communes)] for l in signalees],
            largeurs=[3, 3, 4],
        )
    )
    if tp.valorisations:
        blocs.append(Titre("Valorisation au coût moyen par catégorie", 3))
        blocs.append(
            Paragraphe(
                "Les ETP déplacés de chaque catégorie statutaire sont valorisés au coût moyen chargé d'un ETP de "
                "cette catégorie, calculé sur toute la masse salariale du territoire de l'année de référence "
                "(les agents sans catégorie au coût moyen de tous). Les remboursements, l'attribution de "
                "compensation et l'effet net de la ligne sont ceux du même calcul, appliqué à cette masse "
                "estimée ; chaque montant est arrondi au millier d'euros."
            )
        )
        blocs.append(
            Tableau(
                "Coût moyen chargé d'un ETP par catégorie",
                ["Catégorie", "Coût moyen d'un ETP"],
                [[f"Catégorie {c}", euros(round(tp.couts_moyens[c], -2))] for c in CATEGORIES if c in tp.couts_moyens]
                + [["Toutes catégories", euros(round(tp.couts_moyens[""], -2))]],
                nombres=frozenset({1}),
                largeurs=[2, 2],
            )
        )
        blocs.append(
            Tableau(
                "ETP déplacés par catégorie et leur valorisation",
                ["Ligne", "ETP A", "ETP B", "ETP C", "Autres ETP", "Masse estimée"],
                [
                    [v.nom, *(etp(v.etp.get(c, 0.0)) for c in (*CATEGORIES, "")), euros(v.montant)]
                    for v in tp.valorisations
                ],
                nombres=frozenset(range(1, 6)),
                largeurs=[3, 1, 1, 1, 1, 1.6],
            )
        )
    return blocs


def document(version, tp: TableauPublie | None = None, progression=None) -> Document:
    """The whole document of `version`. `progression(pourcentage, étape)` is told as it goes."""

    def etape(p, texte):
        if progression is not None:
            progression(p, texte)

    schema = version.schema
    territoire = schema.territoire
    g = gabarits.gabarit(schema)
    intros = g.introductions or {}
    etape(10, "Lecture des chiffres de la version")
    tp = tp or tableau_publie(version)
    fv = tp.figures
    etape(30, "Rédaction des chapitres")
    chapitres = [
        Chapitre("synthese", CHAPITRES["synthese"], _synthese(version, fv, tp, intros)),
        Chapitre("cadre", CHAPITRES["cadre"], _cadre(intros)),
        Chapitre("methode", CHAPITRES["methode"], _methode(schema, intros)),
        Chapitre("etat", CHAPITRES["etat"], _etat(version, fv, intros)),
        Chapitre("themes", CHAPITRES["themes"], _themes(schema, fv, intros)),
        Chapitre("impact", CHAPITRES["impact"], _impact(tp, intros)),
        Chapitre("trajectoire", CHAPITRES["trajectoire"], _trajectoire(tp, version.scenario.nom, intros)),
        Chapitre("calendrier", CHAPITRES["calendrier"], _calendrier(schema, fv, intros)),
        Chapitre("avis", CHAPITRES["avis"], _avis(schema, version), annexe=True),
        Chapitre("decisions", CHAPITRES["decisions"], _decisions(schema), annexe=True),
        Chapitre("valorisation", CHAPITRES["valorisation"], _valorisation(tp), annexe=True),
    ]
    logo = None
    if g.logo:
        with g.logo.open("rb") as f:
            logo = f.read()
    couverture = Couverture(
        territoire=territoire.nom,
        titre=g.titre or TITRE,
        sous_titre=g.sous_titre or f"Schéma de mutualisation des services {schema.mandat}",
        mandat=schema.mandat,
        version=f"Version {version.numero}, {_etat_version(version)}",
        date=date(timezone.localdate()),
        mention=g.mention,
        logo=logo,
        logo_type=gabarits.type_logo(logo) if logo else "",
    )
    return Document(
        couverture,
        chapitres,
        entete=f"{territoire.nom} – Schéma de mutualisation {schema.mandat}",
        couleur=g.couleur,
        couleur_secondaire=g.couleur_secondaire,
        brouillon=version.etat == EtatVersion.COMITE,
    )
