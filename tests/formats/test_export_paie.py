"""A payroll software's export read through a mapping of its columns (formats/export_paie.py): the first
guess from headers, a profile against a new file, the mapping's own errors, the values of the service and
statut columns, and the payroll file of §3 it gives, validated by §3 with the export's line numbers."""

import pytest

from formats import export_paie as ep
from formats.errors import InvalidFile
from formats.lecture import read_table
from formats.payroll import read_payroll
from tests.formats.conftest import BORDEAUX, EPCI, MERIGNAC, TERRITORY, csv_bytes, xlsx_bytes

ACTIVITES = {"RH-PAIE": "RH", "RH-FORM": "RH", "FIN-BUDG": "FIN"}

# A Ciril-like export: its own headers, a name column, service codes and statut codes, French numbers, a
# blank line (line 4) and a footer line whose only cell is in an ignored column (line 7).
EXPORT = csv_bytes(
    "Matricule;Nom;Code service;Statut;Brut chargé (€);Taux activité",
    "A1;Dupont;0420;TIT;45 000,50;100 %",
    "A2;Durand;0420;CONT;30000;80 %",
    ";;;;;",
    "A3;Martin;0510;tit;52 000;1",
    "A4;Petit;0999;STAG;28 000,00;0,5",
    ";Édité le 12/01/2026;;;;",
)
MAPPING = {
    "Matricule": "agent",
    "Nom": "",
    "Code service": "service",
    "Statut": "statut",
    "Brut chargé (€)": "cout_annuel",
    "Taux activité": "etp",
}
VALEURS = {
    "theme": {"0420": "RH", "0510": "FIN", "0999": "AUTRE"},
    "activite": {"0420": "RH-PAIE", "0510": "FIN-BUDG"},
    "statut": {"TIT": "titulaire", "CONT": "contractuel", "STAG": "titulaire"},
}


def table(data=EXPORT, name="export.csv"):
    return read_table(data, name, "masse_salariale")


def convert(mapping=MAPPING, valeurs=VALEURS, employeur=MERIGNAC, data=EXPORT, name="export.csv"):
    return ep.convertir(table(data, name), ep.Correspondance(dict(mapping), valeurs, employeur), ACTIVITES)


def errors(**kwargs) -> list[str]:
    with pytest.raises(InvalidFile) as exc:
        convert(**kwargs)
    return exc.value.errors


@pytest.mark.parametrize(
    ("headers", "profil", "expected"),
    [
        (
            ["Matricule", "Nom", "Code service", "Libellé service", "Statut", "Brut chargé (€)", "Taux activité"],
            None,
            ["agent", "", "service", "", "statut", "cout_annuel", "etp"],
        ),
        # the fields' own names first, whatever their case or accents
        (
            ["EMPLOYEUR", "Agent", "Thème", "Coût annuel", "Quotité"],
            None,
            ["employeur", "agent", "theme", "cout_annuel", "quotite"],
        ),
        # a telling word when nothing else matched; each field taken once (the first column wins)
        (["N° matricule", "Coût 2025", "Service", "Service 2"], None, ["agent", "cout_annuel", "service", ""]),
        # a profile's choices first, a guess for the columns it does not know, never a field it already gives
        (["Mat", "Cout", "Matricule"], {"Mat": "agent", "Cout": "cout_annuel"}, ["agent", "cout_annuel", ""]),
        # a profile's header matches as headers do, and an ignored column stays ignored
        (["MAT.", "statut"], {"mat.": "agent", "Statut": ""}, ["agent", ""]),
        # a yearly loaded gross, as many exports name it
        (["Matricule", "Brut chargé annuel", "Taux activité"], None, ["agent", "cout_annuel", "etp"]),
    ],
    ids=["ciril", "own-names", "words", "profile-first", "profile-ignored", "yearly-loaded-gross"],
)
def test_a_first_mapping_from_the_headers_or_a_profile(headers, profil, expected):
    cols = [ep.Colonne(i, h) for i, h in enumerate(headers)]
    assert list(ep.deviner(cols, profil).values()) == expected


@pytest.mark.parametrize(
    ("valeur", "statut"),
    [
        ("TIT", "titulaire"),
        ("Titulaire", "titulaire"),
        ("Stagiaire", "titulaire"),
        ("fonctionnaire", "titulaire"),
        ("Non titulaire", "contractuel"),
        ("NON-TIT", "contractuel"),
        ("CONT", "contractuel"),
        ("CDD", "contractuel"),
        ("Vacataire", "contractuel"),
        ("EMP", ""),
        ("", ""),
    ],
)
def test_a_statut_guessed_from_usual_codes(valeur, statut):
    assert ep.deviner_statut(valeur) == statut


@pytest.mark.parametrize(
    ("valeur", "expected"),
    [("rh-paie", ("RH", "RH-PAIE")), ("Finances", ("FIN", "")), ("RH", ("RH", "")), ("0420", ("", "")), ("", ("", ""))],
)
def test_a_service_that_already_names_a_theme_or_an_activity(valeur, expected):
    assert ep.deviner_service(valeur, ACTIVITES) == expected


@pytest.mark.parametrize(
    ("profil", "headers", "manquantes", "nouvelles"),
    [
        ({"Matricule": "agent", "Coût": "cout_annuel"}, ["MATRICULE", "coût"], (), ()),
        (
            {"Matricule": "agent", "Code service": "service", "Nom": ""},
            ["Matricule", "Service", "Nom"],
            ("Code service",),
            ("Service",),
        ),
        ({"Matricule": "agent"}, ["Matricule", "Quotité", "Grade"], (), ("Quotité", "Grade")),
    ],
    ids=["same", "renamed", "new"],
)
def test_a_profile_against_a_new_file(profil, headers, manquantes, nouvelles):
    e = ep.ecart(profil, [ep.Colonne(i, h) for i, h in enumerate(headers)])
    assert (e.manquantes, e.nouvelles) == (manquantes, nouvelles)
    assert bool(e) == bool(manquantes or nouvelles)


def test_the_message_of_a_profile_that_no_longer_matches_names_the_columns():
    e = ep.ecart(
        {"Matricule": "agent", "Code service": "service", "Quotité": "quotite"},
        [ep.Colonne(0, "Matricule"), ep.Colonne(1, "Service")],
    )
    assert e.message("Ciril") == (
        "Le profil « Ciril » ne correspond plus aux colonnes du fichier : 2 colonnes du profil absentes du fichier : "
        "« Code service », « Quotité » ; 1 colonne nouvelle que le profil ne connaît pas : « Service ». "
        "Vérifiez la correspondance ci-dessous avant d'importer."
    )


def test_an_export_becomes_a_payroll_file_with_the_exports_line_numbers():
    conversion = convert()
    assert conversion.lignes == 4
    lines = conversion.contenu.splitlines()
    assert (
        lines[0]
        == "employeur;agent;theme;activite;cout_annuel;quotite;etp;situation;beneficiaire;service;statut;categorie"
    )
    # line N of the export is line N of the payroll file: line 4 (blank) and line 7 (footer) are blank
    assert lines[1].split(";")[:5] == [MERIGNAC, "A1", "RH", "RH-PAIE", "45 000,50"]
    assert lines[3].strip(";") == "" and lines[6].strip(";") == ""
    assert lines[4].split(";")[:4] == [MERIGNAC, "A3", "FIN", "FIN-BUDG"]
    assert conversion.avertissements == [
        "ligne 7 : aucune valeur dans les colonnes retenues (seules des colonnes ignorées sont remplies) : "
        "laissée de côté"
    ]
    payroll = read_payroll(conversion.contenu.encode(), "x.csv", TERRITORY, ACTIVITES).lines
    rows = payroll.select("ligne", "agent", "theme", "activite", "cout_annuel", "etp", "statut", "service").rows()
    assert rows == [
        (2, "A1", "RH", "RH-PAIE", 45000.5, 1.0, "titulaire", "0420"),
        (3, "A2", "RH", "RH-PAIE", 30000.0, 0.8, "contractuel", "0420"),
        (5, "A3", "FIN", "FIN-BUDG", 52000.0, 1.0, "titulaire", "0510"),  # « tit » matches « TIT »
        (6, "A4", "AUTRE", None, 28000.0, 0.5, "titulaire", "0999"),
    ]
    assert payroll["montant"].sum() == pytest.approx(155000.5)
    assert set(payroll["employeur"]) == {MERIGNAC}


def test_an_employer_column_wins_over_the_chosen_employer_and_a_numeric_code_is_padded():
    data = xlsx_bytes(
        [
            ["Collectivité", "Matricule", "Thème", "Coût"],
            [33063, "B1", "FIN", 40000],
            ["243300316", "E1", "RH", 41000.5],
        ],
        sheet="Export",
    )
    conversion = convert(
        {"Collectivité": "employeur", "Matricule": "agent", "Thème": "theme", "Coût": "cout_annuel"},
        {},
        MERIGNAC,
        data,
        "export.xlsx",
    )
    payroll = read_payroll(conversion.contenu.encode(), "x.csv", TERRITORY).lines
    assert payroll.select("employeur", "agent", "theme", "cout_annuel").rows() == [
        (BORDEAUX, "B1", "FIN", 40000.0),
        (EPCI, "E1", "RH", 41000.5),
    ]


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        (
            {**MAPPING, "Nom": "agent"},
            "correspondance : matricule de l'agent : donné par deux colonnes (« Matricule » et « Nom ») : "
            "gardez-en une, ignorez l'autre",
        ),
        (
            {**MAPPING, "Brut chargé (€)": ""},
            "correspondance : aucune colonne ne donne le champ « coût annuel chargé »",
        ),
        ({**MAPPING, "Matricule": ""}, "correspondance : aucune colonne ne donne le champ « matricule de l'agent »"),
        ({**MAPPING, "Code service": ""}, "correspondance : aucune colonne ne donne le thème : associez une colonne"),
        ({**MAPPING, "Nom": "prenom"}, "correspondance : colonne « Nom » : champ inconnu « prenom »"),
    ],
    ids=["twice", "no-cost", "no-agent", "no-theme", "unknown-field"],
)
def test_the_mapping_itself_is_checked_first(mapping, expected):
    assert any(e.startswith(expected) for e in errors(mapping=mapping)), errors(mapping=mapping)


def test_without_employer_column_nor_chosen_employer_the_mapping_is_refused():
    assert errors(employeur="") == [
        "correspondance : aucune colonne ne donne l'employeur, et aucun employeur n'est choisi"
    ]


@pytest.mark.parametrize(
    ("valeurs", "expected"),
    [
        (
            {**VALEURS, "theme": {"0420": "RH", "0510": "FIN"}},
            ["ligne 6 : Code service « 0999 » : aucun thème choisi pour ce service dans le tableau des services"],
        ),
        (
            {**VALEURS, "activite": {"0420": "FIN-BUDG"}},
            [
                "ligne 2 : Code service « 0420 » : l'activité FIN-BUDG choisie pour ce service est du thème FIN, "
                "et non du thème RH choisi pour lui (même valeur sur la ligne 3)"
            ],
        ),
        (
            {**VALEURS, "activite": {"0510": "FIN-XXX"}},
            [
                "ligne 5 : Code service « 0510 » : activité « FIN-XXX » choisie pour ce service : inconnue du "
                "référentiel du territoire"
            ],
        ),
        (
            {**VALEURS, "theme": {**VALEURS["theme"], "0999": "SPORT"}},
            [
                "ligne 6 : Code service « 0999 » : thème « SPORT » inconnu choisi pour ce service : choisissez l'un "
                "des neuf thèmes, ou « hors des neuf thèmes »"
            ],
        ),
        (
            {**VALEURS, "statut": {"TIT": "titulaire", "STAG": "stagiaire"}},
            [
                "ligne 3 : Statut « CONT » : aucun statut choisi pour cette valeur dans le tableau des statuts "
                "(titulaire, contractuel ou autre)",
                "ligne 6 : Statut « STAG » : statut « stagiaire » inconnu pour cette valeur dans le tableau des "
                "statuts (titulaire, contractuel ou autre)",
            ],
        ),
    ],
    ids=["service-without-theme", "activity-of-another-theme", "unknown-activity", "unknown-theme", "statuts"],
)
def test_a_bad_value_mapping_is_an_error_on_the_exports_line(valeurs, expected):
    assert errors(valeurs=valeurs) == expected


def test_a_value_mapped_once_is_matched_whatever_its_case_or_spaces():
    correspondance = ep.Correspondance({}, {"statut": {" Non titulaire ": "contractuel"}})
    assert correspondance.valeur("statut", "NON  TITULAIRE") == "contractuel"
    assert correspondance.valeur("statut", "titulaire") == ""


def test_a_doubled_header_is_refused_by_name_and_letters():
    data = csv_bytes("Matricule;Coût;matricule", "A1;1;A1")
    with pytest.raises(InvalidFile) as exc:
        ep.colonnes(table(data))
    assert exc.value.errors == [
        "fichier : en-tête en double : « Matricule » (colonnes A, C) : renommez l'une des colonnes"
    ]


def test_a_formula_without_value_in_a_mapped_column_is_named_in_the_exports_words():
    data = xlsx_bytes([["Matricule", "Thème", "Coût chargé", "Note"], ["A1", "RH", "=B2*2", "=1/0"]], sheet="Export")
    mapping = {"Matricule": "agent", "Thème": "theme", "Coût chargé": "cout_annuel", "Note": ""}
    message = errors(mapping=mapping, valeurs={}, data=data, name="export.xlsx")
    assert message == [
        "ligne 2 : Coût chargé « =B2*2 » : formule sans valeur calculée : ouvrez le fichier dans le tableur et "
        "enregistrez-le pour que la valeur soit calculée"
    ]  # the ignored column's formula is no error


def test_the_payroll_files_messages_name_the_exports_columns():
    conversion = convert(data=EXPORT.replace(b"52 000", b"abc"))
    with pytest.raises(InvalidFile) as exc:
        read_payroll(conversion.contenu.encode(), "x.csv", TERRITORY, ACTIVITES)
    cols = ep.colonnes(table())
    situated = ep.situer(exc.value.errors, ep.Correspondance(MAPPING, VALEURS, MERIGNAC), cols)
    assert situated == ["ligne 5 : Brut chargé (€) « abc » : n'est pas un nombre"]
    # a field not read from a column (the chosen employer, a theme from the service) keeps its name
    assert ep.situer(["ligne 3 : theme « X » : inconnu"], ep.Correspondance(MAPPING), cols) == [
        "ligne 3 : theme « X » : inconnu"
    ]


def test_the_mapping_page_sees_how_full_and_how_varied_each_column_is_without_values():
    t = table()
    cols = ep.colonnes(t)
    assert ep.remplissage(t, cols)[2] == (4, 3)  # Code service: 4 cells, 3 codes
    retenues = [c for c in cols if MAPPING[c.entete]]
    assert ep.valeurs_distinctes(t, cols[2], retenues, avec_vide=True) == [("0420", 2), ("0510", 1), ("0999", 1)]
    # without the columns the mapping reads, the footer line adds an empty service
    assert ("", 1) in ep.valeurs_distinctes(t, cols[2], avec_vide=True)
