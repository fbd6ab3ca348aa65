"""A working scenario can be discussed (echanges.cibles): the élus of the comité de pilotage and every
member comment on it in its thread, on the scenario's page."""

from django.urls import reverse

from echanges.cibles import Type, inscrire
from scenarios.models import Scenario


def inscrire_cibles() -> None:
    inscrire(
        Type(
            "scenario",
            "scenarios.scenario",
            "scénario",
            queryset=lambda territoire: Scenario.objects.filter(schema__territoire=territoire, figee=False),
            groupe=lambda scenario, groupe: None,
            url=lambda scenario, code, groupe: reverse("scenarios:scenario", kwargs={"code": code, "pk": scenario.pk}),
            peut_lire=lambda acces, scenario: acces.voit_scenarios(),
        )
    )
