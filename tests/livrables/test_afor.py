"""GT2 AFOR grid through the test client: members add items tagged with their organisation, the group
rewords, merges and deletes them; every change is a new version of the deliverable; a locked
deliverable refuses; roles without the right are refused by direct POST; another territory is 404."""

import pytest
from django.urls import reverse

from livrables.enums import Quadrant, TypeLivrable
from livrables.gt2.actions import empreinte
from livrables.models import ElementAfor, Livrable
from validation.enums import Etat
from validation.models import Trace, Version

pytestmark = pytest.mark.django_db

ACT = "RH-PAIE"


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


@pytest.fixture
def paie(territoire):
    return territoire.activites.get(code=ACT)


def url(territoire, name, activite=ACT, theme="RH", **kw):
    kwargs = {"code": territoire.code, "theme": theme, **kw}
    if name != "livrables:afor":
        kwargs["activite"] = activite
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def ajouter(cast, groupe_rh, paie):
    """ajouter(role, quadrant, texte) -> an item added through the action, for the role's organisation."""
    from livrables.gt2.actions import do_ajouter_element, livrable_afor

    def _ajouter(role, quadrant, texte, activite=None):
        user = cast[role]
        return do_ajouter_element(livrable_afor(groupe_rh), user, activite or paie, quadrant, texte, user.organisation)

    return _ajouter


def livrable(groupe):
    return Livrable.objects.get(groupe=groupe, type=TypeLivrable.AFOR)


def test_members_add_items_tagged_with_their_organisation_and_others_are_refused(connecte, cast, territoire, groupe_rh):
    c = connecte(cast["membre_rh"])
    r = c.post(
        url(territoire, "livrables:afor_ajouter"), {"quadrant": "faiblesse", "texte": "Logiciels de paie différents"}
    )
    assert r.status_code == 302 and r.url.endswith("#quadrant-faiblesse")
    element = ElementAfor.objects.get()
    assert (element.organisation.nom, element.auteur, element.modifie_par, element.version) == (
        "Talence",
        cast["membre_rh"],
        cast["membre_rh"],
        1,
    )
    lv = livrable(groupe_rh)
    assert lv.version == 2  # created (1), then the item (2)
    assert "ajout d'un élément" in Trace.objects.de(lv).order_by("-id").first().commentaire

    c = connecte(cast["dgs_metropole"])  # a DGS outside the group may contribute (EPCI badge)
    assert (
        c.post(
            url(territoire, "livrables:afor_ajouter"),
            {"quadrant": "opportunite", "texte": "Renouvellement du marché SIRH en 2027"},
        ).status_code
        == 302
    )
    page = c.get(url(territoire, "livrables:afor_activite")).content.decode()
    assert "Logiciels de paie différents" in page and "Talence" in page and "</span>EPCI</span>" in page
    for titre in ("Avantages", "Faiblesses", "Opportunités", "Risques"):
        assert f'>{titre} <span class="aide">' in page

    for role in ("observateur", "elu_copil"):  # direct POSTs refused, nothing written
        c = connecte(cast[role])
        r = c.post(url(territoire, "livrables:afor_ajouter"), {"quadrant": "risque", "texte": "Intrus"})
        assert r.status_code == 403
        page = c.get(url(territoire, "livrables:afor_activite")).content.decode()
        assert "Ajouter aux" not in page
    assert ElementAfor.objects.count() == 2 and livrable(groupe_rh).version == 3

    c = connecte(cast["exterieur"])
    assert c.post(url(territoire, "livrables:afor_ajouter"), {"quadrant": "risque", "texte": "X"}).status_code == 404
    assert c.get(url(territoire, "livrables:afor")).status_code == 404


def test_empty_text_is_refused_with_a_message(connecte, cast, territoire):
    c = connecte(cast["membre_rh"])
    r = c.post(url(territoire, "livrables:afor_ajouter"), {"quadrant": "avantage", "texte": "  "})
    assert r.status_code == 400 and "Écrivez le texte de l&#x27;élément." in r.content.decode()
    r = c.post(url(territoire, "livrables:afor_ajouter"), {"quadrant": "autre", "texte": "Texte"})
    assert r.status_code == 400 and not ElementAfor.objects.exists()


def test_unknown_activity_or_activity_of_another_theme_is_404(connecte, cast, territoire):
    c = connecte(cast["equipe_projet"])
    assert c.get(url(territoire, "livrables:afor_activite", activite="FIN-BUDG")).status_code == 404
    assert c.get(url(territoire, "livrables:afor_activite", activite="NOPE")).status_code == 404
    assert c.get(url(territoire, "livrables:afor_activite")).status_code == 200


def test_group_rewords_an_item_and_a_member_cannot(connecte, cast, territoire, groupe_rh, ajouter):
    e = ajouter("dgs_bordeaux", Quadrant.FAIBLESSE, "Logiciels paie differents")
    c = connecte(cast["membre_rh"])
    r = c.post(url(territoire, "livrables:afor_reformuler", pk=e.pk), {"texte": "Autre"})
    assert r.status_code == 403
    e.refresh_from_db()
    assert e.texte == "Logiciels paie differents" and e.version == 1

    avant = livrable(groupe_rh).version
    c = connecte(cast["copilote_rh_epci"])
    r = c.post(
        url(territoire, "livrables:afor_reformuler", pk=e.pk),
        {"texte": "Logiciels de paie différents", "empreinte": empreinte(e)},
    )
    assert r.status_code == 302
    e.refresh_from_db()
    assert (e.texte, e.version, e.modifie_par, e.organisation.nom) == (
        "Logiciels de paie différents",
        2,
        cast["copilote_rh_epci"],
        "Bordeaux",
    )
    lv = livrable(groupe_rh)
    assert lv.version == avant + 1
    assert "élément reformulé" in Trace.objects.de(lv).order_by("-id").first().commentaire
    assert Version.objects.de(lv).get(numero=lv.version).contenu["lignes"][0]["texte"] == "Logiciels de paie différents"
    # The same text again: nothing written.
    e.refresh_from_db()
    r = c.post(
        url(territoire, "livrables:afor_reformuler", pk=e.pk),
        {"texte": "Logiciels de paie différents", "empreinte": empreinte(e)},
    )
    assert r.status_code == 302
    assert livrable(groupe_rh).version == lv.version


def test_group_merges_items_of_one_quadrant_nothing_is_lost(connecte, cast, territoire, groupe_rh, ajouter):
    a = ajouter("copilote_rh_commune", Quadrant.AVANTAGE, "Expertise partagée sur la paie")
    b = ajouter("dgs_merignac", Quadrant.AVANTAGE, "Expertise des gestionnaires de paie")
    d = ajouter("dgs_bordeaux", Quadrant.AVANTAGE, "Réglementation bien maîtrisée")
    x = ajouter("dgs_bordeaux", Quadrant.RISQUE, "Inquiétude des agents sur leur lieu de travail")

    c = connecte(cast["membre_rh"])
    assert c.get(url(territoire, "livrables:afor_fusionner")).status_code == 403
    assert (
        c.post(url(territoire, "livrables:afor_fusionner"), {"elements": [a.pk, b.pk], "choix": str(a.pk)}).status_code
        == 403
    )
    assert not ElementAfor.objects.filter(fusionne_dans__isnull=False).exists()

    c = connecte(cast["consultant"])
    page = c.get(url(territoire, "livrables:afor_fusionner"), {"elements": [a.pk, b.pk, d.pk]}).content.decode()
    assert "Conserver « Expertise des gestionnaires de paie »" in page and "Texte modifié" in page
    # Items of two quadrants: refused, nothing written.
    r = c.post(url(territoire, "livrables:afor_fusionner"), {"elements": [a.pk, x.pk], "choix": str(a.pk)})
    assert r.status_code == 409 and "même activité et du même quadrant" in r.content.decode()
    assert not ElementAfor.objects.filter(fusionne_dans__isnull=False).exists()
    # Edited text without the text: the form says so.
    r = c.post(url(territoire, "livrables:afor_fusionner"), {"elements": [a.pk, b.pk], "choix": "autre", "texte": ""})
    assert r.status_code == 400

    avant = livrable(groupe_rh).version
    r = c.post(
        url(territoire, "livrables:afor_fusionner"),
        {"elements": [a.pk, b.pk], "choix": "autre", "texte": "Expertise partagée sur la paie et la réglementation"},
    )
    assert r.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert a.texte == "Expertise partagée sur la paie et la réglementation" and a.version == 2
    assert b.fusionne_dans == a and b.version == 2 and b.modifie_par == cast["consultant"]
    assert livrable(groupe_rh).version == avant + 1

    # Merging again with a third item, keeping the third's text: the items merged earlier follow.
    r = c.post(url(territoire, "livrables:afor_fusionner"), {"elements": [a.pk, d.pk], "choix": str(d.pk)})
    assert r.status_code == 302
    a.refresh_from_db(), b.refresh_from_db()
    assert a.fusionne_dans_id == d.pk and b.fusionne_dans_id == d.pk

    page = c.get(url(territoire, "livrables:afor_activite")).content.decode()
    grille, fusionnes = page.split("Éléments fusionnés (2)")
    assert "Réglementation bien maîtrisée" in grille
    assert "Expertise des gestionnaires de paie" in fusionnes and "Mérignac" in fusionnes and "Pessac" in fusionnes
    assert "fusionné dans « Réglementation bien maîtrisée »" in fusionnes
    assert f'id="element-{b.pk}"' not in page  # hidden from the grid
    theme = c.get(url(territoire, "livrables:afor")).content.decode()
    assert "Expertise des gestionnaires de paie" not in theme and "Mérignac" in theme  # its badge, not its text


def test_group_deletes_an_item_and_a_member_cannot(connecte, cast, territoire, groupe_rh, ajouter):
    e = ajouter("dgs_bordeaux", Quadrant.RISQUE, "Doublon")
    assert connecte(cast["dgs_bordeaux"]).post(url(territoire, "livrables:afor_supprimer", pk=e.pk)).status_code == 403
    assert ElementAfor.objects.filter(pk=e.pk).exists()
    c = connecte(cast["copilote_rh_commune"])
    assert c.get(url(territoire, "livrables:afor_supprimer", pk=e.pk)).status_code == 405
    avant = livrable(groupe_rh).version
    assert c.post(url(territoire, "livrables:afor_supprimer", pk=e.pk)).status_code == 302
    assert not ElementAfor.objects.exists()
    lv = livrable(groupe_rh)
    assert (
        lv.version == avant + 1
        and "suppression de l'élément" in Trace.objects.de(lv).order_by("-id").first().commentaire
    )
    assert c.post(url(territoire, "livrables:afor_supprimer", pk=e.pk)).status_code == 404


def test_a_locked_deliverable_refuses_every_change(connecte, cast, territoire, groupe_rh, ajouter):
    a = ajouter("dgs_bordeaux", Quadrant.AVANTAGE, "Un")
    b = ajouter("dgs_merignac", Quadrant.AVANTAGE, "Deux")
    Livrable.objects.filter(pk=a.livrable_id).update(etat=Etat.VALIDE)
    version = livrable(groupe_rh).version
    c = connecte(cast["equipe_projet"])
    page = c.get(url(territoire, "livrables:afor_activite")).content.decode()
    assert "la grille ne peut plus être modifiée" in page and "Ajouter aux" not in page
    r = c.post(url(territoire, "livrables:afor_ajouter"), {"quadrant": "risque", "texte": "Trop tard"})
    assert r.status_code == 409 and "il faut le rouvrir" in r.content.decode()
    assert c.post(url(territoire, "livrables:afor_reformuler", pk=a.pk), {"texte": "Autre"}).status_code == 409
    assert (
        c.post(url(territoire, "livrables:afor_fusionner"), {"elements": [a.pk, b.pk], "choix": str(a.pk)}).status_code
        == 409
    )
    assert c.post(url(territoire, "livrables:afor_supprimer", pk=a.pk)).status_code == 409
    a.refresh_from_db(), b.refresh_from_db()
    assert ElementAfor.objects.count() == 2 and a.texte == "Un" and b.fusionne_dans is None
    assert livrable(groupe_rh).version == version


def test_consolidated_view_of_the_theme_in_bounded_queries(
    connecte, cast, territoire, groupe_rh, django_assert_max_num_queries
):
    from livrables.gt2.actions import livrable_afor

    lv = livrable_afor(groupe_rh)
    activites = list(territoire.activites.filter(theme="RH"))
    orgs = list(territoire.organisations.all())
    quadrants = list(Quadrant.values)
    ElementAfor.objects.bulk_create(
        [
            ElementAfor(
                livrable=lv,
                activite=activites[i % len(activites)],
                quadrant=quadrants[i % 4],
                texte=f"Élément numéro {i}",
                organisation=orgs[i % len(orgs)],
                auteur=cast["membre_rh"],
            )
            for i in range(200)
        ]
    )
    cible = ElementAfor.objects.filter(livrable=lv).first()
    ElementAfor.objects.filter(livrable=lv, activite=cible.activite, quadrant=cible.quadrant).exclude(
        pk=cible.pk
    ).update(fusionne_dans=cible)
    c = connecte(cast["observateur"])
    with django_assert_max_num_queries(12):
        r = c.get(url(territoire, "livrables:afor"))
    assert r.status_code == 200
    page = r.content.decode()
    assert "Élément numéro 199" in page and "Paie et gestion administrative des carrières" in page
    with django_assert_max_num_queries(12):
        assert c.get(url(territoire, "livrables:afor_activite", activite=cible.activite.code)).status_code == 200


def test_demo_loads_grids_in_progress_for_several_themes(cast, territoire):
    from livrables.gt2.demo import charger

    livrables_ = charger(territoire, cast)
    assert {"RH", "FIN", "SI", "CPAJ"} <= set(livrables_)
    rh = ElementAfor.objects.filter(livrable=livrables_["RH"])
    assert rh.filter(texte="Expertise partagée sur la paie et la réglementation", fusionne_dans__isnull=True).exists()
    assert rh.filter(fusionne_dans__isnull=False).count() == 1
    assert rh.filter(texte="Renouvellement du marché SIRH en 2027").exists()
    assert len(set(rh.values_list("organisation__nom", flat=True))) >= 4
    assert {q for q in rh.values_list("quadrant", flat=True)} == set(Quadrant.values)
