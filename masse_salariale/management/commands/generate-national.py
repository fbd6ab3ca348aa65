"""`mutualis generate-national` (docs/contrats/7-fichiers-nationaux.md): a synthetic national payroll built on
the official territories, deterministic for a given seed."""

import math

from commun.commandes import CommandeCalcul, SortieInvalide


class Command(CommandeCalcul):
    help = (
        "Fabrique une masse salariale nationale synthétique sur les EPCI officiels et leurs communes : "
        "DIR/territoires.csv, DIR/masse_salariale.csv et DIR/masse_salariale.parquet. Même graine, mêmes "
        "fichiers ; --scale 1 correspond à la France (environ 1,3 million d'agents)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", required=True, type=int, help="graine du tirage (entier)")
        parser.add_argument("--output", required=True, help="dossier où écrire les trois fichiers (créé au besoin)")
        parser.add_argument("--scale", default="1", help="multiplie les effectifs (1 = la France ; défaut : 1)")

    def handle(self, *args, **options):
        from masse_salariale.generateur_national import generate_national, write_national

        try:
            scale = float(options["scale"])
        except ValueError:
            scale = math.nan
        if not (math.isfinite(scale) and scale > 0):
            raise SortieInvalide([f"--scale « {options['scale']} » : un nombre positif est attendu (1 = la France)"])
        national = generate_national(options["seed"], scale)
        try:
            paths = write_national(national, options["output"])
        except OSError as exc:
            raise SortieInvalide(
                [f"fichier : {options['output']} : écriture impossible ({exc.strerror or exc})"]
            ) from exc
        self.stdout.write(
            f"{national.agents} agents, {national.payroll.height} lignes, {national.territories.height} "
            f"organisations écrits dans {', '.join(str(p) for p in paths)}"
        )
