"""The world of the confidentiality sweep (docs/confidentialite.md, « Vérification »): on the cast's small
Bordeaux Métropole, a payroll whose employers have one-agent, two-agent and four-agent cells, a cell with
a dominant agent, agents made available (to the EPCI, to another commune), an agent split across two
themes, diffusible cells and non-functional lines; scenarios that move every small cell of a commune
(theme and activity actions, service commun and both mises à disposition), with no associated charges
and no savings so that every euro they show comes from the payroll; GT3 lines on the matrix and for the
optimiser; and two more readers of Mérignac (a payroll referent, an élue attached to the commune).

Costs are distinct odd figures, so that an amount seen on a page is never another one by chance."""

from dataclasses import dataclass

from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE, creer_utilisateur, payroll_csv

ANNEE = 2025


def line(
    employer, agent, theme, cost, quotite="1", etp="1", situation="propre", beneficiary="", activity="", category="B"
) -> str:
    return f"{employer};{agent};{theme};{cost};{quotite};{etp};{situation};{beneficiary};{activity};{category}"


def agents(employer, prefix, theme, activity, costs, **extra) -> list[str]:
    """One line per agent, all in one cell."""
    return [line(employer, f"{prefix}{i}", theme, cost, activity=activity, **extra) for i, cost in enumerate(costs, 1)]


def payroll_rows() -> list[str]:
    return [
        # The EPCI: diffusible FIN and RH, a two-agent SI cell, non-functional work.
        *agents(EPCI, "EF", "FIN", "FIN-BUDG", [51013, 48221, 47809, 52347, 49931, 50677]),
        *agents(EPCI, "ER", "RH", "RH-PAIE", [45103, 44287, 46019, 43561, 47233]),
        *agents(EPCI, "ES", "SI", "SI-INFR", [55117, 53909]),
        *agents(EPCI, "EA", "AUTRE", "", [39871, 40433]),
        # Bordeaux: diffusible FIN (two activities) and CPAJ; one-agent RH, four-agent SI, a dominant agent in BML.
        *agents(BORDEAUX, "BF", "FIN", "FIN-BUDG", [41227, 42803, 40159]),
        *agents(BORDEAUX, "BG", "FIN", "FIN-COMP", [43391, 39947, 44011]),
        *agents(BORDEAUX, "BR", "RH", "RH-PAIE", [46523]),
        *agents(BORDEAUX, "BS", "SI", "SI-POST", [38117, 37429, 39263, 36887]),
        *agents(BORDEAUX, "BB", "BML", "BML-ENTR", [4117, 3989, 4253, 4061, 3877], etp="0,1"),
        line(BORDEAUX, "BB6", "BML", 98761, activity="BML-ENTR"),  # 83 % of the cell
        *agents(BORDEAUX, "BC", "CPAJ", "CPAJ-PASS", [42557, 41893, 43127, 40771, 42019]),
        *agents(BORDEAUX, "BA", "AUTRE", "", [35671, 36229, 34987]),
        # Mérignac: two-agent RH, one-agent FIN, half an agent made available to the EPCI, diffusible SI.
        *agents(MERIGNAC, "MR", "RH", "RH-FORM", [38443, 39157]),
        line(MERIGNAC, "MD1", "RH", 44062, quotite="0,5", situation="mad", beneficiary=EPCI, activity="RH-PAIE"),
        line(MERIGNAC, "MD1", "AUTRE", 44062, quotite="0,5"),
        *agents(MERIGNAC, "MF", "FIN", "FIN-BUDG", [47659]),
        *agents(MERIGNAC, "MS", "SI", "SI-APPL", [40283, 41719, 39541, 42367, 40897]),
        *agents(MERIGNAC, "MA", "AUTRE", "", [33917]),
        # Pessac: an agent split between FIN and RH (four agents in FIN, six in RH), two-agent SI, an agent
        # made available to another commune.
        *agents(PESSAC, "PF", "FIN", "FIN-COMP", [37861, 38509, 36943]),
        line(PESSAC, "PX1", "FIN", 42718, quotite="0,5", activity="FIN-COMP"),
        line(PESSAC, "PX1", "RH", 42718, quotite="0,5", activity="RH-TEMP"),
        *agents(PESSAC, "PR", "RH", "RH-PAIE", [39721, 40367, 38859, 41083, 39307]),
        *agents(PESSAC, "PS", "SI", "SI-INFR", [43729, 44381]),
        line(PESSAC, "PB1", "BML", 36551, situation="mad", beneficiary=TALENCE),
        *agents(PESSAC, "PA", "AUTRE", "", [32809]),
        # Talence: diffusible FIN, one agent made available to the EPCI, a dominant agent in RH, one-agent
        # SI, two-agent CPAJ.
        *agents(TALENCE, "TF", "FIN", "FIN-BUDG", [40621, 41347, 39883, 42139, 40057, 41611, 39419]),
        line(TALENCE, "TD1", "FIN", 45277, situation="mad", beneficiary=EPCI, activity="FIN-BUDG"),
        *agents(TALENCE, "TR", "RH", "RH-PAIE", [3571, 3613, 3529, 3697, 3443], etp="0,1"),
        line(TALENCE, "TR6", "RH", 89447, activity="RH-PAIE"),  # 83 % of the cell
        *agents(TALENCE, "TS", "SI", "SI-POST", [48337]),
        *agents(TALENCE, "TC", "CPAJ", "CPAJ-CONS", [37213, 38891]),
        *agents(TALENCE, "TA", "AUTRE", "", [31777, 32441]),
    ]


# name -> actions (theme, activity, modalité, communes); every small cell of a commune moves somewhere.
SCENARIOS = {
    "Thèmes en service commun": [
        ("RH", "", "service_commun", [BORDEAUX, MERIGNAC]),
        ("SI", "", "service_commun", [BORDEAUX, PESSAC]),
        ("FIN", "", "service_commun", [MERIGNAC, PESSAC]),
    ],
    "Activités": [
        ("RH", "RH-PAIE", "service_commun", [BORDEAUX]),
        ("RH", "RH-FORM", "mad_ascendante", [MERIGNAC]),
        ("FIN", "FIN-COMP", "mad_descendante", [PESSAC]),
        ("SI", "SI-POST", "service_commun", [TALENCE]),
    ],
    "Mises à disposition": [
        ("BML", "", "mad_ascendante", [BORDEAUX]),
        ("RH", "", "mad_descendante", [TALENCE]),
        ("CPAJ", "", "mad_ascendante", [TALENCE]),
        ("SI", "", "mad_descendante", [TALENCE, PESSAC]),
    ],
    "Cellules diffusibles": [
        ("FIN", "", "service_commun", [BORDEAUX, TALENCE]),
        ("CPAJ", "", "service_commun", [BORDEAUX]),
        ("SI", "", "service_commun", [MERIGNAC]),
    ],
}

# (group theme, activity, modalité, communes or None for all, qualification, faisabilité)
GT3_LINES = [
    ("RH", "RH-PAIE", "service_commun", None, 3, "4"),
    ("RH", "RH-FORM", "mad_ascendante", [MERIGNAC], 2, "3"),
    ("FIN", "FIN-BUDG", "service_commun", [BORDEAUX, TALENCE], 4, "4+"),
    ("SI", "SI-POST", "service_commun", [BORDEAUX], 3, "2"),
    ("CPAJ", "CPAJ-PASS", "groupement_commandes", [BORDEAUX], 1, "1"),
    ("BML", "BML-ENTR", "service_commun", None, None, ""),  # no consensus yet: listed under the matrix
]


@dataclass
class World:
    territoire: object
    readers: dict  # role name -> user
    lot: object
    scenarios: list
    gt3: list  # LigneMutualisable
    versions: list  # parcours.VersionSchema: each scenario frozen for the comité


def build(territoire, cast) -> World:
    from comptes.enums import Role
    from livrables.gt3.actions import do_creer_ligne
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot
    from scenarios import actions, calcul

    team = cast["equipe_projet"]
    lot = do_preparer_lot(territoire, payroll_csv(*payroll_rows()), "paie-balayage.csv", ANNEE, team)
    lot = do_confirmer_lot(lot, team)

    readers = {role: user for role, user in cast.items() if role != "exterieur"}
    readers["referent_paie_merignac"] = creer_utilisateur(
        territoire, "referent-paie-merignac", Role.REFERENT_PAIE, MERIGNAC
    )
    readers["elu_merignac"] = creer_utilisateur(territoire, "elu-merignac", Role.ELU, MERIGNAC)

    organisations = {o.code: o for o in territoire.organisations.all()}
    schema = territoire.schemas.get()
    ctx = calcul.contexte(territoire)
    scenarios = []
    for k, (name, plan) in enumerate(SCENARIOS.items()):
        scenario = actions.do_creer(schema, team, name)
        actions.do_ajouter_actions(
            ctx,
            scenario,
            team,
            [
                (
                    {
                        "theme": theme,
                        "activite": activity,
                        "toutes": False,
                        "modalite": modality,
                        "part": 1,
                        "gain": 0,
                        "annee": 2026 + (k + i) % 4,
                        "economie": 0,
                        "charges_associees": 0,
                    },
                    [organisations[c] for c in communes],
                    None,
                )
                for i, (theme, activity, modality, communes) in enumerate(plan)
            ],
        )
        scenarios.append(scenario)

    groups = {g.theme: g for g in schema.groupes.all()}
    gt3 = [
        do_creer_ligne(
            groups[theme],
            team,
            {
                "activite": territoire.activites.get(code=activity),
                "modalite": modality,
                "toutes_communes": communes is None,
                "communes": [organisations[c] for c in communes or []],
                "qualification": qualification,
                "faisabilite": feasibility,
            },
        )
        for theme, activity, modality, communes, qualification, feasibility in GT3_LINES
    ]
    from parcours.actions import do_figer_version

    versions = [do_figer_version(schema, s, "comite", team) for s in scenarios]
    return World(territoire, readers, lot, scenarios, gt3, versions)
