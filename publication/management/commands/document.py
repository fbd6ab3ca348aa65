from pathlib import Path

from commun.commandes import Commande, SortieInvalide
from publication.enums import FormatDocument
from publication.generation import ecrire

GENRES = ("schema",)


class Command(Commande):
    help = (
        "Écrit un document du schéma de mutualisation depuis la base : « schema », le rapport relatif aux "
        "mutualisations de services et projet de schéma d'une version (la dernière par défaut), en PDF, ODT "
        "ou DOCX, avec la présentation des montants enregistrée pour cette version."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        # The contract's `--version N` (a version of the schéma) replaces Django's own `--version`.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("genre", help="le document : schema")
        parser.add_argument("--siren", required=True, help="SIREN de l'EPCI du territoire")
        parser.add_argument("--version", dest="numero", help="numéro de la version du schéma (défaut : la dernière)")
        parser.add_argument("--format", dest="format_document", required=True, help="pdf, odt ou docx")
        parser.add_argument("--output", required=True, help="fichier à écrire")

    def handle(self, *args, **options):
        from parcours.models import VersionSchema
        from territoire.models import Territoire

        if options["genre"] not in GENRES:
            raise SortieInvalide([f"document « {options['genre']} » inconnu : attendu « schema »"])
        format_document = options["format_document"].lower()
        if format_document not in FormatDocument.values:
            raise SortieInvalide([f"format « {options['format_document']} » inconnu : attendu pdf, odt ou docx"])
        territoire = Territoire.objects.filter(code=options["siren"]).first()
        if territoire is None:
            raise SortieInvalide([f"territoire : aucun territoire de SIREN {options['siren']} dans la base"])
        schema = territoire.schemas.order_by("-mandat").first()
        versions = VersionSchema.objects.filter(schema=schema).select_related("schema__territoire", "scenario")
        if options["numero"] is None:
            version = versions.order_by("-numero").first()
            if version is None:
                raise SortieInvalide(
                    [f"version : le schéma {schema.mandat} de {territoire.nom} n'a aucune version figée"]
                )
        else:
            if not options["numero"].isdigit():
                raise SortieInvalide([f"version : « {options['numero']} » n'est pas un numéro de version"])
            version = versions.filter(numero=int(options["numero"])).first()
            if version is None:
                numeros = ", ".join(str(n) for n in versions.order_by("numero").values_list("numero", flat=True))
                raise SortieInvalide(
                    [
                        f"version : le schéma {schema.mandat} de {territoire.nom} n'a pas de version "
                        f"{options['numero']}" + (f" (versions : {numeros})" if numeros else " (aucune version figée)")
                    ]
                )
        contenu, _ = ecrire(version, format_document)
        sortie = Path(options["output"])
        try:
            sortie.write_bytes(contenu)
        except OSError as exc:
            raise SortieInvalide([f"fichier : {sortie} : écriture impossible ({exc.strerror or exc})"]) from exc
