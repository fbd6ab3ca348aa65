"""Rules of GT1 shared by its pages and its spreadsheet (livrables/tableur/gt1.py): the theme's
activities and the member communes it lists, and the ETP the payroll suggests for a commune, shown only
to who may fill that commune's list and sees its detail."""

from decimal import Decimal
from typing import NamedTuple

from commun.tri import trie_par_nom
from referentiel.models import Activite


def communes_du_territoire(territoire):
    """The member communes in French alphabetical order (Bègles before Bruges), homonyms by code."""
    return trie_par_nom(territoire.organisations.communes().filter(membre=True).order_by("code"))


def communes_repondues(lignes) -> set[int]:
    """The ids of the communes that answered, among a GT1 list's rows: a commune has answered when it said,
    for at least one activity, whether it exercises it (an ETP or specifics alone are no answer)."""
    return {l.commune_id for l in lignes if l.exerce is not None}


class Reponses(NamedTuple):
    communes: list  # the member communes the list asks, in French alphabetical order
    manquantes: list  # those that have not answered, in the same order


def reponses(territoire, livrable) -> Reponses:
    """Who answered a GT1 list (two queries): what its submission warns about."""
    communes = communes_du_territoire(territoire)
    repondu = communes_repondues(livrable.inventaire.filter(exerce__isnull=False).only("commune_id", "exerce"))
    return Reponses(communes, [c for c in communes if c.pk not in repondu])


def activites_du_theme(territoire, theme, avec_sous_activites=False):
    qs = Activite.objects.filter(territoire=territoire, theme=theme).order_by("ordre", "code")
    if avec_sous_activites:
        qs = qs.prefetch_related("sous_activites")
    return list(qs)


def etp_paie_par_activite(territoire, commune, theme, activites) -> dict[int, Decimal]:
    """{activity id: ETP} from the commune's current payroll aggregates for the theme."""
    import polars as pl

    from masse_salariale.lecture import paie_courante

    paie = paie_courante(territoire)
    if paie.vide or paie.agregats.is_empty():
        return {}
    par_code = {a.code: a.pk for a in activites}
    frame = (
        paie.agregats.filter((pl.col("employeur") == commune.code) & (pl.col("theme") == theme))
        .group_by("activite")
        .agg(pl.col("etp_ligne").sum())
    )
    return {
        par_code[code]: Decimal(str(round(etp, 2)))
        for code, etp in frame.iter_rows()
        if code in par_code and etp is not None
    }


def etp_paie_visible(territoire, acces, groupe, org, activites) -> dict[int, Decimal]:
    """{activity id: ETP} of the commune's payroll, prefilled on its page and in its spreadsheet: only for
    who may fill that commune's list and sees its detail (the consolidated view and the export are read
    by every member: payroll must not leak)."""
    if acces.peut_remplir_inventaire(groupe, org) and acces.voit_detail(org.code):
        return etp_paie_par_activite(territoire, org, groupe.theme, activites)
    return {}


def etp_propose(ligne, etp_paie):
    """The ETP a row shows: the commune's own, else the payroll's (`etp_paie`: None when unknown or
    hidden from the reader), unless the commune said it does not exercise the activity."""
    if ligne is not None and (ligne.etp is not None or ligne.exerce is False):
        return ligne.etp
    return etp_paie
