"""The follow-up of the approved schéma (issue 14): items from the approved version and across a revision,
their updates and refusals, planned versus actual on the fixture's hand-computed payrolls, the weighted
progress, what the project team records for the year."""

import datetime as dt

import pytest
from django.urls import reverse

from commun.erreurs import ActionRefusee
from suivi import actions, elements, mesures
from suivi.enums import StatutElement
from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC

pytestmark = pytest.mark.django_db
D = dt.date


def lire(version, acces, annee=None):
    schema = version.schema
    return mesures.lire(schema, version, elements.synchroniser(schema, version), acces, annee)


def equipe_acces(cast, territoire):
    from comptes.perms import acces_pour

    return acces_pour(cast["equipe_projet"], territoire)


def par_id(s):
    return {l.element.identifiant: l for l in s.elements}


def modifier(element, user, jalons=None, **valeurs):
    defaut = {"statut": element.statut, "motif": "", "annee_reportee": None, "progression": None, "responsable": None}
    return actions.do_modifier_element(element, {**defaut, **valeurs, "aujourdhui": D(2026, 12, 7)}, jalons or {}, user)


def test_every_action_of_the_approved_version_becomes_an_item_to_launch(approuvee):
    items = elements.synchroniser(approuvee.schema, approuvee)
    assert [e.identifiant for e in items] == ["A1", "A3", "A4", "A2"]  # by planned year, then identifier
    assert {e.statut for e in items} == {StatutElement.A_LANCER}
    a1 = items[0]
    assert a1.modalite == "service_commun" and a1.annee_prevue == 2026
    assert sorted(c.code for c in a1.communes.all()) == sorted([BORDEAUX, MERIGNAC, PESSAC])
    assert elements.synchroniser(approuvee.schema, approuvee) == items  # idempotent


def test_a_revision_keeps_the_history_abandons_what_it_drops_and_adds_what_it_brings(approuvee, cast, territoire):
    from parcours.actions import do_approuver, do_figer_version
    from scenarios import calcul
    from scenarios.actions import do_ajouter_actions, do_supprimer_action

    equipe = cast["equipe_projet"]
    schema = approuvee.schema
    a1 = {e.identifiant: e for e in elements.synchroniser(schema, approuvee)}["A1"]
    modifier(a1, equipe, {"convention": D(2026, 9, 1)}, statut=StatutElement.EN_COURS, progression=40)
    travail = approuvee.origine
    do_supprimer_action(travail.actions.get(identifiant="A2"), equipe)
    valeurs = {"theme": "SI", "activite": "SI-INFR", "modalite": "service_commun", "part": 1, "gain": 0, "annee": 2028}
    do_ajouter_actions(
        calcul.contexte(territoire), travail, equipe, [(valeurs, [territoire.organisations.get(code=PESSAC)], None)]
    )
    revision = do_figer_version(schema, travail, "comite", equipe)
    deliberation = {
        "date": D(2026, 11, 20),
        "numero": "2026-220",
        "objet": "Révision",
        "effectif": 100,
        "presents": 80,
        "pour": 70,
        "contre": 5,
        "abstention": 5,
    }
    do_approuver(revision, deliberation, equipe, D(2026, 11, 20), malgre_differences=True)
    items = {e.identifiant: e for e in elements.synchroniser(schema, elements.version_suivie(schema))}
    assert items["A1"].statut == StatutElement.EN_COURS and items["A1"].progression == 40
    assert items["A1"].version == revision and items["A1"].jalons.get().date == D(2026, 9, 1)
    assert items["A2"].statut == StatutElement.ABANDONNEE
    assert items["A2"].motif == "retirée par la révision du schéma (version 2)"
    new = next(i for k, i in items.items() if k not in ("A1", "A2", "A3", "A4"))
    assert new.statut == StatutElement.A_LANCER and new.annee_prevue == 2028


def test_an_item_update_is_checked_and_a_refusal_leaves_it_as_it_was(approuvee, cast):
    equipe = cast["equipe_projet"]
    a1 = elements.synchroniser(approuvee.schema, approuvee)[0]
    cas = [
        ({"statut": StatutElement.ABANDONNEE}, "motif : dites pourquoi l'action est abandonnée"),
        ({"statut": StatutElement.REPORTEE, "motif": "budget"}, "reportée à : l'année où l'action est reportée"),
        ({"statut": StatutElement.REPORTEE, "motif": "budget", "annee_reportee": 2026}, "une année après 2026"),
        ({"statut": StatutElement.REALISEE, "progression": 60}, "une action réalisée est avancée à 100 %"),
    ]
    for valeurs, message in cas:
        with pytest.raises(ActionRefusee) as exc:
            modifier(a1, equipe, **valeurs)
        assert any(message in m for m in exc.value.messages), exc.value.messages
    with pytest.raises(ActionRefusee, match="n'est pas encore arrivé"):
        modifier(a1, equipe, {"service": D(2027, 1, 1)}, statut=StatutElement.EN_COURS)
    a1.refresh_from_db()
    assert a1.statut == StatutElement.A_LANCER and not a1.jalons.exists()
    modifier(a1, equipe, statut=StatutElement.REALISEE)
    a1.refresh_from_db()
    assert a1.progression == 100


def test_planned_versus_actual_on_the_hand_computed_payrolls(avec_2026, cast, territoire):
    s = lire(avec_2026, equipe_acces(cast, territoire))
    assert s.annee_schema == 2025 and s.annee == 2026
    items = par_id(s)
    # A1: Bordeaux (6) and Mérignac (5) moved, Pessac (5) did not.
    assert items["A1"].prevu_etp == 16.0 and items["A1"].realise_etp == 11.0
    assert items["A1"].phrase == "réalisé en 2026 pour 2 communes sur 3"
    assert items["A1"].prevu_cout.valeur == 255000 + 210000 + 195000
    # A3: Talence's agents made available: still on its payroll, the rise of its mise à disposition counts.
    assert items["A3"].realise_etp == 5.0 and items["A3"].phrase == "réalisé en 2026 pour 1 commune sur 1"
    # A2 is planned for 2027: not yet expected; A4 moves nobody.
    assert items["A2"].phrase == "prévu en 2027 : pas encore attendu en 2026"
    assert items["A4"].phrase == "sans mesure par la paie : la modalité ne déplace pas d'agents"
    orgs = {o["code"]: o for o in s.organisations}
    assert orgs[EPCI]["etp_y0"] == 6 and orgs[EPCI]["etp_prevu"] == 22 and orgs[EPCI]["etp_reel"] == 17
    assert orgs[EPCI]["etp_suivant"] == 27  # FIN-BUDG of Bordeaux in 2027
    assert orgs[BORDEAUX]["etp_prevu"] == 5 and orgs[BORDEAUX]["etp_reel"] == 5
    assert orgs[PESSAC]["etp_prevu"] == 0 and orgs[PESSAC]["etp_reel"] == 5
    assert orgs[PESSAC]["cout_reel"].valeur == 5 * 39780
    rh = next(t for t in s.themes if t["theme"] == "Ressources humaines")
    assert (rh["epci_y0"], rh["epci_prevu"], rh["epci_reel"]) == (0, 21, 16)
    assert (rh["communes_y0"], rh["communes_prevu"], rh["communes_reel"]) == (21, 0, 5)
    assert s.indicateurs["etp_transferes"] == 16 and s.indicateurs["etp_transferes_y0"] == 0
    assert s.coefficients["reel"] is not None and s.coefficients["prevu"] is not None


def test_progress_is_weighted_by_the_payroll_at_stake_and_items_without_progress_are_listed(
    avec_2026, cast, territoire
):
    equipe = cast["equipe_projet"]
    items = {e.identifiant: e for e in elements.synchroniser(avec_2026.schema, avec_2026)}
    modifier(items["A1"], equipe, statut=StatutElement.EN_COURS, progression=50)
    modifier(items["A3"], equipe, statut=StatutElement.REALISEE)
    s = lire(avec_2026, equipe_acces(cast, territoire))
    ind = s.indicateurs
    assert ind["faits"] == 1 and ind["prevus"] == 4
    assert ind["avancement"] == pytest.approx((50 * 660000 + 100 * 205000 + 0 * 225000) / (660000 + 205000 + 225000))
    assert ind["pondere_par"] == "par la masse salariale en jeu"
    assert [e.identifiant for e in ind["sans_avancement"]] == ["A4", "A2"]
    assert [x["element"].identifiant for x in ind["services_communs"]] == []  # A3 is a mise à disposition
    modifier(items["A2"], equipe, statut=StatutElement.ABANDONNEE, motif="reporté au mandat suivant")
    ind = lire(avec_2026, equipe_acces(cast, territoire)).indicateurs
    assert ind["prevus"] == 3 and [e.identifiant for e in ind["abandonnes"]] == ["A2"]
    assert ind["avancement"] == pytest.approx((50 * 660000 + 100 * 205000) / (660000 + 205000))


def test_the_follow_up_page_and_the_years_record(avec_2026, cast, connecte):
    client = connecte(cast["equipe_projet"])
    url = reverse("suivi:tableau", kwargs={"code": EPCI})
    page = client.get(url).content.decode()
    assert "réalisé en 2026 pour 2 communes sur 3" in page and "Prévu et réalisé en 2026" in page
    reponse = client.post(
        url + "?annee=2026", {"remboursements": "120000", "ac_votee": "-5", "surcouts": "", "couts_evites": ""}
    )
    assert reponse.status_code == 400 and not avec_2026.schema.bilans.exists()
    reponse = client.post(
        url + "?annee=2026", {"remboursements": "120000", "ac_votee": "650000", "commentaire": "Premier exercice."}
    )
    assert reponse.status_code == 302
    bilan = avec_2026.schema.bilans.get()
    assert (bilan.annee, bilan.remboursements, bilan.ac_votee, bilan.surcouts) == (2026, 120000, 650000, None)
    page = client.get(url).content.decode()
    assert "650\u202f000\u00a0€" in page and "non renseigné" in page
    elue = connecte(cast["elu_copil"])
    assert elue.post(url, {"remboursements": "1"}).status_code == 403


def test_without_an_approved_schema_the_page_says_when_the_follow_up_begins(cast, territoire, connecte):
    page = connecte(cast["elu_copil"]).get(reverse("suivi:tableau", kwargs={"code": EPCI})).content.decode()
    assert "Aucun schéma n'est encore approuvé" in page


def test_the_person_responsible_updates_her_item_and_no_other(approuvee, cast, connecte):
    equipe = cast["equipe_projet"]
    a1, a3 = elements.synchroniser(approuvee.schema, approuvee)[:2]
    modifier(a1, equipe, responsable=cast["dgs_bordeaux"])
    client = connecte(cast["dgs_bordeaux"])
    donnees = {"statut": "en_cours", "progression": "30"}
    url = reverse("suivi:element", kwargs={"code": EPCI, "pk": a1.pk})
    assert client.post(url, donnees).status_code == 302
    a1.refresh_from_db()
    assert a1.statut == StatutElement.EN_COURS and a1.progression == 30 and a1.modifie_par == cast["dgs_bordeaux"]
    autre = reverse("suivi:element", kwargs={"code": EPCI, "pk": a3.pk})
    assert client.post(autre, donnees).status_code == 403
    assert "Mettre à jour" not in client.get(autre).content.decode()
