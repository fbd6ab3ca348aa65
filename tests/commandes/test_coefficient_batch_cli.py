"""`mutualis coefficient-batch` (docs/contrats/7-fichiers-nationaux.md) on a small generated national file:
the same figures as an independent computation and as `mutualis coefficient` territory by territory, the
output format, and invalid inputs (exit status 2, §1 messages naming the file, nothing written)."""

import json
import re
import shutil

import polars as pl
import pytest

from tests.cast import run_command
from tests.national import SANS_PAIE, SIRENS, calcul_independant, ecrire_national, lire_csv

HEADER = "epci;nom;coefficient;numerator;denominator;fte_numerator;fte_denominator"
CENT = 0.005 + 1e-6  # printed to the cent, rounded half up


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    return ecrire_national(tmp_path_factory.mktemp("national"))


def batch(capsys, territoires, paie, sortie):
    return run_command(
        capsys, "coefficient-batch", "--territories", str(territoires), "--payroll", str(paie), "--output", str(sortie)
    )


def test_every_epci_equals_an_independent_computation_to_the_cent(capsys, national, tmp_path):
    sortie = tmp_path / "coefficients.csv"
    status, out, err = batch(capsys, national["territoires"], national["csv"], sortie)
    assert status == 0, err
    assert err == ""
    assert "7 EPCI" in out
    attendu = calcul_independant(national["territoires"], national["csv"])
    rows = lire_csv(sortie)
    assert [r["epci"] for r in rows] == sorted([*SIRENS, SANS_PAIE])
    for row in rows:
        exact = attendu[row["epci"]]
        for key in ("numerator", "denominator"):
            assert abs(float(row[key]) - exact[key]) <= CENT, (row["epci"], key)
        for key in ("fte_numerator", "fte_denominator"):
            assert abs(float(row[key]) - exact[key]) <= 0.00005 + 1e-9, (row["epci"], key)
        if row["epci"] == SANS_PAIE:
            assert row["coefficient"] == "" and row["denominator"] == "0.00" and row["fte_numerator"] == "0.0000"
        else:
            assert float(row["coefficient"]) == pytest.approx(exact["numerator"] / exact["denominator"], abs=1e-10)
    assert rows[0]["nom"] == "CC Faucigny - Glières"


def test_output_is_utf8_without_bom_lf_decimal_point_with_fixed_decimals(capsys, national, tmp_path):
    sortie = tmp_path / "coefficients.csv"
    assert batch(capsys, national["territoires"], national["csv"], sortie)[0] == 0
    data = sortie.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data and data.endswith(b"\n")
    lines = data.decode("utf-8").split("\n")[:-1]
    assert lines[0] == HEADER
    number = r"(\d+\.\d{10}|);\d+\.\d{2};\d+\.\d{2};\d+\.\d{4};\d+\.\d{4}"
    for line in lines[1:]:
        assert re.fullmatch(r"\d{9};[^;]+;" + number, line), line


def test_equals_mutualis_coefficient_territory_by_territory(capsys, national, tmp_path):
    sortie = tmp_path / "coefficients.csv"
    assert batch(capsys, national["territoires"], national["csv"], sortie)[0] == 0
    rows = {r["epci"]: r for r in lire_csv(sortie)}
    territoires = pl.read_csv(national["territoires"], separator=";", infer_schema=False)
    paie = pl.read_csv(national["csv"], separator=";", infer_schema=False)
    for siren in ("243300316", "242010056", "200040798"):
        membres = territoires.filter((pl.col("code") == siren) | (pl.col("epci") == siren))
        fichier_t = tmp_path / f"territoire-{siren}.csv"
        membres.drop("epci").write_csv(fichier_t, separator=";")
        fichier_p = tmp_path / f"paie-{siren}.csv"
        paie.filter(pl.col("employeur").is_in(membres.get_column("code").implode())).write_csv(fichier_p, separator=";")
        status, out, err = run_command(
            capsys, "coefficient", "--territory", str(fichier_t), "--payroll", str(fichier_p), "--json"
        )
        assert status == 0, err
        doc = json.loads(out)
        row = rows[siren]
        for key in ("numerator", "denominator"):
            assert abs(float(row[key]) - doc[key]) <= CENT, (siren, key)
        for key in ("fte_numerator", "fte_denominator"):
            assert abs(float(row[key]) - doc[key]) <= 0.00005 + 1e-9, (siren, key)
        assert float(row["coefficient"]) == pytest.approx(doc["coefficient"], abs=1e-10)


def test_csv_and_parquet_inputs_give_the_same_file(capsys, national, tmp_path):
    a, b = tmp_path / "depuis-csv.csv", tmp_path / "depuis-parquet.csv"
    assert batch(capsys, national["territoires"], national["csv"], a)[0] == 0
    assert batch(capsys, national["territoires"], national["parquet"], b)[0] == 0
    assert a.read_bytes() == b.read_bytes()


def test_a_french_spreadsheet_export_gives_the_same_file(capsys, national, tmp_path):
    """Decimal commas, Windows-1252, CRLF, a theme label: the full validation reads what the quick path
    does not, and finds the same figures."""
    texte = national["csv"].read_text(encoding="utf-8")
    entete, corps = texte.split("\n", 1)
    corps = re.sub(r"(\d)\.(\d)", r"\1,\2", corps).replace(";FIN;", ";Finances;", 1)
    excel = tmp_path / "export-excel.csv"
    excel.write_bytes((entete + "\n" + corps).replace("\n", "\r\n").encode("cp1252"))
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    assert batch(capsys, national["territoires"], national["csv"], a)[0] == 0
    status, _, err = batch(capsys, national["territoires"], excel, b)
    assert status == 0, err
    assert a.read_bytes() == b.read_bytes()


def test_unknown_column_is_a_warning_naming_the_file(capsys, national, tmp_path):
    paie = pl.read_csv(national["csv"], separator=";", infer_schema=False).with_columns(commentaire=pl.lit("x"))
    fichier = tmp_path / "paie.csv"
    paie.write_csv(fichier, separator=";")
    status, _, err = batch(capsys, national["territoires"], fichier, tmp_path / "sortie.csv")
    assert status == 0
    assert err.splitlines() == [
        "avertissement : fichier paie.csv : colonne inconnue ignorée : « commentaire » (colonne M)"
    ]


# --- Invalid input: exit 2, §1 messages naming the file, nothing on stdout, nothing written -------------


def refuse(capsys, territoires, paie, tmp_path):
    sortie = tmp_path / "sortie.csv"
    status, out, err = batch(capsys, territoires, paie, sortie)
    assert status == 2
    assert out == ""
    assert not sortie.exists()
    assert list(tmp_path.glob(".sortie.csv.*")) == []
    return [line for line in err.splitlines() if not line.startswith("avertissement : ")]


def modifie(national, tmp_path, remplacer, nom="paie.csv"):
    lignes = national["csv"].read_text(encoding="utf-8").split("\n")
    for numero, texte in remplacer.items():
        lignes[numero - 1] = texte(lignes[numero - 1]) if callable(texte) else texte
    fichier = tmp_path / nom
    fichier.write_text("\n".join(lignes), encoding="utf-8")
    return fichier


def test_employer_in_no_territory_is_an_error_on_its_line(capsys, national, tmp_path):
    fichier = modifie(
        national, tmp_path, {5: lambda l: "69123" + l[l.index(";") :], 9: lambda l: "1304" + l[l.index(";") :]}
    )
    erreurs = refuse(capsys, national["territoires"], fichier, tmp_path)
    assert erreurs == [
        "fichier paie.csv, ligne 5 : employeur « 69123 » : n'est ni un EPCI ni une commune du fichier des territoires",
        "fichier paie.csv, ligne 9 : employeur « 1304 » : n'est ni un EPCI ni une commune du fichier des "
        "territoires (un code INSEE a 5 caractères : le zéro initial a-t-il été perdu ?)",
    ]


def test_malformed_lines_are_errors_with_their_rule(capsys, national, tmp_path):
    def cout(valeur):
        return lambda l: ";".join([*l.split(";")[:3], valeur, *l.split(";")[4:]])

    fichier = modifie(national, tmp_path, {3: cout("12,50,3"), 4: cout("abc"), 6: cout("-5")})
    erreurs = refuse(capsys, national["territoires"], fichier, tmp_path)
    assert erreurs[0].startswith("fichier paie.csv, ligne 3 : cout_annuel « 12,50,3 » : ")
    assert erreurs[1] == "fichier paie.csv, ligne 4 : cout_annuel « abc » : n'est pas un nombre"
    assert erreurs[2] == (
        "fichier paie.csv, ligne 6 : cout_annuel « -5 » : coût annuel négatif : il doit être positif ou nul"
    )


def test_unclosed_quote_is_a_file_error(capsys, national, tmp_path):
    fichier = modifie(national, tmp_path, {7: lambda l: l.replace(";", ';"', 1)})
    erreurs = refuse(capsys, national["territoires"], fichier, tmp_path)
    assert len(erreurs) == 1 and erreurs[0].startswith("fichier paie.csv : CSV mal formé à partir de la ligne ")


def test_missing_column_is_an_error_for_the_whole_file(capsys, national, tmp_path):
    paie = pl.read_csv(national["csv"], separator=";", infer_schema=False).drop("cout_annuel")
    fichier = tmp_path / "paie.csv"
    paie.write_csv(fichier, separator=";")
    erreurs = refuse(capsys, national["territoires"], fichier, tmp_path)
    assert erreurs == ["fichier paie.csv : colonne obligatoire manquante : cout_annuel"]


def test_missing_column_in_parquet_is_an_error_too(capsys, national, tmp_path):
    fichier = tmp_path / "paie.parquet"
    pl.read_parquet(national["parquet"]).drop("theme").write_parquet(fichier)
    erreurs = refuse(capsys, national["territoires"], fichier, tmp_path)
    assert erreurs == ["fichier paie.parquet : colonne obligatoire manquante : theme"]


def test_parquet_codes_stored_as_numbers_are_refused(capsys, national, tmp_path):
    fichier = tmp_path / "paie.parquet"
    paie = pl.read_parquet(national["parquet"]).filter(~pl.col("employeur").str.contains("A"))
    paie.with_columns(pl.col("employeur").cast(pl.Int64)).write_parquet(fichier)
    erreurs = refuse(capsys, national["territoires"], fichier, tmp_path)
    assert erreurs == [
        "fichier paie.parquet : colonne employeur de type Int64 : dans un fichier Parquet les codes sont stockés "
        "en texte (un code INSEE garde son zéro initial)"
    ]


def test_parquet_row_errors_are_numbered_as_a_spreadsheet_shows_them(capsys, national, tmp_path):
    fichier = tmp_path / "paie.parquet"
    paie = pl.read_parquet(national["parquet"])
    paie.with_columns(theme=pl.when(pl.int_range(pl.len()) == 2).then(pl.lit("XYZ")).otherwise("theme")).write_parquet(
        fichier
    )
    erreurs = refuse(capsys, national["territoires"], fichier, tmp_path)
    assert len(erreurs) == 1 and erreurs[0].startswith("fichier paie.parquet, ligne 4 : theme « XYZ » : thème inconnu")


def test_mad_to_another_territory_and_transfer_by_a_commune_are_errors(capsys, national, tmp_path):
    paie = pl.read_csv(national["csv"], separator=";", infer_schema=False)
    bordeaux = paie.with_row_index("i").filter(pl.col("employeur") == "33063").get_column("i").to_list()
    vers_nantes, transfert = bordeaux[0] + 2, bordeaux[1] + 2  # file line numbers

    def ligne(situation, beneficiaire):
        return lambda l: ";".join([*l.split(";")[:6], situation, beneficiaire, *l.split(";")[8:]])

    fichier = modifie(national, tmp_path, {vers_nantes: ligne("mad", "44109"), transfert: ligne("transfere", "")})
    erreurs = refuse(capsys, national["territoires"], fichier, tmp_path)
    assert erreurs == [
        f"fichier paie.csv, ligne {vers_nantes} : beneficiaire « 44109 » : n'est pas membre du territoire de "
        "l'employeur, Bordeaux Métropole (243300316) : un agent est mis à disposition d'un organisme de son territoire",
        f"fichier paie.csv, ligne {transfert} : situation « transfere » : transfere n'est admis que sur une ligne "
        "dont l'employeur est l'EPCI, ici Bordeaux Métropole (243300316) : un agent transféré est déclaré par l'EPCI",
    ]


def test_commune_in_two_territories_is_an_error_on_both_rows(capsys, national, tmp_path):
    texte = national["territoires"].read_text(encoding="utf-8")
    territoires = tmp_path / "territoires.csv"
    territoires.write_text(texte + "33063;Bordeaux;commune;;;244400404\n", encoding="utf-8")
    erreurs = refuse(capsys, territoires, national["csv"], tmp_path)
    n = texte.count("\n") + 1
    premiere = next(i for i, l in enumerate(texte.split("\n"), start=1) if l.startswith("33063;"))
    assert erreurs == [
        f"fichier territoires.csv, ligne {premiere} : code « 33063 » : code en double avec la ligne {n}",
        f"fichier territoires.csv, ligne {n} : code « 33063 » : code en double avec la ligne {premiere}",
    ]


def test_missing_payroll_and_unwritable_output_exit_2(capsys, national, tmp_path):
    status, out, err = batch(capsys, national["territoires"], tmp_path / "absent.csv", tmp_path / "s.csv")
    assert status == 2 and out == "" and err.startswith("fichier : ") and not (tmp_path / "s.csv").exists()
    status, out, err = batch(capsys, national["territoires"], national["csv"], tmp_path / "absent" / "s.csv")
    assert status == 2 and out == "" and err.startswith("fichier : ")


def test_an_error_leaves_a_previous_output_untouched(capsys, national, tmp_path):
    sortie = tmp_path / "sortie.csv"
    sortie.write_text("ancien\n", encoding="utf-8")
    paie = tmp_path / "paie.csv"
    shutil.copy(national["csv"], paie)
    with paie.open("a", encoding="utf-8") as f:
        f.write("99999;X;FIN;1;1;1;propre;;;;;\n")
    status, _, _ = batch(capsys, national["territoires"], paie, sortie)
    assert status == 2
    assert sortie.read_text(encoding="utf-8") == "ancien\n"
