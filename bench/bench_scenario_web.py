"""A scenario recomputed server-side on the demo territory (Bordeaux Métropole, 29 employers, two years of
synthetic payroll, ~23,000 lines a year stored as aggregates), as the scenario page does on every edit:
load the current payroll aggregates and reduce them (`scenarios.calcul.contexte`, cached per set of
batches after the first call), run the engine on a 20-action scenario (`calcul.simuler`), and the whole
page through Django's test client, for the project team and for an élue (whose amounts go through the
confidentiality pattern, masse_salariale/confidentialite.py); the coefficient page likewise; and the
pattern's cold computation (cells read from the pseudonymised lines, then one pattern per reader class).
Target: recompute < 50 ms; whole pages < 50 ms (README). Figures: min / median / max of several runs."""

import statistics
import time

import django_jetable  # noqa: E402, F401 (first: a throwaway Django, set up on import)
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

TARGET_MS = 50.0


def median_ms(fn, runs=30) -> float:
    return timings_ms(fn, runs)[1]


def timings_ms(fn, runs=30) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return min(times), statistics.median(times), max(times)


def line(label, figures, target=TARGET_MS) -> str:
    lo, med, hi = figures
    return (
        f"{label:<58} min {lo:6.1f}  median {med:6.1f}  max {hi:6.1f} ms  "
        f"(target {target:.0f} ms, ratio {med / target:.2f})"
    )


def main():
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    from comptes.models import Utilisateur
    from scenarios import actions, calcul
    from territoire.models import Territoire

    territoire = Territoire.objects.get(code="243300316")
    equipe = Utilisateur.objects.get(username="equipe-projet")
    schema = territoire.schemas.get()
    communes = list(territoire.organisations.communes().order_by("code"))
    scenario = actions.do_creer(schema, equipe, "Bench : 20 actions")
    ctx = calcul.contexte(territoire)
    themes = ["FIN", "RH", "CPAJ", "SI", "BML"]
    nouvelles = []
    for k in range(20):  # 20 actions, 4 per functional theme, on disjoint groups of communes
        theme = themes[k % 5]
        groupe = communes[(k // 5) * 7 : (k // 5) * 7 + 7]
        nouvelles.append(
            (
                {
                    "theme": theme,
                    "activite": "",
                    "toutes": False,
                    "modalite": "service_commun",
                    "part": 0.8,
                    "gain": 0.05,
                    "annee": 2027 + k % 4,
                },
                groupe,
                f"B{k + 1}",
            )
        )
    actions.do_ajouter_actions(ctx, scenario, equipe, nouvelles)
    lignes = actions.actions_de(scenario)

    t = time.perf_counter()
    calcul._CACHE.clear()
    calcul.contexte(territoire)
    froid = (time.perf_counter() - t) * 1000
    contexte = median_ms(lambda: calcul.contexte(territoire))
    moteur = median_ms(lambda: calcul.simuler(ctx, scenario, lignes))
    recalcul = median_ms(lambda: calcul.simuler(calcul.contexte(territoire), scenario, actions.actions_de(scenario)))
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

    cold = timings_ms(motif_froid, runs=5)
    client = Client()
    client.force_login(equipe)
    url = f"/t/{territoire.code}/decision/scenarios/{scenario.pk}/"
    assert client.get(url).status_code == 200
    page = median_ms(lambda: client.get(url), runs=10)
    pages = {}
    for login in ("equipe-projet", "elu-copil"):
        c = Client()
        c.force_login(Utilisateur.objects.get(username=login))
        for nom, adresse in (("scenario page", url), ("coefficient page", f"/t/{territoire.code}/coefficient/")):
            assert c.get(adresse).status_code == 200
            pages[f"{nom}, {login}"] = timings_ms(lambda c=c, adresse=adresse: c.get(adresse), runs=10)
    print(f"aggregate rows: {ctx.paie.agregats.height}, employers: {len(ctx.paie.lots)}, actions: {len(lignes)}")
    print(f"context, first call (aggregates read and reduced): {froid:.1f} ms")
    print(f"context, cached Bases (current batches re-read):   {contexte:.1f} ms")
    print(f"engine alone (simulate 20 actions):                 {moteur:.1f} ms")
    print(
        f"recompute as on an edit (context + actions + engine): {recalcul:.1f} ms "
        f"(target {TARGET_MS:.0f} ms, ratio {recalcul / TARGET_MS:.2f})"
    )
    print(f"whole scenario page through the test client:       {page:.1f} ms")
    print(line("confidentiality cells and 4 reader patterns, cold", cold, 1000))
    for nom, figures in pages.items():
        print(line(nom, figures))


if __name__ == "__main__":
    main()
