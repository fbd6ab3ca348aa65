"""GT3 line → optimiser candidate (docs/contrats §5-6): tables of cases, no database."""

import json
from pathlib import Path

import pytest

from livrables.gt3.candidats import (
    LigneGT3,
    candidat,
    faisabilite_json,
    fichier_candidats,
    identifiant,
    raison_exclusion,
)

CAS = [
    # (line, expected candidate)
    (
        LigneGT3(7, "RH", "RH-PAIE", "service_commun", "3", True),
        {
            "id": "GT3-7",
            "theme": "RH",
            "activite": "RH-PAIE",
            "communes": "toutes",
            "modalite": "service_commun",
            "faisabilite": 3,
        },
    ),
    (
        LigneGT3(8, "FIN", "FIN-COMP", "mad_ascendante", "4+", False, ("33281", "33063", "33063")),
        {
            "id": "GT3-8",
            "theme": "FIN",
            "activite": "FIN-COMP",
            "communes": ["33063", "33281"],
            "modalite": "mad_ascendante",
            "faisabilite": "4+",
        },
    ),
    (
        LigneGT3(9, "CPAJ", "CPAJ-ACH", "groupement_commandes", "0", False, ("33522",)),
        {
            "id": "GT3-9",
            "theme": "CPAJ",
            "activite": "CPAJ-ACH",
            "communes": ["33522"],
            "modalite": "groupement_commandes",
            "faisabilite": 0,
        },
    ),
    (
        LigneGT3(10, "SI", None, "entente", "4", True),
        {"id": "GT3-10", "theme": "SI", "communes": "toutes", "modalite": "entente", "faisabilite": 4},
    ),
    # "toutes" wins over a stale list of communes
    (
        LigneGT3(11, "RH", "RH-FORM", "transfert", "1", True, ("33063",)),
        {
            "id": "GT3-11",
            "theme": "RH",
            "activite": "RH-FORM",
            "communes": "toutes",
            "modalite": "transfert",
            "faisabilite": 1,
        },
    ),
]

EXCLUES = [
    (LigneGT3(1, "RH", "RH-PAIE", "", "3", True), "pas de modalité suggérée"),
    (LigneGT3(2, "RH", "RH-PAIE", "service_commun", "", True), "pas de faisabilité retenue par le groupe"),
    (LigneGT3(3, "RH", "RH-PAIE", "service_commun", "2", False, ()), "aucune commune concernée"),
    (LigneGT3(4, "AUTRE", "X-Y", "service_commun", "2", True), "thème hors des neuf thèmes du schéma"),
    (LigneGT3(5, "RH", "RH-PAIE", "fusion", "2", True), "modalité inconnue : fusion"),
    (LigneGT3(6, "RH", "RH-PAIE", "entente", "5", True), "faisabilité inconnue : 5"),
]


@pytest.mark.parametrize("ligne, attendu", CAS)
def test_candidat(ligne, attendu):
    assert raison_exclusion(ligne) is None
    resultat = candidat(ligne)
    assert resultat == attendu
    assert list(resultat) == [
        k for k in ("id", "theme", "activite", "communes", "modalite", "faisabilite") if k in attendu
    ]


@pytest.mark.parametrize("ligne, raison", EXCLUES)
def test_lignes_qui_ne_sont_pas_candidates(ligne, raison):
    assert candidat(ligne) is None
    assert raison_exclusion(ligne) == raison


@pytest.mark.parametrize("valeur, attendu", [("0", 0), ("1", 1), ("2", 2), ("3", 3), ("4", 4), ("4+", "4+")])
def test_faisabilite_json(valeur, attendu):
    assert faisabilite_json(valeur) == attendu


def test_faisabilite_inconnue():
    with pytest.raises(ValueError, match="faisabilité inconnue"):
        faisabilite_json("5")


def test_identifiant_stable():
    assert identifiant(42) == "GT3-42" == candidat(LigneGT3(42, "RH", "RH-PAIE", "entente", "2", True))["id"]


def test_fichier_candidats_garde_l_ordre_et_ecarte_les_non_candidats():
    lignes = [CAS[1][0], EXCLUES[0][0], CAS[0][0]]
    fichier = fichier_candidats("GT3 RH", lignes)
    assert fichier == {"nom": "GT3 RH", "actions": [CAS[1][1], CAS[0][1]]}
    assert json.loads(json.dumps(fichier)) == fichier
    ids = [a["id"] for a in fichier["actions"]]
    assert len(ids) == len(set(ids))


def test_fichier_vide():
    assert fichier_candidats("GT3 FIN", []) == {"nom": "GT3 FIN", "actions": []}


def test_module_pur():
    import livrables.gt3.candidats as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    assert "django" not in source.lower().replace("no django", "")
