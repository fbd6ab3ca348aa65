"""The text of a mandate letter: the fixed list of fields, their safe substitution, the layout blocks.

Pure Python, no Django import (STYLE.md point 2): the project team writes the template as plain text
with fields between braces (`{theme}`); nothing else is interpreted, so the template can never reach
an attribute, a filter or a tag the way a Django template would.

Text conventions (shown on the template's edit page):

- a blank line separates paragraphs; a single line break is kept inside a paragraph;
- a line starting with « - » is a list item; a line starting with « # » is a sub-heading;
- `{{` and `}}` write a literal brace.
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from commun import formatage

# The fields a template may use, in the order of the edit page, with what they become.
CHAMPS: dict[str, str] = {
    "territoire": "le nom de l'EPCI (par exemple « Bordeaux Métropole »)",
    "president": "le signataire pour l'EPCI : son nom s'il est renseigné, sinon sa qualité "
    "(« Le Président de Bordeaux Métropole »)",
    "mandat": "le mandat du schéma (« 2026-2032 »)",
    "date": "la date de génération de la lettre (« 3 juillet 2026 »)",
    "theme": "le thème du groupe de travail (« Ressources humaines »)",
    "copilote_commune": "le ou les co-pilotes commune, avec leur commune (« Marie Durand (Pessac) »)",
    "copilote_epci": "le ou les co-pilotes EPCI (« Karim Benali »)",
    "consultant": "le ou les consultants accompagnants du groupe",
    "perimetre": "le périmètre du groupe (sa fiche), à défaut la liste des activités du thème dans le "
    "référentiel ; une liste à puces",
    "livrables": "les livrables des trois séances GT1, GT2 et GT3 ; une liste à puces",
    "calendrier": "les séances planifiées du groupe, à défaut le calendrier type, puis les étapes "
    "jusqu'à l'adoption du schéma ; une liste à puces",
    "accompagnement": "l'appui offert par l'équipe projet et d'accompagnement et le consultant ; un paragraphe",
}

A_DESIGNER = "[à désigner]"

# `{{`, `}}`, a field `{...}` on one line, or a lone brace (an error).
_JETON = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}|[{}]")


class ModeleInvalide(ValueError):
    """A template that cannot be filled: `erreurs` are French, one per problem."""

    def __init__(self, erreurs: list[str]):
        super().__init__("\n".join(erreurs))
        self.erreurs = erreurs


def erreurs(texte: str, champs: Iterable[str] = CHAMPS) -> list[str]:
    """The problems of a template text: unknown fields (`champ inconnu : {xyz}`) and lone braces.
    Each problem is reported once, in the order of the text."""
    connus = set(champs)
    trouvees: list[str] = []
    for m in _JETON.finditer(texte):
        jeton = m.group(0)
        if jeton in ("{{", "}}"):
            continue
        if m.group(1) is not None:
            if m.group(1).strip() not in connus:
                message = f"champ inconnu : {jeton}"
            else:
                continue
        elif jeton == "{":
            message = "accolade « { » non fermée : pour écrire une accolade, doublez-la ({{)"
        else:
            message = "accolade « } » sans ouverture : pour écrire une accolade, doublez-la (}})"
        if message not in trouvees:
            trouvees.append(message)
    return trouvees


def remplir(texte: str, valeurs: Mapping[str, str]) -> str:
    """Replace each `{champ}` of CHAMPS by its value (spaces inside the braces are tolerated),
    `{{` and `}}` by a brace. Raises ModeleInvalide on an unknown field or a lone brace; a value is
    inserted as is, never read again as a template."""
    problemes = erreurs(texte, valeurs.keys())
    if problemes:
        raise ModeleInvalide(problemes)

    def remplacer(m: re.Match) -> str:
        if m.group(0) == "{{":
            return "{"
        if m.group(0) == "}}":
            return "}"
        return valeurs[m.group(1).strip()]

    return _JETON.sub(remplacer, texte)


# --- the values of the fields ------------------------------------------------------------------------


def date_fr(jour: dt.date) -> str:
    """« 1er juillet 2026 »: the one French date of the project (commun.formatage)."""
    return formatage.date(jour)


@dataclass(frozen=True)
class Personne:
    nom: str
    organisation: str = ""

    def __str__(self):
        return f"{self.nom} ({self.organisation})" if self.organisation else self.nom


def personnes(liste: Iterable[Personne]) -> str:
    """« A », « A et B », « A, B et C », or A_DESIGNER when nobody holds the role yet."""
    noms = [str(p) for p in liste]
    if not noms:
        return A_DESIGNER
    return noms[0] if len(noms) == 1 else ", ".join(noms[:-1]) + " et " + noms[-1]


def puces(lignes: Iterable[str]) -> str:
    return "\n".join(f"- {ligne}" for ligne in lignes)


def livrables() -> str:
    """The three meetings and their deliverables (docs/domaine.md §2, the 2014 launch deck)."""
    return puces(
        [
            "GT1 – se connaître et partager la feuille de route : la liste des activités du domaine, en trois "
            "colonnes (Activités | Sous-activités | Spécificités), établie à partir du référentiel des activités ;",
            "GT2 – analyse interne et externe : une grille AFOR par activité, qui distingue les avantages et les "
            "faiblesses (internes), les opportunités et les risques (externes) ;",
            "GT3 – préconisations : la liste des activités mutualisables (Activités | Sous-activités | Si "
            "opportunité de mutualisation, pourquoi ? | Qualification (/4) | Faisabilité (de 0 à 4+) | "
            "Préconisation).",
        ]
    )


def perimetre(texte_du_groupe: str, activites: Iterable[str]) -> str:
    """The group's own scope when written, else the theme's activities of the referential as a list."""
    texte_du_groupe = texte_du_groupe.strip()
    if texte_du_groupe:
        return texte_du_groupe
    activites = list(activites)
    if not activites:
        return "- [périmètre à préciser lors de la première séance]"
    items = [_minuscule(a) for a in activites]
    return puces([f"{a} ;" for a in items[:-1]] + [f"{items[-1]}."])


def _minuscule(libelle: str) -> str:
    """A list item after a colon starts with a small letter (« paie… »), an acronym keeps its capitals."""
    if len(libelle) > 1 and libelle[0].isupper() and libelle[1].islower():
        return libelle[0].lower() + libelle[1:]
    return libelle


def accompagnement(territoire: str, consultants: Iterable[Personne]) -> str:
    consultants = list(consultants)
    qui = f"L'équipe projet et d'accompagnement de {territoire}"
    if consultants:
        avec = (
            "avec le consultant accompagnant du groupe"
            if len(consultants) == 1
            else "avec les consultants accompagnants du groupe"
        )
        qui += f", {avec}, {personnes(consultants)},"
    return (
        f"{qui} vous apporte selon vos besoins un soutien méthodologique : préparation et animation des "
        "séances (trame d'animation, modèles de livrables, fiches activités), restitutions auprès des "
        "co-pilotes, rédaction des synthèses présentées au comité de pilotage et au Bureau. Elle veille à la "
        "cohérence des travaux des neuf groupes en vue de la rédaction du schéma."
    )


@dataclass(frozen=True)
class Reunion:
    """A meeting of the group, as the calendar quotes it."""

    etape: str  # GT1, GT2, GT3 or AUTRE
    libelle: str  # « GT1 – se connaître, partager (liste des activités) »
    debut: dt.datetime  # local time
    lieu: str = ""


ETAPES = ("GT1", "GT2", "GT3")


def _heure(moment: dt.datetime) -> str:
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def periode(debut: dt.date, fin: dt.date) -> str:
    """« mars 2027 » (a whole month), « du 1er juillet au 15 octobre 2026 », « du 1er décembre 2026 au 28
    février 2027 »."""
    if (debut.year, debut.month) == (fin.year, fin.month) and debut.day == 1 and (fin + dt.timedelta(days=1)).day == 1:
        return date_fr(debut).split(" ", 1)[1]
    if debut.year == fin.year:
        return f"du {date_fr(debut).rsplit(' ', 1)[0]} au {date_fr(fin)}"
    return f"du {date_fr(debut)} au {date_fr(fin)}"


def calendrier(
    phases: Mapping[str, tuple[dt.date, dt.date]],
    reunions: Iterable[Reunion] = (),
    organe: str = "le conseil communautaire",
) -> str:
    """The group's meetings when some are planned (the stages still without a date said so), else the
    working groups' phase; then the phases up to the adoption of the schéma, with the dates of the schéma's
    calendar (territoire.calendrier: `phases` maps each phase code to its start and end)."""
    groupes_debut, groupes_fin = phases["groupes"]
    reunions = sorted(reunions, key=lambda r: r.debut)
    if reunions:
        lignes = []
        for r in reunions:
            ligne = f"{r.libelle} : {date_fr(r.debut.date())} à {_heure(r.debut)}"
            lignes.append(ligne + (f", {r.lieu}" if r.lieu else "") + " ;")
        datees = {r.etape for r in reunions}
        limite = max(groupes_fin, reunions[-1].debut.date())
        lignes += [f"{etape} : date à fixer, avant le {date_fr(limite)} ;" for etape in ETAPES if etape not in datees]
    else:
        lignes = [
            f"{periode(groupes_debut, groupes_fin)} : les trois séances du groupe (GT1, GT2 et GT3), "
            "espacées de trois à quatre semaines ;"
        ]
    lignes += [
        f"{periode(phases['comite'][0], phases['bureau'][1])} : synthèse des propositions des groupes au comité de "
        "pilotage, formalisation du projet de schéma et validation en Bureau ;",
        f"{periode(*phases['consultation'])} : avis des conseils municipaux, qui disposent de trois mois "
        "à compter de la réception du rapport (à défaut de délibération dans ce délai, l'avis est réputé "
        "favorable) ;",
        f"{periode(*phases['approbation'])} : adoption du schéma de mutualisation par {organe}.",
    ]
    return puces(lignes)


# --- layout -------------------------------------------------------------------------------------------


@dataclass
class Bloc:
    """A paragraph (`lignes` kept as line breaks), a list (`lignes` are its items) or a sub-heading."""

    genre: str  # "paragraphe", "liste" or "titre"
    lignes: list[str] = field(default_factory=list)

    @property
    def texte(self) -> str:
        return " ".join(self.lignes)


def blocs(texte: str) -> list[Bloc]:
    """Cut a filled letter into the blocks every format lays out the same way (HTML, PDF, DOCX, ODT)."""
    resultat: list[Bloc] = []
    courant: Bloc | None = None
    for brute in texte.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        ligne = brute.strip()
        if not ligne:
            courant = None
            continue
        if ligne.startswith("#"):
            resultat.append(Bloc("titre", [ligne.lstrip("#").strip()]))
            courant = None
        elif ligne[:2] in ("- ", "• ") or ligne in ("-", "•"):
            if courant is None or courant.genre != "liste":
                courant = Bloc("liste")
                resultat.append(courant)
            courant.lignes.append(ligne[2:].strip())
        else:
            if courant is None or courant.genre != "paragraphe":
                courant = Bloc("paragraphe")
                resultat.append(courant)
            courant.lignes.append(ligne)
    return [b for b in resultat if any(b.lignes)]
