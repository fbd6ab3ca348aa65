"""The schéma document as plain values (docs/publication.md): chapters of headings, paragraphs, lists,
tables, a chart and the project team's rich introductions. publication/contenu.py builds it once from
the database; publication/pdf.py, publication/docx.py and publication/odt.py lay the same value out, so
the three formats say the same thing. No Django here."""

import base64
import re
from dataclasses import asdict, dataclass, field, fields


@dataclass
class Titre:
    texte: str
    niveau: int = 2  # 1: a chapter (publication/contenu builds those), 2 and 3 inside it


@dataclass
class Paragraphe:
    texte: str
    note: bool = False  # a smaller explanatory paragraph


@dataclass
class Liste:
    items: list[str]


@dataclass
class Tableau:
    legende: str
    entetes: list[str]
    lignes: list[list[str]]
    nombres: frozenset[int] = frozenset()  # columns of figures, right-aligned
    pied: list[str] | None = None  # the total row
    marques: list[str] = field(default_factory=list)  # per row: "" or a class (« epci », « estimee »)
    largeurs: list[float] | None = None  # relative widths of the columns

    @property
    def pourcentages(self) -> list[str]:
        """The widths of the columns as percentages of the table (none when not given)."""
        if not self.largeurs:
            return []
        total = sum(self.largeurs)
        return [f"{100 * w / total:.2f}" for w in self.largeurs]

    @property
    def rangees(self) -> list[tuple[str, list[str]]]:
        """Each row with its mark ("" when none)."""
        return list(zip(self.marques or [""] * len(self.lignes), self.lignes, strict=True))


@dataclass
class Graphique:
    """A chart as SVG markup (vectors in the PDF and the ODT); its figures are in the table after it."""

    svg: str
    legende: str


@dataclass
class TexteRiche:
    """The project team's introduction of a chapter: sanitised HTML (publication/gabarit.py)."""

    html: str


Bloc = Titre | Paragraphe | Liste | Tableau | Graphique | TexteRiche


@dataclass
class Chapitre:
    cle: str
    titre: str
    blocs: list[Bloc]
    annexe: bool = False

    @property
    def ancre(self) -> str:
        return f"ch-{self.cle}"


@dataclass
class Couverture:
    territoire: str
    titre: str
    sous_titre: str
    mandat: str
    version: str  # « Version 2, pour le comité de pilotage »
    date: str  # « 7 décembre 2026 »
    mention: str = ""
    logo: bytes | None = None
    logo_type: str = ""  # image/png, image/jpeg


@dataclass
class Document:
    couverture: Couverture
    chapitres: list[Chapitre]
    entete: str  # the running header: « Bordeaux Métropole – Schéma de mutualisation 2026-2032 »
    couleur: str = "#0b5d6b"
    couleur_secondaire: str = "#e8f1f2"
    brouillon: bool = False
    filigrane: str = "Document de travail pour le comité de pilotage"  # said on the cover of a draft
    # A section to paste into another document (the EPCI's yearly activity report): the office writers leave
    # the cover and the contents out, the title becomes the first heading and each chapter the next level.
    section: bool = False

    @property
    def titre_complet(self) -> str:
        return f"{self.couverture.titre} – {self.couverture.territoire}"


# French typography: a narrow no-break space before « ; : ! ? » and inside the guillemets, a no-break space
# between a figure and its unit (the amounts are formatted with them already: commun/formatage.py).
FINE = "\u202f"
_AVANT = re.compile(r"\s*([;!?])")
_DEUX_POINTS = re.compile(r"(?<=\S)\s*:(?=\s|$)")
_OUVRANT = re.compile(r"«\s*")
_FERMANT = re.compile(r"\s*»")


def typographie(texte: str) -> str:
    """French spacing of punctuation in running text (never inside URLs or times: only before a space)."""
    texte = _AVANT.sub(lambda m: FINE + m.group(1), texte)
    texte = _DEUX_POINTS.sub("\u00a0:", texte)
    texte = _OUVRANT.sub("«" + FINE, texte)
    return _FERMANT.sub(FINE + "»", texte)


# --- a document kept as JSON (a yearly report frozen when presented: suivi/) ------------------------------

GENRES = {c.__name__: c for c in (Titre, Paragraphe, Liste, Tableau, Graphique, TexteRiche)}


def en_json(doc: Document) -> dict:
    """The document as plain JSON values, each block tagged with its kind."""
    couverture = asdict(doc.couverture)
    couverture["logo"] = base64.b64encode(doc.couverture.logo).decode() if doc.couverture.logo else None
    return {
        **{f.name: getattr(doc, f.name) for f in fields(doc) if f.name not in ("couverture", "chapitres")},
        "couverture": couverture,
        "chapitres": [
            {
                **{f.name: getattr(c, f.name) for f in fields(c) if f.name != "blocs"},
                "blocs": [{"genre": type(b).__name__, **_valeurs(b)} for b in c.blocs],
            }
            for c in doc.chapitres
        ],
    }


def _valeurs(bloc) -> dict:
    v = asdict(bloc)
    if "nombres" in v:
        v["nombres"] = sorted(v["nombres"])
    return v


def depuis_json(data: dict) -> Document:
    couverture = dict(data["couverture"])
    couverture["logo"] = base64.b64decode(couverture["logo"]) if couverture["logo"] else None
    chapitres = []
    for c in data["chapitres"]:
        blocs = []
        for b in c["blocs"]:
            valeurs = {k: v for k, v in b.items() if k != "genre"}
            if "nombres" in valeurs:
                valeurs["nombres"] = frozenset(valeurs["nombres"])
            blocs.append(GENRES[b["genre"]](**valeurs))
        chapitres.append(Chapitre(**{**{k: v for k, v in c.items() if k != "blocs"}, "blocs": blocs}))
    reste = {k: v for k, v in data.items() if k not in ("couverture", "chapitres")}
    return Document(Couverture(**couverture), chapitres, **reste)
