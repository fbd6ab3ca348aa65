from commun import formatage as fr
from commun.commandes import CommandeCalcul, SortieInvalide
from engine.coefficient import check_functional, compute_coefficient
from engine.themes import THEME_BY_CODE


class Command(CommandeCalcul):
    help = (
        "Calcule le coefficient de mutualisation des services (CGCT L5211-4-1 V) d'un territoire à partir "
        "d'un fichier territoire et d'un fichier de masse salariale, sans rien écrire en base. "
        "Indicateur de gestion : il n'a jamais servi au calcul de la DGF et n'est plus en vigueur."
    )

    def add_arguments(self, parser):
        parser.add_argument("--territory", required=True, help="fichier territoire (CSV, XLSX ou ODS)")
        parser.add_argument("--payroll", required=True, help="fichier de masse salariale (CSV, XLSX ou ODS)")
        parser.add_argument(
            "--functional", help="thèmes fonctionnels séparés par des virgules (défaut : FIN,RH,CPAJ,SI,BML)"
        )
        parser.add_argument("--json", action="store_true", help="écrit le résultat en JSON")

    def handle(self, *args, **options):
        from masse_salariale.management.fichiers import lire_territoire_et_paie  # reads with polars

        functional = None
        if options["functional"] is not None:
            try:
                functional = check_functional(options["functional"].split(","))
            except ValueError as exc:
                raise SortieInvalide([f"option --functional : {exc}"]) from exc
        entrees = lire_territoire_et_paie(options["territory"], options["payroll"])
        territory = entrees.territory
        kwargs = {"functional": functional} if functional else {}
        result = compute_coefficient(entrees.payroll.lines, territory.epci.code, entrees.organisations, **kwargs)
        warnings = entrees.warnings
        self.avertir(warnings)
        if options["json"]:
            doc = result.as_json()
            doc["warnings"] = warnings
            self.json(doc)
            return
        names = entrees.noms
        out = self.stdout.write
        out(
            f"Coefficient de mutualisation de {territory.epci.nom} ({territory.epci.code}) : "
            f"{fr.pourcent(result.coefficient, 2)}"
        )
        out(f"Services fonctionnels retenus : {', '.join(result.functional_themes)}")
        out(
            f"Numérateur (EPCI, y compris agents transférés ou mis à disposition) : {fr.euros(result.numerator)} "
            f"({fr.etp(result.fte_numerator)} ETP)"
        )
        out(
            f"Dénominateur (communes membres et EPCI) : {fr.euros(result.denominator)} "
            f"({fr.etp(result.fte_denominator)} ETP)"
        )
        out("Par thème :")
        for code, theme in result.by_theme.items():
            out(
                f"  {code:5} {THEME_BY_CODE[code].label} : {fr.pourcent(theme.coefficient, 2)} "
                f"({fr.euros(theme.numerator)} / {fr.euros(theme.denominator)})"
            )
        out("Par employeur (services fonctionnels) :")
        for code, emp in result.by_employer.items():
            out(f"  {code:9} {names.get(code, '')} : {fr.euros(emp.functional_cost)}, {fr.etp(emp.functional_fte)} ETP")
