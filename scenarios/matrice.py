"""Geometry of the priority matrix (qualification × faisabilité bubble chart): plain values in, plain
values out, no Django import, so that the layout is tested without a database.

Each bubble is a disc whose *area* is proportional to the payroll at stake (radius ∝ √amount), with a
floor so that its theme label stays legible; an amount the reader may not see gets a fixed neutral size,
and the scale is taken from visible amounts only (a hidden amount must not move the other bubbles).
Bubbles of the same cell are spread by a deterministic greedy packing along a spiral from the cell's
centre, largest first, so that none hides another while the cell has room."""

import math
from dataclasses import dataclass

from engine.vocabulaire import FAISABILITES, QUALIFICATIONS

__all__ = ["FAISABILITES", "QUALIFICATIONS"]

# Nine theme colours, each with a contrast of at least 4.5:1 against white (the page) and so for the
# white label written on it; the label (theme code) carries the theme too, never the colour alone.
COULEURS = {
    "FIN": "#0b5d6b",
    "RH": "#a4161a",
    "CPAJ": "#5b2c8f",
    "SI": "#1f57a8",
    "BML": "#7a4f00",
    "AOS": "#1e6b35",
    "GDP": "#a8461a",
    "ECO": "#a0206e",
    "TIDP": "#3d4a57",
}
COULEUR_AUTRE = "#4a5562"

R_MIN = 13.0  # px: a four-letter theme code still fits inside, legibly
R_MAX = 34.0  # px: the largest visible amount, before the density reduction
R_NEUTRE = 17.0  # px: an amount the reader may not see (confidentiality of pay)
ESPACE = 1.5  # px between two discs of a cell
DENSITE = 0.3  # the share of a cell its discs may cover before all discs shrink: room to spread them


@dataclass(frozen=True)
class Geometrie:
    """The chart's frame: 4 columns (qualification 1 to 4, left to right), 6 rows (faisabilité 0 at the
    bottom to 4+ at the top)."""

    largeur_cellule: float = 210.0
    hauteur_cellule: float = 120.0
    marge_gauche: float = 92.0
    marge_haut: float = 12.0
    marge_droite: float = 12.0
    marge_bas: float = 62.0

    @property
    def largeur(self) -> float:
        return self.marge_gauche + len(QUALIFICATIONS) * self.largeur_cellule + self.marge_droite

    @property
    def hauteur(self) -> float:
        return self.marge_haut + len(FAISABILITES) * self.hauteur_cellule + self.marge_bas

    @property
    def bas_du_trace(self) -> float:
        return self.marge_haut + len(FAISABILITES) * self.hauteur_cellule

    def cellule(self, qualification: int, faisabilite: str) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of a cell in SVG coordinates (y grows downwards)."""
        col = QUALIFICATIONS.index(qualification)
        row = len(FAISABILITES) - 1 - FAISABILITES.index(faisabilite)
        x0 = self.marge_gauche + col * self.largeur_cellule
        y0 = self.marge_haut + row * self.hauteur_cellule
        return x0, y0, x0 + self.largeur_cellule, y0 + self.hauteur_cellule


@dataclass(frozen=True)
class Point:
    """One GT3 line to place: `montant` None when the reader may not see it (`secret`) or there is none."""

    cle: object
    qualification: int
    faisabilite: str
    montant: float | None
    secret: bool = False


@dataclass(frozen=True)
class Disque:
    cx: float
    cy: float
    r: float


def geometrie_pour(points: list[Point]) -> Geometrie:
    """Taller cells when the densest cell needs room for its discs at their smallest size (capped)."""
    base = Geometrie()
    par_cellule: dict = {}
    for p in points:
        par_cellule[(p.qualification, p.faisabilite)] = par_cellule.get((p.qualification, p.faisabilite), 0) + 1
    plus_dense = max(par_cellule.values(), default=0)
    # the area of the densest cell's discs at R_MIN, at a packing density of about one half
    besoin = plus_dense * math.pi * (R_MIN + ESPACE) ** 2 * 2 / base.largeur_cellule
    return Geometrie(hauteur_cellule=min(240.0, max(base.hauteur_cellule, besoin)))


def rayons(points: list[Point], geometrie: Geometrie) -> tuple[dict, float]:
    """({key: radius}, reduction): area-true for visible amounts (√ of the share of the largest visible
    amount), the neutral size for secret ones, the floor for lines with no payroll; all reduced together
    (`reduction` ≤ 1) when a cell would be more than DENSITE covered."""
    plus_grand = max((p.montant for p in points if p.montant and not p.secret), default=0.0)
    bruts = {}
    for p in points:
        if p.secret:
            bruts[p.cle] = R_NEUTRE
        elif p.montant and plus_grand:
            bruts[p.cle] = R_MAX * math.sqrt(p.montant / plus_grand)
        else:
            bruts[p.cle] = 0.0
    aires: dict = {}
    for p in points:
        cell = (p.qualification, p.faisabilite)
        aires[cell] = aires.get(cell, 0.0) + math.pi * max(bruts[p.cle], R_MIN) ** 2
    aire_cellule = geometrie.largeur_cellule * geometrie.hauteur_cellule
    reduction = min([1.0] + [math.sqrt(DENSITE * aire_cellule / a) for a in aires.values() if a])
    return {cle: max(R_MIN, r * reduction) for cle, r in bruts.items()}, reduction


def _spirale(cx, cy, etirement, pas_radial=4.0, pas_arc=4.0, rayon_max=140.0):
    """Candidate centres along an Archimedean spiral from (cx, cy), about `pas_arc` pixels apart,
    stretched horizontally (cells are wider than tall)."""
    yield cx, cy
    b = pas_radial / (2 * math.pi)
    t = 2 * math.pi
    while b * t <= rayon_max:
        rho = b * t
        yield cx + rho * math.cos(t) * etirement, cy + rho * math.sin(t)
        t += pas_arc / rho


def _tournesol(i, n, x0, y0, x1, y1, r):
    """The i-th of n points of a sunflower pattern filling the cell: the fallback of a full cell."""
    angle = i * math.pi * (3 - math.sqrt(5))
    part = math.sqrt((i + 0.5) / n)
    demi_x, demi_y = max(0.0, (x1 - x0) / 2 - r - 2), max(0.0, (y1 - y0) / 2 - r - 2)
    return (x0 + x1) / 2 + part * demi_x * math.cos(angle), (y0 + y1) / 2 + part * demi_y * math.sin(angle)


def disposer(points: list[Point], geometrie: Geometrie | None = None) -> tuple[Geometrie, dict, float]:
    """(geometrie, {key: Disque}, reduction) for the placed points, every disc inside its cell."""
    geometrie = geometrie or geometrie_pour(points)
    r, reduction = rayons(points, geometrie)
    par_cellule: dict = {}
    for p in points:
        par_cellule.setdefault((p.qualification, p.faisabilite), []).append(p)
    disques = {}
    for (q, f), cell_points in par_cellule.items():
        x0, y0, x1, y1 = geometrie.cellule(q, f)
        etirement = (x1 - x0) / (y1 - y0)
        places: list[Disque] = []
        pleine = False
        # largest first, then by key: the same data always gives the same picture
        ordre = sorted(cell_points, key=lambda p: (-r[p.cle], str(p.cle)))
        for i, p in enumerate(ordre):
            rp = min(r[p.cle], (x1 - x0) / 2 - 2, (y1 - y0) / 2 - 2)
            lo_x, hi_x, lo_y, hi_y = x0 + rp + 2, x1 - rp - 2, y0 + rp + 2, y1 - rp - 2
            libre = None
            if not pleine:
                for cx, cy in _spirale((x0 + x1) / 2, (y0 + y1) / 2, etirement):
                    if (
                        lo_x <= cx <= hi_x
                        and lo_y <= cy <= hi_y
                        and all(math.hypot(d.cx - cx, d.cy - cy) >= d.r + rp + ESPACE for d in places)
                    ):
                        libre = (cx, cy)
                        break
            if libre is None:
                # no room left: spread the rest evenly over the cell (they overlap, no centre coincides)
                pleine = True
                libre = _tournesol(i, len(ordre), x0, y0, x1, y1, rp)
            disque = Disque(round(libre[0], 1), round(libre[1], 1), round(rp, 1))
            places.append(disque)
            disques[p.cle] = disque
    return geometrie, disques, reduction


def taille_de_texte(r: float) -> float:
    """The font size of a theme code inside a disc of radius r (a 4-letter code must fit)."""
    return round(max(8.0, min(13.0, r * 0.6)), 1)


def _arrondi(montant: float) -> float:
    """The largest round amount (1, 2 or 5 × a power of ten) not above `montant`."""
    puissance = 10 ** math.floor(math.log10(montant))
    return max(m * puissance for m in (1, 2, 5) if m * puissance <= montant)


def references(plus_grand: float, reduction: float = 1.0) -> list[tuple[float, float]]:
    """(amount, radius) of the size legend: two round amounts, near the largest visible one and about a
    tenth of it, drawn at the scale of the chart (only when above the minimal size, which would mislead)."""
    if not plus_grand or plus_grand <= 0:
        return []
    montants = sorted({_arrondi(plus_grand), _arrondi(plus_grand / 8)}, reverse=True)
    rayons_ = [(m, R_MAX * reduction * math.sqrt(m / plus_grand)) for m in montants]
    return [(m, r) for m, r in rayons_ if r >= R_MIN]


def rayon_neutre(reduction: float) -> float:
    return max(R_MIN, R_NEUTRE * reduction)
