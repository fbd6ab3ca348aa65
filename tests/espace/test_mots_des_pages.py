"""Every page of the demo, read by the project team, speaks to a user: no developer's words.

The demo is loaded, then every page reachable from the home page is rendered (up to a few of each kind)
and its visible text is read for: the contracts' file names and paragraph signs (« FORMATS.md », « § »),
identifiers (« service_commun »), a referential code shown without its activity's name on the same line,
a decimal point in a percentage or an amount (« 29.5 % »), and « 1 » or « des 1 » with a plural.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

from mutualis.demo import SIREN, charger_demo

pytestmark = pytest.mark.django_db

PAR_MOTIF = 3  # pages rendered for each kind of URL (one GT1 page per commune would be 28)
TELECHARGEMENTS = re.compile(r"\.(xlsx|ods|csv|pdf|docx|odt|ics|json)$|[?&]format=")

BLOCS = {
    "p",
    "li",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "dt",
    "dd",
    "caption",
    "legend",
    "label",
    "div",
    "section",
    "summary",
    "option",
    "blockquote",
    "figcaption",
    "td",
    "th",
    "title",
    "button",
    "pre",
}
CELLULES = {"td", "th"}  # a table row is one line: a code and its name in two cells of a row go together
CACHES = {"script", "style", "template"}
LITTERAUX = {"code", "kbd", "samp", "textarea"}

IDENTIFIANT = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
INTERDITS = [
    (re.compile(r"FORMATS\.md|DOMAIN\.md|STYLE\.md"), "nom d'un fichier de développeur"),
    (re.compile(r"§"), "signe de paragraphe d'un contrat"),
    (IDENTIFIANT, "identifiant de programme"),
    (re.compile(r"\d\.\d+\s?%"), "pourcentage avec un point décimal"),
    (re.compile(r"\d\.\d+\s?€"), "montant avec un point décimal"),
    (re.compile(r"\b(?:des|les|aux) 1 \w"), "« des 1 »"),
    (
        re.compile(
            r"(?<![\d,\u202f])\b[01] (?:employeurs|communes|lots|agents|lignes|activités|séances|comptes|"
            r"groupes|notifications|organisations|actions|scénarios|membres|versions)\b"
        ),
        "pluriel après 0 ou 1",
    ),
]


class Texte(HTMLParser):
    """The visible text of a page, one line per block (a table row on one line), each line twice: as read,
    and with what the user types literally masked (file columns in <code>, a template's placeholders in
    its <textarea>), where identifiers are the point."""

    def __init__(self):
        super().__init__()
        self.lignes, self.courante, self.cache, self.litteral = [], [], 0, 0

    def _couper(self):
        lue = " ".join("".join(t for t, _ in self.courante).split())
        masquee = " ".join("".join("‹›" if l else t for t, l in self.courante).split())
        if lue:
            self.lignes.append((lue, masquee))
        self.courante = []

    def handle_starttag(self, tag, attrs):
        if tag in CACHES:
            self.cache += 1
        elif tag in LITTERAUX:
            self.litteral += 1
        elif tag in CELLULES:
            self.courante.append((" | ", False))
        elif tag in BLOCS:
            self._couper()
        elif tag == "br":
            self.courante.append((" ", False))

    def handle_endtag(self, tag):
        if tag in CACHES:
            self.cache -= 1
        elif tag in LITTERAUX:
            self.litteral -= 1
        elif tag in BLOCS and tag not in CELLULES:
            self._couper()

    def handle_data(self, data):
        if not self.cache:
            self.courante.append((data, bool(self.litteral)))


def lignes(html: str) -> list[tuple[str, str]]:
    texte = Texte()
    texte.feed(html)
    texte._couper()
    return texte.lignes


def _motif(url: str) -> str:
    chemin = re.sub(r"/\d+/", "/N/", urlparse(url).path)
    return re.sub(r"/(\d{5}|[A-Z]{2,4}|GT[123]|[A-Z]{2,4}-[A-Z0-9-]+)/", "/X/", chemin)


def fautes(url: str, html: str, activites: dict[str, str]) -> list[str]:
    out = []
    codes = re.compile(
        r"\b(" + "|".join(re.escape(c) for c in sorted(activites, key=len, reverse=True)) + r")(?![\w-])"
    )
    if not activites:
        codes = re.compile(r"(?!)")  # matches nothing
    for ligne, masquee in lignes(html):
        for motif, quoi in INTERDITS:
            if m := motif.search(masquee if motif is IDENTIFIANT else ligne):
                out.append(f"{url} : {quoi} « {m.group(0)} » dans « {ligne[:160]} »")
        for code in codes.findall(ligne):
            if activites[code] not in ligne:
                out.append(f"{url} : code « {code} » sans le nom de l'activité dans « {ligne[:160]} »")
    return out


@pytest.fixture
def demo(db):
    charger_demo()


def test_lines_and_rules():
    assert lignes("<table><tr><th>RH-PAIE</th><td>Paie</td></tr></table><p>a<br>b</p><script>x_y</script>") == [
        ("| RH-PAIE | Paie", "| RH-PAIE | Paie"),
        ("a b", "a b"),
    ]
    assert not fautes("/", "<p>la colonne <code>cout_annuel</code></p>", {})
    assert fautes("/", "<p>voir <code>FORMATS.md</code></p>", {})
    activites = {"RH-PAIE": "Paie"}
    assert fautes("/", "<p>RH-PAIE</p>", activites)
    assert not fautes("/", "<tr><td>RH-PAIE</td><td>Paie</td></tr>", activites)
    for faux in (
        "Calcul : FORMATS.md §4",
        "modalité service_commun",
        "coefficient ≥ 29.5 %",
        "1 234.50 €",
        "des 1 employeur",
        "lots courants de 1 employeurs",
    ):
        assert fautes("/", f"<p>{faux}</p>", {}), faux
    for juste in ("coefficient ≥ 29,5 %", "1 234 € et 12 communes", "1 commune", "2,1 agents", "le 1 janvier"):
        assert not fautes("/", f"<p>{juste}</p>", {}), juste


def parcourir(client, login: str, siren: str) -> tuple[set, list]:
    """Every page reachable from a territory's home, as `login`: the pages seen and the words found."""
    from comptes.models import Utilisateur
    from territoire.models import Territoire

    territoire = Territoire.objects.get(code=siren)
    activites = dict(territoire.activites.values_list("code", "libelle"))
    client.force_login(Utilisateur.objects.get(username=login))
    espace = f"/t/{siren}/"
    a_voir, vus, par_motif, erreurs = [espace], set(), {}, []
    while a_voir:
        url = a_voir.pop(0)
        if url in vus or par_motif.get(_motif(url), 0) >= PAR_MOTIF:
            continue
        vus.add(url)
        par_motif[_motif(url)] = par_motif.get(_motif(url), 0) + 1
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        if not reponse["Content-Type"].startswith("text/html"):
            continue
        html = reponse.content.decode()
        erreurs += fautes(url, html, activites)
        for href in re.findall(r'href="([^"#]+)', html):
            cible = urljoin(url, href.replace("&amp;", "&"))
            if cible.startswith(espace) and not TELECHARGEMENTS.search(cible) and "/t/" in cible:
                a_voir.append(cible)
    return vus, erreurs


def test_no_developer_words_on_any_page_of_the_demo(demo, client):
    from mutualis.demo_suivi import LOGIN
    from mutualis.demo_suivi import SIREN as SIREN_SUIVI

    vus, erreurs = parcourir(client, "equipe-projet", SIREN)
    assert len(vus) >= 80, len(vus)
    # The follow-up's territory: its follow-up, items and yearly report (docs/suivi.md).
    vus_suivi, erreurs_suivi = parcourir(client, LOGIN, SIREN_SUIVI)
    assert any("/suivi/etats-d-avancement/" in u for u in vus_suivi) and len(vus_suivi) >= 30, len(vus_suivi)
    erreurs += erreurs_suivi
    assert not erreurs, "\n".join(erreurs)
