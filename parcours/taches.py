"""What the legal path makes people wait for (commun/taches.py): a commune's DGS, her council's opinion
(« avis attendu au plus tard le … »: the key changes with each reminder the daily command records, so that
each reminder is notified) or the receipt to record; the project team, the receipts not recorded and the
approval once every commune has an opinion."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from commun.formatage import date as date_fr
from commun.taches import Tache
from engine.avis import EtatAvis
from parcours import consultation
from parcours.models import RappelEnvoye


def _schema(acces):
    return acces.territoire.schemas.order_by("-mandat").first()


def _jour(d: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(d, dt.time(9)))


def _dans(n: int) -> str:
    if n == 0:
        return "aujourd'hui"
    return "demain" if n == 1 else f"dans {n} jours"


def avis_attendus(acces, user, now) -> list[Tache]:
    org = acces.organisation
    if not acces.est_dgs or org is None or org.est_epci:
        return []
    schema = _schema(acces)
    version = consultation.version_en_consultation(schema) if schema else None
    if version is None:
        return []
    aujourdhui = timezone.localdate(now)
    a = next((x for x in consultation.avis_des_communes(schema, version, aujourdhui) if x.commune.pk == org.pk), None)
    if a is None:
        return []
    url = reverse("parcours:commune", kwargs={"code": acces.territoire.code, "commune": org.code})
    if a.etat.etat == EtatAvis.RECEPTION_A_ENREGISTRER:
        return [
            Tache(
                f"parcours.reception:{a.envoi.pk}",
                "Enregistrer la date de réception du projet de schéma",
                url,
                _jour(a.envoi.envoye_le),
            )
        ]
    if a.etat.etat != EtatAvis.ATTENDU:
        return []
    dernier = RappelEnvoye.objects.filter(envoi=a.envoi).order_by("-le", "-pk").values_list("code", flat=True).first()
    e = a.etat.echeance
    libelle = (
        f"Avis du conseil municipal attendu au plus tard le {date_fr(e.echeance)} ({_dans(a.etat.jours_restants)})"
    )
    if e.jour_non_ouvre:
        libelle += f" : {e.motif_non_ouvre}, délibérez au plus tard le {date_fr(e.dernier_jour_ouvre)}"
    return [Tache(f"parcours.avis:{a.envoi.pk}:{dernier or 'reception'}", libelle, url, _jour(a.envoi.recu_le))]


def receptions_a_enregistrer(acces, user, now) -> list[Tache]:
    if not acces.peut_conduire_parcours():
        return []
    schema = _schema(acces)
    version = consultation.version_en_consultation(schema) if schema else None
    if version is None:
        return []
    sans = list(version.envois.filter(transmission=False, recu_le__isnull=True).order_by("envoye_le", "pk"))
    if not sans:
        return []
    url = reverse("parcours:consultation", kwargs={"code": acces.territoire.code})
    n = len(sans)
    libelle = (
        f"Enregistrer la date de réception du projet par {sans[0].organisation.nom}"
        if n == 1
        else f"Enregistrer la date de réception du projet par {n} communes"
    )
    return [Tache("parcours.receptions:" + ",".join(str(e.pk) for e in sans), libelle, url, _jour(sans[0].envoye_le))]


def approbation_possible(acces, user, now) -> list[Tache]:
    if not acces.peut_conduire_parcours():
        return []
    schema = _schema(acces)
    version = consultation.version_en_consultation(schema) if schema else None
    if version is None or consultation.version_approuvee(schema) is not None:
        return []
    avis = consultation.avis_des_communes(schema, version, timezone.localdate(now))
    if consultation.manquants(avis):
        return []
    url = reverse("parcours:approbation", kwargs={"code": acces.territoire.code})
    return [
        Tache(
            f"parcours.approbation:{version.pk}",
            "Toutes les communes ont un avis : enregistrer l'approbation du schéma par le conseil communautaire",
            url,
        )
    ]
