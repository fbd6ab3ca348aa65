"""The demo's calendar (mutualis/demo_espace.py): the phases placed around the day the demo is loaded, the
working groups under way (their GT3 meetings are still being held), so that every home page shows a
current phase on time and the dates to come."""

import datetime as dt

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
