"""Tables of the payroll pages, laid out from the engine's figures and the reader API
(masse_salariale.confidentialite): every amount is a `Montant` the reader may or may not see.

The grid cells are an organisation's *own* agents in a theme (situation propre or transféré): the same
base a scenario's action moves. Agents made available to another body are cells of their own, counted
in their employer's total and, for the EPCI, in the numerator. Views call these; they compute nothing."""

from dataclasses import dataclass, field

import polars as pl

from engine.coefficient import CoefficientResult
from engine.themes import THEME_BY_CODE
from engine.vocabulaire import SITUATIONS
from masse_salariale.confidentialite import PROPRES, Lecture, Montant


@dataclass
class Ligne:
    """One row of a table: a label, an amount as this reader may see it, the ETP behind it (ETP are
    working time, not pay: always shown)."""

    cle: tuple
    libelle: str
    montant: Montant
    etp: float
    extra: dict = field(default_factory=dict)

    @property
    def visible(self) -> bool:
        return self.montant.visible


def _dest(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.col("situation") == "mad").then(pl.col("beneficiaire")).otherwise(pl.lit(PROPRES)).alias("dest")
    )


def etp_par_cellule(paie) -> dict[tuple[str, str, str], float]:
    """ETP per grid cell (employer, theme, beneficiary or "" for own agents), once per set of batches."""

    def reduire():
        grouped = _dest(paie.agregats).group_by("employeur", "theme", "dest").agg(pl.col("etp_ligne").sum())
        return {(e, t, d): f for e, t, d, f in grouped.iter_rows()}

    return paie.reduite("etp_par_cellule", reduire)


def lignes_employeurs(result: CoefficientResult, paie, organisations, lecture: Lecture) -> list[Ligne]:
    """Functional cost and ETP of each organisation (its published line), with the part counted in the
    numerator (the EPCI's whole line; a commune's cells of agents made available to the EPCI)."""
    functional = set(result.functional_themes)
    vers_epci: dict[str, list] = {}  # each commune's cells of agents made available to the EPCI, in grid order
    for k in lecture.tableau.grille():
        if k[2] == result.epci and k[1] in functional:
            vers_epci.setdefault(k[0], []).append(k)
    rows = []
    for org in organisations:
        emp = result.by_employer.get(org.code)
        if org.code == result.epci:
            numerateur = lecture.ligne("organisation", org.code)
        else:
            parts = [lecture.cellule(*k) for k in vers_epci.get(org.code, [])]
            numerateur = lecture.derive(sum(p.valeur for p in parts), parts)
        rows.append(
            Ligne(
                cle=(org.code,),
                libelle=org.nom,
                montant=lecture.ligne("organisation", org.code),
                etp=emp.functional_fte if emp else 0.0,
                extra={"organisation": org, "numerateur": numerateur, "lot": paie.lots.get(org.code)},
            )
        )
    return rows


def themes(result: CoefficientResult, lecture: Lecture) -> list[dict]:
    """Each functional theme's numerator and denominator (published lines) and its coefficient (public)."""
    return [
        {
            "theme": THEME_BY_CODE[c],
            "ratio": r,
            "numerateur": lecture.ligne("numerateur", c),
            "denominateur": lecture.ligne("denominateur", c),
        }
        for c, r in result.by_theme.items()
    ]


def matrice(paie, organisations, functional, lecture: Lecture) -> dict:
    """Organisation × theme: the cost of each organisation's own agents, and their ETP."""
    etp = etp_par_cellule(paie)
    grid = []
    for org in organisations:
        row = []
        for theme in functional:
            cle = (org.code, theme, PROPRES)
            row.append(
                {
                    "theme": theme,
                    "montant": lecture.cellule(*cle),
                    "etp": etp.get(cle, 0.0),
                    "vide": not lecture.tableau.cellules_de_ligne(("cellule", *cle)),
                }
            )
        grid.append({"organisation": org, "cellules": row})
    return {"themes": [THEME_BY_CODE[t] for t in functional], "lignes": grid}


def _theme(code: str) -> str:
    return THEME_BY_CODE[code].label if code in THEME_BY_CODE else code


def _fines(paie) -> dict[tuple[str, str, str], list[dict]]:
    """The fine rows of every grid cell, (employer, theme, beneficiary or "") → rows by activity, situation
    and beneficiary with their ETP and ETP per category: grouped once per set of batches, not filtered
    again for each cell of a drill-down."""

    def reduire():
        cells = (
            _dest(paie.agregats)
            .group_by("employeur", "theme", "dest", "activite", "situation", "beneficiaire")
            .agg(
                pl.col("etp_ligne").sum(),
                *(pl.col("etp_ligne").filter(pl.col("categorie") == c).sum().alias(f"etp_{c}") for c in "ABC"),
            )
        )
        par_cellule: dict[tuple[str, str, str], list[dict]] = {}
        for r in cells.sort("activite", "situation", "beneficiaire").iter_rows(named=True):
            par_cellule.setdefault((r["employeur"], r["theme"], r["dest"]), []).append(r)
        return par_cellule

    return paie.reduite("lignes_fines", reduire)


def _fine_rows(paie, lecture: Lecture, employeur, theme, dest, names, activites) -> list[Ligne]:
    return [
        Ligne(
            cle=(employeur, theme, r["activite"], r["situation"], r["beneficiaire"]),
            libelle=names.get(employeur, employeur),
            montant=lecture.atomes([(employeur, theme, r["activite"], r["situation"], r["beneficiaire"])]),
            etp=r["etp_ligne"],
            extra={
                "theme": _theme(theme),
                "activite": r["activite"],
                "activite_libelle": activites.get(r["activite"], ""),
                "situation": SITUATIONS.get(r["situation"], ""),
                "beneficiaire": names.get(r["beneficiaire"], r["beneficiaire"]),
                "etp_categories": [r["etp_A"], r["etp_B"], r["etp_C"]],
                "fin": True,
            },
        )
        for r in _fines(paie).get((employeur, theme, dest), [])
    ]


def detail(
    paie,
    result: CoefficientResult,
    lecture: Lecture,
    names: dict[str, str],
    activites: dict[str, str],
    employeur=None,
    theme=None,
    part=None,
) -> tuple[list[Ligne], Montant, bool]:
    """The cells behind a figure, as the grid shows them to this reader; for an employer whose every
    figure the reader sees, its fine rows (activity × situation × beneficiary, ETP per category). In the
    numerator, the communes' agents made available to the EPCI form one row per theme (a published
    line). `activites`: the referential's names by code. Returns (rows, total, fine)."""
    epci = result.epci
    themes_ = [theme] if theme else list(result.functional_themes)
    etp = etp_par_cellule(paie)
    cles = sorted(
        (
            k
            for k in lecture.tableau.grille()
            if k[1] in themes_
            and (employeur is None or k[0] == employeur)
            and (part != "numerateur" or k[0] == epci or k[2] == epci)
        ),
        key=lambda k: (k[0] != epci, k[0], k[1], k[2]),
    )
    rows: list[Ligne] = []
    fine_any = False
    mad_themes = []
    for cle in cles:
        emp, th, dest = cle
        if part == "numerateur" and emp != epci and employeur is None:
            if th not in mad_themes:
                mad_themes.append(th)
            continue
        if lecture.connait(emp):
            fine_any = True
            rows.extend(_fine_rows(paie, lecture, emp, th, dest, names, activites))
            continue
        rows.append(
            Ligne(
                cle=cle,
                libelle=names.get(emp, emp),
                montant=lecture.cellule(*cle),
                etp=etp.get(cle, 0.0),
                extra={"theme": _theme(th), "situation": _libelle_dest(dest, names), "fin": False},
            )
        )
    for th in mad_themes:
        cles_mad = lecture.tableau.cellules_de_ligne(("mis_a_disposition_epci", th))
        rows.append(
            Ligne(
                cle=("MAD", th),
                libelle="Communes : agents mis à disposition de l'EPCI",
                montant=lecture.ligne("mis_a_disposition_epci", th),
                etp=sum(etp.get((k[0], k[1], k[3]), 0.0) for k in cles_mad),
                extra={"theme": _theme(th), "situation": "Mis à disposition de l'EPCI", "fin": False},
            )
        )
    return rows, _total(lecture, rows, epci, employeur, theme, part), fine_any


def _libelle_dest(dest: str, names) -> str:
    return "Agents propres" if dest == PROPRES else f"Mis à disposition de {names.get(dest, dest)}"


def _total(lecture: Lecture, rows: list[Ligne], epci, employeur, theme, part) -> Montant:
    """The total of a drill-down: a published line when the selection is one, else derived from its rows."""
    ligne = None
    if employeur is None:
        nom = "numerateur" if part == "numerateur" else "denominateur"
        ligne = (nom, theme) if theme else (nom,)
    elif theme is None and (part != "numerateur" or employeur == epci):
        ligne = ("organisation", employeur)
    if ligne is not None:
        return lecture.ligne(*ligne)
    return lecture.derive(sum(r.montant.valeur for r in rows), [r.montant for r in rows])


@dataclass
class Enjeux:
    """The payroll at stake of GT3 lines (the GT3 pages, the priority matrix): what an action on an
    activity would move in the communes it concerns (docs/contrats §5: their lines that are not `mad`), as a
    reader may see it, with its ETP."""

    lecture: Lecture
    etp: dict  # (employer, theme, activity) -> ETP of the lines that are not `mad`

    @classmethod
    def depuis(cls, paie, lecture: Lecture) -> "Enjeux":
        def reduire():
            propres = paie.agregats.filter(pl.col("situation") != "mad").group_by("employeur", "theme", "activite")
            return {(e, t, a): f for e, t, a, f in propres.agg(pl.col("etp_ligne").sum()).iter_rows()}

        return cls(lecture, paie.reduite("etp_propres_par_activite", reduire))

    @property
    def vide(self) -> bool:
        return not self.lecture.tableau.cellules

    def masse(self, theme: str, activite: str | None, codes) -> dict:
        bases = [(c, self.lecture.base(c, theme, activite)) for c in codes]
        bases = [(c, m) for c, m in bases if m.agents]
        if not bases:
            return {"vide": True}
        montant = self.lecture.derive(sum(m.valeur for _, m in bases), [m for _, m in bases])
        etp = sum(
            v
            for (e, t, a), v in self.etp.items()
            if t == theme and (activite is None or a == activite) and e in {c for c, _ in bases}
        )
        return {"vide": False, "montant": montant, "secret": not montant.visible, "etp": etp, "nb_communes": len(bases)}
