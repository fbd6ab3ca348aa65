"""The audit trail of the deliverables: every write of livrables leaves its row in the territory's journal
(territoire.models.Evenement), named as livrables/journal.py words it, with the deliverable and what
changed in its details. One test per action name, performing the action (the spreadsheet imports through
the pages) and reading the row back; and a check that every action name the code writes has its wording
and its test here."""

import ast
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from territoire.models import Evenement
from tests.cast import BORDEAUX, MERIGNAC, PESSAC

pytestmark = pytest.mark.django_db

LIVRABLES = Path(__file__).resolve().parents[2] / "livrables"


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


def ligne_du_journal(action):
    """The one row of this action (two would be a write recorded twice)."""
    rows = list(Evenement.objects.filter(action=action))
    assert len(rows) == 1, f"{action} : {len(rows)} lignes du journal"
    return rows[0]


def verifier(evenement, territoire, user, livrable, **details):
    assert evenement.territoire_id == territoire.pk
    assert evenement.utilisateur_id == user.pk
    assert evenement.objet == str(livrable)
    assert evenement.details == {"livrable": livrable.pk, "type": livrable.type, "groupe": "RH", **details}


def remplir(territoire, groupe, user, commune=BORDEAUX):
    from livrables.actions import livrable_de
    from livrables.gt1.actions import do_enregistrer_inventaire

    livrable = livrable_de(groupe, "GT1")
    paie = territoire.activites.get(code="RH-PAIE")
    org = territoire.organisations.get(code=commune)
    n = do_enregistrer_inventaire(livrable, org, user, {paie.pk: {"exerce": True, "etp": Decimal("2")}})
    return livrable, n


def element(territoire, user, texte="Logiciels de paie différents", quadrant="faiblesse", groupe=None):
    from livrables.gt2.actions import do_ajouter_element, livrable_afor

    groupe = groupe or territoire.schemas.get().groupes.get(theme="RH")
    livrable = livrable_afor(groupe)
    activite = territoire.activites.get(code="RH-PAIE")
    return livrable, do_ajouter_element(livrable, user, activite, quadrant, texte, user.organisation)


def ligne_gt3(territoire, groupe, user):
    from livrables.gt3.actions import do_creer_ligne

    return do_creer_ligne(
        groupe,
        user,
        {
            "activite": territoire.activites.get(code="RH-PAIE"),
            "pourquoi": "Logiciels différents",
            "modalite": "service_commun",
            "communes": list(territoire.organisations.filter(code__in=[BORDEAUX, MERIGNAC])),
        },
    )


def soumis(territoire, groupe, cast):
    from livrables.circuit.actions import do_soumettre

    livrable, _ = remplir(territoire, groupe, cast["dgs_bordeaux"])
    return do_soumettre(livrable, cast["dgs_bordeaux"])


def verrouille(territoire, groupe, cast):
    from livrables.circuit.actions import do_viser

    livrable = soumis(territoire, groupe, cast)
    do_viser(livrable, cast["copilote_rh_commune"])
    do_viser(livrable, cast["copilote_rh_epci"])
    assert livrable.verrouille
    return livrable


# --- GT1 and the validation circuit ----------------------------------------------------------------------


def test_inventaire(cast, territoire, groupe_rh):
    livrable, n = remplir(territoire, groupe_rh, cast["dgs_bordeaux"])
    assert n == 1
    verifier(
        ligne_du_journal("livrables.inventaire"), territoire, cast["dgs_bordeaux"], livrable, commune=BORDEAUX, lignes=1
    )


def test_inventaire_unchanged_writes_no_row(cast, territoire, groupe_rh):
    remplir(territoire, groupe_rh, cast["dgs_bordeaux"])
    _, n = remplir(territoire, groupe_rh, cast["dgs_bordeaux"])
    assert n == 0 and Evenement.objects.filter(action="livrables.inventaire").count() == 1


def test_soumission(cast, territoire, groupe_rh):
    livrable = soumis(territoire, groupe_rh, cast)
    ligne = ligne_du_journal("livrables.soumission")
    verifier(ligne, territoire, cast["dgs_bordeaux"], livrable, avant="brouillon", apres="soumis")


def test_validation_then_verrouillage(cast, territoire, groupe_rh):
    livrable = verrouille(territoire, groupe_rh, cast)
    # the first visa leaves the deliverable submitted, the second locks it
    validation, verrouillage = ligne_du_journal("livrables.validation"), ligne_du_journal("livrables.verrouillage")
    verifier(validation, territoire, cast["copilote_rh_commune"], livrable, avant="soumis", apres="soumis")
    verifier(verrouillage, territoire, cast["copilote_rh_epci"], livrable, avant="soumis", apres="valide")


def test_renvoi(cast, territoire, groupe_rh):
    from livrables.circuit.actions import do_renvoyer

    livrable = soumis(territoire, groupe_rh, cast)
    do_renvoyer(livrable, cast["copilote_rh_epci"], "Ajouter Mérignac.")
    ligne = ligne_du_journal("livrables.renvoi")
    verifier(ligne, territoire, cast["copilote_rh_epci"], livrable, avant="soumis", apres="renvoye")


def test_reouverture(cast, territoire, groupe_rh):
    from livrables.circuit.actions import do_rouvrir

    livrable = verrouille(territoire, groupe_rh, cast)
    do_rouvrir(livrable, cast["equipe_projet"], "Une commune a changé d'organisation.")
    ligne = ligne_du_journal("livrables.reouverture")
    verifier(ligne, territoire, cast["equipe_projet"], livrable, avant="valide", apres="brouillon")


def test_restauration(cast, territoire, groupe_rh):
    from livrables.circuit.actions import do_restaurer

    livrable, _ = remplir(territoire, groupe_rh, cast["dgs_bordeaux"])
    do_restaurer(livrable, cast["consultant"], 1)
    verifier(ligne_du_journal("livrables.restauration"), territoire, cast["consultant"], livrable, numero=1)


# --- GT2 -------------------------------------------------------------------------------------------------


def test_afor_ajout(cast, territoire):
    livrable, ajoute = element(territoire, cast["membre_rh"])
    verifier(
        ligne_du_journal("livrables.afor_ajout"),
        territoire,
        cast["membre_rh"],
        livrable,
        activite="RH-PAIE",
        element=ajoute.pk,
    )


def test_afor_reformulation(cast, territoire):
    from livrables.gt2.actions import do_reformuler_element

    livrable, ajoute = element(territoire, cast["membre_rh"])
    assert do_reformuler_element(livrable, cast["copilote_rh_epci"], ajoute, "Trois logiciels de paie")
    verifier(
        ligne_du_journal("livrables.afor_reformulation"),
        territoire,
        cast["copilote_rh_epci"],
        livrable,
        activite="RH-PAIE",
        element=ajoute.pk,
    )


def test_afor_fusion(cast, territoire):
    from livrables.gt2.actions import do_fusionner_elements

    livrable, premier = element(territoire, cast["membre_rh"])
    _, second = element(territoire, cast["dgs_bordeaux"], "Paie sur des logiciels différents")
    do_fusionner_elements(livrable, cast["copilote_rh_commune"], [premier, second], premier)
    verifier(
        ligne_du_journal("livrables.afor_fusion"),
        territoire,
        cast["copilote_rh_commune"],
        livrable,
        activite="RH-PAIE",
        element=premier.pk,
        fusionnes=[second.pk],
    )


def test_afor_suppression(cast, territoire):
    from livrables.gt2.actions import do_supprimer_element

    livrable, ajoute = element(territoire, cast["membre_rh"])
    pk = ajoute.pk
    assert do_supprimer_element(livrable, cast["consultant"], ajoute) == 1
    verifier(
        ligne_du_journal("livrables.afor_suppression"),
        territoire,
        cast["consultant"],
        livrable,
        activite="RH-PAIE",
        element=pk,
    )


def test_a_refused_write_leaves_no_row(cast, territoire, groupe_rh):
    from commun.erreurs import ActionRefusee
    from livrables.gt2.actions import do_ajouter_element, livrable_afor

    livrable = livrable_afor(groupe_rh)
    with pytest.raises(ActionRefusee):
        do_ajouter_element(
            livrable, cast["membre_rh"], territoire.activites.get(code="RH-PAIE"), "faiblesse", "  ", None
        )
    assert not Evenement.objects.filter(action__startswith="livrables.").exists()


# --- GT3 -------------------------------------------------------------------------------------------------


def test_gt3_ajout(cast, territoire, groupe_rh):
    ligne = ligne_gt3(territoire, groupe_rh, cast["copilote_rh_commune"])
    verifier(
        ligne_du_journal("livrables.gt3_ajout"),
        territoire,
        cast["copilote_rh_commune"],
        ligne.livrable,
        activite="RH-PAIE",
        ligne=ligne.pk,
    )


def test_gt3_modification(cast, territoire, groupe_rh):
    from livrables.gt3.actions import do_modifier_ligne

    ligne = ligne_gt3(territoire, groupe_rh, cast["copilote_rh_commune"])
    assert do_modifier_ligne(ligne, cast["consultant"], {"pourquoi": "Économies d'échelle"}, ligne.version)
    verifier(
        ligne_du_journal("livrables.gt3_modification"),
        territoire,
        cast["consultant"],
        ligne.livrable,
        activite="RH-PAIE",
        ligne=ligne.pk,
    )


def test_gt3_consensus_is_a_modification(cast, territoire, groupe_rh):
    from livrables.gt3.actions import do_consensus

    ligne = ligne_gt3(territoire, groupe_rh, cast["copilote_rh_commune"])
    assert do_consensus(ligne, cast["copilote_rh_epci"], 4, "3")
    verifier(
        ligne_du_journal("livrables.gt3_modification"),
        territoire,
        cast["copilote_rh_epci"],
        ligne.livrable,
        activite="RH-PAIE",
        ligne=ligne.pk,
    )


def test_gt3_notation(cast, territoire, groupe_rh):
    from livrables.gt3.actions import do_noter

    ligne = ligne_gt3(territoire, groupe_rh, cast["copilote_rh_commune"])
    do_noter(ligne, cast["copilote_rh_epci"], "copilote_epci", 3, "4+")
    verifier(
        ligne_du_journal("livrables.gt3_notation"),
        territoire,
        cast["copilote_rh_epci"],
        ligne.livrable,
        activite="RH-PAIE",
        ligne=ligne.pk,
    )


def test_gt3_suppression(cast, territoire, groupe_rh):
    from livrables.gt3.actions import do_supprimer_ligne

    ligne = ligne_gt3(territoire, groupe_rh, cast["copilote_rh_commune"])
    livrable, pk = ligne.livrable, ligne.pk
    do_supprimer_ligne(ligne, cast["equipe_projet"])
    verifier(
        ligne_du_journal("livrables.gt3_suppression"),
        territoire,
        cast["equipe_projet"],
        livrable,
        activite="RH-PAIE",
        ligne=pk,
    )


# --- the spreadsheet imports, through the pages -------------------------------------------------------------


def classeur(client, nom, **kwargs):
    response = client.get(reverse(f"livrables:{nom}", kwargs=kwargs))
    assert response.status_code == 200, response.content[:500]
    return load_workbook(io.BytesIO(response.content))


def importer(client, wb, nom, **kwargs):
    fichier = io.BytesIO()
    wb.save(fichier)
    fichier.seek(0)
    fichier.name = "classeur.xlsx"
    response = client.post(reverse(f"livrables:{nom}", kwargs=kwargs), {"fichier": fichier})
    assert response.status_code == 302, response.content.decode()[:2000]


def rang(ws, colonne, valeur):
    for row in ws.iter_rows(min_row=2):
        if row[colonne - 1].value == valeur:
            return row[0].row
    raise AssertionError(valeur)


def test_import_tableur_gt1(cast, territoire, groupe_rh, connecte):
    livrable, _ = remplir(territoire, groupe_rh, cast["dgs_bordeaux"])
    Evenement.objects.all().delete()
    client = connecte(cast["dgs_bordeaux"])
    kwargs = {"code": territoire.code, "theme": "RH", "commune": BORDEAUX}
    wb = classeur(client, "gt1_tableur_xlsx", **kwargs)
    ws = wb.worksheets[0]
    ws.cell(rang(ws, 3, "RH-PAIE"), 6).value = "Paie sous Civil Net RH"  # Spécificités
    ws.cell(rang(ws, 3, "RH-FORM"), 7).value = "non"  # Exerce
    importer(client, wb, "gt1_tableur_importer", **kwargs)
    verifier(
        ligne_du_journal("livrables.import_tableur"),
        territoire,
        cast["dgs_bordeaux"],
        livrable,
        commune=BORDEAUX,
        lignes=2,
        conflits=0,
    )
    # Written through the commune page's own action: its row is there too.
    verifier(
        ligne_du_journal("livrables.inventaire"), territoire, cast["dgs_bordeaux"], livrable, commune=BORDEAUX, lignes=2
    )


def test_afor_import(cast, territoire, groupe_rh, connecte):
    livrable, ajoute = element(territoire, cast["membre_rh"])
    client = connecte(cast["copilote_rh_epci"])
    kwargs = {"code": territoire.code, "theme": "RH"}
    wb = classeur(client, "gt2_tableur_xlsx", **kwargs)
    ws = wb.worksheets[0]
    r = rang(ws, 1, f"E{ajoute.pk}")
    ws.cell(r, 5).value = "Trois logiciels de paie"  # reworded
    vide = r + 1  # the blank rows below the grid take additions
    ws.cell(vide, 2).value, ws.cell(vide, 4).value = "RH-PAIE", "Risques"
    ws.cell(vide, 5).value = "Départs en retraite non remplacés"  # added
    importer(client, wb, "gt2_tableur_importer", **kwargs)
    verifier(
        ligne_du_journal("livrables.afor_import"),
        territoire,
        cast["copilote_rh_epci"],
        livrable,
        ajouts=1,
        reformulations=1,
    )


def test_gt3_import(cast, territoire, groupe_rh, connecte):
    ligne = ligne_gt3(territoire, groupe_rh, cast["copilote_rh_commune"])
    client = connecte(cast["copilote_rh_commune"])
    kwargs = {"code": territoire.code, "theme": "RH"}
    wb = classeur(client, "gt3_tableur_xlsx", **kwargs)
    ws = wb.worksheets[0]
    ws.cell(rang(ws, 1, f"M{ligne.pk}"), 9).value = f"{BORDEAUX}, {PESSAC}"  # Préconisation : communes
    importer(client, wb, "gt3_tableur_importer", **kwargs)
    verifier(
        ligne_du_journal("livrables.gt3_import"),
        territoire,
        cast["copilote_rh_commune"],
        ligne.livrable,
        ajouts=0,
        modifications=1,
    )


# --- every action written is worded and tested ---------------------------------------------------------------


def actions_ecrites() -> set[str]:
    """The action names passed to livrables.actions.evenement anywhere in livrables/."""
    noms = set()
    for fichier in LIVRABLES.rglob("*.py"):
        for noeud in ast.walk(ast.parse(fichier.read_text(encoding="utf-8"))):
            if (
                isinstance(noeud, ast.Call)
                and getattr(noeud.func, "id", getattr(noeud.func, "attr", "")) == "evenement"
            ):
                for arg in noeud.args:
                    for sous in ast.walk(arg):
                        if isinstance(sous, ast.Constant) and str(sous.value).startswith("livrables."):
                            noms.add(sous.value)
    return noms


def test_every_action_written_is_worded_and_has_its_test_here():
    from livrables.journal import PHRASES

    ecrites = actions_ecrites()
    assert len(ecrites) >= 18
    assert ecrites == set(PHRASES)
    source = Path(__file__).read_text(encoding="utf-8")
    assert not [a for a in ecrites if f'ligne_du_journal("{a}")' not in source]
