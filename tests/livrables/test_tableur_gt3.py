"""GT3 spreadsheet round trip (livrables/tableur/gt3.py): the liste des activités mutualisables exported to
XLSX/ODS, edited with openpyxl (or in the ODS XML), re-imported through the web form's rules and merged
cell by cell; additions, conflicts shown then resolved, errors with nothing written, and the rights."""

import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import BORDEAUX, MERIGNAC
from tests.impression import verifier_ods, verifier_xlsx

pytestmark = pytest.mark.django_db

EN_TETES = [
    "Identifiant",
    "Code activité",
    "Activités",
    "Sous-activités",
    "Si opportunité de mutualisation, pourquoi ?",
    "Qualification (/4)",
    "Faisabilité (de 0 à 4+)",
    "Préconisation : modalité",
    "Préconisation : communes",
]
POURQUOI, QUALIF, FAIS, MODALITE, COMMUNES = 5, 6, 7, 8, 9


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


@pytest.fixture
def ligne(cast, territoire, groupe_rh):
    from livrables.gt3.actions import do_creer_ligne

    return do_creer_ligne(
        groupe_rh,
        cast["equipe_projet"],
        {
            "activite": territoire.activites.get(code="RH-PAIE"),
            "pourquoi": "Logiciels différents",
            "modalite": "service_commun",
            "toutes_communes": False,
            "faisabilite": "3",
            "qualification": 2,
            "communes": list(territoire.organisations.filter(code__in=[BORDEAUX, MERIGNAC])),
        },
    )


def url(territoire, nom):
    return reverse(f"livrables:gt3_tableur_{nom}", kwargs={"code": territoire.code, "theme": "RH"})


def classeur(response):
    assert response.status_code == 200, response.content[:500]
    return load_workbook(io.BytesIO(response.content))


def sauver(wb, nom="gt3.xlsx") -> io.BytesIO:
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = nom
    return out


def relire(ligne):
    ligne.refresh_from_db()
    ligne.livrable.refresh_from_db()
    return ligne


def codes(ligne):
    return sorted(ligne.communes.values_list("code", flat=True))


def test_export_has_the_source_columns_hidden_ids_meta_and_protection(cast, territoire, ligne, connecte):
    client = connecte(cast["consultant"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == EN_TETES
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:I2"
    assert ws.column_dimensions["A"].hidden and ws.protection.sheet
    assert ws.cell(2, 1).value == f"M{ligne.pk}" and ws.cell(2, 2).value == "RH-PAIE"
    assert [ws.cell(2, c).value for c in range(POURQUOI, COMMUNES + 1)] == [
        "Logiciels différents",
        2,
        "3",
        "Service commun",
        "Bordeaux (33063), Mérignac (33281)",
    ]
    assert ws.cell(2, 3).protection.locked and ws.cell(2, 4).protection.locked
    assert all(not ws.cell(2, c).protection.locked for c in range(POURQUOI, COMMUNES + 1))
    assert not ws.cell(3, 2).protection.locked  # a blank row: an activity may be added
    formules = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"1,2,3,4"' in formules and '"0,1,2,3,4,4+"' in formules
    assert any(f.startswith('"Service commun,Transfert de compétence,') for f in formules)  # names, not codes
    meta = wb["_mutualis"]
    assert meta.sheet_state == "hidden"
    cles = {row[1]: row[2] for row in meta.iter_rows(min_row=2, values_only=True) if row[0] == "meta"}
    assert cles["format"] == "mutualis-gt3" and cles["livrable"] == str(ligne.livrable_id)
    assert not cles["commune"] and cles["exporte_le"]  # the consultant has no organisation
    [info] = [row for row in meta.iter_rows(min_row=2, values_only=True) if row[0] == "ligne"]
    assert info[3:] == (
        f"M{ligne.pk}",
        "RH-PAIE",
        "1",
        "Logiciels différents",
        "2",
        "3",
        "service_commun",
        f"{BORDEAUX},{MERIGNAC}",
    )

    response = client.get(url(territoire, "ods"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        contenu = z.read("content.xml").decode()
    assert 'table:protected="true"' in contenu and 'table:display-filter-buttons="true"' in contenu


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_export_prints_landscape_one_page_wide_with_header_and_footer(cast, territoire, ligne, connecte, fmt):
    """Issue 11, point 10 (it printed on five pages of two columns): landscape, one page wide, the header
    row on every page, the deliverable and group in the footer with the page number."""
    response = connecte(cast["consultant"]).get(url(territoire, fmt))
    assert response.status_code == 200
    titre = "GT3 – liste des activités mutualisables – Ressources humaines"
    if fmt == "xlsx":
        verifier_xlsx(response.content, titre, paysage={"Ressources humaines"})
    else:
        assert verifier_ods(response.content, titre, paysage={"Ressources humaines"})["Ressources humaines"] == EN_TETES


def test_round_trip_edits_and_adds_in_one_version(cast, territoire, ligne, connecte):
    version = relire(ligne).livrable.version
    client = connecte(cast["copilote_rh_commune"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    ws.cell(2, POURQUOI).value = "Logiciels différents\nÉconomies d'échelle"
    ws.cell(2, QUALIF).value = "4"
    ws.cell(2, FAIS).value = "4+"
    ws.cell(2, MODALITE).value = "Groupement de commandes"  # the label is understood too
    ws.cell(2, COMMUNES).value = "bordeaux; 33318"
    ws.cell(3, 2).value = "RH-FORM"
    ws.cell(3, POURQUOI).value = "Plan de formation commun"
    ws.cell(3, QUALIF).value = 3
    ws.cell(3, COMMUNES).value = "Toutes"
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 302, response.content.decode()[:3000]
    ligne = relire(ligne)
    assert ligne.livrable.version == version + 1 and ligne.version == 2
    assert (ligne.pourquoi, ligne.qualification, ligne.faisabilite, ligne.modalite) == (
        "Logiciels différents\nÉconomies d'échelle",
        4,
        "4+",
        "groupement_commandes",
    )
    assert codes(ligne) == [BORDEAUX, "33318"] and not ligne.toutes_communes
    ajoutee = ligne.livrable.lignes_mutualisables.exclude(pk=ligne.pk).get()
    assert (ajoutee.activite.code, ajoutee.qualification, ajoutee.toutes_communes) == ("RH-FORM", 3, True)

    # An untouched fresh export changes nothing.
    assert (
        client.post(
            url(territoire, "importer"), {"fichier": sauver(classeur(client.get(url(territoire, "xlsx"))))}
        ).status_code
        == 302
    )
    assert relire(ligne).livrable.version == version + 1


def test_conflict_shown_then_resolved_each_way(cast, territoire, ligne, connecte):
    from livrables.gt3.actions import do_consensus

    client = connecte(cast["copilote_rh_epci"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    do_consensus(ligne, cast["consultant"], 3, "3")  # meanwhile in the app
    ws = wb.worksheets[0]
    ws.cell(2, QUALIF).value = 1  # the same cell: conflict
    ws.cell(2, POURQUOI).value = "Pourquoi changé"  # a cell the app did not change: taken
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 409
    [conflit] = response.context["conflits"]
    assert conflit.colonne == "Qualification (/4)" and conflit.valeurs_affichees() == ("2", "3", "1")
    assert "1 cellule en conflit" in response.content.decode()
    assert relire(ligne).pourquoi == "Logiciels différents"  # nothing written yet
    jeton = response.context["jeton"]
    response = client.post(url(territoire, "resoudre"), {"jeton": jeton, f"choix:{conflit.cle}": "application"})
    assert response.status_code == 302
    ligne = relire(ligne)
    assert ligne.qualification == 3 and ligne.pourquoi == "Pourquoi changé"
    # That token was applied: posted again, choosing the file this time, it is refused.
    response = client.post(url(territoire, "resoudre"), {"jeton": jeton, f"choix:{conflit.cle}": "fichier"})
    assert response.status_code == 409 and "importez de nouveau le fichier" in response.content.decode()
    assert relire(ligne).qualification == 3
    # The same file imported again: the conflict once more, with a fresh token, settled for the file.
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 409
    [conflit] = response.context["conflits"]
    response = client.post(
        url(territoire, "resoudre"), {"jeton": response.context["jeton"], f"choix:{conflit.cle}": "fichier"}
    )
    assert response.status_code == 302
    assert relire(ligne).qualification == 1


def test_invalid_values_are_reported_and_nothing_is_written(cast, territoire, ligne, connecte):
    version = relire(ligne).livrable.version
    client = connecte(cast["equipe_projet"])
    wb = classeur(client.get(url(territoire, "xlsx")))
    ws = wb.worksheets[0]
    ws.cell(2, POURQUOI).value = "Une modification valable"
    ws.cell(2, QUALIF).value = 5
    ws.cell(2, FAIS).value = "5"
    ws.cell(3, 2).value = "RH-PAIE"
    ws.cell(3, COMMUNES).value = "Bordeaux, Paris"
    ws.cell(4, 2).value = "RH-FORM"
    ws.cell(4, MODALITE).value = "fusion"
    ws.cell(5, 2).value = "RH-FORM"
    ws.cell(5, MODALITE).value = "entente"
    response = client.post(url(territoire, "importer"), {"fichier": sauver(wb)})
    assert response.status_code == 400
    erreurs = response.context["erreurs"]
    assert any(e.startswith("ligne 2 : Qualification (/4) « 5 » : Sélectionnez un choix valide") for e in erreurs)
    assert any(e.startswith("ligne 2 : Faisabilité (de 0 à 4+) « 5 » : Sélectionnez un choix valide") for e in erreurs)
    assert (
        "ligne 3 : Préconisation : communes « Paris » : commune inconnue : écrivez « toutes », ou les communes "
        "membres concernées (code INSEE ou nom) séparées par des virgules" in erreurs
    )
    assert any(
        e.startswith("ligne 4 : Préconisation : modalité « fusion » : Sélectionnez un choix valide") for e in erreurs
    )
    assert (
        "ligne 5 : Préconisation : communes « » : choisissez les communes concernées par la préconisation, ou "
        "écrivez « toutes »"
    ) in erreurs
    ligne = relire(ligne)
    assert ligne.livrable.version == version and ligne.pourquoi == "Logiciels différents"
    assert ligne.livrable.lignes_mutualisables.count() == 1


def test_ods_round_trip(cast, territoire, ligne, connecte):
    version = relire(ligne).livrable.version
    client = connecte(cast["consultant"])
    ods = client.get(url(territoire, "ods")).content
    fichier = io.BytesIO(ods)
    fichier.name = "gt3.ods"
    assert client.post(url(territoire, "importer"), {"fichier": fichier}).status_code == 302
    assert relire(ligne).livrable.version == version

    entree, sortie = zipfile.ZipFile(io.BytesIO(ods)), io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as z:
        for info in entree.infolist():
            contenu = entree.read(info.filename)
            if info.filename == "content.xml":  # the data sheet comes first: its cell, not the meta sheet's
                contenu = contenu.replace(b"<text:p>Logiciels diff", b"<text:p>Outils diff", 1)
            z.writestr(info, contenu)
    sortie.seek(0)
    sortie.name = "gt3.ods"
    response = client.post(url(territoire, "importer"), {"fichier": sortie})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert relire(ligne).pourquoi == "Outils différents"


def test_who_cannot_edit_gets_403(cast, territoire, ligne, connecte):
    wb = classeur(connecte(cast["consultant"]).get(url(territoire, "xlsx")))
    wb.worksheets[0].cell(2, QUALIF).value = 4
    for role in ("membre_rh", "dgs_bordeaux", "observateur"):
        client = connecte(cast[role])
        assert client.get(url(territoire, "xlsx")).status_code == 403
        assert client.post(url(territoire, "importer"), {"fichier": sauver(wb)}).status_code == 403
    assert relire(ligne).qualification == 2
    page = connecte(cast["consultant"]).get(reverse("livrables:gt3", kwargs={"code": territoire.code, "theme": "RH"}))
    assert url(territoire, "ods") in page.content.decode() and url(territoire, "importer") in page.content.decode()
