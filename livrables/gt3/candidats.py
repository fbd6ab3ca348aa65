"""GT3 lines → optimiser candidates (docs/contrats §5-6). Pure Python, no Django: the callers pass plain
values, so that the conversion is tested by tables of cases and reused by the command line.

A GT3 line becomes one candidate action: its theme, its activity, the communes concerned (a list of
commune codes or "toutes"), the suggested modalité and the group's consensus feasibility. A line
without a modalité, without a consensus feasibility or without any commune is not a candidate yet:
`raison_exclusion` says why, in French, for the page."""

from dataclasses import dataclass, field

from engine.scenario import TOUTES
from engine.themes import AUTRE
from engine.vocabulaire import FAISABILITES, MODALITES


@dataclass(frozen=True)
class LigneGT3:
    """What the conversion needs of a GT3 line."""

    pk: int
    theme: str
    activite: str | None
    modalite: str = ""
    faisabilite: str = ""
    toutes_communes: bool = False
    communes: tuple[str, ...] = field(default_factory=tuple)


def identifiant(pk: int) -> str:
    """Stable id of the candidate of a line: it never changes while the line exists."""
    return f"GT3-{pk}"


def faisabilite_json(valeur: str):
    """« 0 » … « 4 » as numbers, « 4+ » as the string "4+" (docs/contrats §6)."""
    if valeur not in FAISABILITES:
        raise ValueError(f"faisabilité inconnue : {valeur!r} (attendu : 0, 1, 2, 3, 4 ou 4+)")
    return valeur if valeur == "4+" else int(valeur)


def raison_exclusion(ligne: LigneGT3) -> str | None:
    """Why this line is not a candidate yet, or None when it is one."""
    if ligne.theme == AUTRE or not ligne.theme:
        return "thème hors des neuf thèmes du schéma"
    if not ligne.modalite:
        return "pas de modalité suggérée"
    if ligne.modalite not in MODALITES:
        return f"modalité inconnue : {ligne.modalite}"
    if not ligne.faisabilite:
        return "pas de faisabilité retenue par le groupe"
    if ligne.faisabilite not in FAISABILITES:
        return f"faisabilité inconnue : {ligne.faisabilite}"
    if not ligne.toutes_communes and not ligne.communes:
        return "aucune commune concernée"
    return None


def candidat(ligne: LigneGT3) -> dict | None:
    """The candidate action of a line (docs/contrats §5-6), or None when the line is not one yet."""
    if raison_exclusion(ligne) is not None:
        return None
    action = {
        "id": identifiant(ligne.pk),
        "theme": ligne.theme,
        "communes": TOUTES if ligne.toutes_communes else sorted(set(ligne.communes)),
        "modalite": ligne.modalite,
        "faisabilite": faisabilite_json(ligne.faisabilite),
    }
    if ligne.activite:
        action["activite"] = ligne.activite
    # Key order of docs/contrats §5-6: id, theme, activite, communes, modalite, faisabilite.
    ordre = ("id", "theme", "activite", "communes", "modalite", "faisabilite")
    return {k: action[k] for k in ordre if k in action}


def fichier_candidats(nom: str, lignes) -> dict:
    """The candidates file of a group: `{"nom", "actions"}`, lines in the given order, non-candidates left out."""
    actions = [c for c in (candidat(l) for l in lignes) if c is not None]
    return {"nom": nom, "actions": actions}
