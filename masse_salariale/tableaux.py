"""Tables of the payroll pages, with statistical secrecy applied for the reader (comptes.perms.Acces).

Views call these; they compute no figure themselves (figures come from engine.coefficient)."""

from dataclasses import dataclass, field

import polars as pl

from engine.coefficient import CoefficientResult, in_numerator
from engine.secret import lines_to_hide, secondary_suppression
from engine.themes import THEME_BY_CODE

SITUATIONS = {"propre": "Propre", "transfere": "Transféré", "mad": "Mis à disposition"}


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


def _hide(rows: list[Ligne], acces, owner_of) -> tuple[list[Ligne], bool]:
    """Primary then secondary secrecy on a one-column list; returns (rows, total_visible)."""
    values = {(r.cle, "t"): r.montant for r in rows if r.montant or r.nb_agents}
    primary = [(r.cle, "t") for r in rows if not acces.voit_cellule(owner_of(r), r.nb_agents)]
    known = [(r.cle, "t") for r in rows if acces.est_employeur(owner_of(r)) and acces.voit_cellule(owner_of(r), r.nb_agents)]
    hidden = secondary_suppression(values, primary, known)
    for r in rows:
        r.visible = (r.cle, "t") not in hidden
    return rows, ("col", "t") not in lines_to_hide(values, primary, known)


def agents_fonctionnels(paie, functional) -> dict[str, int]:
    """A lower bound of each employer's distinct functional agents (the largest theme count): an agent
    may work in several themes, and secrecy must never over-count."""
    counts = paie.effectifs.filter(pl.col("theme").is_in(list(functional)))
    grouped = counts.group_by("employeur").agg(pl.col("nb_agents").max())
    return dict(grouped.iter_rows())


def lignes_employeurs(result: CoefficientResult, paie, organisations, acces) -> tuple[list[Ligne], bool]:
    """Functional cost and ETP of each organisation (EPCI first), with the amount of it counted in the
    numerator (the EPCI's own, and a commune's agents made available to the EPCI)."""
    agents = agents_fonctionnels(paie, result.functional_themes)
    in_num = (
        paie.agregats.filter(pl.col("theme").is_in(list(result.functional_themes)) & in_numerator(result.epci))
        .group_by("employeur").agg(pl.col("montant").sum(), pl.col("nb_agents").max())
    )
    num_by_employer = {e: (m, n) for e, m, n in in_num.iter_rows()}
    rows = []
    for org in organisations:
        emp = result.by_employer.get(org.code)
        rows.append(Ligne(
            cle=(org.code,), libelle=org.nom, montant=emp.functional_cost if emp else 0.0,
            etp=emp.functional_fte if emp else 0.0, nb_agents=agents.get(org.code, 0),
            extra={"organisation": org, "numerateur": num_by_employer.get(org.code, (0.0, 0))[0],
                   "lot": paie.lots.get(org.code)},
        ))
    rows, total_visible = _hide(rows, acces, lambda r: r.cle[0])
    for r in rows:
        # For a commune, the part made available to the EPCI is a finer breakdown than commune × theme.
        code, (amount, agents) = r.cle[0], num_by_employer.get(r.cle[0], (0.0, 0))
        r.extra["numerateur_visible"] = r.visible and (
            code == result.epci or amount == 0 or (acces.voit_detail(code) and acces.voit_cellule(code, agents))
        )
    return rows, total_visible


def matrice(paie, organisations, themes, acces) -> dict:
    """Organisation × theme: cost and ETP of each cell (the level every member of the territory sees)."""
    eff = paie.effectifs.filter(pl.col("theme").is_in(list(themes)))
    cells = {(e, t): (m, f, n) for e, t, n, m, f in eff.select("employeur", "theme", "nb_agents", "montant", "etp").iter_rows()}
    values = {k: v[0] for k, v in cells.items()}
    primary = [k for k, v in cells.items() if not acces.voit_cellule(k[0], v[2])]
    known = [k for k, v in cells.items() if acces.est_employeur(k[0]) and acces.voit_cellule(k[0], v[2])]
    hidden = secondary_suppression(values, primary, known)
    hidden_lines = lines_to_hide(values, primary, known)
    grid = []
    for org in organisations:
        row = []
        for theme in themes:
            m, f, n = cells.get((org.code, theme), (0.0, 0.0, 0))
            row.append({"theme": theme, "montant": m, "etp": f, "nb_agents": n,
                        "visible": (org.code, theme) not in hidden, "vide": (org.code, theme) not in cells})
        grid.append({"organisation": org, "cellules": row, "total_visible": ("row", org.code) not in hidden_lines})
    return {"themes": [THEME_BY_CODE[t] for t in themes], "lignes": grid}


def detail(paie, result: CoefficientResult, acces, names: dict[str, str], employeur=None, theme=None,
           part=None) -> tuple[list[Ligne], bool, bool]:
    """The aggregates behind a figure. Returns (rows, total_visible, fine): fine rows (activity ×
    situation × beneficiary, with the ETP of each category) for employers whose detail the reader may see, else one row
    per employer × theme."""
    themes = [theme] if theme else list(result.functional_themes)
    frame = paie.agregats.filter(pl.col("theme").is_in(themes)).with_columns(
        in_numerator(result.epci).fill_null(False).alias("numerateur"))
    if employeur:
        frame = frame.filter(pl.col("employeur") == employeur)
    if part == "numerateur":
        frame = frame.filter(pl.col("numerateur"))
    counts = dict(((e, t), n) for e, t, n in paie.effectifs.select("employeur", "theme", "nb_agents").iter_rows())
    rows: list[Ligne] = []
    fine_any = False
    for (emp, th), group in sorted(frame.group_by("employeur", "theme"), key=lambda g: (g[0][0] != result.epci, g[0])):
        if acces.voit_detail(emp):
            fine_any = True
            # Categories partition agents: summing their distinct counts is exact within a cell.
            cells = group.group_by("activite", "situation", "beneficiaire", "numerateur").agg(
                pl.col("nb_agents").sum(), pl.col("montant").sum(), pl.col("etp_ligne").sum(),
                *(pl.col("etp_ligne").filter(pl.col("categorie") == c).sum().alias(f"etp_{c}") for c in "ABC"),
            )
            for r in cells.sort("activite", "situation", "beneficiaire").iter_rows(named=True):
                rows.append(Ligne(
                    cle=(emp, th, r["activite"], r["situation"], r["beneficiaire"]),
                    libelle=names.get(emp, emp), montant=r["montant"], etp=r["etp_ligne"], nb_agents=r["nb_agents"],
                    extra={"theme": th, "activite": r["activite"], "situation": SITUATIONS.get(r["situation"], ""),
                           "beneficiaire": names.get(r["beneficiaire"], r["beneficiaire"]),
                           "etp_categories": [r["etp_A"], r["etp_B"], r["etp_C"]],
                           "numerateur": r["numerateur"], "fin": True},
                ))
        else:
            rows.append(Ligne(
                cle=(emp, th), libelle=names.get(emp, emp), montant=float(group["montant"].sum()),
                etp=float(group["etp_ligne"].sum()),
                # a filtered group is a subset of the theme: its largest cell is a safe lower bound
                nb_agents=counts.get((emp, th), 0) if part is None else int(group["nb_agents"].max()),
                extra={"theme": th, "numerateur": bool(group["numerateur"].all()), "fin": False},
            ))
    rows, total_visible = _hide(rows, acces, lambda r: r.cle[0])
    return rows, total_visible, fine_any
