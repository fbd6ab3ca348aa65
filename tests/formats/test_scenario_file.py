"""Reading scenario and candidates files (docs/contrats §5, §6): every rule, with its line."""

import pytest

from engine.scenario import Territoire
from formats.errors import InvalidFile
from formats.scenario import lire_candidats, lire_scenario

E, A, B = "243300316", "33063", "01004"
T = Territoire(E, True, (A, B), {A: 100, B: 50})


def errors(data: str, name="s.yaml", reader=lire_scenario):
    with pytest.raises(InvalidFile) as exc:
        reader(data.encode(), name, T)
    return exc.value.errors


def test_json_example_of_the_contract():
    s = lire_scenario(
        b'{"nom": "Cycle 1", "partage_gains": 0, "actions": [{"id": "a1", "theme": "RH", '
        b'"activite": "RH-PAIE", "communes": ["33063", "01004"], "modalite": "service_commun", '
        b'"part": 1, "gain": 0.1, "annee": 2027}]}',
        "s.json",
        T,
    )
    a = s.actions[0]
    assert s.nom == "Cycle 1" and s.partage_gains == 0
    assert (a.id, a.theme, a.activite, a.communes, a.modalite, a.part, a.gain, a.annee) == (
        "a1",
        "RH",
        "RH-PAIE",
        (A, B),
        "service_commun",
        1.0,
        0.1,
        2027,
    )


def test_yaml_defaults_labels_and_toutes():
    s = lire_scenario(
        b"""
actions:
  - theme: Ressources humaines
    communes: toutes
    modalite: Service_Commun
  - theme: SI
    activite: si-infr
    communes: ["01004"]
    modalite: entente
    economie: 5000
""",
        "s.yml",
        T,
        premiere_annee=2027,
    )
    a, b = s.actions
    assert s.nom is None and s.partage_gains == 0
    assert (a.id, a.theme, a.communes, a.modalite, a.part, a.gain, a.annee) == (
        "1",
        "RH",
        None,
        "service_commun",
        1.0,
        0.0,
        2027,
    )
    assert (b.id, b.activite, b.economie) == ("2", "SI-INFR", 5000.0)
    assert a.communes_de(T) == (A, B)


def test_yaml_code_without_quotes_is_an_error_showing_the_text():
    errs = errors("actions:\n  - theme: RH\n    communes: [01004, 33063]\n    modalite: service_commun\n")
    assert len(errs) == 2
    assert errs[0].startswith("ligne 3 : action « 1 » : communes « 01004 » : un code s'écrit entre guillemets")
    assert "(516)" in errs[0]  # what YAML made of it


def test_numbers_where_codes_are_expected():
    errs = errors(
        '{"actions": [{"id": 7, "theme": 3, "activite": 1, "communes": [33063], "modalite": "entente"}]}', "s.json"
    )
    assert [e.split(" : ")[2].split(" ")[0] for e in errs] == ["id", "theme", "activite", "communes"]
    assert all(e.startswith("ligne 1 : ") for e in errs)


def test_errors_are_all_collected_sorted_with_their_lines():
    errs = errors("""nom: x
partage_gains: 2
actions:
  - id: a1
    theme: RH
    communes: ["99999"]
    modalite: service_commun
    part: 1.5
    gain: 1
    annee: 2040
    foo: 1
  - id: a1
    theme: AUTRE
    communes: toutes
    modalite: teleportation
""")
    assert errs == [
        "ligne 2 : partage_gains « 2 » : doit être compris entre 0 et 1",
        "ligne 4 : action « a1 » : identifiant « a1 » en double (actions n° 1 et n° 2)",
        "ligne 6 : action « a1 » : commune « 99999 » : pas une commune membre du territoire",
        "ligne 8 : action « a1 » : part « 1,5 » : doit être comprise entre 0 et 1",
        "ligne 9 : action « a1 » : gain « 1 » : doit être compris entre 0 (inclus) et 1 (exclu)",
        "ligne 10 : action « a1 » : année « 2040 » : doit être comprise entre 2026 et 2032",
        "ligne 11 : action « a1 » : clé « foo » inconnue : clés permises id, theme, activite, communes, modalite, "
        "part, gain, annee, economie, charges_associees, cout_unitaire, unites",
        "ligne 12 : action « a1 » : identifiant « a1 » en double (actions n° 1 et n° 2)",
        "ligne 13 : action « a1 » : thème « AUTRE » refusé : une action porte sur l'un des neuf thèmes",
        "ligne 15 : action « a1 » : modalité « teleportation » inconnue : service_commun, transfert, mad_ascendante, "
        "mad_descendante, groupement_commandes, prestation, mise_en_commun_biens, entente attendue",
    ]


def test_overlap_reported_on_both_actions_naming_both_ids():
    errs = errors(
        '{"actions": [\n{"id": "a", "theme": "RH", "communes": "toutes", "modalite": "service_commun"},\n'
        '{"id": "b", "theme": "RH", "activite": "RH-PAIE", "communes": ["01004"], "modalite": "transfert"}\n]}',
        "s.json",
    )
    assert len(errs) == 2 and errs[0].startswith("ligne 2 : ") and errs[1].startswith("ligne 3 : ")
    assert all("« a »" in e and "« b »" in e and "se chevauchent" in e for e in errs)


@pytest.mark.parametrize(
    "body,fragment",
    [
        ('"part": "50 %"', "part « 50 % » : un texte ; un nombre attendu"),
        ('"part": true', "un booléen"),
        ('"annee": 2027.5', "un nombre entier attendu"),
        ('"economie": 10', "economie : réservée aux modalités sans mouvement de personnel"),
        ('"cout_unitaire": 10', "cout_unitaire et unites se donnent ensemble"),
        ('"communes": "quelques-unes"', "une liste de codes INSEE, ou « toutes »"),
        ('"modalite": null', "modalite manquante"),
        ('"part": 1e400', "part « 1e400 » : un nombre infini ou indéfini ; un nombre attendu"),
        ('"charges_associees": 1e13', "charges_associees « 10000000000000 » : au plus 1000000000000"),
    ],
)
def test_value_rules(body, fragment):
    base = {"theme": '"RH"', "communes": '["33063"]', "modalite": '"mad_descendante"'}
    key = body.split(":")[0].strip('"')
    base[key] = body.split(":", 1)[1].strip()
    text = '{"actions": [{' + ", ".join(f'"{k}": {v}' for k, v in base.items()) + "}]}"
    errs = errors(text, "s.json")
    assert len(errs) == 1 and fragment in errs[0], errs


def test_file_level_errors():
    assert errors("{}", "s.txt")[0].startswith("fichier : extension « .txt »")
    assert errors("", "s.json") == ["fichier : fichier vide"]
    assert errors('{"actions": [', "s.json")[0].startswith("ligne 1 : JSON invalide")
    assert errors("actions: [\n  - a\n", "s.yaml")[0].startswith("ligne ")
    assert errors("[1, 2]", "s.yaml")[0].startswith("fichier : le fichier décrit un objet")
    assert errors("nom: x\n", "s.yaml") == ["fichier : clé « actions » manquante : la liste des actions"]
    assert errors("actions: []\nactions: []\n", "s.yaml")[0].startswith("ligne 2 : clé « actions » en double")
    assert errors("actions: []\nrefus: {}\n")[0].startswith("ligne 2 : clé « refus » inconnue (réservée aux fichiers")
    with pytest.raises(InvalidFile) as exc:
        lire_scenario("actions: []".encode("utf-16"), "s.yaml", T)
    assert exc.value.errors[0].startswith("fichier : encodage non pris en charge")


def test_bom_and_empty_actions_are_fine():
    assert lire_scenario(b'\xef\xbb\xbf{"actions": []}', "s.json", T).actions == ()


def test_unit_cost_and_charges_are_read():
    a = lire_scenario(
        b'{"actions": [{"theme": "FIN", "communes": ["33063"], "modalite": "mad_ascendante", '
        b'"cout_unitaire": 45.5, "unites": 1200, "charges_associees": 3000}]}',
        "s.json",
        T,
    ).actions[0]
    assert (a.cout_unitaire, a.unites, a.charges_associees, a.unit_price) == (45.5, 1200.0, 3000.0, 45.5 * 1200)


CANDIDATES = """
plafond_etp_annuel: 12.5
refus:
  "33063": [FIN, Ressources humaines]
actions:
  - {id: c1, theme: RH, communes: toutes, modalite: service_commun, faisabilite: 3}
  - {id: c2, theme: RH, activite: RH-PAIE, communes: ["33063"], modalite: transfert, faisabilite: "4+"}
  - {id: c3, theme: SI, communes: toutes, modalite: entente, faisabilite: 0}
"""


def test_candidates_overlaps_allowed_feasibility_refus_ceiling():
    c = lire_candidats(CANDIDATES.encode(), "c.yaml", T)
    assert [a.id for a in c.scenario.actions] == ["c1", "c2", "c3"]
    assert c.faisabilites == {"c1": 3, "c2": 5, "c3": 0}
    assert c.refus == {A: frozenset({"FIN", "RH"})}
    assert c.plafond_etp_annuel == 12.5
    assert lire_candidats(b'{"actions": []}', "c.json", T).plafond_etp_annuel is None


def test_candidates_rules():
    errs = errors(
        """
plafond_etp_annuel: -1
refus:
  33063: [FIN]
  "99999": [XYZ]
actions:
  - {theme: RH, communes: toutes, modalite: service_commun, faisabilite: 3}
  - {id: c2, theme: RH, communes: toutes, modalite: service_commun, faisabilite: 5}
  - {id: c3, theme: RH, communes: toutes, modalite: service_commun}
""",
        "c.yaml",
        lire_candidats,
    )
    assert any(e.startswith("ligne 2 : plafond_etp_annuel « -1 »") for e in errs)
    assert any(e.startswith("ligne 3 : refus « 33063 » : un code s'écrit entre guillemets") for e in errs)
    assert any(e.startswith("ligne 5 : refus : commune « 99999 »") for e in errs)
    assert any(e.startswith("ligne 5 : refus de 99999 : thème « XYZ » inconnu") for e in errs)
    assert any(e.startswith("ligne 7 : action « 1 » : id manquant") for e in errs)
    assert any(e.startswith("ligne 8 : action « c2 » : faisabilite « 5 »") for e in errs)
    assert any(e.startswith("ligne 9 : action « c3 » : faisabilite manquante") for e in errs)
    assert not any("chevauchent" in e for e in errs)
    assert errors(
        '{"actions": [{"theme": "RH", "communes": "toutes", "modalite": "entente", "faisabilite": 1}]}', "s.json"
    )[0].startswith("ligne 1 : action « 1 » : clé « faisabilite » inconnue (réservée")
