"""What the payroll makes people wait for (commun/taches.py): a staged batch to confirm or abandon, for
whoever may decide it (comptes.perms `peut_decider_lot`); a DSN reading whose agents remain to be placed,
for whoever sent it (while she may still import that employer's payroll)."""

from django.urls import reverse

from commun.formatage import date as date_fr
from commun.taches import Tache, inscrire
from masse_salariale.enums import StatutLecture
from masse_salariale.models import LectureDSN, Lot


def taches(acces, user, now) -> list[Tache]:
    if not acces.peut_importer():
        return []
    code = acces.territoire.code
    lectures = LectureDSN.objects.filter(
        organisation__in=acces.organisations_importables(), importe_par=user, statut=StatutLecture.A_PLACER
    ).select_related("organisation")
    placer = [
        Tache(
            f"masse_salariale.dsn:{l.pk}",
            f"Placer les agents des DSN {l.annee} de {l.organisation.nom} (lues le {date_fr(l.importe_le)}), "
            "puis préparer le lot",
            reverse("masse_salariale:dsn_lecture", kwargs={"code": code, "pk": l.pk}),
            l.importe_le,
        )
        for l in lectures.order_by("importe_le", "pk")
    ]
    confirmer = [
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
    return placer + confirmer


def inscrire_taches() -> None:
    inscrire(taches)
