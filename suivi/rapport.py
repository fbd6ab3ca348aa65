"""The yearly report « état d'avancement du schéma de mutualisation » of year N (docs/suivi.md), built as a
document value (publication/blocs.py) from the follow-up's one reading (suivi/mesures.py) for readers
outside every employer (its amounts under the confidentiality rule), laid out by the schéma document's
writers. At the débat of year N only year N-1's payroll exists: its figures are « réalisé A / prévu N »,
A being the latest year of payroll read. The pooling section of the EPCI's yearly activity report
(L5211-39) is the same content without cover and contents."""

from django.template.loader import render_to_string
from django.utils import timezone

from commun.formatage import date, etp, euros, pourcent
from engine import suivi as regle
from engine.themes import THEME_BY_CODE
from masse_salariale.confidentialite import EXTERIEUR
from publication import gabarit as gabarits
from publication.blocs import Chapitre, Couverture, Document, Graphique, Liste, Paragraphe, Tableau
from publication.impact import tableau_publie
from suivi import elements as elements_du_schema
from suivi import mesures
from suivi.enums import StatutElement

TITRE = "État d'avancement du schéma de mutualisation des services"


def _montant(m) -> str:
    if m is None:
        return "–"
    return euros(m.affiche) if m.visible else "non diffusé"


def _part(p) -> str:
    if p is None:
        return "–"
    if hasattr(p, "visible"):
        return pourcent(p.valeur, 2) if p.visible and p.valeur is not None else "non diffusé"
    return pourcent(p, 2)


def _bouge(o) -> bool:
    """The EPCI, an organisation the schéma plans to touch, or one whose ETP moved by half an ETP or more."""
    reel = o["etp_reel"]
    return (
        o["epci"] or abs(o["etp_prevu"] - o["etp_y0"]) > 0.005 or (reel is not None and abs(reel - o["etp_y0"]) >= 0.5)
    )


def lecture_publique(rapport):
    """The follow-up read for the report: the version followed, its items, the latest payroll before the
    year of the report (at the débat of year N, year N-1's is the latest that can exist)."""
    schema = rapport.schema
    version = elements_du_schema.version_suivie(schema)
    elements = elements_du_schema.synchroniser(schema, version)
    annees = [a for a in mesures.annees_apres(schema.territoire, version.annee_paie) if a < rapport.annee]
    publies = {a: y["coefficient"] for a, y in tableau_publie(version).trajectoire.items()}
    return mesures.lire(schema, version, elements, EXTERIEUR, annees[0] if annees else -1, publies)


def chapitres(rapport, s: mesures.Suivi) -> list[Chapitre]:
    n = rapport.annee
    a = s.annee
    reel = f"réalisé {a}" if a else "réalisé"
    ind = s.indicateurs
    faits = [
        f"{ind['faits']} action{'s' if ind['faits'] > 1 else ''} réalisée{'s' if ind['faits'] > 1 else ''} sur "
        f"{ind['prevus']} retenue{'s' if ind['prevus'] > 1 else ''} (hors abandons)."
    ]
    if ind["avancement"] is not None:
        faits.append(f"Avancement pondéré {ind['pondere_par']} : {pourcent(ind['avancement'] / 100, 0)}.")
    if ind["sans_avancement"]:
        faits.append(
            "Sans avancement renseigné (comptées à 0 %) : "
            + ", ".join(e.identifiant for e in ind["sans_avancement"])
            + "."
        )
    if ind["services_communs"]:
        faits.append(
            "Services communs en place : "
            + " ; ".join(f"{x['element'].identifiant} ({', '.join(x['membres'])})" for x in ind["services_communs"])
            + "."
        )
    if ind["etp_transferes"] is not None:
        faits.append(
            f"ETP transférés à l'EPCI ou mis à sa disposition : {etp(ind['etp_transferes'])} en {a} "
            f"({etp(ind['etp_transferes_y0'])} en {s.annee_schema})."
        )
    if ind["abandonnes"]:
        faits.append(
            "Actions abandonnées : " + ", ".join(f"{e.identifiant} ({e.motif})" for e in ind["abandonnes"]) + "."
        )
    annee_bref = [
        Paragraphe(
            f"Le schéma suivi est la version {s.version.numero}, approuvée le {date(s.version.approuvee_le)}, sur la "
            f"masse salariale de {s.annee_schema}. "
            + (
                f"La masse salariale la plus récente est celle de {a} : les chiffres sont présentés « {reel} / "
                f"prévu {n} », les montants prévus en euros constants de {s.annee_schema}, les montants réalisés "
                f"en euros courants de {a} ; les ETP, eux, se comparent sans correction."
                if a
                else "Aucune masse salariale postérieure n'est encore importée : l'avancement repose sur les "
                "statuts des actions."
            )
        ),
        Liste(faits),
    ]
    elements_blocs = [
        Tableau(
            "Chaque action du schéma",
            ["Action", "Thème", "Année prévue", "Statut", "Avancement", f"Mesure dans la paie ({reel})"],
            [
                [
                    l.element.identifiant,
                    THEME_BY_CODE[l.element.theme].label if l.element.theme in THEME_BY_CODE else l.element.theme,
                    str(l.element.annee_prevue)
                    + (f" (reportée à {l.element.annee_reportee})" if l.element.annee_reportee else ""),
                    l.element.get_statut_display()
                    + (
                        f" : {l.element.motif}"
                        if l.element.statut in (StatutElement.ABANDONNEE, StatutElement.REPORTEE)
                        else ""
                    ),
                    "non renseigné" if l.element.progression is None else f"{l.element.progression} %",
                    l.phrase,
                ]
                for l in s.elements
            ],
            largeurs=[1.1, 2, 1.1, 2.6, 1.6, 3.4],
        )
    ]
    prevu_reel = [
        Tableau(
            "Coefficient de mutualisation des services",
            ["", "Coefficient"],
            [
                [f"Année du schéma ({s.annee_schema})", _part(s.coefficients["y0"])],
                *(
                    [[f"Prévu {a}", _part(s.coefficients["prevu"])], [f"Réalisé {a}", _part(s.coefficients["reel"])]]
                    if a
                    else []
                ),
                *([[f"Prévu {a + 1}", _part(s.coefficients["prevu_suivant"])]] if a else []),
            ],
            nombres=frozenset({1}),
            largeurs=[3, 1.5],
        )
    ]
    if s.organisations:
        prevu_reel.append(
            Tableau(
                f"Effectifs et masse salariale par organisation (tous thèmes) : {reel} / prévu",
                [
                    "Organisation",
                    f"ETP {s.annee_schema}",
                    f"ETP prévus {a}",
                    f"ETP réalisés {a}",
                    f"ETP prévus {a + 1}",
                    f"Masse prévue {a}",
                    f"Masse réalisée {a}",
                ],
                [
                    [
                        o["nom"],
                        etp(o["etp_y0"]),
                        etp(o["etp_prevu"]),
                        "–" if o["etp_reel"] is None else etp(o["etp_reel"]),
                        etp(o["etp_suivant"]),
                        _montant(o["cout_prevu"]),
                        _montant(o["cout_reel"]),
                    ]
                    for o in s.organisations
                    if _bouge(o)
                ],
                nombres=frozenset(range(1, 7)),
                marques=[],
                largeurs=[2.6, 1, 1, 1, 1, 1.6, 1.6],
            )
        )
        prevu_reel.append(
            Paragraphe(
                "Sont listés l'EPCI, les organisations que le schéma prévoit de toucher et celles dont les ETP ont "
                "bougé de plus d'un demi-ETP.",
                note=True,
            )
        )
    if s.themes:
        prevu_reel.append(
            Tableau(
                "ETP par thème fonctionnel : l'EPCI (avec les agents mis à sa disposition) et les communes",
                [
                    "Thème",
                    f"EPCI {s.annee_schema}",
                    f"EPCI prévu {a}",
                    f"EPCI réalisé {a}",
                    f"Communes {s.annee_schema}",
                    f"Communes prévu {a}",
                    f"Communes réalisé {a}",
                ],
                [
                    [
                        t["theme"],
                        etp(t["epci_y0"]),
                        etp(t["epci_prevu"]),
                        "–" if t["epci_reel"] is None else etp(t["epci_reel"]),
                        etp(t["communes_y0"]),
                        etp(t["communes_prevu"]),
                        "–" if t["communes_reel"] is None else etp(t["communes_reel"]),
                    ]
                    for t in s.themes
                ],
                nombres=frozenset(range(1, 7)),
                largeurs=[2.6, 1, 1, 1, 1, 1, 1],
            )
        )
    trajectoire = []
    if s.graphique is not None:
        svg = render_to_string("publication/graphique.svg", {"graphique": s.graphique})
        trajectoire.append(Graphique(svg, "Coefficient prévu au 1er janvier de chaque année, et réalisé"))
    finances = _finances(s, a)
    return [
        Chapitre("bref", f"L'année {n} en bref", annee_bref),
        Chapitre("actions", "Avancement des actions", elements_blocs),
        Chapitre("prevu", "Prévu et réalisé", prevu_reel + trajectoire),
        Chapitre("finances", "Remboursements, attributions de compensation, coûts", finances),
        Chapitre(
            "methode",
            "Annexe – Méthode",
            [
                Paragraphe(
                    "Pour chaque action et chaque commune, le déplacement réalisé est la baisse, entre l'année de la "
                    "masse salariale du schéma et l'année mesurée, de la masse salariale et des ETP de la commune sur "
                    "le thème ou l'activité de l'action, augmentée de la hausse de ses agents mis à disposition de "
                    f"l'EPCI. Une commune compte comme réalisée dès {regle.SEUIL_REALISE:.0%} des ETP prévus, comme "
                    f"partiellement réalisée dès {regle.SEUIL_PARTIEL:.0%}. Une commune sans masse salariale de "
                    "l'année n'est pas mesurée. La hausse de l'EPCI est présentée par thème, sans être attribuée aux "
                    "actions.".replace("%", "\u00a0%")
                ),
                Paragraphe(
                    "L'avancement pondéré compte 0\u00a0% pour une action sans avancement renseigné. Les montants "
                    "d'un employeur qui ne couvrent pas au moins cinq agents, ou dont un agent représente plus de "
                    "80\u00a0%, sont « non diffusé ».",
                    note=True,
                ),
            ],
            annexe=True,
        ),
    ]


def _finances(s, a) -> list:
    ind = s.indicateurs
    b = ind["bilan"]
    flux = ind["flux_prevus"]

    def saisi(valeur):
        return "non renseigné" if valeur is None else euros(int(valeur))

    lignes = [
        ["Remboursements facturés", _montant(flux["remboursements"]), saisi(b.remboursements if b else None)],
        ["Réfactions d'attribution de compensation", _montant(flux["ac"]), saisi(b.ac_votee if b else None)],
        ["Surcoûts d'harmonisation", "–", saisi(b.surcouts if b else None)],
        ["Coûts évités", "–", saisi(b.couts_evites if b else None)],
    ]
    blocs = [
        Tableau(
            f"Prévu {a} (version approuvée) et constaté {a} (saisi par l'équipe projet)" if a else "Flux financiers",
            ["", "Prévu", "Constaté"],
            lignes,
            nombres=frozenset({1, 2}),
            largeurs=[3, 1.6, 1.6],
        ),
        Paragraphe(
            "Les économies se démontrent rarement : aucun chiffre n'est calculé à la place de ceux que l'équipe "
            "projet constate.",
            note=True,
        ),
    ]
    if b is not None and b.commentaire.strip():
        blocs.insert(0, Paragraphe(b.commentaire))
    return blocs


def document(rapport, s: mesures.Suivi | None = None) -> Document:
    schema = rapport.schema
    territoire = schema.territoire
    s = s or lecture_publique(rapport)
    g = gabarits.gabarit(schema)
    logo = None
    if g.logo:
        with g.logo.open("rb") as f:
            logo = f.read()
    couverture = Couverture(
        territoire=territoire.nom,
        titre=TITRE,
        sous_titre=f"Année {rapport.annee} – schéma {schema.mandat}",
        mandat=schema.mandat,
        version=f"{rapport.get_instance_display()} du {date(rapport.seance_le)}",
        date=date(rapport.presente_le or timezone.localdate()),
        mention=g.mention,
        logo=logo,
        logo_type=gabarits.type_logo(logo) if logo else "",
    )
    return Document(
        couverture,
        chapitres(rapport, s),
        entete=f"{territoire.nom} – État d'avancement {rapport.annee}",
        couleur=g.couleur,
        couleur_secondaire=g.couleur_secondaire,
        brouillon=rapport.presente_le is None,
        filigrane=f"Projet : à présenter le {date(rapport.seance_le)}",
    )
