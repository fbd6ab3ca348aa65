"""The follow-up under the confidentiality rule: in 2026 Mérignac keeps one agent (40 000 €). The project
team sees it marked « confidentiel »; Mérignac's DGS sees it; an élue, outside Mérignac, never does, on
the page nor in the yearly report; ETP stay public."""

import datetime as dt

import pytest
from django.urls import reverse

from suivi import actions
from suivi import rapport as rapports
from tests.cast import EPCI

pytestmark = pytest.mark.django_db
MONTANT = "40\u202f000\u00a0€"


def test_each_reader_sees_what_the_rule_allows(avec_2026, cast, connecte):
    url = reverse("suivi:tableau", kwargs={"code": EPCI})
    equipe = connecte(cast["equipe_projet"]).get(url).content.decode()
    assert MONTANT in equipe and "confidentiel" in equipe
    dgs = connecte(cast["dgs_merignac"]).get(url).content.decode()
    assert MONTANT in dgs
    elue = connecte(cast["elu_copil"]).get(url).content.decode()
    assert MONTANT not in elue and "non diffusé" in elue
    assert "réalisé en 2026 pour 2 communes sur 3" in elue  # the measure is in ETP: public


def test_the_report_is_written_for_readers_outside_every_employer(avec_2026, cast):
    r = actions.do_creer_rapport(avec_2026.schema, 2027, "dob", dt.date(2027, 2, 15), cast["equipe_projet"])
    cellules = [v for c in rapports.document(r).chapitres for b in c.blocs for l in getattr(b, "lignes", []) for v in l]
    assert "40\u202f000\u00a0€" not in cellules and "non diffusé" in cellules
