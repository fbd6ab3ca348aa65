"""A scenario recomputed server-side on the demo territory (Bordeaux Métropole, 29 employers, two years of
synthetic payroll, ~23,000 lines a year stored as aggregates), as the scenario page does on every edit: load
the current payroll aggregates and reduce them (`scenarios.calcul.contexte`, cached per set of batches after
the first call), run the engine on a 20-action scenario (`calcul.simuler`), and the whole page through
Django's test client as served (django_jetable.comme_servi), for the project team and for an élue (whose
amounts go through the confidentiality pattern, masse_salariale/confidentialite.py); the coefficient page
likewise; and the pattern's cold computation (cells read from the pseudonymised lines, then one pattern per
reader class). Targets (README): recompute < 50 ms; whole pages < 50 ms each; the pattern's cold computation <
1 s. Each figure: a first run apart (cold: caches, templates, the client's session), then min / median / max
of the warm runs, PASS/FAIL on the median."""

import statistics
import time

import django_jetable  # noqa: E402, F401 (first: a throwaway Django, set up on import)
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from verdicts import verdict  # noqa: E402

TARGET_MS = 50.0
PATTERN_TARGET_MS = 1000.0
RUNS = 30


def timings_ms(fn, runs=RUNS) -> list[float]:
    """Milliseconds of a first run (cold) and of `runs` more (warm)."""
    times = []
    for _ in range(runs + 1):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times


def line(label, times, target=None) -> str:
    """The first run apart, min / median / max of the others, and the verdict on their median if a target."""
    warm = times[1:]
    med = statistics.median(warm)
    text = f"{label:<56} first {times[0]:6.1f}  min {min(warm):6.1f}  median {med:6.1f}  max {max(warm):6.1f} ms"
    if target is None:
        return text + "  (no target)"
    word = verdict("bench_scenario_web", label, med, "ms", target)
    return text + f"  (target {target:.0f} ms, ratio {med / target:.2f}) {word}"


def main():
    django_jetable.comme_servi()  # as served: without the test environment's instrumented rendering
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    from comptes.models import Utilisateur
    from scenarios import actions, calcul
    from territoire.models import Territoire

    territoire = Territoire.objects.get(code="243300316")
    equipe = Utilisateur.objects.get(username="equipe-projet")
    scenario = django_jetable.scenario_de_vingt_actions(territoire, equipe)
    ctx = calcul.contexte(territoire)
    lignes = actions.actions_de(scenario)

    calcul._CACHE.clear()  # the first call reads and reduces the aggregates, the next ones hit the cache
    contexte = timings_ms(lambda: calcul.contexte(territoire))
    moteur = timings_ms(lambda: calcul.simuler(ctx, scenario, lignes))
    recalcul = timings_ms(lambda: calcul.simuler(calcul.contexte(territoire), scenario, actions.actions_de(scenario)))
    from comptes.perms import Acces
    from masse_salariale import confidentialite
    from masse_salariale.lecture import paie_courante

    paie = paie_courante(territoire)
    lecteurs = [
        Acces(Utilisateur.objects.get(username=u), territoire)
        for u in ("equipe-projet", "elu-copil", "dgs-bordeaux", "dgs-merignac")
    ]

    def motif_froid():
        confidentialite._CACHE.clear()
        for acces in lecteurs:
            confidentialite.lecture(territoire, paie, acces)

    motif = timings_ms(motif_froid, runs=5)
    url = f"/t/{territoire.code}/decision/scenarios/{scenario.pk}/"
    pages = {}
    for login in ("equipe-projet", "elu-copil"):
        c = Client()
        c.force_login(Utilisateur.objects.get(username=login))
        for nom, adresse in (("scenario page", url), ("coefficient page", f"/t/{territoire.code}/coefficient/")):
            pages[f"{nom}, {login}"] = timings_ms(lambda c=c, adresse=adresse: get(c, adresse), runs=10)
    print(f"aggregate rows: {ctx.paie.agregats.height}, employers: {len(ctx.paie.lots)}, actions: {len(lignes)}")
    print(line("context (first: aggregates read and reduced; then cached)", contexte))
    print(line("engine alone (simulate 20 actions)", moteur))
    print(line("recompute as on an edit (context + actions + engine)", recalcul, TARGET_MS))
    print(line("confidentiality cells and 4 reader patterns, cold", motif, PATTERN_TARGET_MS))
    for nom, times in pages.items():
        print(line(nom, times, TARGET_MS))


def get(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)


if __name__ == "__main__":
    main()
