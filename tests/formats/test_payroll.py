"""The payroll file (docs/contrats §1 and §3): every rule, error and warning."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from formats.errors import InvalidFile
from formats.payroll import LINE_SCHEMA, Payroll, TerritoryCodes, read_payroll, theme_code

TWO_SEPARATORS = (
    "deux séparateurs décimaux (« . » et « , ») : un seul est admis, et les milliers ne se séparent que par des espaces"
)
EPCI = "243300316"
BORDEAUX, MERIGNAC, PESSAC, AMBERIEU, AJACCIO = "33063", "33281", "33318", "01004", "2A004"
TERRITORY = TerritoryCodes(EPCI, frozenset({BORDEAUX, MERIGNAC, PESSAC, AMBERIEU, AJACCIO}), "Bordeaux Métropole")
OUTSIDE = "n'est ni l'EPCI ni une commune du territoire Bordeaux Métropole (243300316)"

COLUMNS = (
    "employeur", "agent", "theme", "cout_annuel", "quotite", "etp", "situation",
    "beneficiaire", "activite", "service", "statut", "categorie",
)  # fmt: skip
HEADER = ";".join(COLUMNS)
ACTIVITIES = {"RH-PAIE": "RH", "RH-FORM": "RH", "FIN-BUDGET": "FIN"}


def line(**cells: str) -> str:
    """A line of the full-header file; unspecified cells are a valid Bordeaux RH line."""
    values = {"employeur": BORDEAUX, "agent": "M1", "theme": "RH", "cout_annuel": "40000"} | cells
    return ";".join(values.get(c, "") for c in COLUMNS)


def payroll(*lines: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode(encoding)


def read(data: bytes, filename: str = "masse_salariale.csv", activities=None, territory=TERRITORY) -> Payroll:
    return read_payroll(data, filename, territory, activities)


def failure(data: bytes, filename: str = "masse_salariale.csv", activities=None, territory=TERRITORY) -> InvalidFile:
    with pytest.raises(InvalidFile) as caught:
        read_payroll(data, filename, territory, activities)
    return caught.value


def errors(data: bytes, **kwargs) -> list[str]:
    return failure(data, **kwargs).errors


def first_line(data: bytes, **kwargs) -> dict:
    return read(data, **kwargs).lines.row(0, named=True)


# --- a valid file ---------------------------------------------------------------------------------


def test_valid_file_gives_typed_lines():
    data = payroll(
        line(
            employeur=EPCI,
            agent="E1",
            theme="FIN",
            cout_annuel="50000",
            categorie="A",
            service="Budget",
            statut="titulaire",
        ),
        line(agent="B1", theme="RH", cout_annuel="30000", quotite="0,6", etp="0,8", activite="RH-PAIE"),
        line(agent="B1", theme="AUTRE", cout_annuel="30000", quotite="0,4", etp="0,8"),
        line(agent="B2", cout_annuel="36000", situation="mad", beneficiaire=EPCI, categorie="c"),
        line(employeur=EPCI, agent="E2", cout_annuel="42000", situation="transfere"),
    )
    result = read(data)
    assert result.lines.schema == pl.Schema(LINE_SCHEMA)
    assert list(result.lines.columns) == [
        "ligne", "employeur", "agent", "theme", "activite", "cout_annuel", "quotite", "etp", "situation",
        "beneficiaire", "service", "statut", "categorie", "montant", "etp_ligne",
    ]  # fmt: skip
    assert result.lines.rows(named=True) == [
        {"ligne": 2, "employeur": EPCI, "agent": "E1", "theme": "FIN", "activite": None, "cout_annuel": 50000.0,
         "quotite": 1.0, "etp": 1.0, "situation": "propre", "beneficiaire": None, "service": "Budget",
         "statut": "titulaire", "categorie": "A", "montant": 50000.0, "etp_ligne": 1.0},
        {"ligne": 3, "employeur": BORDEAUX, "agent": "B1", "theme": "RH", "activite": "RH-PAIE",
         "cout_annuel": 30000.0, "quotite": 0.6, "etp": 0.8, "situation": "propre", "beneficiaire": None,
         "service": None, "statut": None, "categorie": None, "montant": 18000.0, "etp_ligne": pytest.approx(0.48)},
        {"ligne": 4, "employeur": BORDEAUX, "agent": "B1", "theme": "AUTRE", "activite": None,
         "cout_annuel": 30000.0, "quotite": 0.4, "etp": 0.8, "situation": "propre", "beneficiaire": None,
         "service": None, "statut": None, "categorie": None, "montant": 12000.0, "etp_ligne": pytest.approx(0.32)},
        {"ligne": 5, "employeur": BORDEAUX, "agent": "B2", "theme": "RH", "activite": None, "cout_annuel": 36000.0,
         "quotite": 1.0, "etp": 1.0, "situation": "mad", "beneficiaire": EPCI, "service": None, "statut": None,
         "categorie": "C", "montant": 36000.0, "etp_ligne": 1.0},
        {"ligne": 6, "employeur": EPCI, "agent": "E2", "theme": "RH", "activite": None, "cout_annuel": 42000.0,
         "quotite": 1.0, "etp": 1.0, "situation": "transfere", "beneficiaire": None, "service": None,
         "statut": None, "categorie": None, "montant": 42000.0, "etp_ligne": 1.0},
    ]  # fmt: skip
    assert result.warnings == []


def test_only_required_columns():
    result = read(payroll(f"{BORDEAUX};M1;RH;40000", header="employeur;agent;theme;cout_annuel"))
    assert result.lines.schema == pl.Schema(LINE_SCHEMA)
    row = result.lines.row(0, named=True)
    assert (row["quotite"], row["etp"], row["situation"], row["montant"], row["etp_ligne"]) == (
        1.0,
        1.0,
        "propre",
        40000.0,
        1.0,
    )
    assert row["beneficiaire"] is None and row["categorie"] is None and row["activite"] is None


def test_windows_1252_file_from_french_excel():
    header = "Employeur;Agent;Thème;Coût annuel (€);Quotité;ETP;Situation;Bénéficiaire;Activité;Catégorie"
    lines = [
        f"{BORDEAUX};Éloïse-1;Ressources humaines;45 231,50 €;50 %;80%;;;;B",
        f"{BORDEAUX};Éloïse-1;Finances;45231,5;50%;0,8;;;;B",
        f"{MERIGNAC};Zoé;Bâtiments, moyens matériels et logistique;1 234 567,8;12,5 %;1;MAD;{EPCI};;a",
    ]
    data = ("\r\n".join([header, *lines]) + "\r\n").encode("cp1252")
    rows = (
        read(data)
        .lines.select("ligne", "agent", "theme", "cout_annuel", "quotite", "etp", "situation", "categorie")
        .rows()
    )
    assert rows == [
        (2, "Éloïse-1", "RH", 45231.5, 0.5, 0.8, "propre", "B"),
        (3, "Éloïse-1", "FIN", 45231.5, 0.5, 0.8, "propre", "B"),
        (4, "Zoé", "BML", 1234567.8, 0.125, 1.0, "mad", "A"),
    ]


@pytest.mark.parametrize("separator", [",", "\t"])
def test_other_separators(separator):
    data = payroll(
        separator.join([BORDEAUX, "M1", "RH", "40000.5", "0.5"]),
        header=separator.join(["employeur", "agent", "theme", "cout_annuel", "quotite"]),
    )
    assert first_line(data)["montant"] == 20000.25


def test_cells_are_trimmed_and_codes_normalised():
    data = payroll(
        line(employeur=" 243 300 316 ", agent="  M1  ", theme=" rh ", cout_annuel=" 40000 "),
        line(employeur="2a004", agent="M2", situation=" Mad ", beneficiaire=f"\u00a0{EPCI}\u00a0"),
    )
    rows = read(data).lines.select("employeur", "agent", "theme", "cout_annuel", "situation", "beneficiaire").rows()
    assert rows == [(EPCI, "M1", "RH", 40000.0, "propre", None), (AJACCIO, "M2", "RH", 40000.0, "mad", EPCI)]


# --- numbers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("45231,5", 45231.5),
        ("45231.5", 45231.5),
        ("45 231,50", 45231.5),
        ("45\u00a0231,50", 45231.5),
        ("45\u202f231,50", 45231.5),
        ("45 231,50 €", 45231.5),
        ("45231€", 45231.0),
        ("1 234 567,8", 1234567.8),
        ("0", 0.0),
        ("0,0", 0.0),
        ("+12", 12.0),
        ("12,", 12.0),
        (",5", 0.5),
        ("1e3", 1000.0),
    ],
)
def test_amounts_in_text(text, value):
    assert first_line(payroll(line(cout_annuel=text)))["cout_annuel"] == value


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("1.234,50", TWO_SEPARATORS),
        ("1,234.50", TWO_SEPARATORS),
        ("abc", "n'est pas un nombre"),
        ("12 34", "n'est pas un nombre"),
        ("1.2.3", "n'est pas un nombre"),
        ("1,2,3", "n'est pas un nombre"),
        ("inf", "n'est pas un nombre"),
        ("NaN", "n'est pas un nombre"),
        ("€ 12", "n'est pas un nombre"),
        ("50 %", "pourcentage non admis ici : un nombre est attendu"),
        ("−5", "coût annuel négatif : il doit être positif ou nul"),
        ("-5", "coût annuel négatif : il doit être positif ou nul"),
        ("- 1 000,5 €", "n'est pas un nombre"),
        ("", "coût annuel manquant"),
        ("   ", "coût annuel manquant"),
    ],
)
def test_amount_errors(text, rule):
    shown = " ".join(text.split())
    quoted = f"« {shown} »" if shown else "« »"
    assert errors(payroll(line(cout_annuel=text))) == [f"ligne 2 : cout_annuel {quoted} : {rule}"]


def test_unicode_minus_is_a_minus():
    (message,) = errors(payroll(line(cout_annuel="\u22121 000")))
    assert message == "ligne 2 : cout_annuel « −1 000 » : coût annuel négatif : il doit être positif ou nul"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("50 %", 0.5),
        ("50%", 0.5),
        ("12,5 %", 0.125),
        ("100 %", 1.0),
        ("0,5", 0.5),
        ("0.25", 0.25),
        ("1", 1.0),
        ("", 1.0),
    ],
)
@pytest.mark.parametrize("column", ["quotite", "etp"])
def test_shares_and_percentages(column, text, value):
    assert first_line(payroll(line(**{column: text})))[column] == value


QUOTITE_RANGE = (
    "hors de l'intervalle ]0 ; 1] : part du temps de travail de l'agent sur cette ligne (0,5 ou 50 % pour la moitié)"
)
ETP_RANGE = (
    "hors de l'intervalle ]0 ; 1] : taux de temps de travail de l'agent (0,8 ou 80 % pour un temps partiel à 80 %)"
)


@pytest.mark.parametrize(
    ("column", "text", "rule"),
    [
        ("quotite", "0", QUOTITE_RANGE),
        ("quotite", "0 %", QUOTITE_RANGE),
        ("quotite", "1,5", QUOTITE_RANGE),
        ("quotite", "150 %", QUOTITE_RANGE),
        ("quotite", "−0,5", QUOTITE_RANGE),
        ("quotite", "1,000001", QUOTITE_RANGE),
        ("quotite", "moitié", "n'est pas un nombre"),
        ("quotite", "0.5,0", TWO_SEPARATORS),
        ("etp", "0", ETP_RANGE),
        ("etp", "80", ETP_RANGE),
        ("etp", "x", "n'est pas un nombre"),
    ],
)
def test_share_errors(column, text, rule):
    assert errors(payroll(line(**{column: text}))) == [f"ligne 2 : {column} « {text} » : {rule}"]


def test_share_tolerance_on_one_value():
    assert first_line(payroll(line(quotite="1.0000000005")))["quotite"] == 1.0000000005


# --- themes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("RH", "RH"),
        ("rh", "RH"),
        ("Fin", "FIN"),
        ("Ressources humaines", "RH"),
        ("RESSOURCES-HUMAINES", "RH"),
        ("ressources_humaines", "RH"),
        ("Informatique, numérique et systèmes d’information", "SI"),
        ("Informatique, numerique et systemes d'information", "SI"),
        ("Commande publique et affaires juridiques", "CPAJ"),
        ("Autorisation d'occupation des sols", "AOS"),
        ("Travaux d'investissement sur le domaine public", "TIDP"),
        ("AUTRE", "AUTRE"),
        ("autre", "AUTRE"),
    ],
)
def test_theme_codes_and_labels(text, code):
    assert theme_code(text) == code
    assert first_line(payroll(line(theme=text)))["theme"] == code


THEME_RULE = (
    "indiquez un code (FIN, RH, CPAJ, SI, BML, AOS, GDP, ECO, TIDP), le libellé du thème, "
    "ou AUTRE pour un travail hors des neuf thèmes"
)


@pytest.mark.parametrize(
    ("text", "start"), [("XX", "thème inconnu"), ("Ressources", "thème inconnu"), ("", "thème manquant")]
)
def test_theme_errors(text, start):
    quoted = f"« {text} »" if text else "« »"
    assert errors(payroll(line(theme=text))) == [f"ligne 2 : theme {quoted} : {start} : {THEME_RULE}"]


# --- one error per rule of §3 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        pytest.param({"agent": ""}, "ligne 2 : agent « » : identifiant d'agent manquant", id="empty-agent"),
        pytest.param({"agent": "   "}, "ligne 2 : agent « » : identifiant d'agent manquant", id="blank-agent"),
        pytest.param({"employeur": "33999"}, f"ligne 2 : employeur « 33999 » : {OUTSIDE}", id="unknown-employer"),
        pytest.param(
            {"employeur": "1004"},
            f"ligne 2 : employeur « 1004 » : {OUTSIDE} "
            "(un code INSEE a 5 caractères : le zéro initial a-t-il été perdu ?)",
            id="employer-lost-zero",
        ),
        pytest.param(
            {"employeur": ""},
            "ligne 2 : employeur « » : employeur manquant : code de l'organisme qui paie l'agent "
            "(SIREN de l'EPCI ou code INSEE d'une commune du territoire)",
            id="empty-employer",
        ),
        pytest.param(
            {"situation": "mad", "beneficiaire": "33999"},
            f"ligne 2 : beneficiaire « 33999 » : {OUTSIDE}",
            id="unknown-beneficiary",
        ),
        pytest.param(
            {"situation": "mad"},
            "ligne 2 : situation « mad » : mise à disposition (mad) sans beneficiaire : indiquez le code de "
            "l'organisme auquel l'agent est mis à disposition",
            id="mad-without-beneficiary",
        ),
        pytest.param(
            {"situation": "mad", "beneficiaire": BORDEAUX},
            "ligne 2 : beneficiaire « 33063 » : identique à l'employeur : un agent n'est pas mis à disposition "
            "de son propre employeur",
            id="mad-to-its-employer",
        ),
        pytest.param(
            {"beneficiaire": EPCI},
            "ligne 2 : beneficiaire « 243300316 » : bénéficiaire sur une ligne qui n'est pas une mise à "
            "disposition (situation « propre ») : laissez la cellule vide, ou indiquez la situation mad",
            id="beneficiary-on-propre",
        ),
        pytest.param(
            {"employeur": EPCI, "situation": "transfere", "beneficiaire": BORDEAUX},
            "ligne 2 : beneficiaire « 33063 » : bénéficiaire sur une ligne qui n'est pas une mise à "
            "disposition (situation « transfere ») : laissez la cellule vide, ou indiquez la situation mad",
            id="beneficiary-on-transfere",
        ),
        pytest.param(
            {"situation": "transfere"},
            "ligne 2 : situation « transfere » : transfere n'est admis que sur une ligne dont l'employeur est "
            "l'EPCI (243300316) : un agent transféré est déclaré par l'EPCI",
            id="transfere-by-a-commune",
        ),
        pytest.param(
            {"situation": "détaché"},
            "ligne 2 : situation « détaché » : situation inconnue : propre, transfere ou mad attendu (vide = propre)",
            id="unknown-situation",
        ),
        pytest.param(
            {"categorie": "D"}, "ligne 2 : categorie « D » : catégorie inconnue : A, B ou C attendu", id="category"
        ),
        pytest.param(
            {"categorie": "A+"}, "ligne 2 : categorie « A+ » : catégorie inconnue : A, B ou C attendu", id="category-2"
        ),
    ],
)
def test_row_errors(cells, message):
    # A second, valid line keeps the file in the territory (else a file-level error is added).
    assert errors(payroll(line(**cells), line(agent="OK"))) == [message]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ({"situation": "MAD", "beneficiaire": EPCI}, ("mad", EPCI)),
        ({"situation": "mad", "beneficiaire": MERIGNAC}, ("mad", MERIGNAC)),
        ({"situation": "Mise à disposition", "beneficiaire": MERIGNAC}, ("mad", MERIGNAC)),
        ({"employeur": EPCI, "situation": "Transféré"}, ("transfere", None)),
        ({"situation": "PROPRE"}, ("propre", None)),
        ({"situation": ""}, ("propre", None)),
    ],
)
def test_situations(cells, expected):
    row = first_line(payroll(line(**cells)))
    assert (row["situation"], row["beneficiaire"]) == expected


def test_zero_cost_is_valid():
    assert first_line(payroll(line(cout_annuel="0")))["montant"] == 0.0


def test_transfere_on_an_unknown_employer_reports_the_employer_only():
    assert errors(payroll(line(employeur="33999", situation="transfere"), line(agent="OK"))) == [
        f"ligne 2 : employeur « 33999 » : {OUTSIDE}"
    ]


# --- errors across rows ---------------------------------------------------------------------------


def test_quotite_sum_above_one_is_reported_on_each_row():
    data = payroll(
        line(agent="A", quotite="0,6"),
        line(agent="Z", quotite="1"),
        line(agent="A", theme="FIN", quotite="0,4"),
        line(agent="A", theme="SI", quotite="20 %"),
    )
    assert errors(data) == [
        "ligne 2 : quotite « 0,6 » : la somme des quotités de l'agent dépasse 1 (1,2) avec les lignes 4, 5",
        "ligne 4 : quotite « 0,4 » : la somme des quotités de l'agent dépasse 1 (1,2) avec les lignes 2, 5",
        "ligne 5 : quotite « 20 % » : la somme des quotités de l'agent dépasse 1 (1,2) avec les lignes 2, 4",
    ]


def test_quotite_sum_counts_empty_quotites_as_one():
    data = payroll(line(agent="A"), line(agent="A", theme="FIN", quotite="0,5"))
    assert errors(data) == [
        "ligne 2 : quotite « » : la somme des quotités de l'agent dépasse 1 (1,5) avec la ligne 3 "
        "(quotité vide ou absente : 1)",
        "ligne 3 : quotite « 0,5 » : la somme des quotités de l'agent dépasse 1 (1,5) avec la ligne 2",
    ]


def test_quotite_sum_without_a_quotite_column():
    data = payroll(f"{BORDEAUX};A;RH;1000", f"{BORDEAUX};A;FIN;1000", header="employeur;agent;theme;cout_annuel")
    assert errors(data) == [
        "ligne 2 : quotite « » : la somme des quotités de l'agent dépasse 1 (2) avec la ligne 3 "
        "(quotité vide ou absente : 1)",
        "ligne 3 : quotite « » : la somme des quotités de l'agent dépasse 1 (2) avec la ligne 2 "
        "(quotité vide ou absente : 1)",
    ]


@pytest.mark.parametrize(
    ("quotites", "valid"),
    [
        (["0,1", "0,2", "0,7"], True),  # 1.0000000000000002 in floating point
        (["0,5", "0,5000000005"], True),  # within 1e-9
        (["0,5", "0,500000002"], False),
        (["33,3333333333 %", "33,3333333333 %", "33,3333333334 %"], True),
    ],
)
def test_quotite_sum_tolerance(quotites, valid):
    data = payroll(*(line(agent="A", theme=t, quotite=q) for t, q in zip(["RH", "FIN", "SI"], quotites, strict=False)))
    if valid:
        assert read(data).lines.height == len(quotites)
    else:
        assert len(errors(data)) == len(quotites)


def test_lines_of_one_agent_are_per_employer():
    # The same identifier at two employers is two agents (matricules are the employer's).
    data = payroll(line(agent="A", cout_annuel="1000"), line(employeur=MERIGNAC, agent="A", cout_annuel="2000"))
    assert read(data).lines.height == 2


def test_different_costs_for_one_agent_on_each_row():
    data = payroll(
        line(agent="A", cout_annuel="45000", quotite="0,5"),
        line(agent="A", theme="FIN", cout_annuel="45000", quotite="0,25"),
        line(agent="A", theme="SI", cout_annuel="46000", quotite="0,25"),
    )
    rule = "un agent a un seul coût annuel pour son employeur (son coût total, même réparti sur plusieurs lignes)"
    assert errors(data) == [
        f"ligne 2 : cout_annuel « 45000 » : l'agent a un coût annuel différent sur la ligne 4 : {rule}",
        f"ligne 3 : cout_annuel « 45000 » : l'agent a un coût annuel différent sur la ligne 4 : {rule}",
        f"ligne 4 : cout_annuel « 46000 » : l'agent a un coût annuel différent sur les lignes 2, 3 : {rule}",
    ]


@pytest.mark.parametrize(
    ("costs", "valid"),
    [
        (["45231,50", "45 231,5 €"], True),
        (["45231,50", "45231,501"], True),  # the same to the cent
        (["45231,50", "45231,51"], False),
        (["45231,50", "45231,4999999"], True),  # rounds to the same cent
        (["45231,50", "45231,494"], False),  # rounds to 45231,49
        (["45231,50", "45231,49"], False),
    ],
)
def test_costs_are_compared_to_the_cent(costs, valid):
    data = payroll(
        line(agent="A", cout_annuel=costs[0], quotite="0,5"),
        line(agent="A", theme="FIN", cout_annuel=costs[1], quotite="0,5"),
    )
    if valid:
        assert read(data).lines.height == 2
    else:
        assert len(errors(data)) == 2


def test_different_etp_for_one_agent_on_each_row():
    data = payroll(line(agent="A", etp="80 %", quotite="0,5"), line(agent="A", theme="FIN", etp="0,9", quotite="0,5"))
    rule = "un agent a un seul taux de temps de travail pour son employeur"
    assert errors(data) == [
        f"ligne 2 : etp « 80 % » : l'agent a un etp différent sur la ligne 3 : {rule}",
        f"ligne 3 : etp « 0,9 » : l'agent a un etp différent sur la ligne 2 : {rule}",
    ]


def test_etp_tolerance_and_empty_etp_is_one():
    ok = payroll(
        line(agent="A", etp="0,8", quotite="0,5"), line(agent="A", theme="FIN", etp="0,8000000001", quotite="0,5")
    )
    assert read(ok).lines.height == 2
    mixed = payroll(line(agent="A", etp="", quotite="0,5"), line(agent="A", theme="FIN", etp="100 %", quotite="0,5"))
    assert read(mixed).lines.height == 2


def test_invalid_values_do_not_cascade_into_cross_row_errors():
    data = payroll(
        line(agent="A", quotite="2", cout_annuel="abc"),
        line(agent="A", theme="FIN", quotite="1", cout_annuel="1000"),
    )
    assert errors(data) == [
        "ligne 2 : cout_annuel « abc » : n'est pas un nombre",
        f"ligne 2 : quotite « 2 » : {QUOTITE_RANGE}",
    ]


def test_many_rows_are_named_up_to_ten():
    lines = [line(agent="A", theme="RH", quotite="0,1", service=str(i)) for i in range(12)]
    messages = errors(payroll(*lines))
    assert len(messages) == 12
    assert messages[0] == (
        "ligne 2 : quotite « 0,1 » : la somme des quotités de l'agent dépasse 1 (1,2) avec "
        "les lignes 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 et 1 autres"
    )


# --- file-level errors ----------------------------------------------------------------------------


def test_missing_required_columns_one_error_each():
    data = payroll("x;y", header="employeur;service")
    assert errors(data) == [
        "fichier : colonne obligatoire manquante : agent",
        "fichier : colonne obligatoire manquante : theme",
        "fichier : colonne obligatoire manquante : cout_annuel",
    ]


def test_undetectable_separator_says_what_was_tried():
    data = b"employeur|agent|theme|cout_annuel\n33063|A|RH|1000\n"
    assert errors(data) == [
        "fichier : séparateur de colonnes non reconnu (essayés : « ; », tabulation, « , ») : la ligne d'en-têtes "
        "« employeur|agent|theme|cout_annuel » ne forme qu'une colonne ; colonnes obligatoires manquantes : "
        "employeur, agent, theme, cout_annuel",
        "fichier : colonne obligatoire manquante : employeur",
        "fichier : colonne obligatoire manquante : agent",
        "fichier : colonne obligatoire manquante : theme",
        "fichier : colonne obligatoire manquante : cout_annuel",
    ]


def test_duplicated_header():
    data = payroll(f"{BORDEAUX};A;RH;1000;0,5", header="employeur;agent;theme;Coût annuel (€);cout_annuel")
    assert errors(data) == ["fichier : colonne en double : cout_annuel (colonnes D, E)"]


@pytest.mark.parametrize("data", [payroll(), payroll("", ";;;", header=HEADER)])
def test_header_only(data):
    assert errors(data) == ["fichier : aucune ligne de données : le fichier ne contient que la ligne d'en-têtes"]


def test_empty_file():
    assert errors(b"") == ["fichier : le fichier est vide"]


def test_file_from_another_territory():
    data = payroll(line(employeur="33999"), line(employeur="33998", agent="M2"))
    assert errors(data) == [
        "fichier : aucun employeur du fichier n'appartient au territoire Bordeaux Métropole (243300316) : "
        "ce fichier vient-il d'un autre territoire ?",
        f"ligne 2 : employeur « 33999 » : {OUTSIDE}",
        f"ligne 3 : employeur « 33998 » : {OUTSIDE}",
    ]


def test_territory_without_a_name():
    territory = TerritoryCodes(EPCI, frozenset({BORDEAUX}))
    (_, message) = errors(payroll(line(employeur="33999")), territory=territory)
    assert message == "ligne 2 : employeur « 33999 » : n'est ni l'EPCI ni une commune du territoire 243300316"


# --- headers: unknown and untitled columns --------------------------------------------------------


def test_unknown_and_untitled_columns():
    header = "employeur;agent;Commentaire;theme;;cout_annuel;;"
    data = payroll(f"{BORDEAUX};A;x;RH;;1000;y;", header=header)
    result = read(data)
    assert result.lines.height == 1
    assert result.warnings == [
        "colonne inconnue ignorée : « Commentaire » (colonne C)",
        "colonne G sans en-tête mais non vide : ignorée",
    ]


def test_cells_beyond_the_header_are_an_untitled_column():
    data = payroll(f"{BORDEAUX};A;RH;1000;oops", header="employeur;agent;theme;cout_annuel")
    assert read(data).warnings == ["colonne E sans en-tête mais non vide : ignorée"]


def test_accented_and_spaced_headers_in_any_order():
    header = "Coût annuel (€);Thème;Quotité;Agent;EMPLOYEUR"
    result = read(payroll(f"1000;RH;0,5;A;{BORDEAUX}", header=header))
    assert result.lines.select("employeur", "agent", "theme", "cout_annuel", "quotite").row(0) == (
        BORDEAUX,
        "A",
        "RH",
        1000.0,
        0.5,
    )


# --- order of messages ----------------------------------------------------------------------------


def test_errors_sorted_by_row_then_file_column_position():
    # Columns in an unusual order: messages follow the file's columns, not the format's.
    header = "categorie;cout_annuel;theme;agent;employeur;quotite"
    data = payroll(
        "A;10;RH;A;33063;0,5",
        "Z;abc;XX;;33999;2",
        "",
        "B;-1;RH;B;33063;1",
        header=header,
    )
    assert errors(data) == [
        "ligne 3 : categorie « Z » : catégorie inconnue : A, B ou C attendu",
        "ligne 3 : cout_annuel « abc » : n'est pas un nombre",
        f"ligne 3 : theme « XX » : thème inconnu : {THEME_RULE}",
        "ligne 3 : agent « » : identifiant d'agent manquant",
        f"ligne 3 : employeur « 33999 » : {OUTSIDE}",
        f"ligne 3 : quotite « 2 » : {QUOTITE_RANGE}",
        "ligne 5 : cout_annuel « -1 » : coût annuel négatif : il doit être positif ou nul",
    ]


def test_rows_sort_numerically():
    lines = [line(agent=f"A{i}") for i in range(10)] + [line(agent="", service="x")]
    assert errors(payroll(*lines)) == ["ligne 12 : agent « » : identifiant d'agent manquant"]
    lines = [line(agent=""), *(line(agent=f"A{i}") for i in range(9)), line(agent="")]
    assert errors(payroll(*lines)) == [
        "ligne 2 : agent « » : identifiant d'agent manquant",
        "ligne 12 : agent « » : identifiant d'agent manquant",
    ]


def test_blank_rows_count_in_numbering():
    data = payroll(line(), "", " ; ", line(agent="M2", categorie="Z"))
    assert errors(data) == ["ligne 5 : categorie « Z » : catégorie inconnue : A, B ou C attendu"]


# --- warnings -------------------------------------------------------------------------------------


def test_identical_lines_warn_naming_both():
    data = payroll(
        line(agent="A", quotite="0,5"),
        line(agent="B", quotite="0,5"),
        line(agent="A", quotite="50 %"),
    )
    result = read(data)
    assert result.lines.height == 3
    assert result.warnings == ["ligne 2 : ligne identique à la ligne 4 sur toutes les colonnes : comptée deux fois ?"]


def test_lines_differing_in_one_column_are_not_identical():
    data = payroll(line(agent="A", quotite="0,5"), line(agent="A", quotite="0,5", service="x"))
    assert read(data).warnings == []


def test_identical_lines_warning_is_kept_with_errors():
    failed = failure(payroll(line(agent="A"), line(agent="A")))
    assert failed.warnings == ["ligne 2 : ligne identique à la ligne 3 sur toutes les colonnes : comptée deux fois ?"]
    assert len(failed.errors) == 2  # and their quotités sum to 2


def test_activity_warnings():
    data = payroll(
        line(agent="A", activite="RH-PAIE"),
        line(agent="B", activite="rh-form"),
        line(agent="C", activite="FIN-BUDGET"),
        line(agent="D", activite="INCONNUE"),
        line(agent="E", theme="XX", activite="AUSSI"),
    )
    failed = failure(data, activities=ACTIVITIES)
    assert failed.warnings == [
        "ligne 4 : activite « FIN-BUDGET » : activité du thème FIN, la ligne est déclarée en RH : elle compte pour RH",
        "ligne 5 : activite « INCONNUE » : activité inconnue du référentiel : la ligne compte pour son thème (RH)",
        "ligne 6 : activite « AUSSI » : activité inconnue du référentiel : la ligne compte pour son thème (XX)",
    ]
    lines = [line(agent=a, activite=x) for a, x in [("A", "rh-form"), ("B", "FIN-BUDGET"), ("C", "AUTRE-X")]]
    result = read(payroll(*lines), activities=ACTIVITIES)
    # The line counts for its theme; a known activity is given as the referential writes it.
    assert result.lines.select("theme", "activite").rows() == [
        ("RH", "RH-FORM"),
        ("RH", "FIN-BUDGET"),
        ("RH", "AUTRE-X"),
    ]
    assert len(result.warnings) == 2


def test_activities_not_checked_without_a_referential():
    result = read(payroll(line(activite="N'IMPORTE")))
    assert result.warnings == []
    assert result.lines.get_column("activite").to_list() == ["N'IMPORTE"]


def test_empty_referential_makes_every_activity_unknown():
    assert len(read(payroll(line(activite="RH-PAIE")), activities={}).warnings) == 1


# --- privacy --------------------------------------------------------------------------------------


def test_agent_identifier_never_appears_in_messages():
    secret = "MATRICULE-SECRET-42"
    data = payroll(
        line(agent=secret, cout_annuel="45000", quotite="0,7", etp="0,8", theme="XX", categorie="Z"),
        line(agent=secret, theme="FIN", cout_annuel="46000", quotite="0,7", etp="0,9", situation="mad"),
        line(agent=secret, theme="FIN", cout_annuel="46000", quotite="0,7", etp="0,9", situation="mad"),
    )
    failed = failure(data, activities=ACTIVITIES)
    assert failed.errors
    assert failed.warnings
    assert all(secret not in message for message in failed.errors + failed.warnings)


# --- workbooks ------------------------------------------------------------------------------------

XLSX_HEADER = [
    "Employeur",
    "Agent",
    "Thème",
    "Coût annuel (€)",
    "Quotité",
    "ETP",
    "Situation",
    "Bénéficiaire",
    "Service",
]


def test_xlsx_payroll_numeric_codes_hidden_rows_and_cached_formulas(build):
    rows = [
        XLSX_HEADER,
        [243300316, 12, "FIN", 50000, 1, 1, None, None, None],
        [1004, "A2", "RH", "=2*15000", 0.5, 0.8, None, None, dt.date(2024, 1, 2)],
        [1004.0, "A2", "SI", 30000.0, "50 %", "80 %", "mad", 243300316.0, "Informatique"],
        ["33063", "A3", "Ressources humaines", "45 231,50", None, None, None, None, None],
    ]
    data = build.xlsx(rows, hidden_rows=[3], cached={"D3": "30000"})
    result = read_payroll(data, "masse_salariale.xlsx", TERRITORY)
    columns = ["ligne", "employeur", "agent", "theme", "cout_annuel", "quotite", "etp", "beneficiaire", "service"]
    assert result.lines.select(columns).rows() == [
        (2, EPCI, "12", "FIN", 50000.0, 1.0, 1.0, None, None),
        (3, AMBERIEU, "A2", "RH", 30000.0, 0.5, 0.8, None, "02/01/2024"),
        (4, AMBERIEU, "A2", "SI", 30000.0, 0.5, 0.8, EPCI, "Informatique"),
        (5, BORDEAUX, "A3", "RH", 45231.5, 1.0, 1.0, None, None),
    ]


def test_xlsx_numeric_code_that_does_not_exist_is_padded_in_the_message(build):
    rows = [XLSX_HEADER[:4], [1999, "A", "RH", 1000]]
    assert errors(build.xlsx(rows), filename="m.xlsx") == [
        "fichier : aucun employeur du fichier n'appartient au territoire Bordeaux Métropole (243300316) : "
        "ce fichier vient-il d'un autre territoire ?",
        f"ligne 2 : employeur « 1999 » : {OUTSIDE}",
    ]


def test_xlsx_special_cells_are_errors_naming_them(build):
    rows = [
        XLSX_HEADER,
        [33063, "A1", "RH", "=B2*1000", 1, 1, None, None, None],
        [33063, "A2", "RH", dt.date(2024, 1, 2), True, 1, None, None, None],
        [33063, "A3", "#N/A", 1000, 1, dt.datetime(2024, 1, 2, 8, 0), None, None, False],
        [dt.date(2024, 5, 1), "A4", "RH", 1000, 1, 1, None, None, None],
    ]
    assert errors(build.xlsx(rows), filename="m.xlsx") == [
        "ligne 2 : cout_annuel « =B2*1000 » : formule sans valeur calculée : ouvrez le fichier dans le tableur "
        "et enregistrez-le pour que la valeur soit calculée",
        "ligne 3 : cout_annuel « 02/01/2024 » : cellule de type date, un nombre est attendu",
        "ligne 3 : quotite « VRAI » : cellule de type booléen (VRAI/FAUX), un nombre est attendu",
        "ligne 4 : theme « #N/A » : cellule en erreur dans le tableur : corrigez la formule ou la valeur",
        "ligne 4 : etp « 02/01/2024 08:00 » : cellule de type date, un nombre est attendu",
        "ligne 5 : employeur « 01/05/2024 » : cellule de type date, un code est attendu",
    ]


def test_xlsx_error_cells_in_text_columns_are_errors_but_ignored_columns_are_ignored(build):
    rows = [XLSX_HEADER[:4] + ["Commentaire"], [33063, "#N/A", "RH", 1000, "#REF!"], [33063, "B", "RH", 1000, None]]
    failed = failure(build.xlsx(rows), filename="m.xlsx")
    assert failed.errors == [
        "ligne 2 : agent « #N/A » : cellule en erreur dans le tableur : corrigez la formule ou la valeur"
    ]
    assert failed.warnings == ["colonne inconnue ignorée : « Commentaire » (colonne E)"]


def test_xlsx_merged_header(build):
    rows = [["employeur", "agent", None, "cout_annuel"], [33063, "A", "RH", 1000]]
    assert errors(build.xlsx(rows, merged=["B1:C1"]), filename="m.xlsx") == [
        "fichier : cellules fusionnées dans la ligne d'en-têtes (B1:C1) : "
        "défusionnez-les pour que chaque colonne ait son propre en-tête"
    ]


def test_ods_payroll(build):
    rows = [
        ["employeur", "agent", "theme", "cout_annuel", "quotite"],
        [1004, "A1", "RH", 40000, 0.5],
        ["33063", "A2", "FIN", {"formula": "of:=[.D2]*2"}, 1],
        ["33063", "A3", "FIN", {"formula": "of:=[.D2]", "valuetype": "float", "value": "40000", "text": "40000"}, 1],
    ]
    assert errors(build.ods(rows), filename="m.ods") == [
        "ligne 3 : cout_annuel « =D2*2 » : formule sans valeur calculée : ouvrez le fichier dans le tableur "
        "et enregistrez-le pour que la valeur soit calculée"
    ]
    del rows[2]
    result = read_payroll(build.ods(rows), "m.ods", TERRITORY)
    assert result.lines.select("ligne", "employeur", "cout_annuel", "montant").rows() == [
        (2, AMBERIEU, 40000.0, 20000.0),
        (3, BORDEAUX, 40000.0, 40000.0),
    ]
