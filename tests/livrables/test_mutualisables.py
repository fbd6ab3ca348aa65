"""GT3 « liste des activités mutualisables » through the test client: lines, scores, consensus, payroll at
stake with statistical secrecy, candidates download, versions, refusals (role, lock, stale edit, other
territory), a bounded number of queries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cast import BORDEAUX, MERIGNAC, PESSAC, TALENCE

pytestmark = pytest.mark.django_db


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


@pytest.fixture
def groupe_fin(territoire):
    return territoire.schemas.get().groupes.get(theme="FIN")


def url(territoire, nom, theme="RH", **kwargs):
    return reverse(f"livrables:{nom}", kwargs={"code": territoire.code, "theme": theme, **kwargs})


@pytest.fixture
def creer(cast, territoire):
    """creer(groupe, code, **valeurs) -> a GT3 line written by the project team."""
    from livrables.gt3.actions import do_creer_ligne

    def _creer(groupe, code, **valeurs):
        activite = territoire.activites.get(code=code)
        communes = [territoire.organisations.get(code=c) for c in valeurs.pop("communes", [])]
        return do_creer_ligne(groupe, cast["equipe_projet"], {"activite": activite, "communes": communes, **valeurs})

    return _creer


def post_ligne(territoire, **autres):
    data = {
        "activite": territoire.activites.get(code="RH-PAIE").pk,
        "sous_activites": "Paie",
        "pourquoi": "Procédures identiques",
        "qualification": "4",
        "faisabilite": "3",
        "modalite": "service_commun",
        "toutes_communes": "on",
        "preconisation": "Service commun",
    }
    data.update(autres)
    return {k: v for k, v in data.items() if v is not None}


def test_ajouter_une_ligne_par_un_copilote_et_refus_pour_un_membre(connecte, cast, territoire, groupe_rh):
    from livrables.models import LigneMutualisable, Livrable

    refus = connecte(cast["membre_rh"]).post(url(territoire, "gt3_ajouter"), post_ligne(territoire))
    assert refus.status_code == 403
    assert not LigneMutualisable.objects.exists()
    assert connecte(cast["membre_rh"]).get(url(territoire, "gt3_ajouter")).status_code == 403

    client = connecte(cast["copilote_rh_commune"])
    assert client.get(url(territoire, "gt3_ajouter")).status_code == 200
    response = client.post(url(territoire, "gt3_ajouter"), post_ligne(territoire))
    assert response.status_code == 302
    ligne = LigneMutualisable.objects.get()
    assert (ligne.version, ligne.modifie_par, ligne.toutes_communes, ligne.qualification, ligne.faisabilite) == (
        1,
        cast["copilote_rh_commune"],
        True,
        4,
        "3",
    )
    livrable = Livrable.objects.get(groupe=groupe_rh, type="GT3")
    assert livrable.version == 2  # created (1), then the line (2)
    assert livrable.contenu()["lignes"][0]["activite_id"] == ligne.activite_id


def test_formulaire_refuse_une_modalite_sans_communes(connecte, cast, territoire):
    from livrables.models import LigneMutualisable

    client = connecte(cast["consultant"])
    response = client.post(url(territoire, "gt3_ajouter"), post_ligne(territoire, toutes_communes=None))
    assert response.status_code == 400
    assert "Choisissez les communes concernées" in response.content.decode()
    response = client.post(url(territoire, "gt3_ajouter"), post_ligne(territoire, qualification="5"))
    assert response.status_code == 400
    # an activity of another theme is not offered in the RH group
    fin = territoire.activites.get(code="FIN-BUDG").pk
    assert client.post(url(territoire, "gt3_ajouter"), post_ligne(territoire, activite=fin)).status_code == 400
    assert not LigneMutualisable.objects.exists()


def test_modifier_une_ligne_versionne_et_refuse_une_version_perimee(connecte, cast, territoire, groupe_rh, creer):
    from validation.models import Trace

    ligne = creer(groupe_rh, "RH-PAIE", modalite="service_commun", toutes_communes=True)
    livrable = ligne.livrable
    avant = livrable.version
    client = connecte(cast["copilote_rh_epci"])
    assert client.get(url(territoire, "gt3_modifier", pk=ligne.pk)).status_code == 200
    data = post_ligne(
        territoire,
        toutes_communes=None,
        communes=[territoire.organisations.get(code=BORDEAUX).pk, territoire.organisations.get(code=MERIGNAC).pk],
        version=str(ligne.version),
    )
    assert client.post(url(territoire, "gt3_modifier", pk=ligne.pk), data).status_code == 302
    ligne.refresh_from_db()
    livrable.refresh_from_db()
    assert ligne.version == 2 and ligne.modifie_par == cast["copilote_rh_epci"]
    assert not ligne.toutes_communes
    assert sorted(ligne.communes.values_list("code", flat=True)) == [BORDEAUX, MERIGNAC]
    assert livrable.version == avant + 1
    assert "communes concernées" in Trace.objects.de(livrable).latest("id").commentaire

    # the same form again (version 1 read): someone changed the line meanwhile
    perime = client.post(url(territoire, "gt3_modifier", pk=ligne.pk), dict(data, pourquoi="Autre", version="1"))
    assert perime.status_code == 409
    assert "modifiée entre-temps" in perime.content.decode()
    ligne.refresh_from_db()
    assert ligne.pourquoi == "Procédures identiques" and ligne.version == 2

    # a member of the group may read, not change
    membre = connecte(cast["membre_rh"])
    assert membre.post(url(territoire, "gt3_modifier", pk=ligne.pk), dict(data, version="2")).status_code == 403


def test_notation_individuelle_et_consensus(connecte, cast, territoire, groupe_rh, creer):
    from livrables.models import Notation

    ligne = creer(groupe_rh, "RH-PAIE", modalite="service_commun", toutes_communes=True)
    v0 = ligne.livrable.version
    for role, note in (
        ("copilote_rh_commune", ("4", "3")),
        ("copilote_rh_epci", ("3", "4+")),
        ("consultant", ("4", "4")),
    ):
        reponse = connecte(cast[role]).post(
            url(territoire, "gt3_noter", pk=ligne.pk), {"qualification": note[0], "faisabilite": note[1]}
        )
        assert reponse.status_code == 302, role
    # the same person scores again: her score is replaced, not added
    connecte(cast["consultant"]).post(
        url(territoire, "gt3_noter", pk=ligne.pk), {"qualification": "3", "faisabilite": "4"}
    )
    notes = {n.utilisateur.username: (n.role, n.qualification, n.faisabilite) for n in Notation.objects.all()}
    assert notes == {
        "copilote-rh-commune": ("copilote_commune", 4, "3"),
        "copilote-rh-epci": ("copilote_epci", 3, "4+"),
        "consultant": ("consultant", 3, "4"),
    }
    ligne.refresh_from_db()
    assert ligne.version == 5 and ligne.livrable.version == v0 + 4

    # refusals: the project team, a DGS, a member do not score; a GET is not a score; an empty score is refused
    for role in ("equipe_projet", "dgs_bordeaux", "membre_rh", "elu_copil"):
        assert (
            connecte(cast[role]).post(url(territoire, "gt3_noter", pk=ligne.pk), {"qualification": "1"}).status_code
            == 403
        ), role
    assert connecte(cast["consultant"]).get(url(territoire, "gt3_noter", pk=ligne.pk)).status_code == 405
    assert connecte(cast["consultant"]).post(url(territoire, "gt3_noter", pk=ligne.pk), {}).status_code == 400
    assert Notation.objects.count() == 3

    # the consensus, by the consultant; a member is refused
    assert (
        connecte(cast["membre_rh"])
        .post(url(territoire, "gt3_consensus", pk=ligne.pk), {"qualification": "4", "faisabilite": "4"})
        .status_code
        == 403
    )
    client = connecte(cast["consultant"])
    reponse = client.post(
        url(territoire, "gt3_consensus", pk=ligne.pk),
        {"qualification": "4", "faisabilite": "4", "version": str(ligne.version)},
    )
    assert reponse.status_code == 302
    ligne.refresh_from_db()
    assert (ligne.qualification, ligne.faisabilite) == (4, "4")

    page = client.get(url(territoire, "gt3_ligne", pk=ligne.pk)).content.decode()
    assert "Consensus du groupe" in page and "co-pilote EPCI" in page and "4+" in page
    assert "Grille de notation" in page and "Intérêt majeur" in page and "Immédiatement faisable" in page
    liste = client.get(url(territoire, "gt3")).content.decode()
    assert "Notes individuelles" in liste


def test_livrable_verrouille_refuse_toute_modification(connecte, cast, territoire, groupe_rh, creer):
    from livrables.models import LigneMutualisable, Livrable, Notation
    from validation.enums import Etat

    ligne = creer(groupe_rh, "RH-PAIE", modalite="service_commun", toutes_communes=True)
    Livrable.objects.filter(pk=ligne.livrable_id).update(etat=Etat.VALIDE)
    version = Livrable.objects.get().version

    copilote = connecte(cast["copilote_rh_commune"])
    assert copilote.post(url(territoire, "gt3_noter", pk=ligne.pk), {"qualification": "2"}).status_code == 409
    assert (
        copilote.post(
            url(territoire, "gt3_consensus", pk=ligne.pk), {"qualification": "2", "faisabilite": "1"}
        ).status_code
        == 409
    )
    assert (
        copilote.post(
            url(territoire, "gt3_modifier", pk=ligne.pk),
            post_ligne(territoire, pourquoi="Changé", version=str(ligne.version)),
        ).status_code
        == 409
    )
    refus = copilote.post(url(territoire, "gt3_ajouter"), post_ligne(territoire))
    assert refus.status_code == 409 and "il faut le rouvrir" in refus.content.decode()
    assert copilote.post(url(territoire, "gt3_supprimer", pk=ligne.pk)).status_code == 409
    assert LigneMutualisable.objects.count() == 1 and not Notation.objects.exists()
    ligne.refresh_from_db()
    assert ligne.pourquoi == "" and ligne.version == 1 and Livrable.objects.get().version == version
    assert "il faut le rouvrir" in copilote.get(url(territoire, "gt3")).content.decode()


def test_supprimer_une_ligne(connecte, cast, territoire, groupe_rh, creer):
    from livrables.models import LigneMutualisable

    ligne = creer(groupe_rh, "RH-PAIE")
    assert connecte(cast["dgs_bordeaux"]).post(url(territoire, "gt3_supprimer", pk=ligne.pk)).status_code == 403
    client = connecte(cast["copilote_rh_epci"])
    assert client.get(url(territoire, "gt3_supprimer", pk=ligne.pk)).status_code == 200
    assert client.post(url(territoire, "gt3_supprimer", pk=ligne.pk)).status_code == 302
    assert not LigneMutualisable.objects.exists()


def test_autre_territoire_et_autre_groupe(connecte, cast, territoire, groupe_rh, groupe_fin, creer):
    ligne = creer(groupe_rh, "RH-PAIE")
    exterieur = connecte(cast["exterieur"])
    for nom, kwargs in (("gt3", {}), ("gt3_ligne", {"pk": ligne.pk}), ("gt3_candidats", {})):
        assert exterieur.get(url(territoire, nom, **kwargs)).status_code == 404
    assert exterieur.post(url(territoire, "gt3_noter", pk=ligne.pk), {"qualification": "1"}).status_code == 404
    # a RH line under the FIN group's address does not exist
    copilote = connecte(cast["copilote_rh_commune"])
    assert copilote.get(url(territoire, "gt3_ligne", theme="FIN", pk=ligne.pk)).status_code == 404
    assert (
        copilote.post(url(territoire, "gt3_noter", theme="FIN", pk=ligne.pk), {"qualification": "1"}).status_code == 404
    )
    assert connecte(cast["copilote_rh_commune"]).get(url(territoire, "gt3", theme="XX")).status_code == 404


def test_masse_salariale_en_jeu_avec_secret_statistique(
    connecte, cast, territoire, groupe_rh, groupe_fin, creer, lot_courant
):
    from commun.templatetags.fr import euros
    from comptes.perms import Acces
    from livrables.gt3.enjeux import enjeux

    membre = enjeux(territoire, Acces(cast["membre_rh"], territoire))
    equipe = enjeux(territoire, Acces(cast["equipe_projet"], territoire))
    toutes = [BORDEAUX, MERIGNAC, PESSAC, TALENCE]
    # RH-PAIE in every commune: what an action would move is Bordeaux's 3 own agents (Mérignac's agent
    # there is made available to the EPCI, not a base): an activity's payroll is employer detail
    paie = membre.masse("RH", "RH-PAIE", toutes)
    assert paie["secret"] and paie["nb_communes"] == 1 and paie["etp"] == 3
    assert equipe.masse("RH", "RH-PAIE", toutes)["montant"].affiche == 126000
    assert equipe.masse("RH", "RH-PAIE", toutes)["montant"].confidentiel  # 3 agents: not diffusible
    # RH-FORM: only Mérignac's one agent: hidden from a member, shown to Mérignac's DGS (her own payroll)
    assert membre.masse("RH", "RH-FORM", toutes)["secret"]
    merignac = enjeux(territoire, Acces(cast["dgs_merignac"], territoire))
    assert merignac.masse("RH", "RH-FORM", toutes)["montant"].affiche == 38000
    # FIN-BUDG in Bordeaux alone: Bordeaux's DGS and the team only
    assert membre.masse("FIN", "FIN-BUDG", [BORDEAUX])["secret"]
    bordeaux = enjeux(territoire, Acces(cast["dgs_bordeaux"], territoire))
    assert bordeaux.masse("FIN", "FIN-BUDG", [BORDEAUX])["montant"].affiche == 200000
    assert not bordeaux.masse("FIN", "FIN-BUDG", [BORDEAUX])["montant"].confidentiel  # five agents
    assert equipe.masse("FIN", "FIN-BUDG", [BORDEAUX, PESSAC])["etp"] == 5
    # no payroll for the activity in those communes
    assert membre.masse("RH", "RH-PAIE", [PESSAC])["vide"]

    creer(groupe_rh, "RH-PAIE", modalite="service_commun", toutes_communes=True)
    creer(groupe_rh, "RH-FORM", modalite="groupement_commandes", communes=[MERIGNAC, BORDEAUX])
    page = connecte(cast["membre_rh"]).get(url(territoire, "gt3")).content.decode()
    assert "non diffusé" in page
    assert euros(126000) not in page  # RH-PAIE in every commune: hidden (see above)
    creer(groupe_fin, "FIN-BUDG", modalite="prestation", communes=[BORDEAUX])
    fin_bordeaux = connecte(cast["dgs_bordeaux"]).get(url(territoire, "gt3", theme="FIN")).content.decode()
    assert euros(200000) in fin_bordeaux and "non diffusé" not in fin_bordeaux
    fin_membre = connecte(cast["membre_rh"]).get(url(territoire, "gt3", theme="FIN")).content.decode()
    assert euros(200000) not in fin_membre and "non diffusé" in fin_membre


def test_telecharger_les_candidats(connecte, cast, territoire, groupe_rh, creer):
    paie = creer(
        groupe_rh, "RH-PAIE", modalite="service_commun", toutes_communes=True, faisabilite="4+", qualification=4
    )
    form = creer(groupe_rh, "RH-FORM", modalite="groupement_commandes", communes=[MERIGNAC, BORDEAUX], faisabilite="2")
    creer(groupe_rh, "RH-FORM", modalite="entente", communes=[PESSAC])  # no consensus feasibility
    creer(groupe_rh, "RH-PAIE", faisabilite="3", toutes_communes=True)  # no modalité
    response = connecte(cast["elu_copil"]).get(url(territoire, "gt3_candidats"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"] and ".json" in response["Content-Disposition"]
    contenu = json.loads(response.content)
    assert contenu["nom"].startswith("GT3 Ressources humaines")
    assert contenu["actions"] == [
        {
            "id": f"GT3-{paie.pk}",
            "theme": "RH",
            "activite": "RH-PAIE",
            "communes": "toutes",
            "modalite": "service_commun",
            "faisabilite": "4+",
        },
        {
            "id": f"GT3-{form.pk}",
            "theme": "RH",
            "activite": "RH-FORM",
            "communes": [BORDEAUX, MERIGNAC],
            "modalite": "groupement_commandes",
            "faisabilite": 2,
        },
    ]
    page = connecte(cast["elu_copil"]).get(url(territoire, "gt3")).content.decode()
    assert "Télécharger les candidats" in page and "pas de faisabilité retenue par le groupe" in page


def test_liste_vide_et_livrable_non_commence(connecte, cast, territoire):
    from livrables.models import Livrable

    page = connecte(cast["observateur"]).get(url(territoire, "gt3"))
    assert page.status_code == 200
    assert "pas encore commencé" in page.content.decode()
    assert not Livrable.objects.exists()  # reading never creates the deliverable


def test_la_liste_lit_un_nombre_borne_de_requetes(connecte, cast, territoire, groupe_rh, creer, lot_courant):
    from livrables.gt3.actions import do_noter

    def compter():
        client = connecte(cast["copilote_rh_commune"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(territoire, "gt3")).status_code == 200
        return len(ctx.captured_queries)

    def ajouter(n):
        codes = ["RH-PAIE", "RH-FORM"]
        for i in range(n):
            ligne = creer(
                groupe_rh,
                codes[i % 2],
                modalite="service_commun",
                faisabilite="3",
                communes=[BORDEAUX, MERIGNAC] if i % 3 else [],
                toutes_communes=not i % 3,
            )
            do_noter(ligne, cast["copilote_rh_commune"], "copilote_commune", 3, "2")
            do_noter(ligne, cast["consultant"], "consultant", 2, "4+")

    ajouter(3)
    compter()  # the payroll's confidentiality cells are read once per set of batches
    peu = compter()
    ajouter(27)
    beaucoup = compter()
    assert beaucoup == peu, (peu, beaucoup)
    assert beaucoup <= 25


def test_demo_gt3(cast, territoire):
    from livrables.gt3 import demo as demo_gt3
    from livrables.models import LigneMutualisable, Notation

    users = {"equipe-projet": cast["equipe_projet"], "consultant": cast["consultant"]}
    demo_gt3.charger(territoire, users)
    lignes = LigneMutualisable.objects.select_related("livrable__groupe", "activite")
    assert {(l.livrable.groupe.theme, l.activite.code) for l in lignes} >= {("RH", "RH-PAIE"), ("FIN", "FIN-COMP")}
    paie = lignes.get(activite__code="RH-PAIE")
    assert (
        paie.toutes_communes
        and paie.modalite == "service_commun"
        and (paie.qualification, paie.faisabilite) == (4, "3")
    )
    assert Notation.objects.filter(ligne=paie).count() == 3
    assert Notation.objects.filter(ligne__livrable__groupe__theme="FIN").exists()
