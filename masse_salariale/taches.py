"""What the payroll makes people wait for (commun/taches.py): a staged batch to confirm or abandon, for
whoever may decide it (comptes.perms `peut_decider_lot`)."""

from django.urls import reverse

from commun.formatage import date as date_fr
from commun.taches import Tache, inscrire
from masse_salariale.models import Lot


def taches(acces, user, now) -> list[Tache]:
    if not acces.peut_importer():
        return []
    code = acces.territoire.code
    return [
        Tache(
            f"masse_salariale.confirmer:{lot.pk}",
            f"Confirmer ou abandonner le lot de masse salariale {lot.annee} « {lot.fichier} » "
            f"importé le {date_fr(lot.importe_le)}",
            reverse("masse_salariale:lot", kwargs={"code": code, "pk": lot.pk}),
            lot.importe_le,
        )
        for lot in Lot.objects.a_confirmer().visibles(acces).order_by("importe_le", "pk")
        if acces.peut_decider_lot(lot)
    ]


def inscrire_taches() -> None:
    inscrire(taches)
