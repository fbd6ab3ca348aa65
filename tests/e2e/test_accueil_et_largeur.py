"""The demo as each role meets it on the first day, in a real browser at 1366 px:

- each role's home page lists what waits for her (« À faire »), and each link leads to a page where the
  action is done (no error, the page names what the line said);
- no page of the main navigation, nor any page one click away from it, is wider than the window: wide
  tables scroll inside their own box (for the project team and a commune DGS).
"""

import re
from urllib.parse import urljoin, urlparse

import pytest

from mutualis.demo import MOT_DE_PASSE, SIREN, charger_demo
from tests.e2e.conftest import check_accessibility, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LARGEUR = 1366

# login -> words that must start one of her waiting actions in the demo
ATTENDUES = {
    "equipe-projet": "Envoyer les 5 lettres de mission",
    "dgs-merignac": "Remplir la liste des activités de Mérignac",
    "dgs-bordeaux": "Remplir la liste des activités de Bordeaux",
    "copilote-rh-commune": "Valider le livrable GT2",
    "consultant": "Noter",
    "elu-copil": "Comité de pilotage du",
}
SANS_ATTENTE = ("dgs-metropole",)  # the demo leaves nothing for the EPCI's DGS to do


@pytest.fixture
def demo(db):
    charger_demo()


@pytest.fixture
def page_large(browser, live_server):
    context = browser.new_context(viewport={"width": LARGEUR, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


def _taches(page) -> list[tuple[str, str]]:
    return page.eval_on_selector_all(
        "#a-faire ~ ul a", "els => els.map(e => [e.textContent.trim(), e.getAttribute('href')])"
    )


def test_every_role_s_home_page_lists_what_waits_for_her(demo, page_large, live_server):
    page = page_large
    for identifiant, debut in ATTENDUES.items():
        page.context.clear_cookies()
        login(page, identifiant, MOT_DE_PASSE)
        page.wait_for_url(re.compile(rf"/t/{SIREN}/$"))
        taches = _taches(page)
        assert any(libelle.startswith(debut) for libelle, _ in taches), (identifiant, taches)
        if identifiant == "copilote-rh-commune":
            check_accessibility(page)
        for libelle, href in taches:
            reponse = page.goto(urljoin(page.base, href))
            assert reponse.status == 200, (identifiant, libelle, href)
            ancre = urlparse(href).fragment
            if ancre:
                assert page.locator(f"#{ancre}").count() == 1, (identifiant, libelle, href)
            page.go_back()
    for identifiant in SANS_ATTENTE:
        page.context.clear_cookies()
        login(page, identifiant, MOT_DE_PASSE)
        page.wait_for_url(re.compile(rf"/t/{SIREN}/$"))
        assert page.get_by_text("Rien n'attend votre action pour le moment.").is_visible()


def _motif(url: str) -> str:
    """One page per kind: numbers, commune codes and theme codes of the path are replaced."""
    chemin = urlparse(url).path
    chemin = re.sub(r"/\d+/", "/N/", chemin)
    return re.sub(r"/(\d{5}|[A-Z]{2,4}|GT[123]|[A-Z]{2,4}-[A-Z]+)/", "/X/", chemin)


TELECHARGEMENTS = re.compile(r"\.(xlsx|ods|csv|pdf|docx|odt|ics|json)$|[?&]format=")


@pytest.mark.parametrize("identifiant", ["equipe-projet", "dgs-merignac"])
def test_no_page_of_the_menu_is_wider_than_the_window(demo, page_large, identifiant):
    """The menu's pages and the pages two clicks away from them, one page of each kind."""
    page = page_large
    login(page, identifiant, MOT_DE_PASSE)
    page.wait_for_url(re.compile(rf"/t/{SIREN}/$"))
    espace = f"{page.base}/t/{SIREN}/"
    menu = [
        urljoin(page.base, h)
        for h in page.eval_on_selector_all("nav.navigation a", "els => els.map(e => e.getAttribute('href'))")
    ]
    motifs, trop_larges, niveau = set(), [], menu
    for _ in range(3):  # the menu, one click away, two clicks away
        suivant = []
        for url in niveau:
            if _motif(url) in motifs:
                continue
            motifs.add(_motif(url))
            reponse = page.goto(url)
            assert reponse.status == 200, url
            largeur = page.evaluate("document.documentElement.scrollWidth")
            if largeur > LARGEUR:
                trop_larges.append((url, largeur))
            for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))"):
                cible = urljoin(url, href).split("#")[0]
                if cible.startswith(espace) and not TELECHARGEMENTS.search(cible):
                    suivant.append(cible)
        niveau = suivant
    assert len(motifs) >= 20, motifs  # the menu and the pages it leads to were walked
    assert not trop_larges, trop_larges
