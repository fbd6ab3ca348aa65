"""The councils' opinions (issue 12, points 5-7): receipts start the three months, deliberations dated in
time count whenever recorded, the last one prevails, réputé favorable from the day after the deadline
(applied by the idempotent daily command, time controlled), « hors délai » kept apart, reminders sent once,
approval only once every commune has an opinion, a different version needs confirmation."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from commun.erreurs import ActionRefusee
from tests.cast import BORDEAUX, MERIGNAC, PESSAC, TALENCE, run_command
from tests.parcours.conftest import ajouter_action, commune

pytestmark = pytest.mark.django_db
D = dt.date


def preuve():
    return SimpleUploadedFile("ar.pdf", b"%PDF-1.4 accuse", content_type="application/pdf")


def recevoir(territoire, version, code, le, user):
    from parcours.actions import do_enregistrer_reception

    envoi = version.envois.get(organisation__code=code, transmission=False)
    return do_enregistrer_reception(envoi, le, preuve(), user, le)


def deliberer(territoire, version, code, date, issue, user, numero=None, aujourdhui=None):
    from parcours.actions import do_enregistrer_deliberation

    valeurs = {
        "date": date,
        "numero": numero or f"{code}-{date.isoformat()}",
        "objet": "Avis sur le projet de schéma",
        "issue": issue,
        "effectif": 45,
        "presents": 40,
        "pour": 30,
        "contre": 8,
        "abstention": 2,
    }
    return do_enregistrer_deliberation(version, commune(territoire, code), valeurs, user, aujourdhui or date)


def etat(territoire, code, jour):
    from parcours import consultation

    schema = territoire.schemas.get()
    avis = consultation.avis_des_communes(schema, consultation.version_en_consultation(schema), jour)
    return next(a for a in avis if a.commune.code == code)


def test_sending_moves_the_scheme_into_consultation(territoire, envoyee):
    schema = territoire.schemas.get()
    assert schema.statut == "consultation"
    assert envoyee.envois.count() == 4
    assert etat(territoire, MERIGNAC, D(2026, 12, 7)).etat.etat == "reception"


def test_the_receipt_starts_the_three_months(cast, territoire, envoyee):
    recevoir(territoire, envoyee, MERIGNAC, D(2026, 12, 4), cast["equipe_projet"])
    a = etat(territoire, MERIGNAC, D(2026, 12, 7))
    assert a.etat.etat == "attendu"
    assert a.etat.echeance.echeance == D(2027, 3, 4)
    assert a.etat.jours_restants == 87


def test_receipt_before_sending_or_without_proof_is_refused_and_changes_nothing(cast, territoire, envoyee):
    from parcours.actions import do_enregistrer_reception

    envoi = envoyee.envois.get(organisation__code=MERIGNAC)
    with pytest.raises(ActionRefusee, match="avant l'envoi"):
        do_enregistrer_reception(envoi, D(2026, 11, 30), preuve(), cast["equipe_projet"], D(2026, 12, 7))
    with pytest.raises(ActionRefusee, match="preuve de réception"):
        do_enregistrer_reception(envoi, D(2026, 12, 3), None, cast["equipe_projet"], D(2026, 12, 7))
    envoi.refresh_from_db()
    assert envoi.recu_le is None


def test_a_deliberation_dated_in_time_but_recorded_late_counts(cast, territoire, envoyee):
    recevoir(territoire, envoyee, MERIGNAC, D(2026, 12, 4), cast["equipe_projet"])
    deliberer(
        territoire, envoyee, MERIGNAC, D(2027, 3, 4), "defavorable", cast["equipe_projet"], aujourdhui=D(2027, 3, 20)
    )
    a = etat(territoire, MERIGNAC, D(2027, 3, 20))
    assert a.etat.etat == "exprime" and a.retenue.issue == "defavorable"


def test_the_last_deliberation_in_time_prevails_and_a_late_one_stays_apart(cast, territoire, envoyee):
    recevoir(territoire, envoyee, PESSAC, D(2026, 12, 4), cast["equipe_projet"])
    deliberer(territoire, envoyee, PESSAC, D(2027, 1, 15), "defavorable", cast["equipe_projet"])
    deliberer(territoire, envoyee, PESSAC, D(2027, 2, 20), "reserves", cast["equipe_projet"])
    deliberer(territoire, envoyee, PESSAC, D(2027, 3, 10), "favorable", cast["equipe_projet"])
    a = etat(territoire, PESSAC, D(2027, 3, 11))
    assert a.retenue.issue == "reserves"
    assert [h.ordre for h in a.etat.hors_delai] == [a.deliberations[-1].pk]


def test_vote_counts_must_add_up(cast, territoire, envoyee):
    from parcours.actions import do_enregistrer_deliberation

    recevoir(territoire, envoyee, PESSAC, D(2026, 12, 4), cast["equipe_projet"])
    valeurs = {
        "date": D(2027, 1, 5),
        "numero": "12",
        "objet": "Avis",
        "issue": "favorable",
        "effectif": 30,
        "presents": 20,
        "pour": 15,
        "contre": 6,
        "abstention": 0,
    }
    with pytest.raises(ActionRefusee, match="21 voix pour, contre et abstentions, plus que les 20 votants"):
        do_enregistrer_deliberation(envoyee, commune(territoire, PESSAC), valeurs, cast["equipe_projet"], D(2027, 1, 6))


def test_the_daily_command_deems_silence_favourable_sends_reminders_once_and_is_idempotent(
    cast, territoire, envoyee, capsys, mailoutbox
):
    from parcours.models import RappelEnvoye
    from territoire.models import Evenement

    recevoir(territoire, envoyee, MERIGNAC, D(2026, 12, 4), cast["equipe_projet"])  # deadline 4 March 2027
    status, out, _ = run_command(capsys, "taches-quotidiennes", "--date", "2027-01-05")
    assert status == 0 and "2027-01-05 : 0 avis réputé favorable, 1 rappel envoyé" in out  # J-60 is 3 January
    assert "0 rappel envoyé," in run_command(capsys, "taches-quotidiennes", "--date", "2027-01-05")[1]
    # Mérignac (73,000 inhabitants): 5 clear days, convocation by 26 February; J-30 on 2 February.
    run_command(capsys, "taches-quotidiennes", "--date", "2027-03-01")
    assert sorted(RappelEnvoye.objects.values_list("code", flat=True)) == ["J-30", "J-60", "convocation"]
    assert etat(territoire, MERIGNAC, D(2027, 3, 4)).etat.etat == "attendu"
    status, out, _ = run_command(capsys, "taches-quotidiennes", "--date", "2027-03-05")
    assert "1 avis réputé favorable" in out
    envoi = envoyee.envois.get(organisation__code=MERIGNAC)
    envoi.refresh_from_db()
    assert envoi.repute_favorable_le == D(2027, 3, 5)
    assert Evenement.objects.filter(action="parcours.repute").count() == 1
    assert "0 avis réputé favorable" in run_command(capsys, "taches-quotidiennes", "--date", "2027-03-06")[1]
    # A deliberation dated after the deadline is recorded « hors délai »: the opinion stays deemed.
    deliberer(territoire, envoyee, MERIGNAC, D(2027, 3, 10), "defavorable", cast["equipe_projet"])
    a = etat(territoire, MERIGNAC, D(2027, 3, 11))
    assert a.etat.etat == "repute_favorable" and len(a.etat.hors_delai) == 1


def test_daily_command_refuses_an_invalid_date(capsys, db):
    status, out, err = run_command(capsys, "taches-quotidiennes", "--date", "2027-02-30")
    assert status == 2 and out == "" and err == "date invalide : « 2027-02-30 » (attendu AAAA-MM-JJ)\n"


def test_the_commune_dgs_sees_her_deadline_and_each_reminder_is_notified(
    cast, territoire, envoyee, capsys, django_capture_on_commit_callbacks
):
    from commun.taches import a_faire
    from comptes.perms import acces_pour
    from echanges.models import Notification

    recevoir(territoire, envoyee, MERIGNAC, D(2026, 12, 4), cast["equipe_projet"])
    dgs = cast["dgs_merignac"]
    now = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)
    taches = [t for t in a_faire(acces_pour(dgs, territoire), dgs, now) if t.cle.startswith("parcours.avis")]
    assert [t.libelle for t in taches] == [
        "Avis du conseil municipal attendu au plus tard le 4 mars 2027 (dans 87 jours)"
    ]
    assert not any(
        t.cle.startswith("parcours.avis")
        for t in a_faire(acces_pour(cast["dgs_bordeaux"], territoire), cast["dgs_bordeaux"], now)
    )
    avant = Notification.objects.filter(destinataire=dgs, tache__startswith="parcours.avis").count()
    with django_capture_on_commit_callbacks(execute=True):
        run_command(capsys, "taches-quotidiennes", "--date", "2027-01-05")
    apres = Notification.objects.filter(destinataire=dgs, tache__startswith="parcours.avis").count()
    assert apres == avant + 1


def _tous_ont_un_avis(cast, territoire, version):
    for code in (BORDEAUX, PESSAC, TALENCE):
        recevoir(territoire, version, code, D(2026, 12, 4), cast["equipe_projet"])
        deliberer(territoire, version, code, D(2027, 1, 20), "favorable", cast["equipe_projet"])
    recevoir(territoire, version, MERIGNAC, D(2026, 12, 4), cast["equipe_projet"])


def approbation(numero="2027-045"):
    return {
        "date": D(2027, 3, 25),
        "numero": numero,
        "objet": "Approbation du schéma",
        "effectif": 100,
        "presents": 90,
        "pour": 80,
        "contre": 6,
        "abstention": 4,
    }


def test_approval_waits_for_every_opinion_then_freezes_the_version(cast, territoire, envoyee):
    from parcours.actions import do_approuver

    _tous_ont_un_avis(cast, territoire, envoyee)
    valeurs = {**approbation(), "date": D(2027, 3, 1)}
    with pytest.raises(ActionRefusee, match="avis manquants au 1er mars 2027 \\(1\\) : Mérignac"):
        do_approuver(envoyee, valeurs, cast["equipe_projet"], D(2027, 3, 1))
    # Mérignac stays silent: deemed favourable from 5 March.
    d = do_approuver(envoyee, approbation(), cast["equipe_projet"], D(2027, 3, 25))
    envoyee.refresh_from_db()
    schema = territoire.schemas.get()
    assert envoyee.etat == "approuve" and envoyee.approuvee_le == D(2027, 3, 25) and schema.statut == "adopte"
    assert d.organisation.est_epci and d.approbation
    with pytest.raises(ActionRefusee, match="la version 1 est approuvée : seule une version plus récente"):
        do_approuver(envoyee, approbation("2027-046"), cast["equipe_projet"], D(2027, 3, 26))


def test_a_later_version_approved_is_a_revision_confirmed_without_a_new_consultation(
    cast, territoire, scenario_paie, envoyee, connecte
):
    from django.urls import reverse

    from parcours.actions import do_approuver, do_figer_version
    from territoire.models import Evenement

    equipe = cast["equipe_projet"]
    _tous_ont_un_avis(cast, territoire, envoyee)
    do_approuver(envoyee, approbation(), equipe, D(2027, 3, 25))
    meme = do_figer_version(territoire.schemas.get(), scenario_paie, "comite", equipe)
    with pytest.raises(ActionRefusee, match="retient les mêmes actions que le schéma approuvé"):
        do_approuver(meme, approbation("2028-001"), equipe, D(2028, 1, 20), malgre_differences=True)
    ajouter_action(territoire, scenario_paie, equipe, communes=(MERIGNAC,), activite="RH-FORM", annee=2028)
    revision = do_figer_version(territoire.schemas.get(), scenario_paie, "comite", equipe)
    page = connecte(equipe).get(reverse("parcours:approbation", kwargs={"code": territoire.code})).content.decode()
    assert "Réviser le schéma" in page and "Nouvelle consultation conseillée" in page
    assert f"Action ajoutée : {revision.scenario.actions.order_by('position').last().identifiant}" in page
    with pytest.raises(ActionRefusee, match="révise le schéma approuvé \\(version 1\\) : confirmez"):
        do_approuver(revision, approbation("2028-001"), equipe, D(2028, 1, 20))
    with pytest.raises(ActionRefusee, match="avant l'approbation de la version 1"):
        do_approuver(revision, {**approbation("2028-001"), "date": D(2027, 3, 1)}, equipe, D(2028, 1, 20), True)
    do_approuver(revision, approbation("2028-001") | {"date": D(2028, 1, 20)}, equipe, D(2028, 1, 20), True)
    revision.refresh_from_db()
    envoyee.refresh_from_db()
    assert revision.etat == "approuve" and envoyee.etat == "approuve"  # the history stays
    assert "remplace la version 1" in Evenement.objects.filter(action="parcours.approbation").latest("pk").objet


def test_approving_a_version_other_than_the_projet_sent_needs_confirmation(cast, territoire, scenario_paie, envoyee):
    from parcours.actions import do_approuver, do_figer_version

    _tous_ont_un_avis(cast, territoire, envoyee)
    ajouter_action(territoire, scenario_paie, cast["equipe_projet"], communes=(MERIGNAC,), activite="RH-FORM")
    autre = do_figer_version(territoire.schemas.get(), scenario_paie, "comite", cast["equipe_projet"])
    with pytest.raises(ActionRefusee, match="nouvelle consultation est conseillée"):
        do_approuver(autre, approbation(), cast["equipe_projet"], D(2027, 3, 25))
    do_approuver(autre, approbation(), cast["equipe_projet"], D(2027, 3, 25), malgre_differences=True)
    autre.refresh_from_db()
    assert autre.etat == "approuve"


def test_the_approval_page_shows_the_missing_opinions_and_the_differences(cast, territoire, envoyee, connecte):
    client = connecte(cast["equipe_projet"])
    page = client.get(reverse("parcours:approbation", kwargs={"code": territoire.code})).content.decode()
    assert "Avis manquants (4)" in page and "Mérignac" in page
