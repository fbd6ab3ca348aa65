"""GT1 « liste des activités par domaine »: a commune's page (one form for the theme's activities), the
consolidated view, the rights (a DGS fills her own commune only) and the lock."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX, MERIGNAC, PESSAC, TALENCE
from tests.concurrence import enregistrer

pytestmark = pytest.mark.django_db


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


def url_commune(territoire, commune, theme="RH"):
    return reverse("livrables:gt1_commune", kwargs={"code": territoire.code, "theme": theme, "commune": commune})


def url_gt1(territoire, theme="RH"):
    return reverse("livrables:gt1", kwargs={"code": territoire.code, "theme": theme})


def activites(territoire, theme="RH"):
    from referentiel.models import Activite

    return list(Activite.objects.filter(territoire=territoire, theme=theme).order_by("ordre", "code"))


def donnees(territoire, theme="RH", **par_code):
    """The POST of a commune's page: every activity left blank but those given as code={field: value}."""
    acts = activites(territoire, theme)
    data = {
        "activites-TOTAL_FORMS": str(len(acts)),
        "activites-INITIAL_FORMS": str(len(acts)),
        "activites-MIN_NUM_FORMS": "0",
        "activites-MAX_NUM_FORMS": "1000",
    }
    for i, a in enumerate(acts):
        for champ, valeur in par_code.get(a.code.replace("-", "_"), {}).items():
            data[f"activites-{i}-{champ}"] = valeur
    return data


def test_dgs_fills_her_commune_and_one_version_is_recorded(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de
    from validation.models import Trace

    client = connecte(cast["dgs_bordeaux"])
    page = client.get(url_commune(territoire, BORDEAUX))
    assert page.status_code == 200
    assert "Enregistrer la liste de Bordeaux" in page.content.decode()
    data = donnees(
        territoire,
        RH_PAIE={"exerce": "oui", "etp": "3,5", "sous_activites": [], "specificites": "Paie sous Civil Net RH"},
        RH_FORM={"exerce": "non"},
    )
    response = enregistrer(client, url_commune(territoire, BORDEAUX), data)
    assert response.status_code == 302
    livrable = livrable_de(groupe_rh, "GT1")
    lignes = {l.activite.code: l for l in livrable.inventaire.select_related("activite")}
    assert set(lignes) == {"RH-PAIE", "RH-FORM"}
    paie = lignes["RH-PAIE"]
    assert paie.exerce is True and paie.etp == Decimal("3.50") and paie.specificites == "Paie sous Civil Net RH"
    assert paie.version == 1 and paie.modifie_par == cast["dgs_bordeaux"]
    assert lignes["RH-FORM"].exerce is False
    assert livrable.version == 2  # creation, then one version for the whole form
    trace = Trace.objects.de(livrable).first()
    assert trace.commentaire == "Inventaire de Bordeaux : 2 activités modifiées"

    # Saving again with one change: only that row's version moves, one more version of the deliverable.
    data["activites-0-specificites"] = "Changé"
    assert enregistrer(client, url_commune(territoire, BORDEAUX), data).status_code == 302
    livrable.refresh_from_db()
    assert livrable.version == 3
    versions = {l.activite.code: l.version for l in livrable.inventaire.select_related("activite")}
    assert versions["RH-FORM"] == 1
    # Nothing changed: no new version.
    assert enregistrer(client, url_commune(territoire, BORDEAUX), data).status_code == 302
    livrable.refresh_from_db()
    assert livrable.version == 3


def test_french_validation_and_nothing_written(cast, territoire, groupe_rh, connecte):
    from livrables.models import LigneInventaire

    client = connecte(cast["dgs_bordeaux"])
    response = enregistrer(
        client,
        url_commune(territoire, BORDEAUX),
        donnees(
            territoire,
            RH_PAIE={"exerce": "oui", "etp": "-1"},
            RH_FORM={"exerce": "non", "etp": "2"},
            RH_RECR={"etp": "beaucoup"},
        ),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Le nombre d&#x27;ETP ne peut pas être négatif." in text
    assert "laissez l&#x27;ETP vide ou à 0" in text
    assert "Saisissez un nombre d&#x27;ETP" in text
    assert not LigneInventaire.objects.exists()


def test_dgs_cannot_change_another_commune(cast, territoire, groupe_rh, connecte):
    from livrables.models import LigneInventaire

    client = connecte(cast["dgs_merignac"])
    page = client.get(url_commune(territoire, BORDEAUX))
    assert page.status_code == 200  # read only: no form
    assert "Enregistrer la liste" not in page.content.decode()
    assert '<form method="post" novalidate>' not in page.content.decode()
    response = enregistrer(client, url_commune(territoire, BORDEAUX), donnees(territoire, RH_PAIE={"exerce": "oui"}))
    assert response.status_code == 403
    assert not LigneInventaire.objects.exists()
    # Her own commune is fine; the consolidated page offers her own commune only.
    assert (
        enregistrer(
            client, url_commune(territoire, MERIGNAC), donnees(territoire, RH_PAIE={"exerce": "oui"})
        ).status_code
        == 302
    )
    consolide = client.get(url_gt1(territoire)).content.decode()
    assert "Remplir la liste des activités de Mérignac" in consolide
    assert "Remplir la liste d&#x27;une commune" not in consolide


def test_delegate_of_the_commune_in_the_group_fills_it(cast, territoire, connecte):
    # membre_rh belongs to Talence and takes part in the RH group: a delegate of Talence.
    client = connecte(cast["membre_rh"])
    assert (
        enregistrer(
            client, url_commune(territoire, TALENCE), donnees(territoire, RH_PAIE={"exerce": "oui"})
        ).status_code
        == 302
    )
    oui = donnees(territoire, RH_PAIE={"exerce": "oui"})
    assert enregistrer(client, url_commune(territoire, PESSAC), oui).status_code == 403
    # Not for another group's inventory.
    assert enregistrer(client, url_commune(territoire, TALENCE, "FIN"), donnees(territoire, "FIN")).status_code == 403


def test_unknown_commune_is_404(cast, territoire, connecte):
    client = connecte(cast["equipe_projet"])
    assert client.get(url_commune(territoire, "99999")).status_code == 404
    assert client.get(url_commune(territoire, "243300316")).status_code == 404  # the EPCI is not a commune


def test_refused_when_locked(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de
    from livrables.circuit.actions import do_soumettre, do_viser
    from livrables.models import LigneInventaire

    livrable = livrable_de(groupe_rh, "GT1")
    do_soumettre(livrable, cast["dgs_bordeaux"])
    do_viser(livrable, cast["copilote_rh_commune"])
    do_viser(livrable, cast["copilote_rh_epci"])
    assert livrable.verrouille
    client = connecte(cast["dgs_bordeaux"])
    page = client.get(url_commune(territoire, BORDEAUX)).content.decode()
    assert "validé et verrouillé" in page and "Enregistrer la liste" not in page
    response = enregistrer(client, url_commune(territoire, BORDEAUX), donnees(territoire, RH_PAIE={"exerce": "oui"}))
    assert response.status_code == 409
    assert "il faut le rouvrir" in response.content.decode()
    assert not LigneInventaire.objects.exists()
    livrable.refresh_from_db()
    assert livrable.version == 1


def test_etp_prefilled_from_payroll(cast, territoire, groupe_rh, connecte, lot_courant):
    # Bordeaux's payroll: 3 agents on RH-PAIE, 1 ETP each.
    client = connecte(cast["dgs_bordeaux"])
    text = client.get(url_commune(territoire, BORDEAUX)).content.decode()
    assert "Masse salariale : 3,0 ETP" in text
    acts = activites(territoire)
    i = next(i for i, a in enumerate(acts) if a.code == "RH-PAIE")
    assert f'name="activites-{i}-etp" value="3' in text
    assert (
        enregistrer(
            client, url_commune(territoire, BORDEAUX), donnees(territoire, RH_PAIE={"exerce": "oui", "etp": "3"})
        ).status_code
        == 302
    )
    from livrables.models import LigneInventaire

    ligne = LigneInventaire.objects.get(activite__code="RH-PAIE")
    assert ligne.etp_paie == Decimal("3.00")
    # Another commune's DGS does not see Bordeaux's payroll figure.
    autre = connecte(cast["dgs_merignac"]).get(url_commune(territoire, BORDEAUX)).content.decode()
    assert "Masse salariale :" not in autre and "ETP d&#x27;après la masse salariale" not in autre


def test_consolidated_view_counts_and_totals(cast, territoire, groupe_rh, connecte):
    from livrables.actions import livrable_de
    from livrables.gt1.actions import do_enregistrer_inventaire

    livrable = livrable_de(groupe_rh, "GT1")
    communes = {o.code: o for o in territoire.organisations.communes()}
    paie = next(a for a in activites(territoire) if a.code == "RH-PAIE")
    vide = {"sous_activites": "", "specificites": ""}
    do_enregistrer_inventaire(
        livrable, communes[BORDEAUX], cast["dgs_bordeaux"], {paie.pk: {"exerce": True, "etp": Decimal("3"), **vide}}
    )
    do_enregistrer_inventaire(
        livrable, communes[MERIGNAC], cast["dgs_merignac"], {paie.pk: {"exerce": True, "etp": Decimal("1.5"), **vide}}
    )
    do_enregistrer_inventaire(
        livrable, communes[PESSAC], cast["equipe_projet"], {paie.pk: {"exerce": False, "etp": None, **vide}}
    )
    response = connecte(cast["observateur"]).get(url_gt1(territoire))
    assert response.status_code == 200
    text = response.content.decode()
    assert "3 communes sur 4" in text
    assert "oui · 3" in text and "oui · 1,5" in text
    assert "4,5" in text
    assert "Validation et historique" in text


def test_consolidated_view_of_28_communes_in_bounded_queries(db, client, django_assert_max_num_queries):
    from comptes.enums import Role
    from livrables.actions import livrable_de
    from livrables.gt1.actions import do_enregistrer_inventaire
    from tests.cast import creer_territoire, creer_utilisateur

    communes = [(f"33{i:03d}", f"Commune {i}", 1000 + i) for i in range(1, 29)]
    territoire = creer_territoire(communes=communes)
    user = creer_utilisateur(territoire, "equipe", Role.EQUIPE_PROJET)
    groupe = territoire.schemas.get().groupes.get(theme="RH")
    livrable = livrable_de(groupe, "GT1")
    acts = activites(territoire)
    for org in territoire.organisations.communes():
        do_enregistrer_inventaire(
            livrable,
            org,
            user,
            {a.pk: {"exerce": True, "etp": Decimal("1"), "sous_activites": "", "specificites": ""} for a in acts},
        )
    client.force_login(user)
    with django_assert_max_num_queries(15):
        response = client.get(url_gt1(territoire))
    assert response.status_code == 200
    text = response.content.decode()
    assert "28 communes sur 28" in text
    assert text.count("Commune 1") >= 1 and "Commune 28" in text


def test_demo_gt1(cast, territoire, lot_courant):
    from livrables.gt1.demo import charger
    from livrables.models import LigneInventaire

    livrables = charger(territoire, cast)
    assert len(livrables) == 9
    rh = livrables["RH"]
    rh.refresh_from_db()
    assert rh.verrouille  # both co-pilots of RH validated it
    livrables["FIN"].refresh_from_db()
    assert livrables["FIN"].etat == "brouillon"  # no co-pilots in the small territory's FIN group
    paie = LigneInventaire.objects.get(livrable=rh, commune__code="33063", activite__code="RH-PAIE")
    assert paie.exerce and paie.etp == paie.etp_paie == 3
    assert LigneInventaire.objects.filter(livrable=rh).values("commune").distinct().count() == 4


def test_activity_page_shows_every_commune_and_the_groups_thread(cast, territoire, groupe_rh, connecte):
    from echanges import actions as echanges
    from livrables.actions import livrable_de
    from livrables.gt1.actions import do_enregistrer_inventaire

    livrable = livrable_de(groupe_rh, "GT1")
    communes = {o.code: o for o in territoire.organisations.communes()}
    paie = next(a for a in activites(territoire) if a.code == "RH-PAIE")
    do_enregistrer_inventaire(
        livrable,
        communes[BORDEAUX],
        cast["dgs_bordeaux"],
        {paie.pk: {"exerce": True, "etp": Decimal("3"), "sous_activites": "", "specificites": "Logiciel Ciril"}},
    )
    url = reverse("livrables:gt1_activite", kwargs={"code": territoire.code, "theme": "RH", "activite": "RH-PAIE"})
    client = connecte(cast["dgs_merignac"])
    response = client.post(
        reverse("echanges:commenter", kwargs={"code": territoire.code, "type": "activite", "pk": paie.pk}),
        {"texte": "Mérignac externalise sa paie, à comparer.", "groupe": groupe_rh.pk, "suivant": url},
    )
    assert response.status_code == 302 and response["Location"] == url + "#echanges"
    text = client.get(url).content.decode()
    assert "Logiciel Ciril" in text and "sans réponse" in text
    assert "Mérignac externalise sa paie" in text
    # The same thread as the activity's discussion in the group, counted on the consolidated view.
    assert echanges.fil_de(paie, groupe_rh).count() == 1
    consolide = client.get(url_gt1(territoire)).content.decode()
    assert "(1 commentaire)" in consolide and url in consolide
    # Another group's theme does not show this activity.
    autre = reverse("livrables:gt1_activite", kwargs={"code": territoire.code, "theme": "FIN", "activite": "RH-PAIE"})
    assert client.get(autre).status_code == 404


def test_the_error_banner_names_each_wrong_activity_and_links_to_its_field(cast, territoire, groupe_rh, connecte):
    # Issue 11, point 9: not a generic « corrigez les champs signalés » over a page of 10+ activities.
    acts = {a.code: (i, a) for i, a in enumerate(activites(territoire))}
    client = connecte(cast["dgs_bordeaux"])
    response = enregistrer(
        client,
        url_commune(territoire, BORDEAUX),
        donnees(
            territoire,
            RH_PAIE={"exerce": "oui", "etp": "-1"},
            RH_FORM={"exerce": "non", "etp": "2"},
            RH_RECR={"exerce": "peut-être"},
        ),
    )
    assert response.status_code == 400
    text = unescape(response.content.decode())
    bandeau = text.split('id="erreurs-inventaire"')[1].split("</div>")[0]
    assert "La liste de Bordeaux n'a pas été enregistrée" in bandeau and "à corriger dans 3 activités" in bandeau

    def lien(code, champ, libelle):
        i, a = acts[code]
        return f'<a href="#id_activites-{i}-{champ}">{a.libelle} ({a.code}), {libelle}</a> : '

    assert lien("RH-PAIE", "etp", "ETP") + "Le nombre d'ETP ne peut pas être négatif." in bandeau
    assert lien("RH-FORM", "etp", "ETP") + "La commune n'exerce pas cette activité" in bandeau
    assert lien("RH-RECR", "exerce_0", "réponse oui ou non") + "Sélectionnez un choix valide" in bandeau
    # Each link leads to a field of the page, where the error is said again.
    for ancre in re.findall(r'href="#([^"]+)"', bandeau):
        assert f'id="{ancre}"' in text
    i, _ = acts["RH-RECR"]
    assert f'id="id_activites-{i}-exerce_error"' in text
