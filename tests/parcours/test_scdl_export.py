"""The open data of the legal path (issue 12, point 8): the deliberations recorded (the communes' opinions,
the EPCI council's approval) exported as SCDL « délibérations », one CSV per collectivité, valid against
the published schema (frictionless, with the schema's SIRET check); a collectivité without a SIRET is
named on the page and gets no file link."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE
from tests.formats.test_scdl import erreurs, rapport
from tests.parcours.test_consultation import D, approbation, deliberer, recevoir

pytestmark = pytest.mark.django_db

SIRETS = {
    EPCI: "24330031610002",
    BORDEAUX: "21330063510008",
    MERIGNAC: "21330281310009",
    PESSAC: "21330318310006",
    TALENCE: "21330522010004",
}


def test_the_path_exports_valid_scdl_files(cast, territoire, envoyee, connecte):
    from parcours.actions import do_approuver

    client = connecte(cast["equipe_projet"])
    url = reverse("parcours:donnees_ouvertes", kwargs={"code": territoire.code})
    assert client.post(url, SIRETS).status_code == 302
    for code in (BORDEAUX, PESSAC, TALENCE, MERIGNAC):
        recevoir(territoire, envoyee, code, D(2026, 12, 4), cast["equipe_projet"])
    deliberer(territoire, envoyee, BORDEAUX, D(2027, 1, 20), "favorable", cast["equipe_projet"])
    deliberer(territoire, envoyee, PESSAC, D(2027, 1, 22), "defavorable", cast["equipe_projet"])
    deliberer(territoire, envoyee, TALENCE, D(2027, 2, 3), "reserves", cast["equipe_projet"])
    do_approuver(envoyee, approbation(), cast["equipe_projet"], D(2027, 3, 25))  # Mérignac deemed favourable

    page = client.get(url).content.decode()
    for code in (EPCI, BORDEAUX, PESSAC, TALENCE):
        assert f"deliberations-{code}.csv" in page
    assert f"deliberations-{MERIGNAC}.csv" not in page  # silent: no deliberation of its own
    for code in (EPCI, BORDEAUX, PESSAC, TALENCE):
        contenu = client.get(reverse("parcours:scdl", kwargs={"code": territoire.code, "organisation": code})).content
        report = rapport(contenu)
        assert report.valid, erreurs(report)
        lignes = contenu.decode().splitlines()
        assert len(lignes) == 2 and lignes[1].split(",")[1] == SIRETS[code]
    epci = client.get(reverse("parcours:scdl", kwargs={"code": territoire.code, "organisation": EPCI})).content.decode()
    assert "2027-045,2027-03-25,5.7,institutions et vie politique/intercommunalité" in epci


def test_an_invalid_siret_is_refused_in_french_and_nothing_changes(cast, territoire, connecte):
    client = connecte(cast["equipe_projet"])
    url = reverse("parcours:donnees_ouvertes", kwargs={"code": territoire.code})
    reponse = client.post(url, {**SIRETS, BORDEAUX: "21330063510009"})
    assert reponse.status_code == 400
    assert "clé de contrôle est fausse" in reponse.content.decode()
    assert territoire.organisations.get(code=EPCI).siret == ""


def test_a_deliberation_without_siret_is_named_on_the_page(cast, territoire, envoyee, connecte):
    recevoir(territoire, envoyee, BORDEAUX, dt.date(2026, 12, 4), cast["equipe_projet"])
    deliberer(territoire, envoyee, BORDEAUX, D(2027, 1, 20), "favorable", cast["equipe_projet"])
    page = connecte(cast["elu_copil"]).get(reverse("parcours:donnees_ouvertes", kwargs={"code": territoire.code}))
    assert "renseignez d'abord le SIRET" in page.content.decode()
