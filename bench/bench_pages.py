"""Pages flat with volume (issue 17, points 4 and 5): the coefficient page and the whole scenario page of a
territory of about 1,000 payroll lines and of one of about 100,000, through Django's test client on a fresh
SQLite database, for the project team (the scenario page also for an élue, who sees no form: informative).
Both territories have the same shape (Bordeaux Métropole's 28 communes, the second one under another SIREN)
and a synthetic payroll of the same generator (masse_salariale/generateur.py) at two scales, imported and
confirmed as a user would; each has a scenario of 20 actions as in bench_scenario_web.py. So the two differ
only by the volume of their payroll (and by what it fills: a small commune has no agent in some functional
themes, so the small territory's grid has more empty cells, hence fewer links and amounts to render).

The pages are requested as a server would serve them: through the test client, but without the test
environment's instrumented rendering (Django's `setup_test_environment` makes every template, each include
too, send a signal whose receiver copies the context: a cost no server pays, 10 to 20 % of the scenario
page); the same pages under it are measured apart at the end, for comparison with bench_scenario_web.py.
The first request of each page is timed apart (« cold »: the process's caches of payroll figures emptied:
the frames, the reduced payroll, the confidentiality pattern), then several warm runs give min / median /
max. Targets: the 100k / 1k ratio of the warm medians of each page < 1.2 (PASS only under it), and the whole
scenario page under 50 ms (README). `--runs N` (default 30): the warm runs of the pages are interleaved
request by request, so that the load of a shared machine falls on all of them alike; each is timed by the
wall clock and by the processor time of the process, less disturbed by other work (it counts polars'
threads); the machine's load is printed."""

import argparse
import io
import os
import statistics
import time
from dataclasses import replace

import django_jetable  # noqa: E402, F401 (first: a throwaway Django, set up on import)
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from verdicts import verdict  # noqa: E402

RATIO_TARGET = 1.2
SCENARIO_TARGET_MS = 50.0
BORDEAUX = "243300316"
# Bordeaux Métropole at scale 1 gives about 23,000 lines: these scales give about 1,000 and 100,000.
TERRITOIRES = (("1k", BORDEAUX, 0.044), ("100k", "200000172", 4.35))
# The pages timed, the project team's first: the scenario page also for an élue, who sees no form and reads
# the amounts through the confidentiality pattern of the public (informative: the targets are the team's).
PAGES = ("coefficient page", "scenario page", "scenario page, élue")


def construire(siren: str, scale: float):
    """A territory of Bordeaux's shape under `siren`, its project team and an élue, one confirmed payroll
    batch of 2025 and a scenario of 20 actions. Returns (territory, team, élue, scenario, payroll lines)."""
    from comptes.enums import Role
    from comptes.models import Habilitation, Utilisateur
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot
    from masse_salariale.generateur import generate_payroll, write_payroll_csv
    from mutualis.installation import do_installer_territoire
    from territoire.actions import description_officielle

    desc = description_officielle(BORDEAUX)
    if siren != BORDEAUX:
        desc = replace(desc, code=siren, nom=f"{desc.nom} (copie {siren})")
    territoire, _, _ = do_installer_territoire(desc)
    user = Utilisateur.objects.create_user(f"equipe-{siren}", password="x", organisation=territoire.epci)
    Habilitation.objects.create(
        utilisateur=user, territoire=territoire, role=Role.EQUIPE_PROJET, organisation=territoire.epci
    )
    elue = Utilisateur.objects.create_user(f"elue-{siren}", password="x", organisation=territoire.epci)
    Habilitation.objects.create(utilisateur=elue, territoire=territoire, role=Role.ELU, organisation=territoire.epci)
    orgs = list(territoire.organisations.all())
    epci = next(o for o in orgs if o.est_epci)
    communes = [(o.code, o.nom, o.population) for o in orgs if not o.est_epci]
    frame = generate_payroll((epci.code, epci.nom, epci.population), communes, seed=7, scale=scale)
    buffer = io.BytesIO()
    write_payroll_csv(frame, buffer)
    lot = do_preparer_lot(territoire, buffer.getvalue(), "paie.csv", 2025, user)
    do_confirmer_lot(lot, user)

    scenario = django_jetable.scenario_de_vingt_actions(territoire, user)
    return territoire, user, elue, scenario, frame.height


def vider_caches():
    """The process's caches of payroll figures emptied (frames, reduced payroll, confidentiality pattern)."""
    from masse_salariale import confidentialite, lecture
    from scenarios import calcul

    for cache in (lecture._CACHE, calcul._CACHE, confidentialite._CACHE):
        cache.clear()


def chrono(client, url) -> tuple[float, float]:
    """One request: (wall-clock ms, CPU ms of this process). The CPU time is less disturbed by other work on
    a shared machine, and still counts the threads polars may use."""
    t, c = time.perf_counter(), time.process_time()
    reponse = client.get(url)
    mesure = (time.perf_counter() - t) * 1000, (time.process_time() - c) * 1000
    assert reponse.status_code == 200, (url, reponse.status_code)
    return mesure


def resume(times) -> tuple[float, float, float]:
    return min(times), statistics.median(times), max(times)


def mesurer(sites, runs) -> dict:
    """Warm runs interleaved request by request, so that the load of a shared machine falls on all alike."""
    chaud = {(nom, page): [] for nom in sites for page in PAGES}
    for _ in range(runs):
        for page in PAGES:
            for nom, pages in sites.items():
                chaud[nom, page].append(chrono(*pages[page]))
    return chaud


def mediane(mesures, k=0) -> float:
    return statistics.median(m[k] for m in mesures)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="warm runs of each page per territory")
    args = parser.parse_args()
    # As served: the test client without the test environment's instrumented rendering (below, apart).
    django_jetable.comme_servi()
    call_command("migrate", verbosity=0)
    from masse_salariale.lecture import paie_courante

    sites = {}
    for nom, siren, scale in TERRITOIRES:
        t = time.perf_counter()
        territoire, equipe, elue, scenario, n = construire(siren, scale)
        clients = [Client(), Client()]
        clients[0].force_login(equipe)
        clients[1].force_login(elue)
        url = f"/t/{siren}/decision/scenarios/{scenario.pk}/"
        pages = dict(
            zip(PAGES, ((clients[0], f"/t/{siren}/coefficient/"), (clients[0], url), (clients[1], url)), strict=True)
        )
        agregats = paie_courante(territoire).agregats.height
        print(
            f"{nom:>4}: {n:,} payroll lines, {agregats:,} aggregate rows, built in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        sites[nom] = pages

    for pages in sites.values():  # the process warmed (templates compiled, URLs resolved)
        for client, url in pages.values():
            chrono(client, url)
    print("machine load (1, 5, 15 min): {:.2f} {:.2f} {:.2f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    froid = {}
    for nom, pages in sites.items():
        for page, (client, url) in pages.items():
            vider_caches()
            froid[nom, page] = chrono(client, url)
    chaud = mesurer(sites, args.runs)

    print(f"\nwarm: {args.runs} runs each, interleaved; cold: the first request once the process's caches of payroll")
    print("figures are emptied (frames, reduced payroll, confidentiality pattern); CPU: this process's time")
    for (nom, page), mesures in chaud.items():
        for k, horloge in enumerate(("wall", "CPU")):
            lo, med, hi = resume([m[k] for m in mesures])
            print(
                f"{page:<20} {nom:>4} {horloge:<4}: cold {froid[nom, page][k]:7.1f} ms; warm "
                f"min {lo:6.1f}  median {med:6.1f}  max {hi:6.1f} ms"
            )
    print()
    for page in PAGES:
        r, r_cpu = (mediane(chaud["100k", page], k) / mediane(chaud["1k", page], k) for k in (0, 1))
        word = verdict("bench_pages", f"{page}, 100k / 1k (warm medians)", r, "×", RATIO_TARGET)
        print(f"{page:<20} 100k / 1k: {r:.2f} (warm medians, wall; CPU {r_cpu:.2f})  target < {RATIO_TARGET}", word)
    for page in PAGES[1:]:
        for nom in ("1k", "100k"):
            lo, med, hi = resume([m[0] for m in chaud[nom, page]])
            cpu = mediane(chaud[nom, page], 1)
            word = verdict("bench_pages", f"{page}, {nom}", med, "ms", SCENARIO_TARGET_MS)
            print(
                f"{page:<20} {nom:>4}: median {med:.1f} ms (min {lo:.1f}, max {hi:.1f}; CPU median {cpu:.1f})  "
                f"target < {SCENARIO_TARGET_MS:.0f} ms  {word}"
            )

    print("machine load (1, 5, 15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))

    # The same pages under Django's test environment (as bench_scenario_web.py and the tests measure them):
    # every template rendered, includes too, sends a signal and the client copies its context.
    setup_test_environment()
    chaud = mesurer(sites, max(5, args.runs // 2))
    print("\nfor comparison, under the test environment (instrumented rendering), warm, wall:")
    for (nom, page), mesures in chaud.items():
        lo, med, hi = resume([m[0] for m in mesures])
        print(f"{page:<20} {nom:>4}: min {lo:6.1f}  median {med:6.1f}  max {hi:6.1f} ms")
    for page in PAGES:
        r = mediane(chaud["100k", page]) / mediane(chaud["1k", page])
        print(f"{page:<20} 100k / 1k: {r:.2f}")


if __name__ == "__main__":
    main()
