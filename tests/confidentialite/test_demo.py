"""Issue 9's acceptance on the demo territory (Bordeaux Métropole, 29 employers, synthetic payroll): the
project team sees every money figure of the demo scenarios' impact table, Mérignac's DGS all of Mérignac's
detail, and the élue of the comité de pilotage no non-diffusible amount of any employer, directly or by
difference (the linear-programming audit over everything her pages released)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from engine import confidentialite as regle
from masse_salariale.confidentialite import registres
from tests.cast import EPCI, MERIGNAC
from tests.confidentialite.sweep import SWEEP, page_amounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    from comptes.models import Utilisateur
    from scenarios.models import Scenario

    call_command("demo", verbosity=0)
    return {
        "users": {u.username: u for u in Utilisateur.objects.all()},
        # Bordeaux's working scenarios (the follow-up's territory has its own: docs/contrats §8)
        "scenarios": list(Scenario.objects.filter(figee=False, schema__territoire__code=EPCI).order_by("pk")),
    }


def url(name, **kwargs):
    return reverse(name, kwargs={"code": EPCI, **kwargs})


def test_the_demo_shows_each_reader_what_the_rule_allows_and_nothing_more(client, demo):
    assert demo["scenarios"]
    client.force_login(demo["users"]["equipe-projet"])
    for s in demo["scenarios"]:
        f = client.get(url("scenarios:scenario", pk=s.pk)).context
        montants = [
            r[k]
            for r in f["impact_touchees"]
            for k in ("avant", "apres", "d_cost", "remboursement", "ac", "net")
            if r[k] is not None
        ]
        assert montants and all(m.visible for m in montants), s.nom
        assert all(p["masse"].visible for p in f["par_action"]), s.nom

    client.force_login(demo["users"]["dgs-merignac"])
    detail = client.get(url("masse_salariale:detail"), {"employeur": MERIGNAC})
    assert detail.context["fine"] and all(r.montant.visible for r in detail.context["rows"])
    assert detail.context["total"].visible

    client.force_login(demo["users"]["elu-copil"])
    pages = [
        ("masse_salariale:coefficient", url("masse_salariale:coefficient")),
        ("masse_salariale:detail", url("masse_salariale:detail")),
        ("espace:territoire", url("espace:territoire")),
        ("scenarios:liste", url("scenarios:liste")),
        ("scenarios:matrice", url("scenarios:matrice")),
        ("scenarios:comparer", url("scenarios:comparer") + "?" + "&".join(f"s={s.pk}" for s in demo["scenarios"])),
        *(("scenarios:scenario", url("scenarios:scenario", pk=s.pk)) for s in demo["scenarios"]),
    ]
    lectures, montrees = [], set()
    for nom, adresse in pages:
        with registres() as faites:
            response = client.get(adresse)
        assert response.status_code == 200, adresse
        lectures += faites
        shown = {abs(round(v)) for v in page_amounts(response.content, SWEEP[nom].not_payroll)}
        registre = {abs(v) for l in faites for v in l.montants_affiches() if v is not None}
        assert shown <= registre, (adresse, sorted(shown - registre)[:5])
        montrees |= shown
    lecture = lectures[0]
    assert lecture.classe == ("public",)
    t = lecture.tableau
    confidentiels = {round(sum(c.values())) for c in t.cellules.values() if not regle.diffusible(c)}
    assert not montrees & confidentiels
    publies = {(tuple(sorted(p.combinaison.items(), key=repr)), p.valeur): p for l in lectures for p in l.publies}
    cibles = {k: v for l in lectures for k, v in l.cibles().items() if k[0] != "atome"}
    assert cibles
    assert regle.audit(publies.values(), cibles) == {}
