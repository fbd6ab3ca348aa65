"""The demo's calendar (mutualis/demo_espace.py): the phases placed around the day the demo is loaded, the
working groups under way (their GT3 meetings are still being held), so that every home page shows a
current phase on time and the dates to come."""

import datetime as dt

from engine.calendrier import jour_non_ouvre
from territoire.calendrier import calendrier
from territoire.enums import Phase

# (start, end) in days from the day the demo is loaded.
DECALAGES = {
    Phase.GROUPES: (-150, 21),
    Phase.COMITE: (22, 45),
    Phase.BUREAU: (46, 75),
    Phase.CONSULTATION: (76, 200),
    Phase.APPROBATION: (201, 231),
    Phase.SUIVI: (232, 365 + 90),
}


def placer_calendrier(schema, aujourdhui: dt.date) -> None:
    for etape in calendrier(schema):
        debut, fin = DECALAGES[etape.phase]
        etape.debut, etape.fin = aujourdhui + dt.timedelta(days=debut), aujourdhui + dt.timedelta(days=fin)
        etape.save(update_fields=["debut", "fin"])


def charger_comite(schema, equipe, maintenant: dt.datetime) -> None:
    """The comité de pilotage planned in its phase, its agenda ready: the élue sees it waiting at home."""
    from parcours import comite
    from scenarios.models import Scenario

    c = comite.comite(schema, "copil")
    elue = c.membres.first()
    if elue is not None:
        comite.do_copresidents(c, elue, elue, equipe)
    debut = maintenant.replace(hour=17, minute=30, second=0, microsecond=0) + dt.timedelta(
        days=DECALAGES[Phase.COMITE][0] + 3
    )
    while jour_non_ouvre(debut.date()):  # a working day, never 1 January
        debut += dt.timedelta(days=1)
    seance = comite.do_creer_seance(c, debut, "Hôtel de la métropole, salle du conseil", equipe)
    groupes = {g.theme: g for g in schema.groupes.all()}
    for theme in ("RH", "FIN"):
        g = groupes[theme]
        comite.do_ajouter_point(seance, {"objet": f"Propositions du groupe {g.libelle}", "groupe": g}, equipe)
    scenario = Scenario.objects.du_schema(schema).first()
    if scenario is not None:
        comite.do_ajouter_point(seance, {"objet": f"Scénario « {scenario.nom} »", "scenario": scenario}, equipe)


def figer_version(schema, equipe) -> None:
    """The first scenario frozen as version 1 of the schéma, for the comité: its document can be prepared."""
    from parcours.actions import do_figer_version
    from parcours.enums import EtatVersion
    from scenarios.models import Scenario

    scenario = Scenario.objects.du_schema(schema).order_by("pk").first()
    if scenario is not None:
        do_figer_version(schema, scenario, EtatVersion.COMITE, equipe, "Version préparée pour le premier comité.")
