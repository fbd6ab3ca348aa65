"""The safe substitution of the letter template (documents/lettres.py): pure, no database."""

import datetime as dt

import pytest

from documents import lettres
from documents.lettres import CHAMPS, Bloc, ModeleInvalide, Personne, Reunion

VALEURS = {nom: f"<{nom}>" for nom in CHAMPS}


@pytest.mark.parametrize("champ", list(CHAMPS))
def test_every_field_is_replaced(champ):
    assert lettres.remplir(f"avant {{{champ}}} après", VALEURS) == f"avant <{champ}> après"


def test_the_fixed_list_of_fields():
    assert list(CHAMPS) == [
        "territoire",
        "president",
        "mandat",
        "date",
        "theme",
        "copilote_commune",
        "copilote_epci",
        "consultant",
        "perimetre",
        "livrables",
        "calendrier",
        "accompagnement",
    ]


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("sans champ", "sans champ"),
        ("{theme} et {theme}", "<theme> et <theme>"),
        ("{ theme }", "<theme>"),  # spaces inside the braces are tolerated
        ("{{theme}}", "{theme}"),  # doubled braces write braces
        ("{{ {theme} }}", "{ <theme> }"),
        ("{{{theme}}}", "{<theme>}"),
        ("ligne 1\n{perimetre}\nligne 3", "ligne 1\n<perimetre>\nligne 3"),
    ],
)
def test_substitution(texte, attendu):
    assert lettres.remplir(texte, VALEURS) == attendu


@pytest.mark.parametrize(
    ("texte", "erreurs"),
    [
        ("{xyz}", ["champ inconnu : {xyz}"]),
        ("{Theme}", ["champ inconnu : {Theme}"]),
        ("{theme.__class__}", ["champ inconnu : {theme.__class__}"]),
        ("{theme|upper}", ["champ inconnu : {theme|upper}"]),
        ("{% if theme %}", ["champ inconnu : {% if theme %}"]),
        ("{}", ["champ inconnu : {}"]),
        ("{xyz} {abc} {xyz}", ["champ inconnu : {xyz}", "champ inconnu : {abc}"]),  # each reported once
        ("{theme", ["accolade « { » non fermée : pour écrire une accolade, doublez-la ({{)"]),
        ("theme}", ["accolade « } » sans ouverture : pour écrire une accolade, doublez-la (}})"]),
        (
            "{the\nme}",
            [
                "accolade « { » non fermée : pour écrire une accolade, doublez-la ({{)",
                "accolade « } » sans ouverture : pour écrire une accolade, doublez-la (}})",
            ],
        ),
    ],
)
def test_unknown_fields_and_lone_braces_are_reported(texte, erreurs):
    assert lettres.erreurs(texte) == erreurs
    with pytest.raises(ModeleInvalide) as exc:
        lettres.remplir(texte, VALEURS)
    assert exc.value.erreurs == erreurs


def test_a_value_is_never_read_again_as_a_template():
    valeurs = {**VALEURS, "theme": "{territoire} {{ }}"}
    assert lettres.remplir("{theme}", valeurs) == "{territoire} {{ }}"


def test_the_default_template_uses_known_fields_only():
    from documents import defaut

    assert lettres.erreurs(defaut.OBJET) == []
    assert lettres.erreurs(defaut.CORPS) == []
    assert set(CHAMPS) - {"president", "date", "consultant"} <= {
        nom for nom in CHAMPS if f"{{{nom}}}" in defaut.OBJET + defaut.CORPS
    }


@pytest.mark.parametrize(
    ("gens", "attendu"),
    [
        ([], "[à désigner]"),
        ([Personne("Marie Durand", "Pessac")], "Marie Durand (Pessac)"),
        ([Personne("A"), Personne("B")], "A et B"),
        ([Personne("A"), Personne("B"), Personne("C", "Talence")], "A, B et C (Talence)"),
    ],
)
def test_people(gens, attendu):
    assert lettres.personnes(gens) == attendu


@pytest.mark.parametrize(
    ("jour", "attendu"),
    [
        (dt.date(2026, 7, 3), "3 juillet 2026"),
        (dt.date(2027, 3, 1), "1er mars 2027"),
        (dt.date(2026, 12, 31), "31 décembre 2026"),
    ],
)
def test_french_dates(jour, attendu):
    assert lettres.date_fr(jour) == attendu


def test_scope_written_by_the_group_wins_over_the_referential():
    assert lettres.perimetre("  - la paie\n- la formation ", ["Paie"]) == "- la paie\n- la formation"
    assert (
        lettres.perimetre("", ["Paie et carrières", "GPEEC et masse salariale"])
        == "- paie et carrières ;\n- GPEEC et masse salariale."
    )
    assert lettres.perimetre("", []) == "- [périmètre à préciser lors de la première séance]"


PHASES_2026 = {
    "groupes": (dt.date(2026, 7, 1), dt.date(2026, 10, 15)),
    "comite": (dt.date(2026, 10, 16), dt.date(2026, 10, 31)),
    "bureau": (dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
    "consultation": (dt.date(2026, 12, 1), dt.date(2027, 2, 28)),
    "approbation": (dt.date(2027, 3, 1), dt.date(2027, 3, 31)),
}


def test_default_calendar_leads_to_adoption_the_year_after_the_elections():
    texte = lettres.calendrier(PHASES_2026, organe="le conseil de la métropole")
    assert texte.startswith("- du 1er juillet au 15 octobre 2026 : les trois séances du groupe (GT1, GT2 et GT3)")
    assert "du 16 octobre au 30 novembre 2026 : synthèse" in texte and "validation en Bureau" in texte
    assert "du 1er décembre 2026 au 28 février 2027 : avis des conseils municipaux" in texte
    assert "réputé favorable" in texte
    assert texte.endswith("- mars 2027 : adoption du schéma de mutualisation par le conseil de la métropole.")


def test_calendar_follows_the_phases_edited_by_the_project_team():
    phases = {**PHASES_2026, "approbation": (dt.date(2027, 4, 2), dt.date(2027, 4, 20))}
    assert lettres.calendrier(phases).endswith(
        "- du 2 avril au 20 avril 2027 : adoption du schéma de mutualisation par le conseil communautaire."
    )


def test_calendar_from_the_meetings_says_which_stages_have_no_date():
    reunions = [
        Reunion("GT2", "GT2 – analyse interne et externe (grille AFOR)", dt.datetime(2026, 9, 10, 14, 0)),
        Reunion(
            "GT1",
            "GT1 – se connaître, partager (liste des activités)",
            dt.datetime(2026, 7, 3, 9, 30),
            "salle du conseil",
        ),
    ]
    lignes = lettres.calendrier(PHASES_2026, reunions).splitlines()
    assert lignes[0] == (
        "- GT1 – se connaître, partager (liste des activités) : 3 juillet 2026 à 9 h 30, salle du conseil ;"
    )
    assert lignes[1] == "- GT2 – analyse interne et externe (grille AFOR) : 10 septembre 2026 à 14 h ;"
    assert lignes[2] == "- GT3 : date à fixer, avant le 15 octobre 2026 ;"
    assert lignes[-1].startswith("- mars 2027 : adoption")


def test_a_meeting_planned_after_the_groups_phase_moves_the_limit_of_the_stages_without_a_date():
    reunions = [Reunion("GT1", "GT1", dt.datetime(2026, 10, 20, 9, 0))]
    lignes = lettres.calendrier(PHASES_2026, reunions).splitlines()
    assert lignes[1] == "- GT2 : date à fixer, avant le 20 octobre 2026 ;"


def test_support_names_the_consultant_when_the_group_has_one():
    assert "avec le consultant accompagnant du groupe, Léa Roux," in lettres.accompagnement(
        "Bordeaux Métropole", [Personne("Léa Roux")]
    )
    assert lettres.accompagnement("Bordeaux Métropole", []).startswith(
        "L'équipe projet et d'accompagnement de Bordeaux Métropole vous apporte"
    )


def test_blocks_paragraphs_lists_and_headings():
    texte = "Madame,\nMonsieur,\n\n# Missions\n- un ;\n• deux.\nSuite\n\n\n\nFin"
    assert lettres.blocs(texte) == [
        Bloc("paragraphe", ["Madame,", "Monsieur,"]),
        Bloc("titre", ["Missions"]),
        Bloc("liste", ["un ;", "deux."]),
        Bloc("paragraphe", ["Suite"]),
        Bloc("paragraphe", ["Fin"]),
    ]
