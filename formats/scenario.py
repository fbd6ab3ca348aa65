"""The scenario file (docs/contrats §5), JSON or YAML by extension, and the candidates file of
`mutualis optimize` (docs/contrats §6): a scenario file whose actions carry an `id` and a `faisabilite`.

This module owns the rules about the file itself (syntax, keys, types: a code is a string); the rules
about values (ranges, known themes and communes, overlaps) live in `engine.scenario.issues`, one home
each, and are reported here with the line of the key at fault. Every error is collected; messages
start with `ligne N : ` when the line is known, else `fichier : `. Pure Python: no Django import.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath

import yaml

from engine.scenario import (
    FIRST_YEAR,
    TOUTES,
    Action,
    Scenario,
    Territoire,
    issues,
)
from engine.vocabulaire import FAISABILITE_RANG
from formats.errors import InvalidFile, french_number, shown
from formats.payroll import theme_code

ACTION_KEYS = (
    "id",
    "theme",
    "activite",
    "communes",
    "modalite",
    "part",
    "gain",
    "annee",
    "economie",
    "charges_associees",
    "cout_unitaire",
    "unites",
)
SCENARIO_KEYS = ("nom", "partage_gains", "actions")
CANDIDATE_KEYS = ("faisabilite",)
CANDIDATES_TOP_KEYS = ("refus", "plafond_etp_annuel")
# A file gives feasibilities as numbers 0..4 or the string "4+" (counting 5 in sums).
FAISABILITES = {int(f) if f.isdigit() else f: rank for f, rank in FAISABILITE_RANG.items()}

Path = tuple[str | int, ...]
# Keys two actions are compared on (overlaps, duplicate ids).
_MATCHING = frozenset({"id", "theme", "activite", "communes", "modalite", "*"})


@dataclass(frozen=True)
class Candidats:
    """A candidates file: the actions (overlaps allowed), their feasibility by id (0..5, "4+" = 5), the
    themes each commune refuses, and the yearly ceiling of moved ETP (None: no ceiling)."""

    scenario: Scenario
    faisabilites: dict[str, int]
    refus: dict[str, frozenset[str]] = field(default_factory=dict)
    plafond_etp_annuel: float | None = None


def lire_scenario(
    data: bytes,
    filename: str,
    territoire: Territoire,
    activites: Mapping[str, str] | None = None,
    premiere_annee: int = FIRST_YEAR,
) -> Scenario:
    """Read and validate a scenario file; raise `InvalidFile` with every error if there is any."""
    return _Reader(data, filename, territoire, activites, premiere_annee, candidates=False).read()[0]


def lire_candidats(
    data: bytes,
    filename: str,
    territoire: Territoire,
    activites: Mapping[str, str] | None = None,
    premiere_annee: int = FIRST_YEAR,
) -> Candidats:
    """Read and validate a candidates file (`mutualis optimize`); raise `InvalidFile` on any error."""
    scenario, extra = _Reader(data, filename, territoire, activites, premiere_annee, candidates=True).read()
    return Candidats(scenario, extra["faisabilites"], extra["refus"], extra["plafond"])


class _Skip(Exception):
    """The document cannot be read further; the errors collected so far are raised."""


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _type_name(value) -> str:
    if value is None:
        return "une valeur vide"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, float) and not math.isfinite(value):
        return "un nombre infini ou indéfini"
    if isinstance(value, int | float):
        return "un nombre"
    if isinstance(value, str):
        return "un texte"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un objet"
    return "une date" if hasattr(value, "year") else "une valeur d'un autre type"


class _Reader:
    def __init__(self, data, filename, territoire, activites, premiere_annee, candidates):
        self.data, self.filename = data, filename
        self.territoire, self.activites = territoire, activites
        self.premiere_annee, self.candidates = premiere_annee, candidates
        self.lines: dict[Path, int] = {}  # path of a key or item -> its line (1-based)
        self.sources: dict[Path, str] = {}  # path of a scalar -> its text in the file
        self.errors: list[tuple[int, int, str]] = []  # (line or 0, sequence, message)
        self.broken: dict[int, set[str]] = {}  # action position -> keys already reported as unreadable

    # --- messages

    def line(self, path: Path) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return None

    def fail(self, path: Path, text: str, action: tuple[str, int] | None = None, key: str | None = None) -> None:
        if len(path) >= 2 and path[0] == "actions" and isinstance(path[1], int):
            self.broken.setdefault(path[1], set()).add(key or (path[2] if len(path) > 2 else "*"))
        line = self.line(path)
        who = ""
        if action:
            ident, position = action
            who = f"action « {ident} » : " if line else f"action « {ident} » (n° {position + 1}) : "
        prefix = f"ligne {line} : " if line else "fichier : "
        self.errors.append((line or 0, len(self.errors), prefix + who + text))

    def shown_value(self, path: Path, value) -> str:
        if path in self.sources:
            return shown(self.sources[path])
        if _is_number(value):
            return french_number(value)
        return shown(json.dumps(value, ensure_ascii=False, default=str))

    def raise_if_errors(self) -> None:
        if self.errors:
            raise InvalidFile([m for *_, m in sorted(self.errors)])

    # --- parsing

    def read(self):
        try:
            document = self.parse()
            return self.build(document)
        except _Skip:
            pass
        self.raise_if_errors()
        raise AssertionError("unreachable")  # pragma: no cover

    def parse(self):
        suffix = PurePath(self.filename).suffix.lower()
        if suffix not in (".json", ".yaml", ".yml"):
            self.fail((), f"extension « {suffix or 'aucune'} » non prise en charge : .json, .yaml ou .yml attendu")
            raise _Skip
        data = self.data[3:] if self.data.startswith(b"\xef\xbb\xbf") else self.data
        try:
            if b"\x00" in data:
                raise UnicodeDecodeError("utf-8", data, 0, 1, "NUL")
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            self.fail((), "encodage non pris en charge : enregistrez le fichier en UTF-8")
            raise _Skip from None
        if not text.strip():
            self.fail((), "fichier vide")
            raise _Skip
        if suffix == ".json":
            return self.parse_json(text)
        return self.parse_yaml(text)

    def parse_json(self, text: str):
        duplicates: list[str] = []

        def pairs(items):
            seen = {}
            for key, value in items:
                if key in seen:
                    duplicates.append(key)
                seen[key] = value
            return seen

        try:
            document = json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as exc:
            self.errors.append((exc.lineno, 0, f"ligne {exc.lineno} : JSON invalide : {exc.msg} (colonne {exc.colno})"))
            raise _Skip from None
        try:  # JSON is (nearly) YAML: its node tree gives the line of every key, when PyYAML reads it
            self.index(yaml.compose(text, Loader=yaml.SafeLoader), ())
        except yaml.YAMLError:
            self.lines.clear()
            self.sources.clear()
        if duplicates and not self.errors:
            for key in duplicates:
                self.fail((), f"clé « {key} » en double")
        return document

    def parse_yaml(self, text: str):
        try:
            loader = yaml.SafeLoader(text)
            try:
                node = loader.get_single_node()
                if node is None:
                    self.fail((), "fichier vide")
                    raise _Skip
                self.index(node, ())
                if self.errors:  # duplicate keys
                    raise _Skip
                return loader.construct_document(node)
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "syntaxe invalide"
            if mark is not None:
                self.errors.append((mark.line + 1, 0, f"ligne {mark.line + 1} : YAML invalide : {problem}"))
            else:
                self.fail((), f"YAML invalide : {problem}")
            raise _Skip from None
        except yaml.YAMLError as exc:
            self.fail((), f"YAML invalide : {exc}")
            raise _Skip from None

    def index(self, node, path: Path) -> None:
        """Record the line of every key and item, the text of every scalar, and duplicate keys."""
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, value_node in node.value:
                key = key_node.value
                if isinstance(key_node, yaml.ScalarNode) and key in seen:
                    line = key_node.start_mark.line + 1
                    self.errors.append(
                        (
                            line,
                            len(self.errors),
                            f"ligne {line} : clé « {shown(key)} » en double (déjà ligne {seen[key]})",
                        )
                    )
                seen.setdefault(key, key_node.start_mark.line + 1)
                child = (*path, key) if isinstance(key_node, yaml.ScalarNode) else path
                self.lines.setdefault(child, key_node.start_mark.line + 1)
                self.index(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                self.lines[(*path, i)] = item.start_mark.line + 1
                self.index(item, (*path, i))
        elif isinstance(node, yaml.ScalarNode):
            self.sources[path] = node.value

    # --- building

    def unknown_keys(self, mapping: dict, allowed: tuple[str, ...], path: Path, action=None) -> None:
        for key in mapping:
            if key not in allowed:
                hint = ""
                if key in CANDIDATE_KEYS + CANDIDATES_TOP_KEYS and not self.candidates:
                    hint = " (réservée aux fichiers de candidats de mutualis optimize)"
                self.fail(
                    (*path, key), f"clé « {shown(key)} » inconnue{hint} : clés permises {', '.join(allowed)}", action
                )

    def number(self, mapping: dict, key: str, path: Path, action=None, integer: bool = False):
        """The number under `key`, or None when absent or null (an error when of another type)."""
        value = mapping.get(key)
        if value is None:
            return None
        if not _is_number(value) or (integer and value != int(value)):
            what = "un nombre entier" if integer else "un nombre"
            self.fail(
                (*path, key),
                f"{key} « {self.shown_value((*path, key), value)} » : {_type_name(value)} ; {what} attendu",
                action,
            )
            return None
        return int(value) if integer else float(value)

    def text(self, mapping: dict, key: str, path: Path, action=None, code: bool = False) -> str | None:
        value = mapping.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.type_error((*path, key), key, value, action, code)
            return None
        return value.strip()

    def type_error(self, path: Path, key: str, value, action, code: bool) -> None:
        source = self.shown_value(path, value)
        if code and _is_number(value):
            rule = f'un code s\'écrit entre guillemets ("{source}") : sans guillemets il est lu comme un nombre' + (
                f" ({french_number(value)})" if source != french_number(value) else ""
            )
        else:
            rule = f"{_type_name(value)} ; un texte attendu"
        self.fail(path, f"{key} « {source} » : {rule}", action)

    def build(self, document):
        if not isinstance(document, dict):
            self.fail((), "le fichier décrit un objet avec une clé « actions » (liste des actions)")
            raise _Skip
        top_keys = SCENARIO_KEYS + (CANDIDATES_TOP_KEYS if self.candidates else ())
        self.unknown_keys(document, top_keys, ())
        nom = self.text(document, "nom", ())
        s = self.number(document, "partage_gains", ())
        partage = 0.0 if s is None else s
        raw_actions = document.get("actions")
        if "actions" not in document:
            self.fail((), "clé « actions » manquante : la liste des actions")
            raw_actions = []
        elif not isinstance(raw_actions, list):
            self.fail(("actions",), f"actions : {_type_name(raw_actions)} ; une liste d'actions attendue")
            raw_actions = []

        built: list[tuple[int, Action]] = []  # (position in the file, action)
        faisabilites: dict[str, int] = {}
        for i, raw in enumerate(raw_actions):
            path = ("actions", i)
            if not isinstance(raw, dict):
                self.fail(path, f"action n° {i + 1} : {_type_name(raw)} ; un objet attendu")
                continue
            action, faisabilite = self.action(raw, i, path)
            built.append((i, action))
            if faisabilite is not None:
                faisabilites[action.id] = faisabilite

        extra = {"faisabilites": faisabilites, "refus": {}, "plafond": None}
        if self.candidates:
            extra["refus"] = self.refus(document.get("refus"))
            plafond = self.number(document, "plafond_etp_annuel", ())
            if plafond is not None and plafond < 0:
                self.fail(
                    ("plafond_etp_annuel",),
                    f"plafond_etp_annuel « {french_number(plafond)} » : ne peut pas être négatif",
                )
            extra["plafond"] = plafond

        scenario = Scenario(nom=nom, partage_gains=partage, actions=tuple(a for _, a in built))
        positions = [i for i, _ in built]
        unreadable = {k: set(v) for k, v in self.broken.items()}  # before the value rules add theirs
        for issue in issues(scenario, self.territoire, self.activites, overlaps=not self.candidates):
            if not issue.actions:
                self.fail((issue.field,) if issue.field else (), issue.text)
                continue
            broken = [unreadable.get(positions[k], set()) for k in issue.actions]
            if len(issue.actions) > 1 and any(keys & _MATCHING for keys in broken):
                continue  # an overlap or duplicate among actions not fully read: said once they are
            if any(
                issue.field in keys or "*" in keys and issue.field in ("theme", "modalite", "communes")
                for keys in broken
            ):
                continue  # already reported as unreadable
            for k in issue.actions:
                a, position = scenario.actions[k], positions[k]
                self.fail(("actions", position, issue.field), issue.text, (a.id, position))
        self.raise_if_errors()
        return scenario, extra

    def action(self, raw: dict, i: int, path: Path):
        explicit = raw.get("id")
        ident = explicit.strip() if isinstance(explicit, str) and explicit.strip() else str(i + 1)
        who = (ident, i)
        allowed = ACTION_KEYS + (CANDIDATE_KEYS if self.candidates else ())
        self.unknown_keys(raw, allowed, path, who)
        if "id" in raw:
            self.text(raw, "id", path, who, code=True)
            if isinstance(explicit, str) and not explicit.strip():
                self.fail((*path, "id"), "id vide", who)
        elif self.candidates:
            self.fail(path, "id manquant : chaque candidat porte un identifiant unique", who, "id")

        theme = None
        if raw.get("theme") is None:
            self.fail(path, "theme manquant", who, "theme")
        else:
            text = self.text(raw, "theme", path, who, code=True)
            if text is not None:
                theme = theme_code(text) or text.upper()
        activite = self.text(raw, "activite", path, who, code=True)
        communes = self.communes(raw, path, who)
        modalite = None
        if raw.get("modalite") is None:
            self.fail(path, "modalite manquante", who, "modalite")
        else:
            text = self.text(raw, "modalite", path, who)
            modalite = text.lower() if text is not None else None
        values = {}
        for key in ("part", "gain", "economie", "charges_associees", "cout_unitaire", "unites"):
            values[key] = self.number(raw, key, path, who)
        annee = self.number(raw, "annee", path, who, integer=True)

        faisabilite = None
        if self.candidates:
            value = raw.get("faisabilite")
            key = value.strip() if isinstance(value, str) else value
            if value is None:
                self.fail(path, 'faisabilite manquante : 0, 1, 2, 3, 4 ou "4+"', who, "faisabilite")
            elif isinstance(value, bool) or key not in FAISABILITES or (isinstance(key, float) and key != int(key)):
                self.fail(
                    (*path, "faisabilite"),
                    f"faisabilite « {self.shown_value((*path, 'faisabilite'), value)} » "
                    ': 0, 1, 2, 3, 4 ou "4+" attendu',
                    who,
                )
            else:
                faisabilite = FAISABILITES[int(key) if _is_number(key) else key]

        # An action with unreadable keys is still checked on its other keys (errors are all collected);
        # neutral stand-ins replace what could not be read, and their issues are dropped in build().
        action = Action(
            id=ident,
            theme=theme or "",
            activite=activite.upper() if activite else None,
            communes=None if communes is False else communes,
            modalite=modalite or "",
            part=1.0 if values["part"] is None else values["part"],
            gain=values["gain"] or 0.0,
            annee=self.premiere_annee if annee is None else annee,
            economie=values["economie"] or 0.0,
            charges_associees=values["charges_associees"] or 0.0,
            cout_unitaire=values["cout_unitaire"],
            unites=values["unites"],
        )
        return action, faisabilite

    def communes(self, raw: dict, path: Path, who):
        """A tuple of codes, None for "toutes", or False when unreadable (errors reported)."""
        value = raw.get("communes")
        key = (*path, "communes")
        if value is None:
            self.fail(path, "communes manquantes : une liste de codes INSEE, ou « toutes »", who, "communes")
            return False
        if isinstance(value, str):
            if value.strip().lower() == TOUTES:
                return None
            self.fail(key, f"communes « {shown(value)} » : une liste de codes INSEE, ou « toutes »", who)
            return False
        if not isinstance(value, list):
            self.fail(key, f"communes : {_type_name(value)} ; une liste de codes INSEE, ou « toutes » attendu", who)
            return False
        codes, ok = [], True
        for j, item in enumerate(value):
            if isinstance(item, str):
                codes.append(item.strip().upper())
            else:
                self.type_error((*key, j), "communes", item, who, code=True)
                ok = False
        return tuple(codes) if ok else False

    def refus(self, value) -> dict[str, frozenset[str]]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(("refus",), f"refus : {_type_name(value)} ; un objet {{commune: [thèmes]}} attendu")
            return {}
        members = set(self.territoire.communes)
        result: dict[str, frozenset[str]] = {}
        for commune, themes in value.items():
            path = ("refus", commune)
            if not isinstance(commune, str):
                self.type_error(path, "refus", commune, None, code=True)
                continue
            code = commune.strip().upper()
            if code not in members:
                self.fail(path, f"refus : commune « {shown(commune)} » : pas une commune membre du territoire")
            if not isinstance(themes, list):
                self.fail(path, f"refus de {code} : {_type_name(themes)} ; une liste de thèmes attendue")
                continue
            codes = set()
            for j, item in enumerate(themes):
                if not isinstance(item, str):
                    self.type_error((*path, j), f"refus de {code}", item, None, code=True)
                    continue
                theme = theme_code(item)
                if theme is None or theme == "AUTRE":
                    self.fail((*path, j), f"refus de {code} : thème « {shown(item)} » inconnu")
                    continue
                codes.add(theme)
            result[code] = frozenset(codes)
        return result
