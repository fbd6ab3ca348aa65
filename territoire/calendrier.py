"""The schéma's calendar: its phases with their dates (the cockpit's timeline, the mandate letters'
calendar), created from the source document's calendar shifted to the mandate the first time it is read."""

import datetime as dt

from territoire.enums import CALENDRIER_SOURCE, Phase
from territoire.models import EtapeCalendrier

ORDRE = {p: k for k, p in enumerate(Phase)}


def calendrier(schema) -> list[EtapeCalendrier]:
    """The schéma's phases in the order of the process."""
    etapes = list(EtapeCalendrier.objects.filter(schema=schema))
    if not etapes:
        premiere = schema.premiere_annee
        EtapeCalendrier.objects.bulk_create(
            [
                EtapeCalendrier(
                    schema=schema, phase=phase, debut=dt.date(premiere + a1, m1, j1), fin=dt.date(premiere + a2, m2, j2)
                )
                for phase, ((a1, m1, j1), (a2, m2, j2)) in CALENDRIER_SOURCE.items()
            ],
            ignore_conflicts=True,
        )
        etapes = list(EtapeCalendrier.objects.filter(schema=schema))
    return sorted(etapes, key=lambda e: ORDRE[e.phase])
