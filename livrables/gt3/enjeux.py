"""The payroll at stake of GT3 lines: what each line's action would move in the communes it concerns,
read for one reader through the payroll's confidentiality (masse_salariale.confidentialite), on the
latest complete year. Shared by the GT3 pages and the priority matrix (scenarios/views_matrice.py), so
that the same secrecy applies to both."""

from masse_salariale.confidentialite import lecture
from masse_salariale.lecture import paie_courante
from masse_salariale.tableaux import Enjeux

PORTEE_MASSE_EN_JEU = "La masse salariale en jeu ne porte que sur les employeurs présents."


def paie_en_jeu(territoire):
    """The payroll the payroll at stake is read from, as for the scenarios: the latest complete year (every
    employer has a current batch), else the latest year; the pages say which, and the missing employers."""
    return paie_courante(territoire, complete=True)


def enjeux(territoire, acces, paie=None) -> Enjeux:
    """The payroll at stake of GT3 lines for this reader, read once per page (masse_salariale.tableaux),
    from `paie` (by default `paie_en_jeu`)."""
    if paie is None:
        paie = paie_en_jeu(territoire)
    return Enjeux.depuis(paie, lecture(territoire, paie, acces))


def codes_concernes(ligne, codes_membres) -> list[str]:
    """The communes a GT3 line concerns: every member commune for « toutes », else its own (prefetched)."""
    return list(codes_membres) if ligne.toutes_communes else sorted(c.code for c in ligne.communes.all())


def masse_de_ligne(table: Enjeux, ligne, codes_membres) -> dict:
    """The payroll at stake of a GT3 line: what its action would move in the communes it concerns. Shared
    by the GT3 pages and the priority matrix."""
    return table.masse(ligne.activite.theme, ligne.activite.code, codes_concernes(ligne, codes_membres))
