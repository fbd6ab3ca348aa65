"""Every action an app writes to the audit trail has its French sentence in that app's journal.py: the
« dernière activité » never shows a code (« parcours : reception »)."""

import ast
from pathlib import Path

from espace.activite import MASQUES, phrases
from tests.test_architecture import LAYERS

ROOT = Path(__file__).resolve().parents[2]
PAQUETS = [ROOT / nom for nom in LAYERS if "." not in nom]


def actions_ecrites() -> set[tuple[str, str]]:
    """(file, action code) of every `action="app.xxx"` keyword and every literal first-class code passed to
    an `_evenement(…, "app.xxx", …)` helper in the application's code."""
    found = set()
    for path in (p for paquet in PAQUETS for p in paquet.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            for kw in node.keywords:
                if kw.arg == "action" and isinstance(kw.value, ast.Constant) and "." in str(kw.value.value):
                    found.add((str(path.relative_to(ROOT)), kw.value.value))
            nom = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if nom == "_evenement":
                for arg in node.args:
                    if (
                        isinstance(arg, ast.Constant)
                        and isinstance(arg.value, str)
                        and "." in arg.value
                        and " " not in arg.value
                    ):
                        found.add((str(path.relative_to(ROOT)), arg.value))
    return found


def test_every_action_written_has_a_sentence():
    connues = phrases()
    sans = sorted(f"{fichier} : {code}" for fichier, code in actions_ecrites() if code not in connues.keys() | MASQUES)
    assert not sans, "action du journal sans phrase dans <app>/journal.py : " + ", ".join(sans)


def test_the_sweep_finds_the_legal_paths_actions():
    codes = {code for _, code in actions_ecrites()}
    assert {"parcours.reception", "parcours.approbation", "territoire.sirets"} <= codes
