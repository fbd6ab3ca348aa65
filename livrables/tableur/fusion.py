"""The cell-by-cell three-way merge of a re-imported workbook with the rows in the app now, and its
conflicts (the conflict page lets the user choose, cell by cell).

Conflicts are decided on values, not on row versions: a restored version of the deliverable gives rows a
version unrelated to the export's, while the values exported, in the app and in the file always tell
who changed what. The row versions stay in the meta sheet for information."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from livrables.tableur.disposition import Disposition, RangImport


@dataclass
class Conflit:
    ligne: int
    rang: str  # the row's key
    libelle: str  # the row as the conflict page names it
    champ: str
    colonne: str
    exporte: str
    application: str
    fichier: str
    affichees: tuple[str, str, str] = ("", "", "")
    # The app value changed since the conflict page showed this cell: the choice made there is void.
    nouvelle_valeur: bool = False

    @property
    def cle(self) -> str:
        return f"{self.rang}|{self.champ}"

    @property
    def activite_code(self) -> str:
        return self.libelle

    def valeurs_affichees(self):
        return self.affichees


@dataclass
class Fusion:
    valeurs: dict[str, dict[str, str]]  # row key -> final canonical values (only rows that change)
    conflits: list[Conflit]  # every conflicting cell (resolved or not)
    non_resolus: list[Conflit]
    erreurs: list[str]
    avertissements: list[str] = field(default_factory=list)  # rows left out, said after the import

    def montres(self) -> dict[str, str]:
        """{conflict key: app value} as the conflict page shows them: carried by the page's token, so that a
        choice is applied only to the value the user saw (`fusionner`'s `montres`)."""
        return {c.cle: c.application for c in self.conflits}


def fusionner(
    d: Disposition,
    rangs: list[RangImport],
    actuelles: dict[str, tuple[int, dict[str, str]]],
    choix: dict[str, str] | None = None,
    libelle: Callable[[RangImport], str] | None = None,
    montres: dict[str, str] | None = None,
) -> Fusion:
    """Merge the file cell by cell. `actuelles` is {row key: (stored version, canonical values)} of the
    rows in the app now (a key absent: a row not in the app, e.g. an addition); `choix` is
    {conflict key: "application" | "fichier"} and `montres` {conflict key: app value} as the conflict
    page showed them.

    With f the file's value, e the exported one and a the app's: a cell the file did not change (f = e)
    or changed to the app's value (f = a) keeps the app's value; a cell the file changed takes the
    file's value, unless the app changed it too since the export (a ≠ e): then it is a conflict, never
    silently overwritten. Values decide, not row versions (a restored version brings back older values
    with any version). A conflict is settled by its choice only if the app value is still the one shown
    with it: a choice is never applied to a value the user did not see."""
    choix, montres = choix or {}, montres or {}
    libelle = libelle or (lambda r: r.activite_code or r.cle)
    valeurs, conflits, non_resolus, erreurs = {}, [], [], []
    for r in rangs:
        _, app = actuelles.get(r.cle, (0, d.vide))
        final = dict(app)
        for champ in d.champs:
            f, e, a = r.fichier[champ], r.exporte[champ], app[champ]
            if f in (e, a):
                continue
            if a != e:
                c = Conflit(
                    r.ligne,
                    r.cle,
                    libelle(r),
                    champ,
                    d.libelles[champ],
                    e,
                    a,
                    f,
                    (d.affiche(champ, e), d.affiche(champ, a), d.affiche(champ, f)),
                )
                conflits.append(c)
                vu = c.cle in montres and montres[c.cle] == a
                c.nouvelle_valeur = c.cle in montres and not vu
                decision = choix.get(c.cle) if vu else None
                if decision == "fichier":
                    final[champ] = f
                elif decision != "application":
                    non_resolus.append(c)
                continue
            final[champ] = f
        if d.verifier is not None:
            erreurs += d.verifier(r, final)
        if final != app or r.est_ajout:
            valeurs[r.cle] = final
    return Fusion(valeurs, conflits, non_resolus, erreurs)


def ecarter_doublons(
    rangs: list[RangImport], existantes, signature: Callable[[RangImport], object]
) -> tuple[list[RangImport], list[str]]:
    """Additions identical to a row already in the app (or to an earlier row of the file) are left out,
    with a message: importing the same filled file twice, e.g. after fixing a typo in it, must not add
    its rows twice. `existantes` are the signatures of the rows in the app (`signature` of an addition)."""
    vues = set(existantes)
    gardes, messages = [], []
    for r in rangs:
        if r.est_ajout:
            cle = signature(r)
            if cle in vues:
                messages.append(f"ligne {r.ligne} : déjà présente, ignorée")
                continue
            vues.add(cle)
        gardes.append(r)
    return gardes, messages


def activites_disparues(rangs: list[RangImport], fusion: Fusion, codes) -> list[str]:
    """Rows to write whose activity left the theme's referential since the file was read (a conflict page
    answered later): their values have nowhere to go."""
    return [
        f"ligne {r.ligne} : l'activité « {r.activite_code} » n'est plus dans le référentiel de ce thème : "
        f"réimportez le fichier"
        for r in rangs
        if r.cle in fusion.valeurs and r.activite_code not in codes
    ]


def ecarter_disparus(
    d: Disposition, rangs: list[RangImport], actuelles: dict, regle: str
) -> tuple[list[RangImport], list[str]]:
    """Rows exported but gone from the app since (deleted, merged): left out when the file did not change
    them, an error when it did (the change has nowhere to go; `regle` says what to do)."""
    gardes, erreurs = [], []
    for r in rangs:
        if r.est_ajout or r.cle in actuelles:
            gardes.append(r)
        elif r.fichier != r.exporte:
            champ = next(c for c in d.champs if r.fichier[c] != r.exporte[c])
            erreurs.append(f"ligne {r.ligne} : {d.libelles[champ]} « {d.affiche(champ, r.fichier[champ])} » : {regle}")
    return gardes, erreurs
