from commun.commandes import Commande, SortieInvalide, lire_octets
from commun.formatage import nombre
from formats.territory import read_territory
from mutualis.installation import do_installer_territoire
from territoire.actions import description_fichier, description_officielle
from territoire.officiel import UnknownEpci


class Command(Commande):
    help = (
        "Crée ou met à jour un territoire (l'EPCI et ses communes membres) à partir des fichiers nationaux "
        "officiels livrés avec Mutualis (--siren) ou d'un fichier territoire (--fichier)."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--siren", help="SIREN de l'EPCI à fiscalité propre (9 chiffres)")
        source.add_argument("--fichier", help="fichier territoire (CSV, XLSX ou ODS ; voir docs/contrats §2)")
        parser.add_argument("--json", action="store_true", help="écrit le résultat en JSON")

    def handle(self, *args, **options):
        if options["siren"] is not None:
            try:
                desc = description_officielle(options["siren"].strip())
            except UnknownEpci as exc:
                raise SortieInvalide([f"fichier : {exc}"]) from exc
            file_warnings = []
        else:
            data, name = lire_octets(options["fichier"])
            territory = read_territory(data, name)
            desc, file_warnings = description_fichier(territory), territory.warnings
        territoire, created, warnings = do_installer_territoire(desc)
        warnings = [*file_warnings, *warnings]
        self.avertir(warnings)
        epci = territoire.epci
        communes = territoire.organisations.communes().filter(membre=True).order_by("code")
        if options["json"]:
            self.json(
                {
                    "epci": {
                        "code": epci.code,
                        "nom": epci.nom,
                        "nature": territoire.nature or None,
                        "fiscalite": territoire.fiscalite,
                        "population": epci.population,
                    },
                    "communes": [{"code": c.code, "nom": c.nom, "population": c.population} for c in communes],
                    "warnings": warnings,
                }
            )
            return
        verbe = "créé" if created else "mis à jour"
        self.stdout.write(
            f"Territoire {verbe} : {epci.nom} (SIREN {epci.code}), {territoire.get_nature_display()}, "
            f"{territoire.fiscalite}"
        )
        self.stdout.write(f"{communes.count()} communes, {nombre(epci.population)} habitants")
        for c in communes:
            self.stdout.write(f"  {c.code}  {c.nom}  {nombre(c.population)}")
