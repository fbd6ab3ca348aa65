"""Where the consultation of the communes stands (docs/consultation.md): the version sent to them, and for
each member commune its sending, receipt, deadline and opinion (engine/avis.py), read in a few queries;
whether the EPCI council may approve."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from commun.tri import cle_francaise
from engine.avis import LIBELLES, Avis, Etat, EtatAvis, departement_de, etat_avis
from parcours.enums import EtatVersion
from parcours.models import Deliberation, Envoi, VersionSchema


def versions_du_schema(schema) -> list[VersionSchema]:
    """The schéma's versions, latest first, each knowing whether it was sent for the communes' opinion
    (`envoyee`): one query."""
    envois = Envoi.objects.filter(version=OuterRef("pk"), transmission=False)
    return list(
        VersionSchema.objects.filter(schema=schema)
        .annotate(envoyee=Exists(envois))
        .select_related("scenario")
        .order_by("-numero")
    )


def en_consultation(versions: list[VersionSchema]) -> VersionSchema | None:
    """The latest version sent to the communes (its opinions are the ones that count)."""
    return next((v for v in versions if v.envoyee), None)


def approuvee(versions: list[VersionSchema]) -> VersionSchema | None:
    return next((v for v in versions if v.etat == EtatVersion.APPROUVE), None)


def version_en_consultation(schema) -> VersionSchema | None:
    return en_consultation(versions_du_schema(schema))


@dataclass
class AvisCommune:
    commune: object
    envoi: Envoi | None
    deliberations: list[Deliberation]
    etat: Etat

    @property
    def retenue(self) -> Deliberation | None:
        """The deliberation that prevails (the last one dated in time)."""
        if self.etat.retenu is None:
            return None
        return next(d for d in self.deliberations if d.pk == self.etat.retenu.ordre)


def avis_des_communes(
    schema, version: VersionSchema | None, aujourdhui: dt.date, jusqua: dt.date | None = None
) -> list[AvisCommune]:
    """Every member commune with the state of its opinion on `version` (all « non transmis » without one),
    in French order of their names; with `jusqua`, as it stood that day (later deliberations left out)."""
    communes = list(schema.territoire.organisations.communes().filter(membre=True))
    envois, par_commune = {}, {}
    if version is not None:
        envois = {e.organisation_id: e for e in version.envois.filter(transmission=False)}
        deliberations = version.deliberations.filter(approbation=False)
        if jusqua is not None:
            deliberations = deliberations.filter(date__lte=jusqua)
        for d in deliberations:
            par_commune.setdefault(d.organisation_id, []).append(d)
    out = []
    for c in communes:
        envoi = envois.get(c.pk)
        dels = par_commune.get(c.pk, [])
        etat = etat_avis(
            envoi is not None,
            envoi.recu_le if envoi else None,
            [Avis(d.date, d.issue, d.pk) for d in dels],
            aujourdhui,
            departement_de(c.code),
        )
        out.append(AvisCommune(c, envoi, dels, etat))
    return sorted(out, key=lambda a: cle_francaise(a.commune.nom))


def manquants(avis: list[AvisCommune]) -> list[AvisCommune]:
    """The communes without an opinion, expressed or deemed: what approval still waits for."""
    return [a for a in avis if not a.etat.a_un_avis]


def compte(avis: list[AvisCommune]) -> dict:
    """How many communes in each state (the dashboard's summary)."""
    par_etat = [(LIBELLES[e], n) for e in EtatAvis if (n := sum(1 for a in avis if a.etat.etat == e))]
    return {"par_etat": par_etat, "total": len(avis)}
