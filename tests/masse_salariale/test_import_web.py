"""Payroll import from the web: upload, validation report, confirmation, replacement, rights."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masse_salariale.models import LignePaie, Lot, LotEmployeur
from territoire.models import Evenement
from tests.cast import BORDEAUX, EPCI, MERIGNAC, payroll_csv, payroll_rows_small

pytestmark = pytest.mark.django_db


def upload(client, territoire, data, name="paie.csv", annee=2025):
    url = reverse("masse_salariale:importer", kwargs={"code": territoire.code})
    return client.post(url, {"fichier": SimpleUploadedFile(name, data), "annee": annee})


def test_valid_file_is_staged_then_confirmed(connecte, cast, territoire, payroll_small):
    client = connecte(cast["equipe_projet"])
    response = upload(client, territoire, payroll_small)
    lot = Lot.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/lots/{lot.pk}/")
    assert lot.statut == "a_confirmer" and not LotEmployeur.objects.filter(courant=True).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Confirmer l'import" in page and "Bordeaux" in page and "Mérignac" in page
    response = client.post(reverse("masse_salariale:confirmer", kwargs={"code": territoire.code, "pk": lot.pk}))
    assert response.status_code == 302
    lot.refresh_from_db()
    assert lot.statut == "confirme"
    assert set(LotEmployeur.objects.filter(courant=True).values_list("organisation__code", flat=True)) == {
        EPCI,
        BORDEAUX,
        MERIGNAC,
        "33318",
    }
    assert lot.empreinte and lot.fichier == "paie.csv" and lot.importe_par == cast["equipe_projet"]


def test_agent_identifiers_are_pseudonymised(connecte, cast, territoire, payroll_small):
    upload(connecte(cast["equipe_projet"]), territoire, payroll_small)
    agents = set(LignePaie.objects.values_list("agent", flat=True))
    assert len(agents) == 16
    assert not agents & {"E0", "B0", "M1"}
    assert all(len(a) == 32 for a in agents)


def test_file_with_errors_lists_each_with_its_line_and_imports_nothing(connecte, cast, territoire):
    data = payroll_csv(
        f"{EPCI};E1;FIN;50000;1;1;propre;;;A", "99999;X;FIN;1;1;1;propre;;;A", f"{BORDEAUX};B1;XYZ;abc;1;1;propre;;;A"
    )
    response = upload(connecte(cast["equipe_projet"]), territoire, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "ligne 3 : employeur « 99999 »" in page
    assert "ligne 4 : theme « XYZ »" in page
    assert "ligne 4 : cout_annuel « abc »" in page
    assert not Lot.objects.exists() and not LignePaie.objects.exists()
    assert Evenement.objects.filter(action="masse_salariale.refus").exists()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"", "vide.csv", "fichier : "),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "image.csv", "fichier : "),
        ("employeur;agent\n".encode("utf-16"), "utf16.csv", "encodage non pris en charge"),
    ],
    ids=["empty", "binary", "utf16"],
)
def test_bad_files_get_a_french_message_never_a_server_error(connecte, cast, territoire, data, name, expected):
    response = upload(connecte(cast["equipe_projet"]), territoire, data, name)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Lot.objects.exists()


def test_file_over_the_upload_limit_is_refused(connecte, cast, territoire, settings, payroll_small):
    settings.UPLOAD_MAX_BYTES = 100
    response = upload(connecte(cast["equipe_projet"]), territoire, payroll_small)
    assert response.status_code == 400
    assert "au-delà de la limite" in response.content.decode()
    assert not Lot.objects.exists()


def test_file_of_another_territory_is_refused(connecte, cast, territoire):
    data = payroll_csv("44109;N1;FIN;50000;1;1;propre;;;A", "244400404;N2;FIN;50000;1;1;propre;;;A")
    response = upload(connecte(cast["equipe_projet"]), territoire, data)
    assert response.status_code == 400
    assert "autre territoire" in response.content.decode()


def test_dgs_imports_only_her_own_organisation_lines(connecte, cast, territoire):
    client = connecte(cast["dgs_merignac"])
    mine = payroll_csv(f"{MERIGNAC};M1;RH;44000;1;1;propre;;;B")
    assert upload(client, territoire, mine).status_code == 302
    theirs = payroll_csv(f"{MERIGNAC};M1;RH;44000;1;1;propre;;;B", f"{BORDEAUX};B1;RH;44000;1;1;propre;;;B")
    response = upload(client, territoire, theirs, annee=2024)
    assert response.status_code == 400
    assert f"ligne 3 : employeur « {BORDEAUX} » : vous ne pouvez importer que les lignes de votre organisation" in (
        response.content.decode()
    )
    assert Lot.objects.count() == 1


@pytest.mark.parametrize("who", ["consultant", "elu_copil", "copilote_rh_commune"])
def test_other_roles_cannot_import(connecte, cast, territoire, payroll_small, who):
    assert upload(connecte(cast[who]), territoire, payroll_small).status_code == 403
    assert not Lot.objects.exists()


def test_replacing_is_explicit_and_keeps_history(connecte, cast, territoire, lot_courant):
    client = connecte(cast["equipe_projet"])
    data = payroll_csv(f"{BORDEAUX};B1;FIN;41000;1;1;propre;;;B")
    upload(client, territoire, data)
    new = Lot.objects.exclude(pk=lot_courant.pk).get()
    url = reverse("masse_salariale:confirmer", kwargs={"code": territoire.code, "pk": new.pk})
    page = client.get(reverse("masse_salariale:lot", kwargs={"code": territoire.code, "pk": new.pk})).content.decode()
    assert "ont déjà un lot courant" in page
    client.post(url)  # without « remplacer »: refused, nothing changes
    new.refresh_from_db()
    assert new.statut == "a_confirmer"
    assert LotEmployeur.objects.get(courant=True, organisation__code=BORDEAUX).lot == lot_courant
    client.post(url, {"remplacer": "on"})
    current = LotEmployeur.objects.get(courant=True, organisation__code=BORDEAUX)
    assert current.lot == new and current.remplace.lot == lot_courant
    # the other employers keep the first batch; the old one stays in history
    assert LotEmployeur.objects.get(courant=True, organisation__code=MERIGNAC).lot == lot_courant
    assert Lot.objects.filter(pk=lot_courant.pk).exists()


def test_abandoning_a_staged_batch_deletes_its_lines(connecte, cast, territoire, payroll_small):
    client = connecte(cast["equipe_projet"])
    upload(client, territoire, payroll_small)
    lot = Lot.objects.get()
    client.post(reverse("masse_salariale:abandonner", kwargs={"code": territoire.code, "pk": lot.pk}))
    lot.refresh_from_db()
    assert lot.statut == "abandonne" and not lot.lignes.exists()


def test_a_dgs_cannot_confirm_a_batch_she_did_not_import(connecte, cast, territoire, payroll_small):
    upload(connecte(cast["equipe_projet"]), territoire, payroll_small)
    lot = Lot.objects.get()
    client = connecte(cast["dgs_bordeaux"])
    url = reverse("masse_salariale:confirmer", kwargs={"code": territoire.code, "pk": lot.pk})
    assert client.post(url).status_code == 403
    lot.refresh_from_db()
    assert lot.statut == "a_confirmer"


def test_batch_records_who_when_file_checksum_lines_and_totals(cast, territoire, lot_courant):
    import hashlib

    rows = payroll_rows_small()
    assert lot_courant.nb_lignes == len(rows)
    assert lot_courant.empreinte == hashlib.sha256(payroll_csv(*rows)).hexdigest()
    assert float(lot_courant.cout_total) == pytest.approx(
        4 * 50000 + 45000 + 5 * 40000 + 3 * 42000 + 44000 + 38000 + 36000
    )
    assert lot_courant.importe_par == cast["equipe_projet"] and lot_courant.importe_le


def _xlsx(build) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "masse_salariale"
    build(ws)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _merged_header(ws):
    ws.append(["employeur", "agent", "theme", "cout_annuel"])
    ws.merge_cells("A1:B1")
    ws.append([EPCI, "E1", "FIN", 50000])


def _formula_without_value(ws):
    ws.append(["employeur", "agent", "theme", "cout_annuel"])
    ws.append([EPCI, "E1", "FIN", "=40000+10000"])  # openpyxl writes no cached value


def _date_as_cost(ws):
    import datetime as dt

    ws.append(["employeur", "agent", "theme", "cout_annuel"])
    ws.append([EPCI, "E1", "FIN", dt.date(2025, 1, 1)])


@pytest.mark.parametrize(
    "build",
    [_merged_header, _formula_without_value, _date_as_cost],
    ids=["merged_header", "formula_without_value", "date_as_cost"],
)
def test_bad_workbooks_are_reported_never_a_server_error(connecte, cast, territoire, build):
    response = upload(connecte(cast["equipe_projet"]), territoire, _xlsx(build), "paie.xlsx")
    assert response.status_code == 400
    html = response.content.decode()
    assert "fichier : " in html or "ligne 2 : cout_annuel" in html
    assert not Lot.objects.exists()
