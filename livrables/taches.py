"""What the deliverables make people wait for (commun/taches.py):

- a commune's GT1 list to fill, for its DGS and its users taking part in the group, once the group's GT1
  meeting is planned and as long as the deliverable is not validated;
- a submitted deliverable awaiting a co-pilot's visa on its current version;
- a returned deliverable, for the group's co-pilots and its consultant;
- GT3 lines the co-pilots and the group's consultant have not scored yet, while the list is open.

A bounded number of queries whatever the number of groups and lines."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Max
from django.urls import reverse

from commun.taches import Tache, inscrire
from comptes.enums import Role
from livrables.enums import TypeLivrable
from livrables.gt3.actions import ROLES_NOTATION
from livrables.models import LigneInventaire, LigneMutualisable, Livrable
from referentiel.models import Activite
from seances.models import Seance
from validation.actions import ROLES_VISA
from validation.enums import Etat
from validation.models import Visa


def _url(nom: str, groupe, code: str, **kwargs) -> str:
    return reverse(f"livrables:{nom}", kwargs={"code": code, "theme": groupe.theme, **kwargs})


def _inventaires(acces, groupes, livrables, code) -> list[Tache]:
    commune = acces.organisation
    if commune is None or commune.est_epci or not commune.membre:
        return []
    a_remplir = [g for g in groupes.values() if acces.peut_remplir_inventaire(g, commune)]
    if not a_remplir or acces.est_equipe_projet:
        return []  # the project team may fill every list but is not the one who must
    ouverts = {
        g.pk
        for g in a_remplir
        if (l := livrables.get((g.pk, TypeLivrable.INVENTAIRE))) is None or l.etat != Etat.VALIDE
    }
    convoques = dict(
        Seance.objects.actives()
        .filter(groupe_id__in=ouverts, etape="GT1")
        .values_list("groupe_id")
        .annotate(debut=Max("debut"))
    )
    if not convoques:
        return []
    themes = {groupes[pk].theme for pk in convoques}
    par_theme = dict(
        Activite.objects.filter(territoire=acces.territoire, theme__in=themes)
        .values_list("theme")
        .annotate(n=Count("id"))
    )
    repondues = dict(
        LigneInventaire.objects.filter(
            livrable__groupe_id__in=convoques, commune=commune, exerce__isnull=False, activite__theme__in=themes
        )
        .values_list("livrable__groupe_id")
        .annotate(n=Count("id"))
    )
    out = []
    for pk in sorted(convoques, key=lambda pk: groupes[pk].pk):
        groupe = groupes[pk]
        total, faites = par_theme.get(groupe.theme, 0), repondues.get(pk, 0)
        if faites >= total:
            continue
        reste = total - faites
        out.append(
            Tache(
                f"livrables.inventaire:{groupe.pk}:{commune.pk}",
                f"Remplir la liste des activités de {commune.nom} (GT1 {groupe.libelle}) : "
                f"{reste} activité{'s' if reste > 1 else ''} sur {total} sans réponse",
                _url("gt1_commune", groupe, code, commune=commune.code),
                convoques[pk],
            )
        )
    return out


def _visas(acces, user, groupes, livrables, code) -> list[Tache]:
    roles = {}
    for role, groupe_id in acces.habilitations:
        if role in ROLES_VISA and groupe_id in groupes:
            roles.setdefault(groupe_id, set()).add(str(role))
    soumis = [l for (g, _), l in livrables.items() if g in roles and l.etat == Etat.SOUMIS]
    if not soumis:
        return []
    donnes = set(
        Visa.objects.filter(
            content_type=ContentType.objects.get_for_model(Livrable), object_id__in=[l.pk for l in soumis]
        ).values_list("object_id", "version", "role")
    )
    return [
        Tache(
            f"livrables.viser:{l.pk}:{l.version}",
            f"Valider le livrable {l.get_type_display()} du groupe {groupes[l.groupe_id].libelle}",
            _url("circuit", groupes[l.groupe_id], code, type=l.type),
            l.modifie_le,
        )
        for l in soumis
        if any((l.pk, l.version, role) not in donnes for role in roles[l.groupe_id])
    ]


def _accompagne(acces, groupe) -> bool:
    """The group's co-pilots and the consultant who accompanies it."""
    return bool(acces.roles_dans_groupe(groupe) & {Role.COPILOTE_COMMUNE, Role.COPILOTE_EPCI, Role.CONSULTANT})


def _renvoyes(acces, groupes, livrables, code) -> list[Tache]:
    return [
        Tache(
            f"livrables.reprendre:{l.pk}:{l.version}",
            f"Reprendre le livrable renvoyé {l.get_type_display()} du groupe {groupes[g].libelle}",
            _url("circuit", groupes[g], code, type=l.type),
            l.modifie_le,
        )
        for (g, _), l in livrables.items()
        if l.etat == Etat.RENVOYE and _accompagne(acces, groupes[g])
    ]


def _notes(acces, user, groupes, livrables, code) -> list[Tache]:
    notent = [
        l.pk
        for (g, t), l in livrables.items()
        if t == TypeLivrable.MUTUALISABLES
        and l.modifiable
        and acces.roles_dans_groupe(groupes[g]) & {*ROLES_NOTATION, Role.CONSULTANT}
    ]
    if not notent:
        return []
    rows = (
        LigneMutualisable.objects.filter(livrable_id__in=notent)
        .exclude(notations__utilisateur=user)
        .values_list("livrable_id", "livrable__groupe_id")
        .annotate(n=Count("id"), dernier=Max("id"), depuis=Max("modifie_le"))
        .order_by("livrable__groupe_id")
    )
    out = []
    for livrable_id, groupe_id, n, dernier, depuis in rows:
        groupe = groupes[groupe_id]
        out.append(
            Tache(
                f"livrables.noter:{livrable_id}:{dernier}",
                f"Noter {n} ligne{'s' if n > 1 else ''} de la liste des activités mutualisables (GT3) du groupe "
                f"{groupe.libelle}",
                _url("gt3", groupe, code),
                depuis,
            )
        )
    return out


def taches(acces, user, now) -> list[Tache]:
    schema = acces.territoire.schemas.order_by("-mandat").first()
    if schema is None:
        return []
    code = acces.territoire.code
    groupes = {g.pk: g for g in schema.groupes.all()}
    livrables = {(l.groupe_id, l.type): l for l in Livrable.objects.filter(groupe__schema=schema)}
    return [
        *_inventaires(acces, groupes, livrables, code),
        *_visas(acces, user, groupes, livrables, code),
        *_renvoyes(acces, groupes, livrables, code),
        *_notes(acces, user, groupes, livrables, code),
    ]


def inscrire_taches() -> None:
    inscrire(taches)
