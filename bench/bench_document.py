"""The schéma document of the demo territory (Bordeaux Métropole: 9 themes, 28 communes, its version 1),
written as PDF, ODT and DOCX the way the background task writes it (`publication.generation.ecrire`: the
figures of the version, the publication rule, the layout), warm: a first run fills the caches, then 5
timed runs per format (the first printed apart). Target (issue 13): each format in under 10 s, median of the 5
warm runs, PASS/FAIL."""

import statistics
import time

import django_jetable  # noqa: E402, F401 (first: a throwaway Django, set up on import)
from django.core.management import call_command  # noqa: E402
from verdicts import verdict  # noqa: E402

TARGET_S = {"pdf": 10.0, "odt": 10.0, "docx": 10.0}
RUNS = 5


def main():
    call_command("migrate", verbosity=0)
    call_command("demo", verbosity=0)
    from parcours.models import VersionSchema
    from publication.generation import ecrire

    # Bordeaux Métropole's version 1 (the demo also holds a follow-up territory's approved version).
    version = VersionSchema.objects.select_related("schema__territoire", "scenario").get(
        schema__territoire__code="243300316", numero=1
    )
    for format_document in ("pdf", "odt", "docx"):
        t = time.perf_counter()
        contenu, pages = ecrire(version, format_document)  # the first run, apart: it fills the caches
        first = time.perf_counter() - t
        times = []
        for _ in range(RUNS):
            t = time.perf_counter()
            contenu, pages = ecrire(version, format_document)
            times.append(time.perf_counter() - t)
        lo, med, hi = min(times), statistics.median(times), max(times)
        cible = TARGET_S[format_document]
        extra = f", {pages} pages" if pages else ""
        word = verdict("bench_document", f"schéma {format_document.upper()}", med, "s", cible)
        print(
            f"schéma {format_document.upper():<5} first {first:5.2f}  "
            f"min {lo:5.2f}  median {med:5.2f}  max {hi:5.2f} s  "
            f"(target {cible:.0f} s, ratio {med / cible:.2f}; {len(contenu) // 1024} Kio{extra}) {word}"
        )


if __name__ == "__main__":
    main()
