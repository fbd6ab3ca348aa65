"""Line charts of trajectories as plain geometry for an SVG template (no JavaScript, no library): the
table beside each chart carries the same figures (RGAA text alternative)."""

from dataclasses import dataclass, field

LARGEUR, HAUTEUR = 720, 240
MARGE_G, MARGE_D, MARGE_H, MARGE_B = 70, 24, 16, 40
LEGENDE = 22  # height of one legend row, under the chart
# Distinct, contrasted on white, also told apart by their dash pattern (not by colour alone).
STYLES = [("#1f4e9c", ""), ("#b5402a", "6 4"), ("#2b7a3d", "2 3"), ("#6b3fa0", "10 3 2 3")]


@dataclass
class Serie:
    nom: str
    points: list[tuple[int, float | None]]
    couleur: str = ""
    tirets: str = ""
    trace: str = ""
    marques: list[tuple[str, str, str]] = field(default_factory=list)
    legende_y: int = 0


@dataclass
class Graphique:
    series: list[Serie]
    annees: list[tuple[float, int]]
    graduations: list[tuple[float, str]]
    largeur: int = LARGEUR
    hauteur: int = HAUTEUR
    bas: int = HAUTEUR - MARGE_B
    gauche: int = MARGE_G
    droite: int = LARGEUR - MARGE_D


def _pourcent(v: float) -> str:
    return f"{v * 100:.1f}".replace(".", ",") + " %"


def trajectoires(series: list[tuple[str, dict[int, float | None]]], annees: range) -> Graphique | None:
    """Coefficient per year of each named series, on one shared scale (the range of the values, padded)."""
    valeurs = [v for _, pts in series for v in pts.values() if v is not None]
    if not valeurs or not annees:
        return None
    bas, haut = min(valeurs), max(valeurs)
    marge = max((haut - bas) * 0.15, 0.005)
    bas, haut = max(0.0, bas - marge), min(1.0, haut + marge)
    x0, x1 = MARGE_G + 30, LARGEUR - MARGE_D  # the first year clear of the axis labels
    y0, y1 = HAUTEUR - MARGE_B, MARGE_H
    n = max(len(annees) - 1, 1)

    def x(annee):
        return x0 + (annee - annees[0]) * (x1 - x0) / n

    def y(v):
        return y0 - (v - bas) * (y0 - y1) / (haut - bas)

    out = []
    for k, (nom, pts) in enumerate(series):
        couleur, tirets = STYLES[k % len(STYLES)]
        s = Serie(nom, sorted(pts.items()), couleur, tirets)
        coords = [(_c(x(a)), _c(y(v)), _pourcent(v)) for a, v in s.points if v is not None]
        s.trace = " ".join(f"{cx},{cy}" for cx, cy, _ in coords)
        s.marques = coords
        s.legende_y = HAUTEUR + 8 + k * LEGENDE
        out.append(s)
    pas = (haut - bas) / 4
    graduations = [(_c(y(bas + i * pas)), _pourcent(bas + i * pas)) for i in range(5)]
    return Graphique(out, [(_c(x(a)), a) for a in annees], graduations, hauteur=HAUTEUR + 8 + len(out) * LEGENDE)


def _c(v: float) -> str:
    """An SVG coordinate: a dot, never the French decimal comma of the templates' number formats."""
    return f"{v:.1f}"
