"""`mutualis masse-salariale`, `mutualis equipe-projet` and `mutualis demo` (docs/contrats §6, §8)."""

import json

import pytest
from django.core.management import call_command

from masse_salariale.models import LignePaie, Lot, LotEmployeur
from tests.cast import BORDEAUX, EPCI, payroll_csv, payroll_rows_small, run_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def fichier(tmp_path):
    path = tmp_path / "paie.csv"
    path.write_bytes(payroll_csv(*payroll_rows_small()))
    return path


def test_import_prints_the_batch_summary(capsys, territoire, fichier):
    status, out, err = run_command(
        capsys, "masse-salariale", "--siren", EPCI, "--annee", "2025", str(fichier), "--json"
    )
    assert status == 0, err
    doc = json.loads(out)
    assert doc["annee"] == 2025 and doc["lignes"] == 17 and doc["fichier"] == "paie.csv"
    assert {e["code"] for e in doc["employeurs"]} == {EPCI, BORDEAUX, "33281", "33318"}
    assert LotEmployeur.objects.filter(courant=True).count() == 4


def test_second_import_without_replace_is_an_error_and_writes_nothing(capsys, territoire, fichier):
    run_command(capsys, "masse-salariale", "--siren", EPCI, "--annee", "2025", str(fichier))
    status, out, err = run_command(capsys, "masse-salariale", "--siren", EPCI, "--annee", "2025", str(fichier))
    assert status == 2 and out == ""
    assert err.startswith("fichier : ") and "remplacer" in err
    assert Lot.objects.count() == 1 and LignePaie.objects.count() == 17
    status, out, _ = run_command(
        capsys, "masse-salariale", "--siren", EPCI, "--annee", "2025", str(fichier), "--remplacer"
    )
    assert status == 0 and Lot.objects.count() == 2
    assert LotEmployeur.objects.filter(courant=True).count() == 4


def test_invalid_file_exits_2_and_writes_nothing(capsys, territoire, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(payroll_csv(f"{EPCI};E1;FIN;50000;1;1;mad;;;A"))
    status, out, err = run_command(capsys, "masse-salariale", "--siren", EPCI, "--annee", "2025", str(path))
    assert status == 2 and out == "" and err.startswith("ligne 2 : ")
    assert not Lot.objects.exists()


def test_unknown_territory_exits_2(capsys, db, fichier):
    status, out, err = run_command(capsys, "masse-salariale", "--siren", "999999999", "--annee", "2025", str(fichier))
    assert status == 2 and out == "" and "999999999" in err


def test_equipe_projet_creates_the_first_account_with_a_password_link(capsys, territoire, client):
    status, out, err = run_command(capsys, "equipe-projet", "--siren", EPCI, "--email", "dgs@metropole.fr")
    assert status == 0, err
    link = next(word for word in out.split() if word.startswith("http"))
    from comptes.models import Utilisateur

    user = Utilisateur.objects.get(email="dgs@metropole.fr")
    assert user.habilitations.get().role == "equipe_projet" and not user.has_usable_password()
    path = link.split("8000", 1)[1]
    response = client.get(path, follow=True)
    assert response.status_code == 200 and "Choisir un mot de passe" in response.content.decode()


def test_demo_fills_an_empty_database_and_refuses_a_full_one(capsys, db):
    from comptes.models import Utilisateur
    from masse_salariale.lecture import paie_courante
    from territoire.models import Territoire

    status, out, err = run_command(capsys, "demo")
    assert status == 0, err
    territoire = Territoire.objects.get(code=EPCI)
    assert territoire.organisations.count() == 29
    logins = {u.username for u in Utilisateur.objects.all() if u.has_usable_password()}
    assert logins == {
        "equipe-projet",
        "dgs-metropole",
        "dgs-bordeaux",
        "dgs-merignac",
        "copilote-rh-commune",
        "copilote-rh-epci",
        "consultant",
        "elu-copil",
        "equipe-projet-coban",  # the follow-up's territory (docs/contrats §8)
    }
    assert Utilisateur.objects.get(username="dgs-merignac").check_password("mutualis-demo")
    coban = Territoire.objects.get(code="243301504")
    assert coban.schemas.get().versions.get().etat == "approuve"
    assert sorted(paie_courante(coban, 2026).lots) and coban.schemas.get().elements.count() == 5
    assert len(paie_courante(territoire).lots) == 29
    # The shared space: nine groups with both co-pilots and a consultant, meetings held and planned,
    # minutes at several states of the workflow, mandate letters.
    from seances.models import CompteRendu, Seance

    schema = territoire.schemas.get()
    for groupe in schema.groupes.all():
        roles = set(groupe.habilitations.values_list("role", flat=True))
        assert {"copilote_commune", "copilote_epci", "consultant"} <= roles, groupe
    assert {s.statut for s in Seance.objects.filter(groupe__schema=schema)} == {"tenue", "planifiee"}
    assert {cr.etat for cr in CompteRendu.objects.all()} == {"brouillon", "soumis", "renvoye", "valide"}
    from documents.models import LettreMission

    assert {lettre.statut for lettre in LettreMission.objects.all()} == {"brouillon", "envoyee", "signee"}
    # Decision support: two scenarios that the engine computes on the demo payroll, the second higher.
    from scenarios import calcul
    from scenarios.models import Scenario

    ctx = calcul.contexte(territoire)
    apres = {
        s.nom: calcul.simuler(ctx, s, list(s.actions.all())).simulation.after.coefficient
        for s in Scenario.objects.filter(schema=schema)
    }
    assert len(apres) == 2 and apres["Cycle 1 élargi au numérique"] > apres["Cycle 1 : paie, comptabilité, marchés"]
    status, out, _ = run_command(capsys, "demo", "--si-vide")
    assert status == 0 and "conservées" in out
    with pytest.raises(Exception, match="déjà des données"):
        call_command("demo")
