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
from parcours.models import RappelEnvoye, SeanceComite
from validation.actions import roles_copilote, visas_courants
from validation.enums import Etat


def _schema(acces):
    return acces.territoire.schemas.order_by("-mandat").first()


def _jour(d: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(d, dt.time(9)))


def _dans(n: int) -> str:
    if n == 0:
        return "aujourd'hui"
    return "demain" if n == 1 else f"dans {n} jours"


def taches(acces, user, now) -> list[Tache]:
    """The legal path's waits for `user`: the schéma and its versions read once."""
    schema = _schema(acces)
    if schema is None:
        return []
    versions = consultation.versions_du_schema(schema)
    envoyee, approuvee = consultation.en_consultation(versions), consultation.approuvee(versions)
    return [
        *_avis_attendus(acces, now, schema, envoyee),
        *_receptions_a_enregistrer(acces, envoyee),
        *_approbation_possible(acces, now, schema, envoyee, approuvee),
        *_seances_des_comites(acces, user, now, schema),
    ]


def _avis_attendus(acces, now, schema, version) -> list[Tache]:
    org = acces.organisation
    if not acces.est_dgs or org is None or org.est_epci or version is None:
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


def _receptions_a_enregistrer(acces, version) -> list[Tache]:
    if not acces.peut_conduire_parcours() or version is None:
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


def _approbation_possible(acces, now, schema, version, approuvee) -> list[Tache]:
    if not acces.peut_conduire_parcours() or version is None or approuvee is not None:
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


def _seances_des_comites(acces, user, now, schema) -> list[Tache]:
    """A member of a comité: its next meeting and its agenda to read. The project team: a meeting held whose
    decisions or minutes are still to record. A co-president: the minutes submitted to her visa."""
    out = []
    code = acces.territoire.code
    seances = SeanceComite.objects.filter(comite__schema=schema, publie_le__isnull=True).select_related(
        "comite", "compte_rendu"
    )
    for s in seances.prefetch_related("points__decision", "comite__membres"):
        url = reverse("parcours:seance_comite", kwargs={"code": code, "instance": s.comite.instance, "pk": s.pk})
        jour = date_fr(timezone.localtime(s.debut).date())
        n = len(s.points.all())
        cr = getattr(s, "compte_rendu", None)
        if s.debut > now:
            if any(m.pk == user.pk for m in s.comite.membres.all()):
                points = f"{n} point{'s' if n > 1 else ''} à l'ordre du jour" if n else "ordre du jour à venir"
                out.append(Tache(f"parcours.comite:{s.pk}:{n}", f"{s.comite} du {jour} : {points}", url, s.cree_le))
            continue
        if cr is not None and cr.etat == Etat.SOUMIS:
            roles = roles_copilote(cr, user)
            if roles and not all(r in visas_courants(cr) for r in roles):
                libelle = f"Valider le compte rendu du {str(s.comite).lower()} du {jour}"
                out.append(Tache(f"parcours.cr:{cr.pk}:{cr.version}", libelle, url + "#cr-titre", cr.modifie_le))
        elif acces.peut_conduire_parcours():
            sans = sum(1 for p in s.points.all() if not hasattr(p, "decision"))
            pluriel = "s" if sans > 1 else ""
            quoi = (
                f"enregistrer les décisions ({sans} point{pluriel})" if sans else "rédiger et soumettre le compte rendu"
            )
            if cr is not None and cr.etat == Etat.RENVOYE:
                quoi = "reprendre le compte rendu renvoyé par les co-présidents"
            out.append(
                Tache(
                    f"parcours.comite_tenu:{s.pk}:{sans}:{cr.etat if cr else ''}",
                    f"{s.comite} du {jour} : {quoi}",
                    url,
                    s.debut,
                )
            )
    return out
