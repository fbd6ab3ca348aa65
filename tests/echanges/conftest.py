import datetime as dt

import pytest


@pytest.fixture
def groupe_rh(territoire, cast):
    return territoire.schemas.get().groupes.get(theme="RH")


@pytest.fixture
def ligne(cast, territoire, groupe_rh):
    from livrables.gt3.actions import do_creer_ligne

    return do_creer_ligne(
        groupe_rh,
        cast["equipe_projet"],
        {
            "activite": territoire.activites.get(code="RH-PAIE"),
            "modalite": "service_commun",
            "toutes_communes": True,
            "faisabilite": "3",
            "qualification": 4,
            "communes": [],
        },
    )


@pytest.fixture
def brouillon(cast, groupe_rh):
    """A draft of the RH group's minutes (readable by its participants and the project team only)."""
    from django.utils import timezone

    from seances import actions

    hier = timezone.now() - dt.timedelta(days=1)
    seance = actions.do_planifier_seance(
        groupe_rh,
        cast["equipe_projet"],
        {
            "etape": "GT1",
            "titre": "",
            "debut": hier,
            "fin": hier + dt.timedelta(hours=2),
            "lieu": "Pessac",
            "lien_visio": "",
            "ordre_du_jour": "1. Tour de table",
        },
    )
    cr, _ = actions.do_ecrire_compte_rendu(seance, cast["membre_rh"], "Brouillon", "")
    return cr


@pytest.fixture
def url_commenter(territoire):
    from django.urls import reverse

    def url(type, pk):
        return reverse("echanges:commenter", kwargs={"code": territoire.code, "type": type, "pk": pk})

    return url


@pytest.fixture
def url_notifications(territoire):
    from django.urls import reverse

    return reverse("echanges:notifications", kwargs={"code": territoire.code})
