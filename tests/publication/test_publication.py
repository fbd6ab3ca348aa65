"""The publication rule of the schéma document (issue 13, point 2): rows flagged, each presented at the
category average cost by default, grouped, or shown with the recorded consent of the DGS; read back from
every format. A one-agent move's amount never appears unless « montrer » was chosen with consent."""

import datetime as dt
import re

import pytest

from commun.erreurs import ActionRefusee
from publication import actions
from publication.enums import Presentation
from publication.generation import ecrire
from publication.impact import GROUPE, REEL, tableau_publie
from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE
from tests.publication.conftest import (
    AUJOURDHUI,
    SALAIRE_MERIGNAC,
    libreoffice_texte,
    organisation,
    pdftotext,
)

pytestmark = pytest.mark.django_db

COUT_A = (6 * 50000 + SALAIRE_MERIGNAC) / 7  # the territory's average loaded cost of one ETP of category A


def montant_present(texte: str, valeur: int) -> bool:
    """Whether an amount written the French way (groups of three digits) is in the text."""
    groupes = f"{valeur:,}".split(",")
    motif = r"(?<![\d,])" + r"[\s\u202f\u00a0]?".join(groupes) + r"(?![\d])"
    return re.search(motif, texte) is not None


def lignes(tp):
    return {l.code: l for l in tp.lignes}


def test_rows_under_the_rule_are_flagged_and_valued_at_the_category_average_by_default(version):
    tp = tableau_publie(version)
    par_code = lignes(tp)
    assert par_code[BORDEAUX].presentation == REEL  # 6 agents, none dominant
    assert {s.code for s in tp.signalements} == {MERIGNAC, PESSAC, TALENCE}
    assert all(s.raison == "moins de 5 agents" for s in tp.signalements)
    for code in (MERIGNAC, PESSAC, TALENCE):
        assert par_code[code].presentation == Presentation.COUT_MOYEN
    # Mérignac's one agent is category A: 1 ETP × the average cost of A, rounded to the thousand euros.
    assert par_code[MERIGNAC].montants["d_cost"] == -round(COUT_A, -3) == -52000
    assert tp.couts_moyens["A"] == pytest.approx(COUT_A)
    valorisation = next(v for v in tp.valorisations if v.nom == "Mérignac")
    assert valorisation.etp == {"A": 1.0} and valorisation.montant == 52000
    # The three valued communes move 6 agents together, none over 80 %: the EPCI's real row gives nothing away.
    assert par_code[EPCI].presentation == REEL
    assert not tp.erreurs


def test_the_real_rows_equal_the_version_page_to_the_euro(version, cast, connecte):
    from django.urls import reverse

    client = connecte(cast["equipe_projet"])
    page = client.get(reverse("parcours:version", kwargs={"code": EPCI, "numero": version.numero})).context
    attendu = {r["code"]: r for r in page["impact_touchees"]}
    tp = tableau_publie(version)
    for l in tp.lignes:
        if l.presentation == REEL:
            assert round(l.montants["d_cost"]) == attendu[l.code]["d_cost"].affiche
            assert round(l.montants["net"]) == attendu[l.code]["net"].affiche
            assert l.d_fte == attendu[l.code]["d_fte"]


def _choisir(version, territoire, cast, **choix):
    valeurs = {}
    for code, (presentation, qui, quand) in choix.items():
        valeurs[organisation(territoire, code)] = (presentation, qui and cast[qui], quand)
    return actions.do_choisir(version, valeurs, cast["equipe_projet"], AUJOURDHUI)


def _textes(version, tmp_path, profil) -> dict[str, str]:
    pdf, _ = ecrire(version, "pdf")
    docx, _ = ecrire(version, "docx")
    odt, _ = ecrire(version, "odt")
    return {
        "pdf": pdftotext(pdf, tmp_path),
        "docx": libreoffice_texte(docx, "docx", tmp_path, profil),
        "odt": libreoffice_texte(odt, "odt", tmp_path, profil),
    }


def test_a_one_agent_move_never_appears_unless_shown_with_the_dgs_consent(version, territoire, cast, tmp_path, writer):
    textes = _textes(version, tmp_path, writer)
    for format_document, texte in textes.items():
        assert not montant_present(texte, SALAIRE_MERIGNAC), format_document
        assert montant_present(texte, 52000), format_document  # the category valuation instead
        assert "estimation au coût moyen par catégorie" in " ".join(texte.split()), format_document
        assert montant_present(texte, int(round(COUT_A, -2))), format_document  # the annex's average cost of A

    _choisir(version, territoire, cast, **{MERIGNAC: (Presentation.MONTRER, "dgs_merignac", dt.date(2026, 12, 3))})
    textes = _textes(version, tmp_path, writer)
    for format_document, texte in textes.items():
        assert montant_present(texte, SALAIRE_MERIGNAC), format_document
        plat = " ".join(texte.split())
        assert f"accord de {cast['dgs_merignac']}, DGS, le 3 décembre 2026" in plat, format_document


def test_montrer_needs_the_consent_of_that_communes_dgs_and_leaves_the_choices_as_they_were(version, territoire, cast):
    _choisir(version, territoire, cast, **{PESSAC: (Presentation.COUT_MOYEN, None, None)})
    cas = [
        ({MERIGNAC: (Presentation.MONTRER, None, None)}, "demande l'accord de son DGS"),
        (
            {MERIGNAC: (Presentation.MONTRER, "dgs_bordeaux", dt.date(2026, 12, 3))},
            "n'est pas DGS de cette organisation",
        ),
        ({MERIGNAC: (Presentation.MONTRER, "dgs_merignac", dt.date(2026, 12, 20))}, "n'est pas encore donné"),
    ]
    for choix, message in cas:
        with pytest.raises(ActionRefusee) as exc:
            _choisir(version, territoire, cast, **choix)
        assert any(message in m for m in exc.value.messages), exc.value.messages
    assert list(version.choix_publication.values_list("organisation__code", "presentation")) == [
        (PESSAC, Presentation.COUT_MOYEN)
    ]


def test_grouped_rows_make_one_diffusible_row_and_the_epci_is_valued_when_it_would_give_the_rest_away(
    version, territoire, cast, tmp_path
):
    _choisir(
        version,
        territoire,
        cast,
        **{PESSAC: (Presentation.REGROUPER, None, None), TALENCE: (Presentation.REGROUPER, None, None)},
    )
    tp = tableau_publie(version)
    groupe = next(l for l in tp.lignes if l.presentation == GROUPE)
    assert groupe.nom == "Autres communes (2)" and groupe.communes == ["Pessac", "Talence"]
    assert groupe.montants["d_cost"] == -(30000 + 31000 + 29000 + 32000 + 35000)
    assert PESSAC not in lignes(tp) and TALENCE not in lignes(tp)
    # Mérignac alone stays valued: the EPCI's real row minus the others would give its one agent back.
    epci = lignes(tp)[EPCI]
    assert epci.presentation == Presentation.COUT_MOYEN and "par différence" in epci.raison
    vrai_epci = sum(40000 + 1000 * i for i in range(6)) + SALAIRE_MERIGNAC + 157000
    texte = pdftotext(ecrire(version, "pdf")[0], tmp_path)
    assert not montant_present(texte, SALAIRE_MERIGNAC)
    assert not montant_present(texte, vrai_epci)
    assert montant_present(texte, 157000)
    plat = " ".join(texte.split())
    assert "Autres communes (2) : Pessac, Talence." in plat
    assert "somme réelle des communes regroupées" in plat


def test_a_group_alone_or_not_diffusible_is_refused(version, territoire, cast):
    with pytest.raises(ActionRefusee) as exc:
        _choisir(version, territoire, cast, **{PESSAC: (Presentation.REGROUPER, None, None)})
    assert "regroupée seule" in exc.value.messages[0]
    with pytest.raises(ActionRefusee) as exc:  # Mérignac (1 agent) and Pessac (2): 3 agents together
        _choisir(
            version,
            territoire,
            cast,
            **{MERIGNAC: (Presentation.REGROUPER, None, None), PESSAC: (Presentation.REGROUPER, None, None)},
        )
    assert "pas diffusibles ensemble (moins de 5 agents)" in exc.value.messages[0]
    assert not version.choix_publication.exists()


def test_the_choices_of_a_version_sent_to_the_communes_no_longer_change(version, territoire, cast):
    from parcours.actions import do_envoyer_projet

    do_envoyer_projet(
        version, [organisation(territoire, MERIGNAC)], AUJOURDHUI, "courriel", cast["equipe_projet"], AUJOURDHUI
    )
    with pytest.raises(ActionRefusee) as exc:
        _choisir(version, territoire, cast, **{PESSAC: (Presentation.COUT_MOYEN, None, None)})
    assert "transmise aux communes" in exc.value.messages[0]
