"""Upload-to-coefficient on a Bordeaux-sized synthetic payroll (~20,000 lines), CSV and XLSX, through
Django's test client on a fresh SQLite database: POST the file (validation, pseudonymisation,
aggregation, storage; a file over 1 MB is read by the worker of the queue `imports`, run here once over it:
masse_salariale/imports.py), POST the confirmation, GET the coefficient page. Target < 3 s each.

Each format is imported RUNS times, a new reference year each time: the first run (cold: modules, caches
and the database's pages warming up) is printed apart, then min/median/max of the others, PASS/FAIL on the
median; the machine's load is printed first, since the machine may be shared."""

import io
import os
import statistics
import time

import django_jetable  # noqa: E402, F401 (first: a throwaway Django, set up on import)
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from verdicts import verdict  # noqa: E402

TARGET_S = 3.0
RUNS = 4  # per format: one cold, then the warm ones


def xlsx_bytes(frame) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("masse_salariale")
    ws.append(frame.columns)
    for row in frame.iter_rows():
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    from comptes.enums import Role
    from comptes.models import Habilitation, Utilisateur
    from masse_salariale.generateur import generate_payroll, write_payroll_csv
    from mutualis.installation import do_installer_territoire
    from territoire.actions import description_officielle

    territoire, _, _ = do_installer_territoire(description_officielle("243300316"))
    user = Utilisateur.objects.create_user("bench", password="x", organisation=territoire.epci)
    Habilitation.objects.create(
        utilisateur=user, territoire=territoire, role=Role.EQUIPE_PROJET, organisation=territoire.epci
    )
    orgs = list(territoire.organisations.all())
    epci = next(o for o in orgs if o.est_epci)
    frame = generate_payroll(
        (epci.code, epci.nom, epci.population), [(o.code, o.nom, o.population) for o in orgs if not o.est_epci], seed=7
    )
    csv_buffer = io.BytesIO()
    write_payroll_csv(frame, csv_buffer)
    files = {"csv": csv_buffer.getvalue(), "xlsx": xlsx_bytes(frame)}
    print(
        f"payroll: {frame.height:,} lines, CSV {len(files['csv']) / 1e6:.1f} MB, XLSX {len(files['xlsx']) / 1e6:.1f} MB"
    )
    client = Client()
    client.force_login(user)
    base = f"/t/{territoire.code}"
    print(f"load of the machine (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    year = 2000
    for kind, data in files.items():
        totals = []
        for _ in range(RUNS):
            year += 1
            steps = import_once(client, base, kind, data, year)
            totals.append(sum(steps))
            print(
                f"  {kind.upper():4} {year}: upload+validate+store {steps[0]:.2f} s, confirm {steps[1]:.2f} s, "
                f"coefficient page {steps[2]:.2f} s; total {sum(steps):.2f} s"
            )
        warm = sorted(totals[1:])
        median = statistics.median(warm)
        word = verdict("bench_import", f"{kind.upper()} upload to coefficient page", median, "s", TARGET_S)
        print(
            f"{kind.upper():4}: cold {totals[0]:.2f} s; warm min/median/max {warm[0]:.2f} / {median:.2f} / "
            f"{warm[-1]:.2f} s ({len(warm)} runs); target {TARGET_S:.0f} s; ratio {median / TARGET_S:.2f} {word}"
        )


def import_once(client, base, kind, data, year) -> tuple[float, float, float]:
    """One import of `data` for `year`: (upload and reading, confirmation, coefficient page) in seconds."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    t0 = time.perf_counter()
    response = client.post(
        f"{base}/masse-salariale/importer/", {"fichier": SimpleUploadedFile(f"paie.{kind}", data), "annee": year}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    if "/imports/" in response["Location"]:  # read by the worker, then the page leads to the batch
        options = ["--backend", "imports", "--queue-name", "imports", "--batch", "--no-startup-delay"]
        call_command("db_worker", *options, verbosity=0)
        response = client.get(response["Location"])
        assert response.status_code == 302 and "/lots/" in response["Location"]
    t1 = time.perf_counter()
    response = client.post(response["Location"] + "confirmer/")
    assert response.status_code == 302
    t2 = time.perf_counter()
    response = client.get(f"{base}/coefficient/", {"annee": year})
    assert response.status_code == 200 and response.context["result"].coefficient
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


if __name__ == "__main__":
    main()
