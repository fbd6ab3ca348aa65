"""What the mandate letters make the project team wait for (commun/taches.py): letters to generate,
to send, and sent letters whose signature is not recorded; one line for each, naming the groups."""

from django.urls import reverse

from commun.taches import Tache, inscrire
from documents.enums import StatutLettre
from documents.models import LettreMission
from groupes.models import GroupeTravail
from territoire.enums import StatutSchema


def _noms(groupes) -> str:
    noms = [g.libelle for g in groupes]
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]


def _les(n: int, singulier: str, pluriel: str) -> str:
    return singulier if n == 1 else pluriel.format(n=n)


def taches(acces, user, now) -> list[Tache]:
    if not acces.peut_gerer_groupes():
        return []
    schema = acces.territoire.schemas.order_by("-mandat").first()
    if schema is None or schema.statut == StatutSchema.ADOPTE:  # the groups' work is over: no letter waits
        return []
    url = reverse("documents:liste", kwargs={"code": acces.territoire.code})
    groupes = list(GroupeTravail.objects.filter(schema=schema).order_by("id"))
    lettres = {lettre.groupe_id: lettre for lettre in LettreMission.objects.filter(groupe__schema=schema)}
    sans = [g for g in groupes if g.pk not in lettres]
    par_statut = {
        statut: [(g, lettres[g.pk]) for g in groupes if g.pk in lettres and lettres[g.pk].statut == statut]
        for statut in (StatutLettre.BROUILLON, StatutLettre.ENVOYEE)
    }
    out = []
    if sans:
        out.append(
            Tache(
                "documents.generer:" + ",".join(str(g.pk) for g in sans),
                f"Générer {_les(len(sans), 'la lettre', 'les {n} lettres')} de mission : {_noms(sans)}",
                url,
            )
        )
    if brouillons := par_statut[StatutLettre.BROUILLON]:
        n = len(brouillons)
        out.append(
            Tache(
                "documents.envoyer:" + ",".join(f"{l.pk}.{l.generee_le.timestamp():.0f}" for _, l in brouillons),
                f"Envoyer {_les(n, 'la lettre', 'les {n} lettres')} de mission en brouillon : "
                f"{_noms(g for g, _ in brouillons)}",
                url,
                min(l.generee_le for _, l in brouillons),
            )
        )
    if envoyees := par_statut[StatutLettre.ENVOYEE]:
        n = len(envoyees)
        out.append(
            Tache(
                "documents.signature:" + ",".join(str(l.pk) for _, l in envoyees),
                f"Enregistrer la signature {_les(n, 'de la lettre', 'des {n} lettres')} de mission "
                f"envoyée{'s' if n > 1 else ''} : {_noms(g for g, _ in envoyees)}",
                url,
                min(l.envoyee_le for _, l in envoyees),
            )
        )
    return out


def inscrire_taches() -> None:
    inscrire(taches)
