"""The legal impact table of a scenario as an XLSX workbook, for the schéma's authors: the same rows and
the same secrecy as the page (scenarios/figures.py `figures`, which lays out the engine's
`Simulation.impact`: every figure here, the net effect included, is the engine's), numbers as numbers
with French formats."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from commun.formatage import pourcent
from engine.confidentialite import REGLE
from formats.ecriture import ajouter_ligne
from formats.impression import mettre_en_page_xlsx

FEUILLE = "Impact prévisionnel"
EUROS = '#,##0 "€";-#,##0 "€"'
ETP = "0.0"
NON_DIFFUSE = "non diffusé"


def _euros(m):
    """A released amount rounded to the euro, or the words of the page for a hidden one."""
    return m.affiche if m.visible else f"{NON_DIFFUSE} ({m.raison})"


def impact_xlsx(scenario, territoire, f: dict, fpu: bool, source: dict) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = FEUILLE
    ajouter_ligne(ws, [f"Impact prévisionnel sur les effectifs et les dépenses de fonctionnement – {scenario.nom}"])
    ws["A1"].font = Font(bold=True, size=13)
    ajouter_ligne(
        ws,
        [
            f"{territoire.nom} · scénario version {scenario.version} · masse salariale {source['annee'] or '–'} "
            f"(lots courants de {source['nb_employeurs']} employeur{'s' if source['nb_employeurs'] > 1 else ''}) · "
            "coefficient "
            f"{_pct(f['simulation'].before.coefficient)} avant, {_part(f['coefficient_apres'])} après"
        ],
    )
    ajouter_ligne(ws, [" ".join(t for t in (source["libelle"] + ".", source["avis"]) if t)])
    entetes = [
        "Organisation",
        "ETP avant",
        "ETP après",
        "Écart ETP",
        "Masse salariale avant",
        "Masse salariale après",
        "Écart",
        "Charges transférées",
        "Économies",
        "Remboursements",
    ]
    if fpu:
        entetes.append("Attribution de compensation")
    entetes.append("Effet net")
    ajouter_ligne(ws, entetes)
    ligne_entetes = ws.max_row
    for cell in ws[ligne_entetes]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r in f["impact_touchees"]:
        o = r["o"]
        ligne = [
            r["nom"],
            o.fte_before,
            o.fte_after,
            r["d_fte"],
            _euros(r["avant"]),
            _euros(r["apres"]),
            _euros(r["d_cost"]),
            round(o.charges),
            round(o.savings),
            _euros(r["remboursement"]),
        ]
        if fpu:
            ligne.append(_euros(r["ac"]))
        ligne.append(_euros(r["net"]))
        ajouter_ligne(ws, ligne)
        for k, cell in enumerate(ws[ws.max_row][1:], start=1):
            if isinstance(cell.value, int | float):
                cell.number_format = ETP if k <= 3 else EUROS
    ajouter_ligne(ws, [])
    ajouter_ligne(ws, [f"Confidentialité des rémunérations : {REGLE}"])
    ajouter_ligne(ws, [])
    ajouter_ligne(
        ws,
        [
            "Source : agrégats des lots de paie courants (jamais les lignes individuelles) ; "
            "calcul docs/contrats §4-5 ; montants annuels en euros constants, "
            "en année pleine après toutes les actions."
        ],
    )
    ajouter_ligne(
        ws,
        [
            "Approximation : un agent qui ne travaille qu'en partie dans le service mutualisé reste employé par sa "
            "commune et mis à disposition pour cette part ; le coefficient et l'AC n'en changent pas."
        ],
    )
    ws.freeze_panes = "B5"
    ws.column_dimensions["A"].width = 28
    for k in range(2, len(entetes) + 1):
        ws.column_dimensions[get_column_letter(k)].width = 16
    # Printed, the table's header repeats on every page; the title lines above it print once.
    mettre_en_page_xlsx(
        wb, f"Impact prévisionnel – {scenario.nom} – {territoire.nom}", entetes={FEUILLE: ligne_entetes}
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _pct(v) -> str:
    return pourcent(v, 2)


def _part(p) -> str:
    return _pct(p.valeur) if p.visible else f"{NON_DIFFUSE} ({p.raison})"
