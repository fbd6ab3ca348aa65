"""An employer's correspondence kept in the database (masse_salariale/correspondances.py) and the DSN
readings' actions (masse_salariale/dsn.py): suggestions, refusals, a second tab, abandon."""

from decimal import Decimal

import pytest

from commun.erreurs import ActionRefusee
from masse_salariale import correspondances, dsn
from masse_salariale.models import AgentDSN, LectureDSN, Lot, RegleCorrespondance
from tests.cast import MERIGNAC

pytestmark = pytest.mark.django_db


@pytest.fixture
def merignac(territoire):
    return territoire.organisations.get(code=MERIGNAC)


def lecture_de(organisation, user, agents, annee=2025):
    lecture = LectureDSN.objects.create(
        territoire=organisation.territoire, organisation=organisation, annee=annee, importe_par=user
    )
    for matricule, libelle in agents:
        AgentDSN.objects.create(
            lecture=lecture, matricule=matricule, cout=Decimal("30000"), etp=Decimal(1), statut="titulaire",
            libelle=libelle,
        )  # fmt: skip
    return lecture


def regle(organisation, cle, valeur, theme, activite="", part=1):
    RegleCorrespondance.objects.create(
        organisation=organisation, cle=cle, valeur=valeur, valeur_normalisee=valeur.lower(), theme=theme,
        activite=activite, part=Decimal(part),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("libelle", "regles", "attendu"),
    [
        # The referential's activity of a close name.
        ("Gestionnaire paie", [], [("RH", "RH-PAIE", "activité du référentiel au nom proche")]),
        # An emploi rule of a close libellé comes before the referential.
        (
            "Gestionnaire de paie principal",
            [("emploi", "gestionnaire de paie", "RH", "RH-TEMP")],
            [("RH", "RH-TEMP", "libellé proche déjà placé : « gestionnaire de paie »")],
        ),
        # A rule with parts across themes is never proposed for a whole libellé.
        (
            "Jardinier",
            [("emploi", "jardinier principal", "AUTRE", ""), ("emploi", "jardinier principal", "TIDP", "")],
            [],
        ),
        # Nothing alike: no suggestion rather than a random one.
        ("Xyz", [], []),
    ],
)
def test_suggestions(merignac, libelle, regles, attendu):
    for cle, valeur, theme, activite in regles:
        regle(merignac, cle, valeur, theme, activite, part=Decimal(1) / len(regles) if len(regles) > 1 else 1)
    trouvees = correspondances.Suggesteur(merignac, 2025).pour(libelle, ["A1"])
    premieres = trouvees[: len(attendu)]
    assert len(premieres) == len(attendu), trouvees
    for s, (theme, activite, raison) in zip(premieres, attendu, strict=True):
        assert (s.ligne.theme, s.ligne.activite) == (theme, activite) and s.raison.startswith(raison)
    if not attendu:
        assert trouvees == []


def test_placing_twice_the_same_libelle_is_refused_and_changes_nothing(cast, merignac):
    ligne = correspondances.LignePlacement("RH", "RH-PAIE")
    correspondances.do_placer(merignac, "emploi", "Gestionnaire de paie", [ligne], cast["dgs_merignac"])
    with pytest.raises(ActionRefusee) as exc:
        correspondances.do_placer(merignac, "emploi", " GESTIONNAIRE DE PAIE ", [ligne], cast["dgs_merignac"])
    assert "est déjà placé" in exc.value.messages[0]
    with pytest.raises(ActionRefusee):
        correspondances.do_placer(
            merignac, "emploi", "Comptable", [correspondances.LignePlacement("FIN", part=Decimal("0.5"))], None
        )
    assert RegleCorrespondance.objects.count() == 1


def test_a_reading_is_prepared_once_only_when_every_agent_is_placed(cast, merignac):
    user = cast["dgs_merignac"]
    lecture = lecture_de(merignac, user, [("A1", "Comptable"), ("A2", "Jardinier")])
    regle(merignac, "emploi", "Comptable", "FIN")
    with pytest.raises(ActionRefusee) as exc:
        dsn.do_preparer_depuis_dsn(lecture, user)
    assert exc.value.messages == ["emploi « Jardinier » : 1 agent non affecté"]
    assert [g.libelle for g in dsn.a_placer(lecture)] == ["Jardinier"]
    regle(merignac, "defaut", "", "AUTRE")
    lot = dsn.do_preparer_depuis_dsn(lecture, user)
    assert lot.nb_agents == 2 and not AgentDSN.objects.exists()
    # A second tab's click on « Préparer le lot » prepares nothing more.
    with pytest.raises(ActionRefusee):
        dsn.do_preparer_depuis_dsn(lecture, user)
    assert Lot.objects.count() == 1
    lecture.refresh_from_db()
    assert lecture.placements == {"defaut|": 1, "emploi|Comptable": 1}


def test_abandoning_a_reading_erases_its_agents_and_keeps_the_rules(cast, merignac):
    lecture = lecture_de(merignac, cast["dgs_merignac"], [("A1", "Comptable")])
    regle(merignac, "emploi", "Comptable", "FIN")
    dsn.do_abandonner_lecture(lecture, cast["dgs_merignac"])
    assert not AgentDSN.objects.exists() and RegleCorrespondance.objects.count() == 1
    with pytest.raises(ActionRefusee):
        dsn.do_abandonner_lecture(lecture, cast["dgs_merignac"])


def test_the_daily_work_abandons_a_reading_left_thirty_days_and_erases_its_agents(cast, merignac, capsys):
    import datetime as dt

    from django.utils import timezone

    from tests.cast import run_command

    vieille = lecture_de(merignac, cast["dgs_merignac"], [("A1", "Comptable")])
    recente = lecture_de(merignac, cast["dgs_merignac"], [("A2", "Jardinier")])
    LectureDSN.objects.filter(pk=vieille.pk).update(importe_le=timezone.now() - dt.timedelta(days=31))
    status, out, _ = run_command(capsys, "taches-quotidiennes")
    assert status == 0 and "1 lecture de DSN expirée" in out
    vieille.refresh_from_db()
    recente.refresh_from_db()
    assert (vieille.statut, recente.statut) == ("abandonnee", "a_placer")
    assert list(AgentDSN.objects.values_list("matricule", flat=True)) == ["A2"]
