"""`mutualis territoire` (docs/contrats §6) from the official files and from a territory file."""

import json

import pytest

from territoire.models import Organisation, Schema, Territoire
from tests.cast import run_command

pytestmark = pytest.mark.django_db


def test_bordeaux_metropole_from_official_files(capsys):
    status, out, err = run_command(capsys, "territoire", "--siren", "243300316", "--json")
    assert status == 0, err
    doc = json.loads(out)
    assert doc["epci"] == {
        "code": "243300316",
        "nom": "Bordeaux Métropole",
        "nature": "METRO",
        "fiscalite": "FPU",
        "population": 854334,
    }
    assert len(doc["communes"]) == 28
    assert [c["code"] for c in doc["communes"]] == sorted(c["code"] for c in doc["communes"])
    assert {"code": "33063", "nom": "Bordeaux", "population": 267991} in doc["communes"]
    territoire = Territoire.objects.get(code="243300316")
    assert territoire.organisations.count() == 29
    schema = Schema.objects.get(territoire=territoire)
    assert schema.mandat == "2026-2032" and schema.groupes.count() == 9
    assert territoire.activites.filter(code="RH-PAIE").exists()


def test_update_renames_and_keeps_communes_with_data(capsys):
    run_command(capsys, "territoire", "--siren", "243300316")
    territoire = Territoire.objects.get()
    Organisation.objects.filter(territoire=territoire, code="33063").update(nom="Ancien nom", population=1)
    ghost = Organisation.objects.create(territoire=territoire, code="33999", nom="Commune sortie", type="commune")
    empty = Organisation.objects.create(territoire=territoire, code="33998", nom="Commune vide", type="commune")
    from comptes.models import Utilisateur

    Utilisateur.objects.create_user("x", organisation=ghost)
    status, out, err = run_command(capsys, "territoire", "--siren", "243300316", "--json")
    assert status == 0
    bordeaux = Organisation.objects.get(territoire=territoire, code="33063")
    assert (bordeaux.nom, bordeaux.population) == ("Bordeaux", 267991)
    assert not Organisation.objects.filter(pk=empty.pk).exists()
    ghost.refresh_from_db()
    assert ghost.membre is False
    assert "avertissement : " in err and "33999" in err
    assert Schema.objects.count() == 1


@pytest.mark.parametrize(
    ("siren", "expected"),
    [("200046977", "Métropole de Lyon"), ("123456789", "aucun EPCI"), ("12345", "9 chiffres")],
    ids=["lyon", "unknown", "malformed"],
)
def test_refused_sirens_exit_2_and_write_nothing(capsys, siren, expected):
    status, out, err = run_command(capsys, "territoire", "--siren", siren, "--json")
    assert status == 2 and out == ""
    assert err.startswith("fichier : ") and expected in err
    assert not Territoire.objects.exists()


def test_paris_lyon_marseille_sum_their_arrondissements(capsys):
    status, out, _ = run_command(capsys, "territoire", "--siren", "200054781", "--json")  # Métropole du Grand Paris
    paris = next(c for c in json.loads(out)["communes"] if c["code"] == "75056")
    assert paris["population"] == 2103778


def test_territory_file(capsys, tmp_path):
    path = tmp_path / "territoire.csv"
    path.write_text(
        "code;nom;type;population;fiscalite\n200000001;CC Test;epci;;FA\n"
        "01001;Village;commune;860;\n2A004;Ajaccio;commune;76320;\n",
        encoding="utf-8",
    )
    status, out, err = run_command(capsys, "territoire", "--fichier", str(path), "--json")
    assert status == 0, err
    doc = json.loads(out)
    assert doc["epci"]["fiscalite"] == "FA" and doc["epci"]["population"] == 77180
    assert [c["code"] for c in doc["communes"]] == ["01001", "2A004"]


def test_invalid_territory_file_exits_2(capsys, tmp_path):
    path = tmp_path / "territoire.csv"
    path.write_text("code;nom;type\n200000001;CC Test;epci\n200000002;CC Deux;epci\n1234;X;commune\n", encoding="utf-8")
    status, out, err = run_command(capsys, "territoire", "--fichier", str(path))
    assert status == 2 and out == ""
    assert all(line.startswith(("ligne ", "fichier : ", "avertissement : ")) for line in err.splitlines())
    assert not Territoire.objects.exists()
