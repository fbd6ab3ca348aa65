"""`mutualis coefficient-batch` (docs/contrats/7-fichiers-nationaux.md): the coefficient of every EPCI of a
territories file from one national payroll file, written to one CSV file."""

from pathlib import Path

from commun.commandes import CommandeCalcul, SortieInvalide


class Command(CommandeCalcul):
    help = (
        "Calcule le coefficient de mutualisation de chaque EPCI d'un fichier de territoires (epcicom.xlsx de la "
        "DGCL tel quel, ou CSV des territoires avec une colonne epci) à partir d'un fichier national de masse "
        "salariale (CSV ou Parquet), et écrit une ligne par EPCI, triées par SIREN. Indicateur de gestion : il "
        "n'a jamais servi au calcul de la DGF et n'est plus en vigueur."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--territories", required=True, help="territoires : epcicom.xlsx de la DGCL, ou CSV (§2 + colonne epci)"
        )
        parser.add_argument("--payroll", required=True, help="masse salariale nationale (CSV ou Parquet)")
        parser.add_argument("--output", required=True, help="fichier CSV à écrire (remplacé s'il existe)")

    def handle(self, *args, **options):
        # Heavy libraries (polars) are imported here, not when the command list is built.
        from commun.commandes import lire_octets
        from engine.national import coefficients_by_epci
        from formats.errors import InvalidFile
        from formats.national import coefficients_csv, read_territories, with_file_name, write_atomically
        from formats.national_payroll import read_national_payroll
        from referentiel.defaut import activity_theme_map

        output = Path(options["output"])
        if not output.parent.is_dir():
            raise SortieInvalide([f"fichier : {output} : écriture impossible (dossier absent)"])
        data, name = lire_octets(options["territories"])
        try:
            territories = read_territories(data, name)
        except InvalidFile as exc:
            raise SortieInvalide(with_file_name(exc.errors, name), with_file_name(exc.warnings, name)) from exc
        payroll_path = Path(options["payroll"])
        try:
            payroll = read_national_payroll(payroll_path, territories, activity_theme_map())
        except InvalidFile as exc:
            raise SortieInvalide(
                with_file_name(exc.errors, payroll_path.name),
                [*with_file_name(territories.warnings, name), *with_file_name(exc.warnings, payroll_path.name)],
            ) from exc
        except OSError as exc:
            raise SortieInvalide([f"fichier : {payroll_path} : lecture impossible ({exc.strerror or exc})"]) from exc
        result = coefficients_by_epci(payroll.lines, territories.epcis)
        try:
            write_atomically(output, coefficients_csv(result))
        except OSError as exc:
            raise SortieInvalide([f"fichier : {output} : écriture impossible ({exc.strerror or exc})"]) from exc
        self.avertir(
            [*with_file_name(territories.warnings, name), *with_file_name(payroll.warnings, payroll_path.name)]
        )
        computed = result.get_column("coefficient").is_not_null().sum()
        self.stdout.write(f"{result.height} EPCI écrits dans {output} ({computed} avec un coefficient)")
