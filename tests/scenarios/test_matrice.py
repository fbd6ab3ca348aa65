"""The schéma's priority matrix through the test client: bubbles at their qualification × faisabilité
cell, area-true sizes, secrecy of the payroll at stake (élu, consultant, the commune's own DGS), filters
by theme and commune, lines without both consensus values listed with their reason, jittering, a
bounded number of queries, refusals (outsider, anonymous, method); the layout itself without a database."""

import math
import re

import pytest
from django.urls import reverse

from scenarios import matrice as geo
from tests.cast import BORDEAUX, MERIGNAC, PESSAC, TALENCE


def url(territoire, **params):
    base = reverse("scenarios:matrice", kwargs={"code": territoire.code})
    return base + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def groupes(territoire):
    return {g.theme: g for g in territoire.schemas.get().groupes.all()}


@pytest.fixture
def creer(cast, territoire, groupes):
    """creer(theme, activity code, **valeurs) -> a GT3 line written by the project team."""
    from livrables.gt3.actions import do_creer_ligne

    def _creer(theme, code, **valeurs):
        activite = territoire.activites.get(code=code)
        communes = [territoire.organisations.get(code=c) for c in valeurs.pop("communes", [])]
        valeurs.setdefault("modalite", "service_commun")
        valeurs.setdefault("toutes_communes", not communes)
        return do_creer_ligne(
            groupes[theme], cast["equipe_projet"], {"activite": activite, "communes": communes, **valeurs}
        )

    return _creer


def bulles(response) -> dict:
    """{line pk: bubble} of the rendered page's context."""
    return {b["ligne"].pk: b for b in response.context["bulles"]}


def dans_sa_cellule(response, bulle) -> bool:
    x0, y0, x1, y1 = response.context["geometrie"].cellule(bulle["ligne"].qualification, bulle["ligne"].faisabilite)
    d = bulle["disque"]
    return x0 <= d.cx - d.r and d.cx + d.r <= x1 and y0 <= d.cy - d.r and d.cy + d.r <= y1


# --- the layout, without a database ------------------------------------------------------------------


def test_disposer_place_chaque_bulle_dans_sa_cellule_sans_chevauchement():
    points = [geo.Point(i, 3, "4", 1000.0 * (i + 1)) for i in range(8)] + [geo.Point("seule", 1, "0", 500.0)]
    geometrie, disques, reduction = geo.disposer(points)
    again = geo.disposer(points)[1]
    assert disques == again  # deterministic: the same data always gives the same picture
    cellule = [disques[i] for i in range(8)]
    x0, y0, x1, y1 = geometrie.cellule(3, "4")
    for d in cellule:
        assert x0 <= d.cx - d.r and d.cx + d.r <= x1 and y0 <= d.cy - d.r and d.cy + d.r <= y1
    for i, a in enumerate(cellule):
        for b in cellule[i + 1 :]:
            assert math.hypot(a.cx - b.cx, a.cy - b.cy) >= a.r + b.r  # none hides another
    assert disques["seule"].cx < x0 and disques["seule"].cy > y1  # qualification 1 left, faisabilité 0 below


def test_rayons_aire_proportionnelle_et_secret_de_taille_fixe():
    points = [
        geo.Point("a", 4, "4+", 400_000.0),
        geo.Point("b", 1, "0", 100_000.0),
        geo.Point("c", 2, "2", None, secret=True),
        geo.Point("d", 2, "3", None),
    ]
    r, reduction = geo.rayons(points, geo.Geometrie())
    assert reduction == 1.0
    assert r["a"] == geo.R_MAX and r["b"] == pytest.approx(geo.R_MAX / 2)  # a quarter of the amount: half the radius
    assert r["c"] == geo.R_NEUTRE and r["d"] == geo.R_MIN
    # a hidden amount never sets the scale: a secret bubble of any amount keeps the others unchanged
    r2, _ = geo.rayons([*points[:2], geo.Point("c", 2, "2", None, secret=True)], geo.Geometrie())
    assert r2["a"] == r["a"] and r2["b"] == r["b"]


def test_une_cellule_pleine_reste_lisible():
    points = [geo.Point(i, 2, "1", 1000.0) for i in range(120)]
    geometrie, disques, _ = geo.disposer(points)
    centres = {(d.cx, d.cy) for d in disques.values()}
    assert len(centres) == 120  # they overlap, no centre coincides
    x0, y0, x1, y1 = geometrie.cellule(2, "1")
    assert all(x0 <= d.cx <= x1 and y0 <= d.cy <= y1 for d in disques.values())


def test_couleurs_des_themes_contrastees_et_distinctes():
    def luminance(hexa):
        canaux = [int(hexa[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        canaux = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in canaux]
        return 0.2126 * canaux[0] + 0.7152 * canaux[1] + 0.0722 * canaux[2]

    from engine.themes import THEME_CODES

    assert set(geo.COULEURS) == set(THEME_CODES) and len(set(geo.COULEURS.values())) == 9
    for couleur in geo.COULEURS.values():
        assert 1.05 / (luminance(couleur) + 0.05) >= 4.5  # white label on the colour, colour on white


# --- the page ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bulles_placees_selon_le_consensus(connecte, cast, territoire, creer):
    haut_droite = creer("RH", "RH-PAIE", qualification=4, faisabilite="4+")
    bas_gauche = creer("FIN", "FIN-BUDG", qualification=1, faisabilite="0")
    milieu = creer("SI", territoire.activites.filter(theme="SI").first().code, qualification=2, faisabilite="3")
    response = connecte(cast["membre_rh"]).get(url(territoire))
    assert response.status_code == 200
    placees = bulles(response)
    assert set(placees) == {haut_droite.pk, bas_gauche.pk, milieu.pk}
    assert all(dans_sa_cellule(response, b) for b in placees.values())
    hd, bg, mi = (placees[l.pk]["disque"] for l in (haut_droite, bas_gauche, milieu))
    assert bg.cx < mi.cx < hd.cx and hd.cy < mi.cy < bg.cy  # SVG y grows downwards: 4+ on top
    page = response.content.decode()
    # each bubble: a link to its GT3 line, a tooltip, the theme's code written on it
    lien = reverse("livrables:gt3_ligne", kwargs={"code": territoire.code, "theme": "RH", "pk": haut_droite.pk})
    bulle_rh = re.search(
        rf'<a href="{lien}" class="matrice-bulle[^"]*"[^>]*data-qualification="4" '
        rf'data-faisabilite="4\+" data-theme="RH">\s*<title>Paie[^<]*</title>.*?>RH</text>',
        page,
        re.S,
    )
    assert bulle_rh, "bulle RH-PAIE absente ou incomplète"
    # the table alternative: caption, headers with scope, the same lines with their link
    assert "<caption>3 activités placées" in page
    assert page.count('<th scope="row"><a href="') == 3 and f'href="{lien}"' in page
    for entete in (
        "Thème",
        "Activité",
        "Qualification (/4)",
        "Faisabilité (de 0 à 4+)",
        "Modalité",
        "Communes concernées",
        "Masse salariale en jeu",
    ):
        assert f">{entete}</th>" in page
    assert "Service commun" in page and "toutes les communes (4)" in page
    # and the legend names each theme present (colour never alone)
    assert "Ressources humaines</li>" in page and "Finances</li>" in page


@pytest.mark.django_db
def test_taille_proportionnelle_a_la_racine_de_la_masse_en_jeu(connecte, cast, territoire, creer, lot_courant):
    paie = creer("RH", "RH-PAIE", qualification=4, faisabilite="3", communes=[BORDEAUX])  # Bordeaux: 126 000 €
    budget = creer("FIN", "FIN-BUDG", qualification=3, faisabilite="2", communes=[BORDEAUX])  # Bordeaux: 200 000 €
    response = connecte(cast["equipe_projet"]).get(url(territoire))
    placees = bulles(response)
    r_paie, r_budget = placees[paie.pk]["disque"].r, placees[budget.pk]["disque"].r
    assert r_budget == geo.R_MAX
    assert r_paie / r_budget == pytest.approx(math.sqrt(126_000 / 200_000), abs=0.005)


@pytest.mark.django_db
def test_secret_statistique_pour_un_elu_et_un_consultant_pas_pour_le_dgs_de_la_commune(
    connecte, cast, territoire, creer, lot_courant
):
    from commun.formatage import euros

    paie = creer("RH", "RH-PAIE", qualification=4, faisabilite="3")
    budget = creer("FIN", "FIN-BUDG", qualification=3, faisabilite="2", communes=[BORDEAUX])
    formation = creer("RH", "RH-FORM", qualification=2, faisabilite="4", communes=[MERIGNAC])  # one agent

    for role in ("elu_copil", "consultant"):
        response = connecte(cast[role]).get(url(territoire))
        page = response.content.decode()
        placees = bulles(response)
        assert placees[budget.pk]["masse"]["secret"] and placees[budget.pk]["disque"].r == geo.R_NEUTRE
        assert 'class="matrice-bulle matrice-secret"' in page
        assert euros(200_000) not in page and "non diffusé" in page
        # an activity's payroll is employer detail: hidden from readers who do not know every commune
        assert placees[paie.pk]["masse"]["secret"] and euros(126_000) not in page

    response = connecte(cast["dgs_bordeaux"]).get(url(territoire))
    placees = bulles(response)
    assert placees[budget.pk]["masse"]["montant"].affiche == 200_000 and placees[budget.pk]["disque"].r == geo.R_MAX
    assert euros(200_000) in response.content.decode()
    # what « paie » would move: Bordeaux's own RH-PAIE agents only (Mérignac's agent there is made
    # available to the EPCI, not a base of an action), which Bordeaux's DGS knows
    assert placees[paie.pk]["masse"]["montant"].affiche == 126_000
    # Mérignac's DGS sees her commune's one agent, not Bordeaux's detail
    merignac = bulles(connecte(cast["dgs_merignac"]).get(url(territoire)))
    assert merignac[formation.pk]["masse"]["montant"].affiche == 38_000
    assert merignac[budget.pk]["masse"]["secret"]


@pytest.mark.django_db
def test_filtres_par_theme_et_par_commune(connecte, cast, territoire, creer):
    toutes = creer("RH", "RH-PAIE", qualification=4, faisabilite="3")
    merignac = creer("RH", "RH-FORM", qualification=2, faisabilite="2", communes=[MERIGNAC, BORDEAUX])
    pessac = creer("FIN", "FIN-BUDG", qualification=3, faisabilite="1", communes=[PESSAC])
    non_placee = creer("FIN", "FIN-COMP", communes=[TALENCE])
    client = connecte(cast["observateur"])

    response = client.get(url(territoire, theme="FIN"))
    assert response.status_code == 200
    assert set(bulles(response)) == {pessac.pk}
    assert [r["ligne"].pk for r in response.context["non_placees"]] == [non_placee.pk]
    page = response.content.decode()
    assert '<option value="FIN" selected>Finances</option>' in page and "Tout afficher" in page

    response = client.get(url(territoire, commune=MERIGNAC))
    assert set(bulles(response)) == {toutes.pk, merignac.pk}  # « toutes » concerns Mérignac too
    assert response.context["non_placees"] == []
    response = client.get(url(territoire, theme="RH", commune=PESSAC))
    assert set(bulles(response)) == {toutes.pk}
    response = client.get(url(territoire, theme="ECO"))
    assert not bulles(response) and "Aucune activité ne correspond à ces filtres" in response.content.decode()

    # an unknown value: the form says so, nothing is filtered
    refus = client.get(url(territoire, theme="XX"))
    assert refus.status_code == 400 and len(bulles(refus)) == 3
    assert client.get(url(territoire, commune="99999")).status_code == 400


@pytest.mark.django_db
def test_lignes_non_placees_avec_leur_raison(connecte, cast, territoire, creer):
    placee = creer("RH", "RH-PAIE", qualification=3, faisabilite="2")
    sans_faisabilite = creer("RH", "RH-FORM", qualification=3)
    sans_qualification = creer("FIN", "FIN-BUDG", faisabilite="4+")
    sans_rien = creer("FIN", "FIN-COMP")
    response = connecte(cast["dgs_merignac"]).get(url(territoire))
    assert set(bulles(response)) == {placee.pk}
    raisons = {r["ligne"].pk: r["raison"] for r in response.context["non_placees"]}
    assert raisons == {
        sans_faisabilite.pk: "pas de faisabilité retenue par le groupe",
        sans_qualification.pk: "pas de qualification retenue par le groupe",
        sans_rien.pk: "ni qualification ni faisabilité retenues par le groupe",
    }
    page = response.content.decode()
    assert "Activités non placées" in page and "<caption>3 activités non placées" in page
    assert page.count('data-ligne="') == 1


@pytest.mark.django_db
def test_lignes_de_la_meme_cellule_ne_se_cachent_pas(connecte, cast, territoire, creer, lot_courant):
    lignes = [
        creer("RH", code, qualification=4, faisabilite="4", communes=communes)
        for code, communes in (
            ("RH-PAIE", []),
            ("RH-FORM", []),
            ("RH-PAIE", [BORDEAUX, MERIGNAC]),
            ("RH-FORM", [MERIGNAC]),
            ("RH-PAIE", [PESSAC]),
        )
    ]
    response = connecte(cast["equipe_projet"]).get(url(territoire))
    placees = bulles(response)
    disques = [placees[l.pk]["disque"] for l in lignes]
    assert all(dans_sa_cellule(response, placees[l.pk]) for l in lignes)
    for i, a in enumerate(disques):
        for b in disques[i + 1 :]:
            assert math.hypot(a.cx - b.cx, a.cy - b.cy) >= a.r + b.r


@pytest.mark.django_db
def test_la_matrice_lit_un_nombre_borne_de_requetes(
    connecte, cast, territoire, groupes, lot_courant, django_assert_max_num_queries
):
    from livrables.enums import Faisabilite
    from livrables.gt3.actions import livrable_gt3
    from livrables.models import LigneMutualisable

    communes = list(territoire.organisations.communes())
    activites = {}
    for a in territoire.activites.all():
        activites.setdefault(a.theme, []).append(a)

    def ajouter(par_groupe):
        lignes = []
        for n, groupe in enumerate(groupes.values()):
            livrable = livrable_gt3(groupe, cast["equipe_projet"])
            for i in range(par_groupe):
                lignes.append(
                    LigneMutualisable(
                        livrable=livrable,
                        activite=activites[groupe.theme][i % len(activites[groupe.theme])],
                        qualification=None if i % 7 == 0 else 1 + (i + n) % 4,
                        faisabilite=Faisabilite.values[(i * 5 + n) % 6],
                        modalite="service_commun",
                        toutes_communes=i % 3 == 0,
                    )
                )
        lignes = LigneMutualisable.objects.bulk_create(lignes)
        LigneMutualisable.communes.through.objects.bulk_create(
            LigneMutualisable.communes.through(lignemutualisable_id=l.pk, organisation_id=communes[j % 4].pk)
            for l in lignes
            if not l.toutes_communes
            for j in range(l.pk % 3 + 1)
        )

    client = connecte(cast["elu_copil"])
    ajouter(2)
    client.get(url(territoire))  # the payroll's frames and confidentiality cells are read once per set of batches
    with django_assert_max_num_queries(14) as peu:  # 13 + the audit of reading's row
        assert client.get(url(territoire)).status_code == 200
    ajouter(28)  # 9 groups × 30 lines
    with django_assert_max_num_queries(14) as beaucoup:
        response = client.get(url(territoire))
    assert response.status_code == 200
    assert len(peu.captured_queries) == len(beaucoup.captured_queries)
    assert len(response.context["placees"]) + len(response.context["non_placees"]) == 270
    assert all(dans_sa_cellule(response, b) for b in response.context["bulles"])


@pytest.mark.django_db
def test_refus_hors_du_territoire_anonyme_et_methode(client, connecte, cast, territoire, creer):
    creer("RH", "RH-PAIE", qualification=4, faisabilite="3")
    anonyme = client.get(url(territoire))
    assert anonyme.status_code == 302 and "/comptes/connexion/" in anonyme["Location"]
    assert connecte(cast["exterieur"]).get(url(territoire)).status_code == 404
    assert connecte(cast["exterieur"]).post(url(territoire)).status_code == 404
    assert connecte(cast["elu_copil"]).post(url(territoire)).status_code == 405


@pytest.mark.django_db
def test_liens_vers_la_matrice(connecte, cast, territoire, creer):
    creer("RH", "RH-PAIE", qualification=4, faisabilite="3")
    client = connecte(cast["membre_rh"])
    gt3 = client.get(reverse("livrables:gt3", kwargs={"code": territoire.code, "theme": "RH"})).content.decode()
    assert f'href="{url(territoire)}?theme=RH"' in gt3  # from the group's GT3 list, filtered on its theme
    assert f'href="{url(territoire)}"' in gt3  # and in the territory's navigation
    page = client.get(url(territoire)).content.decode()
    assert f'href="{url(territoire)}" aria-current="page">Matrice de priorité' in page


@pytest.mark.django_db
def test_matrice_vide(connecte, cast, territoire):
    response = connecte(cast["observateur"]).get(url(territoire))
    assert response.status_code == 200
    assert "Aucun groupe n'a encore inscrit d'activité" in response.content.decode()
