from django.db import transaction

from commun import formatage as fr
from commun.commandes import Commande, SortieInvalide, lire_octets
from masse_salariale.actions import do_confirmer_lot, do_preparer_lot
from territoire.models import Territoire


class Command(Commande):
    help = (
        "Importe un fichier de masse salariale dans la base du territoire pour une année de référence, "
        "tout ou rien. Sans --remplacer, un employeur qui a déjà un lot pour cette année est une erreur."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="fichier de masse salariale (CSV, XLSX ou ODS)")
        parser.add_argument("--siren", required=True, help="SIREN de l'EPCI du territoire")
        parser.add_argument("--annee", required=True, type=int, help="année de référence de la paie")
        parser.add_argument("--remplacer", action="store_true", help="remplace les lots courants de ces employeurs")
        parser.add_argument("--json", action="store_true", help="écrit le résumé du lot en JSON")

    def handle(self, *args, **options):
        territoire = Territoire.objects.filter(code=options["siren"].strip()).first()
        if territoire is None:
            raise SortieInvalide(
                [
                    f"fichier : aucun territoire de SIREN « {options['siren']} » dans la base : "
                    "créez-le d'abord avec « mutualis territoire --siren »"
                ]
            )
        data, name = lire_octets(options["fichier"])
        with transaction.atomic():
            lot = do_preparer_lot(territoire, data, name, options["annee"], utilisateur=None)
            lot = do_confirmer_lot(lot, utilisateur=None, remplacer=options["remplacer"])
        self.avertir(lot.avertissements)
        employeurs = list(lot.employeurs.select_related("organisation", "remplace__lot"))
        if options["json"]:
            self.json(
                {
                    "lot": lot.pk,
                    "territoire": territoire.code,
                    "annee": lot.annee,
                    "fichier": lot.fichier,
                    "empreinte": lot.empreinte,
                    "lignes": lot.nb_lignes,
                    "agents": lot.nb_agents,
                    "cout_total": float(lot.cout_total),
                    "etp_total": float(lot.etp_total),
                    "employeurs": [
                        {
                            "code": e.organisation.code,
                            "nom": e.organisation.nom,
                            "lignes": e.nb_lignes,
                            "agents": e.nb_agents,
                            "cout": float(e.cout),
                            "etp": float(e.etp),
                            "remplace_lot": e.remplace.lot_id if e.remplace else None,
                        }
                        for e in employeurs
                    ],
                    "warnings": lot.avertissements,
                }
            )
            return
        out = self.stdout.write
        out(f"Lot {lot.pk} importé pour {territoire.nom}, année {lot.annee} : « {lot.fichier} »")
        out(
            f"{fr.nombre(lot.nb_lignes)} lignes, {fr.nombre(lot.nb_agents)} agents, {fr.euros(lot.cout_total)}, "
            f"{fr.etp(lot.etp_total)} ETP ; empreinte SHA-256 {lot.empreinte}"
        )
        for e in employeurs:
            remplace = f" (remplace le lot {e.remplace.lot_id})" if e.remplace else ""
            out(
                f"  {e.organisation.code:9} {e.organisation.nom} : {fr.nombre(e.nb_lignes)} lignes, "
                f"{fr.euros(e.cout)}, {fr.etp(e.etp)} ETP{remplace}"
            )
