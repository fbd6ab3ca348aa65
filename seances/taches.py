"""What the meetings make people wait for (commun/taches.py): minutes awaiting a co-pilot's visa,
minutes returned to the group, meetings held without minutes, meetings whose attendance is not recorded.
Five queries at most, whatever the number of meetings."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from commun.formatage import date as date_fr
from commun.taches import Tache, inscrire
from comptes.enums import Role
from seances.etat import url_seance
from seances.models import CompteRendu, Seance
from validation.enums import Etat
from validation.models import Visa


def _libelle(seance) -> str:
    return f"{seance} du {date_fr(timezone.localtime(seance.debut))}"


def taches(acces, user, now) -> list[Tache]:
    schema = acces.territoire.schemas.order_by("-mandat").first()
    if schema is None:
        return []
    code = acces.territoire.code
    groupes = {g.pk: g for g in schema.groupes.all()}
    out = []

    def ajouter(cle, quoi, seance, depuis):
        seance.groupe = groupes[seance.groupe_id]  # no query per meeting
        out.append(Tache(cle, f"{quoi} : {_libelle(seance)}", url_seance(seance, code) + "#" + ancre(cle), depuis))

    roles_visa = {}
    for role, groupe_id in acces.habilitations:
        if role in (Role.COPILOTE_COMMUNE, Role.COPILOTE_EPCI) and groupe_id in groupes:
            roles_visa.setdefault(groupe_id, set()).add(str(role))
    a_viser = list(
        CompteRendu.objects.filter(etat=Etat.SOUMIS, seance__groupe_id__in=roles_visa)
        .select_related("seance")
        .order_by("seance__debut")
    )
    if a_viser:
        donnes = set(
            Visa.objects.filter(
                content_type=ContentType.objects.get_for_model(CompteRendu), object_id__in=[cr.pk for cr in a_viser]
            ).values_list("object_id", "version", "role")
        )
        for cr in a_viser:
            if any((cr.pk, cr.version, role) not in donnes for role in roles_visa[cr.seance.groupe_id]):
                ajouter(f"seances.valider:{cr.pk}:{cr.version}", "Valider le compte rendu", cr.seance, cr.modifie_le)

    participe = [pk for pk, g in groupes.items() if acces.participe(g)]
    for cr in (
        CompteRendu.objects.filter(etat=Etat.RENVOYE, seance__groupe_id__in=participe)
        .select_related("seance")
        .order_by("seance__debut")
    ):
        ajouter(
            f"seances.reprendre:{cr.pk}:{cr.version}", "Reprendre le compte rendu renvoyé", cr.seance, cr.modifie_le
        )

    redige = [pk for pk, g in groupes.items() if acces.peut_rediger(g)]
    planifie = [pk for pk, g in groupes.items() if acces.peut_planifier(g)]
    passees = Seance.objects.actives().filter(fin__lte=now).order_by("debut")
    for seance in passees.filter(groupe_id__in=redige, compte_rendu__isnull=True):
        ajouter(f"seances.rediger:{seance.pk}", "Rédiger le compte rendu", seance, seance.fin)
    for seance in passees.filter(groupe_id__in=planifie, presences_saisies_le__isnull=True):
        ajouter(f"seances.presences:{seance.pk}", "Saisir les présences", seance, seance.fin)
    return out


def ancre(cle: str) -> str:
    """The part of the meeting's page where the action is done."""
    return "participants" if cle.startswith("seances.presences:") else "compte-rendu"


def inscrire_taches() -> None:
    inscrire(taches)
