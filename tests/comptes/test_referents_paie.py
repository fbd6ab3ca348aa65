"""A DGS designates her organisation's payroll referents, who then read its payroll amounts as she does
(docs/confidentialite.md)."""

import pytest
from django.urls import reverse

from comptes.enums import Role
from comptes.models import Habilitation
from territoire.models import Evenement
from tests.cast import MERIGNAC, creer_utilisateur

pytestmark = pytest.mark.django_db


def url(territoire):
    return reverse("utilisateurs:referents_paie", kwargs={"code": territoire.code})


def test_a_dgs_designates_a_person_of_her_organisation_who_then_reads_its_detail(
    connecte, cast, territoire, lot_courant
):
    rh = creer_utilisateur(territoire, "rh-merignac", "membre", MERIGNAC, theme="RH")
    detail = reverse("masse_salariale:detail", kwargs={"code": territoire.code})
    assert not connecte(rh).get(detail, {"employeur": MERIGNAC}).context["fine"]

    client = connecte(cast["dgs_merignac"])
    page = client.get(url(territoire))
    assert page.status_code == 200 and "rh-merignac" in page.content.decode()
    response = client.post(url(territoire), {"utilisateur": rh.pk, "designe": "on"})
    assert response.status_code == 302
    assert Habilitation.objects.filter(utilisateur=rh, role=Role.REFERENT_PAIE, organisation__code=MERIGNAC).exists()
    assert Evenement.objects.filter(action="comptes.referent_paie", details__designe=True).exists()
    lecture = connecte(rh).get(detail, {"employeur": MERIGNAC})
    assert lecture.context["fine"] and all(r.montant.visible for r in lecture.context["rows"])

    connecte(cast["dgs_merignac"]).post(url(territoire), {"utilisateur": rh.pk})  # take it back
    assert not Habilitation.objects.filter(utilisateur=rh, role=Role.REFERENT_PAIE).exists()
    assert not connecte(rh).get(detail, {"employeur": MERIGNAC}).context["fine"]


def test_a_dgs_cannot_designate_someone_of_another_organisation_and_nothing_changes(connecte, cast, territoire):
    client = connecte(cast["dgs_merignac"])
    response = client.post(url(territoire), {"utilisateur": cast["dgs_bordeaux"].pk, "designe": "on"})
    assert response.status_code == 400
    assert "pas de votre organisation" in response.content.decode()
    assert not Habilitation.objects.filter(role=Role.REFERENT_PAIE).exists()


def test_only_a_dgs_designates(connecte, cast, territoire):
    for who in ("elu_copil", "consultant", "equipe_projet", "copilote_rh_commune"):
        assert connecte(cast[who]).get(url(territoire)).status_code == 403, who
