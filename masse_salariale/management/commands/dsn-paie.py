"""`mutualis dsn-paie` (docs/contrats/9-dsn.md): an employer's DSN files of one year and its correspondence
turned into the payroll file of §3, checked by §3's validation against the territory."""

import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from commun.commandes import CommandeCalcul, SortieInvalide, lire_octets
from formats.dsn import CNRACL, GENERAL


def lire_taux(texte: str) -> dict[str, Decimal]:
    """`cnracl=0.3765,general=0.42` (decimal points: the comma separates the regimes)."""
    taux = {}
    for morceau in texte.split(","):
        m = re.fullmatch(r"\s*(\w+)\s*=\s*([0-9]+(?:\.[0-9]+)?)\s*", morceau)
        if m is None or m.group(1) not in (CNRACL, GENERAL):
            raise SortieInvalide(
                [f"--taux-charges « {texte} » : attendu cnracl=TAUX,general=TAUX (par exemple cnracl=0.3765)"]
            )
        try:
            taux[m.group(1)] = Decimal(m.group(2))
        except InvalidOperation as exc:
            raise SortieInvalide([f"--taux-charges : « {m.group(2)} » n'est pas un taux"]) from exc
    return taux


class Command(CommandeCalcul):
    help = (
        "Transforme les DSN mensuelles d'un employeur pour une année, avec sa table de correspondance, en "
        "fichier de masse salariale (coût toutes charges comprises approché : brut × (1 + taux de charges du "
        "régime de retraite))."
    )

    def add_arguments(self, parser):
        parser.add_argument("dsn", nargs="+", help="fichiers DSN, dans l'ordre où ils s'appliquent")
        parser.add_argument("--territory", required=True, help="fichier territoire (CSV, XLSX ou ODS)")
        parser.add_argument(
            "--employeur", required=True, help="code de l'employeur (SIREN de l'EPCI, INSEE d'une commune)"
        )
        parser.add_argument("--annee", required=True, help="année de référence")
        parser.add_argument("--correspondances", required=True, help="table de correspondance (CSV ou XLSX)")
        parser.add_argument("--taux-charges", required=True, help="cnracl=TAUX,general=TAUX")
        parser.add_argument("--agents", help="fichier des agents (matricule;service)")
        parser.add_argument("--mois-manquants", action="store_true", help="un mois sans déclaration compte zéro")
        parser.add_argument("--output", help="fichier à écrire (défaut : sortie standard)")

    def handle(self, *args, **options):
        # polars: the readers of tables (correspondence, agents, territory) and §3's validation
        from formats import correspondance, dsn
        from formats.payroll import TerritoryCodes, read_payroll
        from formats.territory import read_territory
        from referentiel.defaut import activity_theme_map
        from territoire.officiel import siren_membre

        if not re.fullmatch(r"\d{4}", options["annee"]):
            raise SortieInvalide([f"--annee « {options['annee']} » : attendu une année, par exemple 2025"])
        taux = lire_taux(options["taux_charges"])
        territory = read_territory(*lire_octets(options["territory"]))
        codes = TerritoryCodes(
            epci=territory.epci.code, communes=frozenset(c.code for c in territory.communes), name=territory.epci.nom
        )
        employeur = options["employeur"]
        if employeur not in {codes.epci, *codes.communes}:
            raise SortieInvalide([f"--employeur {employeur} : ni l'EPCI ni une commune du fichier territoire"])
        # The SIREN every declaration must carry: the EPCI's, or the commune's from the DGCL list.
        siren = codes.epci if employeur == codes.epci else siren_membre(codes.epci, employeur)
        activites = activity_theme_map()
        regles = correspondance.lire_correspondances(
            *lire_octets(options["correspondances"]),
            activites=set(activites),
            organisations={codes.epci, *codes.communes},
        )
        services = correspondance.lire_agents(*lire_octets(options["agents"])) if options["agents"] else {}
        fichiers = []
        for chemin in options["dsn"]:
            p = Path(chemin)
            if not p.is_file():
                raise SortieInvalide([f"fichier : {chemin} : lecture impossible (fichier absent)"])
            fichiers.append((p.name, lambda p=p: p.open("rb")))
        annee = dsn.lire_annee(fichiers, int(options["annee"]), taux, siren, options["mois_manquants"])
        lignes = correspondance.affecter(annee.agents, regles, services, employeur)
        texte = correspondance.ecrire_csv(lignes)
        paie = read_payroll(texte.encode(), "paie.csv", codes, activites)  # §3's validation, all or nothing
        self.avertir([*annee.avertissements, *paie.warnings])
        if options["output"]:
            try:
                Path(options["output"]).write_text(texte, encoding="utf-8", newline="\n")
            except OSError as exc:
                raise SortieInvalide(
                    [f"fichier : {options['output']} : écriture impossible ({exc.strerror or exc})"]
                ) from exc
        else:
            sys.stdout.write(texte)
