"""Meetings of the RH group of the cast's territory: one to come, one held yesterday."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone


def valeurs_seance(debut, etape="GT1", duree=dt.timedelta(hours=2, minutes=30), **autres):
    return {
        "etape": etape,
        "titre": "",
        "debut": debut,
        "fin": debut + duree,
        "lieu": "Salle du conseil, Pessac",
        "lien_visio": "",
        "ordre_du_jour": "1. Tour de table\n2. Feuille de route",
        **autres,
    }


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


@pytest.fixture
def planifier(cast, groupe_rh):
    """planifier(debut, **valeurs) -> a meeting of the RH group planned by the project team."""
    from seances.actions import do_planifier_seance

    def _planifier(debut, **autres):
        return do_planifier_seance(groupe_rh, cast["equipe_projet"], valeurs_seance(debut, **autres))

    return _planifier


@pytest.fixture
def a_venir(planifier):
    """GT1 of the RH group, on the next 3 July at 9:30 (Paris)."""
    now = timezone.localtime()
    annee = now.year + (1 if (now.month, now.day) >= (7, 3) else 0)
    return planifier(timezone.make_aware(dt.datetime(annee, 7, 3, 9, 30)))


@pytest.fixture
def tenue_hier(planifier):
    """GT1 of the RH group held yesterday."""
    debut = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0) - dt.timedelta(days=1)
    return planifier(debut)


@pytest.fixture
def url():
    """url(name, seance, **kwargs) of a meeting's page."""

    def _url(name, seance, **kwargs):
        groupe = seance.groupe
        return reverse(
            f"seances:{name}",
            kwargs={"code": groupe.schema.territoire.code, "theme": groupe.theme, "pk": seance.pk, **kwargs},
        )

    return _url
