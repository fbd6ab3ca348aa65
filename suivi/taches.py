"""What the follow-up makes people wait for (commun/taches.py): the project team, the yearly report to
present within two months (`mutualis taches-quotidiennes` notifies it the day it starts waiting); the
person responsible for an item, the item whose planned year has come and that is still « à lancer »."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from commun.formatage import date as date_fr
from commun.taches import Tache
from suivi.enums import RAPPEL_JOURS, EtatRapport, StatutElement
from suivi.models import Element, RapportAnnuel


def taches(acces, user, now) -> list[Tache]:
    aujourdhui = timezone.localtime(now).date()
    out = []
    if acces.peut_conduire_parcours():
        for r in RapportAnnuel.objects.filter(
            schema__territoire=acces.territoire,
            etat=EtatRapport.PREPARATION,
            seance_le__gte=aujourdhui,
            seance_le__lte=aujourdhui + dt.timedelta(days=RAPPEL_JOURS),
        ):
            out.append(
                Tache(
                    cle=f"suivi:rapport:{r.pk}:{r.seance_le.isoformat()}",
                    libelle=f"État d'avancement {r.annee} du schéma : à présenter le {date_fr(r.seance_le)} "
                    f"({r.get_instance_display().lower()})",
                    url=reverse("suivi:rapport", args=[acces.territoire.code, r.annee]),
                    depuis=timezone.make_aware(
                        dt.datetime.combine(r.seance_le - dt.timedelta(days=RAPPEL_JOURS), dt.time(9))
                    ),
                )
            )
    for e in Element.objects.filter(
        schema__territoire=acces.territoire,
        responsable=user,
        statut=StatutElement.A_LANCER,
        annee_prevue__lte=aujourdhui.year,
    ):
        out.append(
            Tache(
                cle=f"suivi:element:{e.pk}:{e.annee_prevue}",
                libelle=f"Action {e.identifiant} du schéma : à lancer (prévue en {e.annee_prevue})",
                url=reverse("suivi:element", args=[acces.territoire.code, e.pk]),
            )
        )
    return out
