"""The rules of docs/contrats §5 that need no file: ranges, codes, overlaps (`issues`, `check`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from engine.scenario.entrees import (
    FIRST_YEAR,
    LAST_YEAR,
    MAD_MODALITES,
    MAX_AMOUNT,
    MODALITES,
    OTHER_MODALITES,
    Action,
    Scenario,
    Territoire,
)
from engine.themes import AUTRE, THEME_CODES

# --- Checks ------------------------------------------------------------------------------------------


# --- The words of a message: the file's (codes, keys) by default; the web renders the same issue with its
# forms' words (scenarios/calcul.py) without ever parsing the French text.


@dataclass(frozen=True)
class Champ:
    """A key of the scenario file (`part`, `cout_unitaire`…)."""

    cle: str


@dataclass(frozen=True)
class Modalite:
    code: str


@dataclass(frozen=True)
class Modalites:
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Commune:
    code: str


@dataclass(frozen=True)
class Communes:
    codes: tuple[str, ...]
    autres: int = 0  # how many more are not named


@dataclass(frozen=True)
class Nombre:
    valeur: float


class Mots:
    """How each kind of word is written; this one writes the file's words (docs/contrats §5, §6)."""

    def champ(self, cle: str) -> str:
        return cle

    def modalite(self, code: str) -> str:
        return code

    def commune(self, code: str) -> str:
        return code

    def rendre(self, valeur) -> str:
        if isinstance(valeur, Champ):
            return self.champ(valeur.cle)
        if isinstance(valeur, Modalite):
            return self.modalite(valeur.code)
        if isinstance(valeur, Modalites):
            return ", ".join(self.modalite(c) for c in valeur.codes)
        if isinstance(valeur, Commune):
            return self.commune(valeur.code)
        if isinstance(valeur, Communes):
            noms = ", ".join(self.commune(c) for c in valeur.codes)
            return noms + (f" et {valeur.autres} autres" if valeur.autres else "")
        if isinstance(valeur, Nombre):
            return _num(valeur.valeur)
        return str(valeur)


MOTS_FICHIER = Mots()

# code -> the rule in French; the parameters are the typed words above (or plain text).
MESSAGES = {
    "intervalle_0_1": "{champ} « {valeur} » : doit être compris entre 0 et 1",
    "part_intervalle": "{champ} « {valeur} » : doit être comprise entre 0 et 1",
    "gain_intervalle": "{champ} « {valeur} » : doit être compris entre 0 (inclus) et 1 (exclu)",
    "identifiant_double": "identifiant « {id} » en double (actions n° {premiere} et n° {seconde})",
    "theme_autre": "thème « AUTRE » refusé : une action porte sur l'un des neuf thèmes",
    "theme_inconnu": "thème « {theme} » inconnu : {themes} attendu",
    "activite_autre_theme": "activité « {activite} » : relève du thème {son_theme}, pas du thème {theme}",
    "communes_vide": "liste de communes vide : au moins une commune, ou « toutes »",
    "commune_epci": "commune « {commune} » : l'EPCI lui-même",
    "commune_hors": "commune « {commune} » : pas une commune membre du territoire",
    "commune_double": "commune « {commune} » en double",
    "modalite_inconnue": "modalité « {modalite} » inconnue : {modalites} attendue",
    "annee_intervalle": "année « {annee} » : doit être comprise entre {premiere} et {derniere}",
    "negatif": "{champ} « {valeur} » : ne peut pas être négatif",
    "trop_grand": "{champ} « {valeur} » : au plus {maximum}",
    "economie_personnel": (
        "{champ} : réservée aux modalités sans mouvement de personnel ({autres}) ; le gain d'un {modalite} se "
        "donne par « {gain} »"
    ),
    "sans_objet": "{champ} : sans objet pour une modalité sans mouvement de personnel ({modalite})",
    "unitaire_ensemble": "{cout_unitaire} et {unites} se donnent ensemble (D5211-16 : coût unitaire × unités)",
    "unitaire_mad": "{cout_unitaire} et {unites} : réservés aux mises à disposition ({modalites})",
    "chevauchement": (
        "les actions « {a} » et « {b} » se chevauchent ({quoi}, {communes_mot} {communes}) : une même base ne "
        "peut bouger deux fois"
    ),
}


@dataclass(frozen=True)
class Issue:
    """A rule broken by a scenario. `actions`: positions (0-based) of the actions involved (empty for the
    scenario itself); `field`: the key at fault; `code` and `params`: the rule (MESSAGES) and its words,
    which `texte` writes in the file's words or in another vocabulary (`Mots`)."""

    actions: tuple[int, ...]
    field: str | None
    code: str
    params: tuple[tuple[str, object], ...] = ()

    def texte(self, mots: Mots = MOTS_FICHIER) -> str:
        return MESSAGES[self.code].format(**{k: mots.rendre(v) for k, v in self.params})

    @property
    def text(self) -> str:
        """The French rule in the file's words, without the action's name."""
        return self.texte()


def chevauchent(a: Action, b: Action, territoire: Territoire) -> bool:
    """Two staff-moving actions overlap when they share a commune and a theme, and one has no activity
    or both have the same (docs/contrats §5)."""
    if not (a.moves_staff and b.moves_staff) or a.theme != b.theme:
        return False
    if a.activite and b.activite and a.activite != b.activite:
        return False
    if a.communes is None or b.communes is None:
        return bool(a.communes_de(territoire)) and bool(b.communes_de(territoire))
    return not set(a.communes).isdisjoint(b.communes)


def name(action: Action, position: int) -> str:
    return f"action « {action.id} » (n° {position + 1})"


def issues(
    scenario: Scenario, territoire: Territoire, activites: Mapping[str, str] | None = None, overlaps: bool = True
) -> list[Issue]:
    """Every rule of docs/contrats §5 that needs no file: ranges, codes, overlaps. `activites` maps the
    referential's activity codes to their theme (an activity of another theme is then an error);
    `overlaps=False` for candidate lists, where overlapping actions are allowed."""
    found: list[Issue] = []

    def bad(i: int, key: str, code: str, **params) -> None:
        found.append(Issue((i,), key, code, tuple(params.items())))

    if not 0 <= scenario.partage_gains <= 1:
        found.append(
            Issue(
                (),
                "partage_gains",
                "intervalle_0_1",
                (("champ", Champ("partage_gains")), ("valeur", Nombre(scenario.partage_gains))),
            )
        )
    members = set(territoire.communes)
    first_by_id: dict[str, int] = {}
    for i, a in enumerate(scenario.actions):
        if a.id in first_by_id:
            j = first_by_id[a.id]
            found.append(
                Issue((j, i), "id", "identifiant_double", (("id", a.id), ("premiere", j + 1), ("seconde", i + 1)))
            )
        else:
            first_by_id[a.id] = i
        if a.theme == AUTRE:
            bad(i, "theme", "theme_autre")
        elif a.theme not in THEME_CODES:
            bad(i, "theme", "theme_inconnu", theme=a.theme, themes=", ".join(THEME_CODES))
        elif a.activite and activites is not None and activites.get(a.activite, a.theme) != a.theme:
            bad(
                i,
                "activite",
                "activite_autre_theme",
                activite=a.activite,
                son_theme=activites[a.activite],
                theme=a.theme,
            )
        if a.communes is not None:
            if not a.communes:
                bad(i, "communes", "communes_vide")
            for code in a.communes:
                if code not in members:
                    bad(
                        i,
                        "communes",
                        "commune_epci" if code == territoire.epci else "commune_hors",
                        commune=Commune(code),
                    )
            seen = set()
            for code in a.communes:
                if code in seen:
                    bad(i, "communes", "commune_double", commune=Commune(code))
                seen.add(code)
        if a.modalite not in MODALITES:
            bad(i, "modalite", "modalite_inconnue", modalite=a.modalite, modalites=Modalites(MODALITES))
        if not 0 <= a.part <= 1:
            bad(i, "part", "part_intervalle", champ=Champ("part"), valeur=Nombre(a.part))
        if not 0 <= a.gain < 1:
            bad(i, "gain", "gain_intervalle", champ=Champ("gain"), valeur=Nombre(a.gain))
        if not FIRST_YEAR <= a.annee <= LAST_YEAR:
            bad(i, "annee", "annee_intervalle", annee=a.annee, premiere=FIRST_YEAR, derniere=LAST_YEAR)
        for key in ("economie", "charges_associees", "cout_unitaire", "unites"):
            value = getattr(a, key)
            if value is not None and value < 0:
                bad(i, key, "negatif", champ=Champ(key), valeur=Nombre(value))
            elif value is not None and value > MAX_AMOUNT:  # beyond any budget: a typing error, and sums overflow
                bad(i, key, "trop_grand", champ=Champ(key), valeur=Nombre(value), maximum=Nombre(MAX_AMOUNT))
        if a.modalite not in MODALITES:
            continue
        if a.moves_staff and a.economie:
            bad(
                i,
                "economie",
                "economie_personnel",
                champ=Champ("economie"),
                autres=Modalites(OTHER_MODALITES),
                modalite=Modalite(a.modalite),
                gain=Champ("gain"),
            )
        if not a.moves_staff:
            for key in ("charges_associees", "cout_unitaire", "unites"):
                if getattr(a, key):
                    bad(i, key, "sans_objet", champ=Champ(key), modalite=Modalite(a.modalite))
        elif (a.cout_unitaire is None) != (a.unites is None):
            missing = "unites" if a.unites is None else "cout_unitaire"
            bad(i, missing, "unitaire_ensemble", cout_unitaire=Champ("cout_unitaire"), unites=Champ("unites"))
        elif a.cout_unitaire is not None and a.modalite not in MAD_MODALITES:
            bad(
                i,
                "cout_unitaire",
                "unitaire_mad",
                cout_unitaire=Champ("cout_unitaire"),
                unites=Champ("unites"),
                modalites=Modalites(MAD_MODALITES),
            )
    if overlaps:
        actions = scenario.actions
        for j in range(len(actions)):
            for i in range(j):
                if chevauchent(actions[i], actions[j], territoire):
                    a, b = actions[i], actions[j]
                    found.append(Issue((i, j), "communes", "chevauchement", _overlap_params(a, b, territoire)))
    return found


def _overlap_params(a: Action, b: Action, territoire: Territoire) -> tuple:
    shared = [c for c in a.communes_de(territoire) if c in set(b.communes_de(territoire))]
    quoi = f"thème {a.theme}" + (f", activité {a.activite or b.activite}" if a.activite or b.activite else "")
    return (
        ("a", a.id),
        ("b", b.id),
        ("quoi", quoi),
        ("communes_mot", "communes" if len(shared) > 1 else "commune"),
        ("communes", Communes(tuple(shared[:5]), max(0, len(shared) - 5))),
    )


def check(
    scenario: Scenario,
    territoire: Territoire,
    activites: Mapping[str, str] | None = None,
    overlaps: bool = True,
    mots: Mots = MOTS_FICHIER,
) -> list[str]:
    """The broken rules as French messages, in action order (empty list: the scenario is valid), in the
    file's words or in those of `mots`."""
    return [message(issue, scenario, mots) for issue in issues(scenario, territoire, activites, overlaps)]


def message(issue: Issue, scenario: Scenario, mots: Mots = MOTS_FICHIER) -> str:
    """An issue as one message: a rule of one action is prefixed by the action's name."""
    if len(issue.actions) == 1:
        i = issue.actions[0]
        return f"{name(scenario.actions[i], i)} : {issue.texte(mots)}"
    return issue.texte(mots)


def _num(x: float) -> str:
    text = f"{x:.9f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0").replace(".", ",")
