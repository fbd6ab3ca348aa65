from commun import formatage as fr
from commun.commandes import CommandeCalcul, SortieInvalide, lire_octets
from engine.scenario import ScenarioInvalide, bases, simulate
from engine.themes import THEME_BY_CODE


class Command(CommandeCalcul):
    help = (
        "Simule un scénario de mutualisation (fichier JSON ou YAML) sur un territoire et sa masse salariale, sans "
        "rien écrire en base : effectifs et masse salariale de chaque organisation, coefficient de mutualisation "
        "avant, après et après chaque action, ajustements d'attribution de compensation (FPU) ou "
        "remboursements (FA, mises à disposition), trajectoire année par année. Approximation : en droit, les "
        "agents qui ne travaillent qu'en partie dans le service mutualisé restent employés par leur commune et "
        "sont mis à disposition pour cette part ; le modèle les compte comme transférés pour cette part, ce qui "
        "ne change ni le coefficient ni l'attribution de compensation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--territory", required=True, help="fichier territoire (CSV, XLSX ou ODS)")
        parser.add_argument("--payroll", required=True, help="fichier de masse salariale (CSV, XLSX ou ODS)")
        parser.add_argument("--scenario", required=True, help="fichier de scénario (.json, .yaml ou .yml)")
        parser.add_argument("--json", action="store_true", help="écrit le résultat en JSON")

    def handle(self, *args, **options):
        from formats.errors import InvalidFile
        from formats.scenario import lire_scenario
        from masse_salariale.management.fichiers import lire_territoire_et_paie
        from referentiel.defaut import DEFAULT_REFERENTIAL, activity_theme_map

        entrees = lire_territoire_et_paie(options["territory"], options["payroll"])
        territoire = entrees.territoire
        activites = activity_theme_map()
        try:
            scenario = lire_scenario(*lire_octets(options["scenario"]), territoire, activites)
        except InvalidFile as exc:
            raise SortieInvalide(exc.errors, entrees.warnings + exc.warnings) from exc
        reserved = frozenset(a.code for a in DEFAULT_REFERENTIAL if a.reserve_cdg)
        try:
            result = simulate(bases(entrees.payroll.lines, territoire), territoire, scenario, reserved, activites)
        except ScenarioInvalide as exc:  # pragma: no cover - the reader runs the same checks
            raise SortieInvalide([f"fichier : {e}" for e in exc.errors], entrees.warnings) from exc
        warnings = [*entrees.warnings, *result.warnings]
        self.avertir(warnings)
        if options["json"]:
            doc = result.as_json()
            doc["warnings"] = warnings
            self.json(doc)
            return
        self.resume(result, scenario, entrees.noms, territoire)

    def resume(self, result, scenario, noms, territoire):
        out = self.stdout.write
        epci = territoire.epci
        titre = f"Scénario « {scenario.nom} »" if scenario.nom else "Scénario"
        out(f"{titre} pour {noms.get(epci, epci)} ({epci}), {len(scenario.actions)} action(s)")
        out(f"Services fonctionnels retenus : {', '.join(result.functional_themes)}")
        out(
            f"Coefficient de mutualisation : {fr.pourcent(result.before.coefficient, 2)} avant, "
            f"{fr.pourcent(result.after.coefficient, 2)} après"
        )
        out(
            f"  numérateur {fr.euros(result.before.numerator)} → {fr.euros(result.after.numerator)} ; "
            f"dénominateur {fr.euros(result.before.denominator)} → {fr.euros(result.after.denominator)}"
        )
        if scenario.partage_gains:
            out(f"Part des gains rendue aux communes : {fr.pourcent(scenario.partage_gains)}")
        out("Actions (effet cumulé dans l'ordre du fichier) :")
        for action, r in zip(scenario.actions, result.actions, strict=True):
            theme = THEME_BY_CODE[action.theme].label
            quoi = f"{theme}" + (f" / {action.activite}" if action.activite else "")
            out(
                f"  {r.id} : {quoi}, {action.modalite}, {action.annee} : {fr.etp(r.moved_fte)} ETP, "
                f"{fr.euros(r.moved_cost)} ; coefficient {fr.pourcent(r.coefficient_after, 2)}"
            )
        if result.trajectory:
            out("Trajectoire (au 1er janvier) :")
            for year, y in result.trajectory.items():
                out(
                    f"  {year} : coefficient {fr.pourcent(y.coefficient, 2)}, {fr.etp(y.fte)} ETP, "
                    f"masse salariale {fr.euros(y.cost)}"
                )
        ac = "attribution de compensation" if territoire.fpu else "attribution de compensation (FA : sans objet)"
        out(
            f"Par organisation : ETP avant → après, masse salariale avant → après, {ac}, remboursements, économies, "
            "charges transférées, effet net sur le solde de fonctionnement"
        )
        for row in result.impact.rows:
            org = row.org
            ligne = (
                f"  {row.code:9} {noms.get(row.code, '')} : {fr.etp(org.fte_before)} → {fr.etp(org.fte_after)} "
                f"ETP, {fr.euros(org.cost_before)} → {fr.euros(org.cost_after)}"
            )
            if org.ac_adjustment:
                ligne += f", AC {fr.euros(org.ac_adjustment)}"
            if org.reimbursement:
                ligne += f", remboursements {fr.euros(org.reimbursement)}"
            if org.savings:
                ligne += f", économies {fr.euros(org.savings)}"
            if org.charges:
                ligne += f", charges transférées {fr.euros(org.charges)}"
            ligne += f", effet net {fr.signe(fr.euros(row.net_effect), row.net_effect)}"
            out(ligne)
        out(
            "Conventions : une attribution de compensation ou un remboursement négatif est une somme que "
            "l'organisation verse (ou ne reçoit plus) ; effet net = −(masse salariale après − avant) − charges "
            "transférées + économies + remboursements + AC (positif : l'organisation y gagne)."
        )
