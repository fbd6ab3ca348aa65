"""Tables of the payroll pages, with statistical secrecy applied for the reader (comptes.perms.Acces).

One hiding pattern per reader and page load (`Masque`), computed on the published grid — employer ×
functional theme, plus per theme the communes' agents made available to the EPCI — with every total
the pages publish as a line: each organisation's functional total, each theme's denominator and
numerator. Every table (organisations, matrix, drill-down, chart) reads that pattern, so that no figure
of one table can be subtracted from a total of another to recover a hidden cell.

Views call these; they compute no figure themselves (figures come from engine.coefficient)."""

from dataclasses import dataclass, field

import polars as pl

from engine.coefficient import CoefficientResult, in_numerator
from engine.secret import suppress
from engine.themes import THEME_BY_CODE

SITUATIONS = {"propre": "Propre", "transfere": "Transféré", "mad": "Mis à disposition"}
MAD = "MAD"  # the grid row of the communes' agents made available to the EPCI


@dataclass
class Ligne:
    """One row of a table: an organisation's (or a cell's) cost and ETP, possibly hidden."""

    cle: tuple
    libelle: str
    montant: float
    etp: float
    nb_agents: int
    visible: bool = True
    extra: dict = field(default_factory=dict)


@dataclass
class Masque:
    """What this reader may see of the published grid."""

    cellules: dict  # (employer or MAD, theme) -> (amount, ETP, agents)
    caches: set
    lignes_cachees: set

    def cellule(self, employeur, theme) -> bool:
        return (employeur, theme) not in self.caches

    def total_employeur(self, employeur) -> bool:
        return ("row", employeur) not in self.lignes_cachees and any(
            k[0] == employeur for k in self.cellules) or not any(k[0] == employeur for k in self.cellules)


def _mad_key(theme):
    # MAD cells sit in columns of their own, so that they never count in a theme's denominator line.
    return (MAD, ("num", theme))


def masque(paie, result: CoefficientResult, acces) -> Masque:
    themes = list(result.functional_themes)
    eff = paie.effectifs.filter(pl.col("theme").is_in(themes))
    cells = {(e, t): (m, f, n) for e, t, n, m, f in eff.select("employeur", "theme", "nb_agents", "montant", "etp").iter_rows()}
    mad = (
        paie.agregats.filter(pl.col("theme").is_in(themes) & (pl.col("employeur") != result.epci)
                             & in_numerator(result.epci))
        .group_by("theme").agg(pl.col("montant").sum(), pl.col("etp_ligne").sum(), pl.col("nb_agents").max())
    )
    for theme, m, f, n in mad.iter_rows():
        cells[_mad_key(theme)] = (m, f, n)  # agents: a lower bound (largest cell), never an over-count
    values = {k: v[0] for k, v in cells.items() if v[0] or v[2]}
    primary = [k for k, v in cells.items()
               if not acces.voit_cellule(k[0] if k[0] != MAD else "", v[2])]
    known = [k for k, v in cells.items() if k[0] != MAD and acces.est_employeur(k[0]) and acces.voit_cellule(k[0], v[2])]
    extra = {("num", t): [(result.epci, t), _mad_key(t)] for t in themes}
    hidden, exposed = suppress(values, primary, known, extra)
    return Masque(cells, hidden, exposed)


def agents_fonctionnels(paie, functional) -> dict[str, int]:
    """A lower bound of each employer's distinct functional agents (the largest theme count): an agent
    may work in several themes, and secrecy must never over-count."""
    counts = paie.effectifs.filter(pl.col("theme").is_in(list(functional)))
    grouped = counts.group_by("employeur").agg(pl.col("nb_agents").max())
    return dict(grouped.iter_rows())


def lignes_employeurs(result: CoefficientResult, paie, organisations, acces, m: Masque | None = None):
    """Functional cost and ETP of each organisation (EPCI first), with the amount of it counted in the
    numerator (the EPCI's own, and a commune's agents made available to the EPCI).
    Returns (rows, total_visible): the grand total is the public denominator."""
    m = m or masque(paie, result, acces)
    agents = agents_fonctionnels(paie, result.functional_themes)
    in_num = (
        paie.agregats.filter(pl.col("theme").is_in(list(result.functional_themes)) & in_numerator(result.epci))
        .group_by("employeur").agg(pl.col("montant").sum(), pl.col("nb_agents").max())
    )
    num_by_employer = {e: (a, n) for e, a, n in in_num.iter_rows()}
    rows = []
    for org in organisations:
        emp = result.by_employer.get(org.code)
        n = agents.get(org.code, 0)
        row = Ligne(
            cle=(org.code,), libelle=org.nom, montant=emp.functional_cost if emp else 0.0,
            etp=emp.functional_fte if emp else 0.0, nb_agents=n,
            extra={"organisation": org, "numerateur": num_by_employer.get(org.code, (0.0, 0))[0],
                   "lot": paie.lots.get(org.code)},
        )
        has_cells = any(k[0] == org.code for k in m.cellules)
        row.visible = not has_cells or (
            ("row", org.code) not in m.lignes_cachees
            and not all(not m.cellule(org.code, t) for (e, t) in m.cellules if e == org.code)
            and acces.voit_cellule(org.code, n)
        )
        amount, agents_num = num_by_employer.get(org.code, (0.0, 0))
        # For a commune, the part made available to the EPCI is a finer breakdown than commune × theme.
        row.extra["numerateur_visible"] = row.visible and (
            org.code == result.epci or amount == 0
            or (acces.voit_detail(org.code) and acces.voit_cellule(org.code, agents_num))
        )
        rows.append(row)
    return rows, True


def matrice(paie, organisations, themes, acces, m: Masque) -> dict:
    """Organisation × theme: cost and ETP of each cell (the level every member of the territory sees)."""
    grid = []
    for org in organisations:
        row = []
        for theme in themes:
            amount, fte, n = m.cellules.get((org.code, theme), (0.0, 0.0, 0))
            row.append({"theme": theme, "montant": amount, "etp": fte, "nb_agents": n,
                        "visible": m.cellule(org.code, theme), "vide": (org.code, theme) not in m.cellules})
        grid.append({"organisation": org, "cellules": row})
    return {"themes": [THEME_BY_CODE[t] for t in themes], "lignes": grid}


def _fine_rows(group, emp, th, names) -> list[Ligne]:
    # Categories partition agents: summing their distinct counts is exact within a cell.
    cells = group.group_by("activite", "situation", "beneficiaire", "numerateur").agg(
        pl.col("nb_agents").sum(), pl.col("montant").sum(), pl.col("etp_ligne").sum(),
        *(pl.col("etp_ligne").filter(pl.col("categorie") == c).sum().alias(f"etp_{c}") for c in "ABC"),
    )
    return [
        Ligne(
            cle=(emp, th, r["activite"], r["situation"], r["beneficiaire"]),
            libelle=names.get(emp, emp), montant=r["montant"], etp=r["etp_ligne"], nb_agents=r["nb_agents"],
            extra={"theme": th, "activite": r["activite"], "situation": SITUATIONS.get(r["situation"], ""),
                   "beneficiaire": names.get(r["beneficiaire"], r["beneficiaire"]),
                   "etp_categories": [r["etp_A"], r["etp_B"], r["etp_C"]],
                   "numerateur": r["numerateur"], "fin": True},
        )
        for r in cells.sort("activite", "situation", "beneficiaire").iter_rows(named=True)
    ]


def _hide_within(rows: list[Ligne], acces, owner) -> bool:
    """Secrecy inside one published cell (its total is public): returns False when a hidden row
    could still be recovered (then the caller shows the cell as a whole instead)."""
    values = {(r.cle, "t"): r.montant for r in rows if r.montant or r.nb_agents}
    primary = [(r.cle, "t") for r in rows if not acces.voit_cellule(owner, r.nb_agents)]
    known = [(r.cle, "t") for r in rows if acces.est_employeur(owner) and acces.voit_cellule(owner, r.nb_agents)]
    hidden, exposed = suppress(values, primary, known)
    for r in rows:
        r.visible = (r.cle, "t") not in hidden
    return ("col", "t") not in exposed


def detail(paie, result: CoefficientResult, acces, names: dict[str, str], employeur=None, theme=None,
           part=None, m: Masque | None = None) -> tuple[list[Ligne], bool, bool]:
    """The aggregates behind a figure. Returns (rows, total_visible, fine).

    Every cell of the published grid appears as the grid shows it to this reader; inside a visible cell,
    fine rows (activity × situation × beneficiary, with the ETP of each category) for the employers
    whose detail the reader may see. In the numerator, the communes' agents made available to the EPCI
    form one row per theme, as in the grid."""
    m = m or masque(paie, result, acces)
    themes = [theme] if theme else list(result.functional_themes)
    frame = paie.agregats.filter(pl.col("theme").is_in(themes)).with_columns(
        in_numerator(result.epci).fill_null(False).alias("numerateur"))
    if employeur:
        frame = frame.filter(pl.col("employeur") == employeur)
    if part == "numerateur":
        frame = frame.filter(pl.col("numerateur"))
    rows: list[Ligne] = []
    fine_any = False
    groups = sorted(frame.group_by("employeur", "theme"), key=lambda g: (g[0][0] != result.epci, g[0]))
    mad_themes = []
    for (emp, th), group in groups:
        if part == "numerateur" and emp != result.epci:
            if th not in mad_themes:
                mad_themes.append(th)
            continue
        amount, fte, n = m.cellules.get((emp, th), (float(group["montant"].sum()), float(group["etp_ligne"].sum()), 0))
        coarse = Ligne(cle=(emp, th), libelle=names.get(emp, emp), montant=amount, etp=fte, nb_agents=n,
                       visible=m.cellule(emp, th),
                       extra={"theme": th, "numerateur": bool(group["numerateur"].all()), "fin": False})
        if coarse.visible and acces.voit_detail(emp):
            fine = _fine_rows(group, emp, th, names)
            if _hide_within(fine, acces, emp):
                fine_any = True
                rows.extend(fine)
                continue
        rows.append(coarse)
    for th in mad_themes:
        amount, fte, n = m.cellules.get(_mad_key(th), (0.0, 0.0, 0))
        rows.append(Ligne(cle=(MAD, th), libelle="Communes : agents mis à disposition de l'EPCI", montant=amount,
                          etp=fte, nb_agents=n, visible=m.cellule(*_mad_key(th)),
                          extra={"theme": th, "numerateur": True, "fin": False}))
    if all(r.visible for r in rows):
        total_visible = True
    elif employeur and theme:
        total_visible = m.cellule(employeur, theme)
    elif employeur:
        total_visible = ("row", employeur) not in m.lignes_cachees and any(
            m.cellule(employeur, t) for t in themes)
    else:
        total_visible = True  # a theme's or the whole denominator or numerator: published on the page
    return rows, total_visible, fine_any
