"""The correspondence of a DSN reading (docs/contrats/9-dsn.md): rules and their precedence, their checks, the
unplaced agents by libellé; and `mutualis dsn-paie` end to end against hand-computed payroll lines."""

from decimal import Decimal

import pytest

from formats import correspondance as corr
from formats.dsn import AgentAnnuel
from formats.errors import InvalidFile
from tests.cast import BORDEAUX, EPCI, MERIGNAC, run_command
from tests.commandes.test_coefficient_cli import TERRITORY
from tests.formats.test_dsn import contrat, dsn_mois

REGLES = (
    "cle;valeur;theme;activite;part;situation;beneficiaire\n"
    "matricule;A9;SI;;1;;\n"
    "service;DRH;RH;RH-PAIE;0,6;;\n"
    "service;DRH;RH;RH-FORM;0,4;;\n"
    "emploi;Gestionnaire  de PAIE;RH;RH-PAIE;1;mad;" + EPCI + "\n"
    "defaut;;AUTRE;;1;;\n"
)


def agent(matricule, libelle="Agent d'accueil"):
    return AgentAnnuel(matricule, Decimal("1000.00"), Decimal("0.5000"), "titulaire", libelle)


def test_a_matricule_rule_before_a_service_before_a_libelle_before_the_default():
    regles = corr.lire_correspondances(REGLES.encode(), "corr.csv")
    agents = [
        agent("A9", "Gestionnaire de paie"),  # its matricule rule wins
        agent("A2", "Gestionnaire de paie"),  # service DRH
        agent("A3", "gestionnaire de paie "),  # the libellé, matched without case or spaces
        agent("A4"),  # the default
    ]
    lignes = corr.affecter(agents, regles, {"A2": "DRH", "A9": "DRH"}, MERIGNAC)
    assert [
        (l["agent"], l["theme"], l["activite"], l["quotite"], l["situation"], l["beneficiaire"]) for l in lignes
    ] == [
        ("A2", "RH", "RH-FORM", "0.4", "propre", ""),
        ("A2", "RH", "RH-PAIE", "0.6", "propre", ""),
        ("A3", "RH", "RH-PAIE", "1", "mad", EPCI),
        ("A4", "AUTRE", "", "1", "propre", ""),
        ("A9", "SI", "", "1", "propre", ""),
    ]
    assert lignes[0]["cout_annuel"] == "1000.00" and lignes[0]["etp"] == "0.5000"


def test_the_agents_no_rule_places_are_counted_by_libelle():
    regles = corr.lire_correspondances(REGLES.replace("defaut;;AUTRE;;1;;\n", "").encode(), "corr.csv")
    with pytest.raises(InvalidFile) as exc:
        corr.affecter(
            [agent("B1", "Comptable"), agent("B2", "Comptable"), agent("B3", "Juriste")], regles, {}, MERIGNAC
        )
    assert exc.value.errors == [
        "emploi « Comptable » : 2 agents non affectés",
        "emploi « Juriste » : 1 agent non affecté",
    ]


def test_a_rules_file_is_checked_line_by_line():
    faux = (
        "cle;valeur;theme;activite;part;situation;beneficiaire\n"
        "grade;x;RH;;1;;\n"
        "emploi;;RH;;1;;\n"
        "emploi;Juriste;XYZ;;1;;\n"
        "emploi;Comptable;FIN;;1,5;;\n"
        "emploi;Archiviste;AUTRE;;1;mad;\n"
        "service;DF;FIN;;0,5;;\n"
        "emploi;Tiers;RH;;0.33333;;\n"
    )
    with pytest.raises(InvalidFile) as exc:
        corr.lire_correspondances(faux.encode(), "corr.csv")
    assert exc.value.errors == [
        "fichier corr.csv, ligne 2 : cle « grade » : attendu matricule, service, emploi ou defaut",
        "fichier corr.csv, ligne 3 : valeur : obligatoire pour une règle par matricule, service ou emploi",
        "fichier corr.csv, ligne 4 : theme « XYZ » : thème inconnu (le code d'un des neuf thèmes, ou AUTRE)",
        "fichier corr.csv, ligne 5 : part « 1,5 » : attendu un nombre entre 0 (exclu) et 1, à 4 décimales au plus",
        "fichier corr.csv, ligne 6 : beneficiaire : obligatoire pour un agent mis à disposition (mad)",
        "fichier corr.csv, ligne 8 : part « 0.33333 » : attendu un nombre entre 0 (exclu) et 1, à 4 décimales au plus",
        "fichier corr.csv, lignes 7 : les parts de la règle service « df » font 0,5 au lieu de 1",
    ]


def test_the_command_writes_the_payroll_file_from_twelve_dsn(capsys, tmp_path):
    territoire = tmp_path / "territoire.csv"
    territoire.write_text(TERRITORY, encoding="utf-8")
    regles = tmp_path / "corr.csv"
    regles.write_text(REGLES, encoding="utf-8")
    fichiers = []
    for m in range(1, 13):
        f = tmp_path / f"dsn-{m:02d}.txt"
        individus = [
            ("A2", [contrat("1", libelle="Gestionnaire de paie", quotite="17.5")], [("1", "1200.00")]),
            ("A3", [contrat("4", nature="10", regime="200", libelle="Gestionnaire de paie")], [("4", "2000.00")]),
        ]
        f.write_text(dsn_mois(m, individus, siren="213302813"), encoding="utf-8")  # Mérignac (DGCL)
        fichiers.append(str(f))
    agents = tmp_path / "agents.csv"
    agents.write_text("matricule;service\nA2;DRH\n", encoding="utf-8")
    sortie = tmp_path / "paie.csv"
    status, out, err = run_command(
        capsys, "dsn-paie", *fichiers, "--territory", str(territoire), "--employeur", MERIGNAC, "--annee", "2025",
        "--correspondances", str(regles), "--taux-charges", "cnracl=0.3765,general=0.42", "--agents", str(agents),
        "--output", str(sortie),
    )  # fmt: skip
    assert status == 0, err
    assert sortie.read_text(encoding="utf-8") == (
        "employeur;agent;theme;activite;cout_annuel;quotite;etp;situation;beneficiaire;statut\n"
        f"{MERIGNAC};A2;RH;RH-FORM;19821.60;0.4;0.5000;propre;;titulaire\n"  # 12 × 1200 × 1.3765, half time
        f"{MERIGNAC};A2;RH;RH-PAIE;19821.60;0.6;0.5000;propre;;titulaire\n"
        f"{MERIGNAC};A3;RH;RH-PAIE;34080.00;1;1.0000;mad;{EPCI};contractuel\n"  # 12 × 2000 × 1.42
    )
    status, out, err = run_command(
        capsys, "dsn-paie", *fichiers[:11], "--territory", str(territoire), "--employeur", MERIGNAC, "--annee", "2025",
        "--correspondances", str(regles), "--taux-charges", "cnracl=0.3765",
    )  # fmt: skip
    assert status == 2 and not out
    assert err.splitlines() == [
        "mois manquant : décembre 2025 (SIRET 21330281300018)",
        "taux de charges : le taux « régime général » (general) manque : des contrats de ces DSN en relèvent",
    ]
    # Mérignac's DSN given as Bordeaux's: refused by the SIREN the DGCL list gives Bordeaux.
    status, out, err = run_command(
        capsys, "dsn-paie", fichiers[0], "--territory", str(territoire), "--employeur", BORDEAUX, "--annee", "2025",
        "--correspondances", str(regles), "--taux-charges", "cnracl=0.3765,general=0.42",
    )  # fmt: skip
    assert status == 2 and not out
    assert err.splitlines()[0] == (
        "fichier dsn-01.txt, ligne 2 : SIREN 213302813 : ce fichier n'est pas une DSN de l'employeur 213300635"
    )
