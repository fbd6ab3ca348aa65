from commun import formatage as fr
from commun.commandes import CommandeCalcul, SortieInvalide, lire_octets
from engine.scenario import bases
from engine.themes import THEME_BY_CODE
from engine.vocabulaire import FAISABILITE_RANG

DEFAULT_TIME_LIMIT = 60.0


class Command(CommandeCalcul):
    help = (
        "Cherche le portefeuille optimal d'actions parmi un fichier de candidates (un scénario dont chaque "
        "action a un id et une faisabilite, avec éventuellement refus et plafond_etp_annuel), sans rien écrire "
        "en base : avec --target, l'ensemble qui atteint ce coefficient en déplaçant le moins d'ETP ; avec "
        "--max-fte, l'ensemble qui donne le plus haut coefficient sans déplacer plus de N ETP. Égalités "
        "départagées par moins d'ETP, puis la plus forte faisabilité totale, puis le moins d'actions, puis "
        "l'ordre du fichier. Au plus une action de deux qui se chevauchent ; seules les actions qui "
        "déplacent du personnel sont retenues. Code de sortie 3 si la cible est inatteignable."
    )

    def add_arguments(self, parser):
        parser.add_argument("--territory", required=True, help="fichier territoire (CSV, XLSX ou ODS)")
        parser.add_argument("--payroll", required=True, help="fichier de masse salariale (CSV, XLSX ou ODS)")
        parser.add_argument("--candidates", required=True, help="fichier des actions candidates (.json, .yaml)")
        parser.add_argument("--target", help="coefficient visé (0,45 ou 45 %%)")
        parser.add_argument("--max-fte", help="nombre maximal d'ETP déplacés")
        parser.add_argument("--min-feasibility", help="faisabilité minimale : 0, 1, 2, 3, 4 ou 4+")
        parser.add_argument(
            "--time-limit", help=f"durée maximale de calcul en secondes (défaut : {DEFAULT_TIME_LIMIT:.0f})"
        )
        parser.add_argument("--json", action="store_true", help="écrit le résultat en JSON")

    def handle(self, *args, **options):
        # numpy and HiGHS for the optimiser, polars for the files
        from engine.optimiseur import NoSolutionInTime, UnreachableTarget, optimise, probleme_depuis_candidats
        from formats.errors import InvalidFile
        from formats.scenario import lire_candidats
        from masse_salariale.management.fichiers import lire_territoire_et_paie
        from referentiel.defaut import DEFAULT_REFERENTIAL, activity_theme_map

        target, max_fte, min_feasibility, time_limit = self.options(options)
        entrees = lire_territoire_et_paie(options["territory"], options["payroll"])
        territoire = entrees.territoire
        try:
            candidats = lire_candidats(*lire_octets(options["candidates"]), territoire, activity_theme_map())
        except InvalidFile as exc:
            raise SortieInvalide(exc.errors, entrees.warnings + exc.warnings) from exc
        reserved = frozenset(a.code for a in DEFAULT_REFERENTIAL if a.reserve_cdg)
        problem, warnings = probleme_depuis_candidats(
            candidats, bases(entrees.payroll.lines, territoire), territoire, min_feasibility, reserved
        )
        warnings = [*entrees.warnings, *warnings]
        try:
            result = optimise(problem, target=target, max_fte=max_fte, time_limit=time_limit)
        except ValueError as exc:
            raise SortieInvalide([f"fichier : {exc}"], warnings) from exc
        except UnreachableTarget as exc:
            best = "aucun" if exc.best is None else f"{exc.best!r} ({fr.pourcent(exc.best, 2)})"
            raise SortieInvalide(
                [
                    f"cible inatteignable : coefficient visé {target!r} ({fr.pourcent(target, 2)}), meilleur "
                    f"coefficient atteignable {best}"
                ],
                warnings,
                status=3,
            ) from exc
        except NoSolutionInTime as exc:
            raise SortieInvalide(
                [
                    f"délai dépassé ({fr.nombre(time_limit, 1)} s) avant qu'un ensemble "
                    "d'actions atteignant la cible soit trouvé"
                ],
                warnings,
                status=3,
            ) from exc
        warnings += result.warnings
        self.avertir(warnings)
        if options["json"]:
            doc = result.as_json()
            doc["warnings"] = warnings
            self.json(doc)
            return
        self.resume(result, problem, candidats, entrees.noms, territoire, target, max_fte)

    def options(self, options) -> tuple[float | None, float | None, int, float]:
        """Every option error at once, one line each (exit status 2)."""
        errors = []

        def number(key: str, label: str, share: bool = False) -> float | None:
            raw = options[key]
            if raw is None:
                return None
            text = raw.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
            percent = share and text.endswith("%")
            try:
                value = float(text.removesuffix("%")) / (100 if percent else 1)
            except ValueError:
                errors.append(f"option {label} : « {raw} » : nombre attendu")
                return None
            if not (value >= 0 and value != float("inf")):
                errors.append(f"option {label} : « {raw} » : nombre positif ou nul attendu")
                return None
            return value

        target = number("target", "--target", share=True)
        max_fte = number("max_fte", "--max-fte")
        time_limit = number("time_limit", "--time-limit")
        if (options["target"] is None) == (options["max_fte"] is None):
            errors.append("options : indiquer soit --target, soit --max-fte (une et une seule)")
        raw = options["min_feasibility"]
        min_feasibility = 0
        if raw is not None:
            if raw.strip() not in FAISABILITE_RANG:
                errors.append(f"option --min-feasibility : « {raw} » : 0, 1, 2, 3, 4 ou 4+ attendu")
            else:
                min_feasibility = FAISABILITE_RANG[raw.strip()]
        if errors:
            raise SortieInvalide(errors)
        return target, max_fte, min_feasibility, DEFAULT_TIME_LIMIT if time_limit is None else time_limit

    def resume(self, result, problem, candidats, noms, territoire, target, max_fte):
        out = self.stdout.write
        epci = territoire.epci
        before = problem.numerator0 / problem.denominator0
        mode = (
            f"cible {fr.pourcent(target, 2)}" if target is not None else f"au plus {fr.nombre(max_fte, 1)} ETP déplacés"
        )
        out(f"Portefeuille optimal pour {noms.get(epci, epci)} ({epci}), {mode}")
        out(
            f"Coefficient de mutualisation : {fr.pourcent(before, 2)} avant, {fr.pourcent(result.coefficient, 2)} après"
        )
        out(
            f"{len(result.selected)} action(s) retenue(s) sur {len(problem.candidates)} candidate(s) : "
            f"{fr.etp(result.moved_fte)} ETP et {fr.euros(result.moved_cost)} déplacés"
        )
        by_id = {a.id: a for a in candidats.scenario.actions}
        faisabilite = {c.id: c.faisabilite for c in problem.candidates}
        for ident in result.selected:
            action = by_id[ident]
            quoi = THEME_BY_CODE[action.theme].label + (f" / {action.activite}" if action.activite else "")
            communes = (
                "toutes les communes" if action.communes is None else ", ".join(noms.get(c, c) for c in action.communes)
            )
            f = faisabilite[ident]
            out(
                f"  {ident} : {quoi}, {communes}, {action.modalite}, {action.annee}, faisabilité "
                f"{'4+' if f == 5 else f}"
            )
        if territoire.fpu:
            out(f"Ajustement total des attributions de compensation des communes : {fr.euros(result.ac_total)}")
        else:
            out("Attributions de compensation : sans objet (fiscalité additionnelle, remboursements à la place)")
        out("Optimalité : " + ("prouvée" if result.optimal else "non prouvée, le délai de calcul a été atteint"))
        if result.binding:
            out("Contraintes qui limitent le résultat :")
            for name in result.binding:
                out(f"  {name} : {explication(name)}")
        else:
            out("Aucune contrainte ne limite le résultat.")


def explication(name: str) -> str:
    """A French reading of a binding constraint's name (docs/optimiseur.md)."""
    kind, _, rest = name.partition(":")
    if kind == "cible":
        return "le coefficient visé impose de déplacer ces ETP"
    if kind == "plafond_etp":
        return "le plafond d'ETP déplacés empêche un meilleur coefficient"
    if kind == "plafond_etp_annuel":
        return f"le plafond annuel d'ETP déplacés en {rest}"
    if kind == "faisabilite_min":
        return "la faisabilité minimale écarte des actions utiles"
    if kind == "refus":
        commune, _, theme = rest.partition(":")
        return f"le refus de la commune {commune} pour le thème {theme}"
    if kind == "chevauchement":
        return f"ces deux actions se chevauchent ({rest.replace('/', ' et ')})"
    return name
