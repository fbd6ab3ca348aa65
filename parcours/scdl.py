"""The deliberations recorded (the communes' opinions, the EPCI council's approval) as SCDL « délibérations »
lines (formats/scdl.py; docs/contrats/10-scdl-deliberations.md): one file per collectivité."""

from dataclasses import dataclass

from commun.tri import cle_francaise
from formats.scdl import DeliberationScdl, ecrire_csv
from parcours.models import Deliberation


@dataclass
class Collectivite:
    organisation: object
    nombre: int


def _deliberations(schema):
    return Deliberation.objects.filter(version__schema=schema).select_related("organisation").order_by("date", "pk")


def collectivites(schema) -> list[Collectivite]:
    """The collectivités that deliberated, the EPCI first, then the communes by name."""
    par_org: dict[int, Collectivite] = {}
    for d in _deliberations(schema):
        c = par_org.setdefault(d.organisation_id, Collectivite(d.organisation, 0))
        c.nombre += 1
    return sorted(par_org.values(), key=lambda c: (not c.organisation.est_epci, cle_francaise(c.organisation.nom)))


def ligne(d: Deliberation) -> DeliberationScdl:
    return DeliberationScdl(
        coll_nom=d.organisation.nom,
        coll_siret=d.organisation.siret,
        delib_id=d.numero,
        delib_date=d.date,
        delib_matiere_code=d.matiere,
        delib_objet=d.objet,
        pref_id=d.pref_id or None,
        pref_date=d.pref_date,
        vote_effectif=d.effectif,
        vote_reel=d.presents,
        vote_pour=d.pour,
        vote_contre=d.contre,
        vote_abstention=d.abstention,
        delib_url=d.lien or None,
    )


def csv_de(schema, organisation) -> bytes:
    """The file of one collectivité (a header alone when it has not deliberated)."""
    return ecrire_csv(ligne(d) for d in _deliberations(schema).filter(organisation=organisation))
