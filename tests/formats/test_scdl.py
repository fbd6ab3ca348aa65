"""The SCDL « Délibérations » export (docs/contrats §10): what `ecrire_csv` writes is validated by frictionless
against the published schema (`formats/schemas/scdl-deliberations.json`), with the CSV dialect the SCDL asks
for stated, not sniffed."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date

import attrs
import pytest
from frictionless import Check, Checklist, Dialect, Resource, Schema, errors
from frictionless.formats import CsvControl

from formats.scdl import (
    COLONNES,
    MATIERE_DEFAUT,
    MATIERES,
    SCHEMA,
    DeliberationScdl,
    ecrire_csv,
    nom_matiere,
    valider_siret,
)

SIRET_EPCI = "24330031600011"  # SIREN 243300316 + NIC 00011: both keys right
SIRET_CLE_FAUSSE = "24330031600012"
SIRET_POITIERS = "21860194600013"  # the schema's own example
FORME = "le SIRET doit compter 14 chiffres, sans espace ni autre signe : « {} »"


def deliberation(**champs) -> DeliberationScdl:
    """A deliberation of the EPCI with only the required values; ``champs`` replace or add."""
    valeurs = {
        "coll_nom": "Bordeaux Métropole",
        "coll_siret": SIRET_EPCI,
        "delib_id": "2025-0042",
        "delib_date": date(2025, 3, 14),
        "delib_objet": "Adoption du schéma de mutualisation des services",
    }
    return DeliberationScdl(**(valeurs | champs))


def complete(**champs) -> DeliberationScdl:
    """A deliberation with every optional column filled, consistent as Validata's checks want (votes that
    add up, a registration after the vote)."""
    valeurs = {
        "delib_id": "2025-0043",
        "delib_objet": 'Convention de service commun « paie », avenant n° 2, dit "RH"',
        "budget_annee": "2025/2026",
        "budget_nom": "Budget principal",
        "pref_id": "PREF033",
        "pref_date": date(2025, 3, 20),
        "vote_effectif": 104,
        "vote_reel": 98,
        "vote_pour": 90,
        "vote_contre": 5,
        "vote_abstention": 3,
        "delib_url": "https://www.example.fr/deliberations/2025-0043.pdf",
    }
    return deliberation(**(valeurs | champs))


def schema() -> Schema:
    return Schema.from_descriptor(json.loads(SCHEMA.read_text(encoding="utf-8")))


class SiretInvalide(errors.CellError):
    type = "french-siret-value"
    title = "Numéro SIRET invalide"
    description = "Le SIRET ne respecte pas la clé de contrôle de l'INSEE."
    template = "{note}"


@attrs.define(kw_only=True, repr=False)
class CleSiret(Check):
    """The schema's custom check ``french-siret-value``, which Validata runs and frictionless alone does not:
    the pattern only counts 14 digits."""

    type = "french-siret-value"
    Errors = [SiretInvalide]
    column: str

    def validate_row(self, row):
        valeur = row[self.column]
        if valeur and (message := valider_siret(valeur)):
            yield SiretInvalide.from_row(row, note=message, field_name=self.column)


def controles_du_schema() -> list[Check]:
    """The custom checks the schema declares and that we can run here (the SIRET one)."""
    declares = json.loads(SCHEMA.read_text(encoding="utf-8"))["custom_checks"]
    return [CleSiret(column=c["params"]["column"]) for c in declares if c["name"] == "french-siret-value"]


def rapport(data: bytes, *, controles: list[Check] | None = None):
    resource = Resource(
        data,
        format="csv",
        encoding="utf-8",
        dialect=Dialect(header=True, controls=[CsvControl(delimiter=",", quote_char='"')]),
        schema=schema(),
    )
    return resource.validate(Checklist(checks=controles_du_schema() if controles is None else controles))


def erreurs(report) -> list[tuple]:
    return [tuple(e) for e in report.flatten(["rowNumber", "fieldName", "type"])]


def test_colonnes_are_the_schema_fields_in_order():
    assert tuple(schema().field_names) == COLONNES
    assert len(COLONNES) == 17


def test_deliberation_has_one_field_per_column_in_order():
    assert [f.name.upper() for f in fields(DeliberationScdl)] == list(COLONNES)


def test_schema_is_the_published_2_1_5_with_its_source_noted():
    descripteur = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert descripteur["version"] == "2.1.5"
    assert descripteur["sources"][0]["path"].endswith("/v2.1.5/schema.json")
    siret = next(f for f in descripteur["fields"] if f["name"] == "COLL_SIRET")
    assert siret["constraints"] == {"required": True, "pattern": "^\\d{14}$"}


def test_two_deliberations_make_a_valid_file():
    report = rapport(ecrire_csv([complete(), deliberation()]))
    assert erreurs(report) == []
    assert report.valid
    assert report.task.stats["rows"] == 2


def test_file_is_written_as_the_scdl_asks():
    data = ecrire_csv([complete(), deliberation()])
    assert data.decode("utf-8").split("\r\n") == [
        ",".join(COLONNES),
        "Bordeaux Métropole,24330031600011,2025-0043,2025-03-14,5.7,institutions et vie politique/intercommunalité,"
        '"Convention de service commun « paie », avenant n° 2, dit ""RH""",2025/2026,Budget principal,PREF033,'
        "2025-03-20,104,98,90,5,3,https://www.example.fr/deliberations/2025-0043.pdf",
        "Bordeaux Métropole,24330031600011,2025-0042,2025-03-14,5.7,institutions et vie politique/intercommunalité,"
        "Adoption du schéma de mutualisation des services,,,,,,,,,,",
        "",
    ]
    assert not data.startswith(b"\xef\xbb\xbf")  # UTF-8 without BOM


def test_file_without_deliberation_has_only_the_header():
    assert ecrire_csv([]) == (",".join(COLONNES) + "\r\n").encode()
    assert rapport(ecrire_csv([])).valid


@pytest.mark.parametrize("siret", ["2433003160001", "243300316000111", "2433003160001A", "243 300 316 00011"])
def test_malformed_siret_makes_the_file_invalid(siret):
    report = rapport(ecrire_csv([deliberation(coll_siret=siret)]), controles=[])
    assert not report.valid
    assert erreurs(report) == [(2, "COLL_SIRET", "constraint-error")]


def test_siret_with_a_wrong_key_makes_the_file_invalid():
    data = ecrire_csv([deliberation(coll_siret=SIRET_CLE_FAUSSE)])
    # 14 digits pass the schema's pattern: only its custom check, as Validata runs it, sees the key.
    assert rapport(data, controles=[]).valid
    report = rapport(data)
    assert not report.valid
    assert erreurs(report) == [(2, "COLL_SIRET", "french-siret-value")]
    assert report.flatten(["note"]) == [[f"le SIRET {SIRET_CLE_FAUSSE} est invalide : sa clé de contrôle est fausse"]]


@pytest.mark.parametrize("colonne", ["COLL_NOM", "DELIB_ID", "DELIB_MATIERE_NOM", "DELIB_OBJET"])
def test_missing_required_value_makes_the_file_invalid(colonne):
    report = rapport(ecrire_csv([complete(), deliberation(**{colonne.lower(): ""})]))
    assert not report.valid
    assert erreurs(report) == [(3, colonne, "constraint-error")]


@pytest.mark.parametrize(
    ("champs", "attendu"),
    [
        ({"budget_annee": "2025-2026"}, (2, "BUDGET_ANNEE", "constraint-error")),
        ({"delib_matiere_code": "5-7", "delib_matiere_nom": "x/y"}, (2, "DELIB_MATIERE_CODE", "constraint-error")),
        ({"delib_url": "pas une adresse"}, (2, "DELIB_URL", "type-error")),
    ],
)
def test_values_out_of_the_schema_are_written_as_given_and_caught(champs, attendu):
    assert erreurs(rapport(ecrire_csv([deliberation(**champs)]))) == [attendu]


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        (SIRET_EPCI, None),
        (SIRET_POITIERS, None),
        ("35600000000048", None),  # La Poste's head office: the ordinary Luhn key
        ("35600000027250", None),  # a post office: Luhn fails, the sum of its digits is a multiple of 5
        (SIRET_CLE_FAUSSE, f"le SIRET {SIRET_CLE_FAUSSE} est invalide : sa clé de contrôle est fausse"),
        # the whole number passes Luhn, its SIREN does not
        ("24330031700001", "le SIRET 24330031700001 est invalide : la clé de son SIREN 243300317 est fausse"),
        (
            "35600000000049",
            "le SIRET 35600000000049 (La Poste) est invalide : la somme de ses chiffres n'est pas un multiple de 5",
        ),
        ("2433003160001", FORME.format("2433003160001")),
        ("243300316000110", FORME.format("243300316000110")),
        ("243 300 316 00011", FORME.format("243 300 316 00011")),
        ("2433003160001a", FORME.format("2433003160001a")),
        ("２４３３００３１６０００１１", FORME.format("２４３３００３１６０００１１")),  # full-width digits
        ("", FORME.format("")),
    ],
)
def test_valider_siret(siret, message):
    assert valider_siret(siret) == message


def test_default_matiere_is_intercommunalite():
    assert MATIERE_DEFAUT == "5.7"
    assert MATIERES[MATIERE_DEFAUT] == "Intercommunalité"
    ligne = deliberation()
    assert ligne.delib_matiere_code == "5.7"
    assert ligne.delib_matiere_nom == "institutions et vie politique/intercommunalité"


@pytest.mark.parametrize(
    ("code", "nom"),
    [
        ("5.3", "institutions et vie politique/désignation de représentants"),
        ("5.8", "institutions et vie politique/décision d'ester en justice"),
    ],
)
def test_matiere_name_is_written_the_scdl_way(code, nom):
    assert nom_matiere(code) == nom
    assert deliberation(delib_matiere_code=code).delib_matiere_nom == nom


def test_nomenclature_has_the_nine_matieres_and_the_institutions_sub_matieres():
    assert [code for code in MATIERES if "." not in code] == [str(n) for n in range(1, 10)]
    assert [code for code in MATIERES if code.startswith("5.")] == [f"5.{n}" for n in range(1, 9)]


def test_matiere_outside_the_table_needs_its_name():
    with pytest.raises(ValueError, match="la matière 7.10 n'est pas dans la table"):
        deliberation(delib_matiere_code="7.10")
    ligne = deliberation(delib_matiere_code="7.10", delib_matiere_nom="finances locales/divers")
    assert rapport(ecrire_csv([ligne])).valid


def test_one_file_per_collectivite():
    with pytest.raises(ValueError, match=f"un fichier SCDL par collectivité : .*{SIRET_POITIERS}, {SIRET_EPCI}"):
        ecrire_csv([deliberation(), deliberation(coll_nom="Ville de Poitiers", coll_siret=SIRET_POITIERS)])


def test_a_boolean_is_refused_rather_than_written_true():
    with pytest.raises(TypeError):
        ecrire_csv([deliberation(vote_reel=True)])
