"""The layout of a schéma's documents (docs/publication.md): logo, colours, cover texts and the project
team's introduction of each chapter, in rich text sanitised here (nh3: a short list of tags, no attribute
but a link's address), and that rich text read back as paragraphs for the office formats."""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

import nh3

from publication.models import Gabarit

BALISES = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "a"}
TAILLE_LOGO = 1024 * 1024
SIGNATURES_LOGO = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}
COULEUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def gabarit(schema) -> Gabarit:
    """The schéma's layout, or the default one (not saved) when the project team has set none."""
    trouve = Gabarit.objects.filter(schema=schema).first()
    return trouve if trouve is not None else Gabarit(schema=schema)


def nettoyer(html: str) -> str:
    """The rich text as it may be published: the allowed tags only, links to http(s) and mailto only."""
    return nh3.clean(
        html,
        tags=BALISES,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


_GRAS = re.compile(r"\*\*(.+?)\*\*")
_ITALIQUE = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")


def en_html(source: str) -> str:
    """The project team's text as HTML: kept as it is when it is HTML (pasted from an editor), else a blank
    line separates paragraphs, a line starting with « - » is a list item, **gras** and *italique*. The
    result is then sanitised (`html_de`)."""
    if re.search(r"<[a-zA-Z/]", source):
        return source
    blocs = []
    for bloc in re.split(r"\n\s*\n", source.replace("\r\n", "\n").strip()):
        lignes = [escape(l.strip()) for l in bloc.split("\n") if l.strip()]
        if lignes and all(l.startswith("- ") for l in lignes):
            blocs.append("<ul>" + "".join(f"<li>{l[2:].strip()}</li>" for l in lignes) + "</ul>")
        elif lignes:
            blocs.append("<p>" + "<br>".join(lignes) + "</p>")
    html = "".join(blocs)
    return _ITALIQUE.sub(r"<em>\1</em>", _GRAS.sub(r"<strong>\1</strong>", html))


def html_de(source: str) -> str:
    """What a document shows of an introduction: the text as HTML, sanitised."""
    return nettoyer(en_html(source)) if source.strip() else ""


def type_logo(contenu: bytes) -> str:
    """The image type of a logo from its first bytes ("" when it is neither PNG nor JPEG)."""
    return next((t for sig, t in SIGNATURES_LOGO.items() if contenu.startswith(sig)), "")


@dataclass
class Morceau:
    texte: str
    gras: bool = False
    italique: bool = False


@dataclass
class Alinea:
    """A paragraph of sanitised rich text: runs of text, and whether it is an item of a list."""

    morceaux: list[Morceau] = field(default_factory=list)
    puce: bool = False


class _Lecteur(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.alineas: list[Alinea] = []
        self.gras = self.italique = 0
        self.courant: Alinea | None = None

    def _alinea(self, puce=False) -> Alinea:
        if self.courant is None:
            self.courant = Alinea(puce=puce)
            self.alineas.append(self.courant)
        return self.courant

    def handle_starttag(self, tag, attrs):
        if tag in ("p", "li"):
            self.courant = None
            self._alinea(puce=tag == "li")
        elif tag == "br":
            self._alinea().morceaux.append(Morceau("\n"))
        elif tag in ("strong", "b"):
            self.gras += 1
        elif tag in ("em", "i"):
            self.italique += 1

    def handle_endtag(self, tag):
        if tag in ("p", "li"):
            self.courant = None
        elif tag in ("strong", "b"):
            self.gras -= 1
        elif tag in ("em", "i"):
            self.italique -= 1

    def handle_data(self, data):
        if not data.strip() and self.courant is None:
            return
        self._alinea().morceaux.append(Morceau(data, self.gras > 0, self.italique > 0))


def alineas(html: str) -> list[Alinea]:
    """Sanitised rich text as paragraphs of runs (the office formats write them with their own styles)."""
    lecteur = _Lecteur()
    lecteur.feed(html)
    lecteur.close()
    return [a for a in lecteur.alineas if "".join(m.texte for m in a.morceaux).strip()]
