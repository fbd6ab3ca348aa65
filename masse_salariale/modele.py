"""The payroll file template an importer downloads (CSV or XLSX): the exact headers of docs/contrats §3,
one example line with the downloader's employer code, and, in the workbook, a sheet that explains each
column. The example imports as it is."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from formats.impression import mettre_en_page_xlsx
from formats.payroll import DESCRIPTIONS, FIELDS, SHEET

COLONNES = [f.name for f in FIELDS]


def exemple(employeur: str, activite: str) -> dict[str, str]:
    return {
        "employeur": employeur,
        "agent": "A00001",
        "theme": "RH",
        "cout_annuel": "42000",
        "quotite": "1",
        "etp": "1",
        "situation": "propre",
        "beneficiaire": "",
        "activite": activite,
        "service": "Ressources humaines",
        "statut": "titulaire",
        "categorie": "B",
    }


def colonnes() -> list[dict]:
    """Each column, whether it is required and what it holds (the import page's table)."""
    return [{"nom": f.name, "obligatoire": f.required, "contenu": DESCRIPTIONS[f.name]} for f in FIELDS]


def modele_csv(employeur: str, activite: str) -> bytes:
    ligne = exemple(employeur, activite)
    texte = ";".join(COLONNES) + "\n" + ";".join(ligne[c] for c in COLONNES) + "\n"
    return texte.encode("utf-8")


def modele_xlsx(employeur: str, activite: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(COLONNES)
    ligne = exemple(employeur, activite)
    ws.append([ligne[c] for c in COLONNES])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for cell in ws[2]:
        cell.data_type = "s"  # codes keep their leading zeros
    ws.freeze_panes = "A2"
    aide = wb.create_sheet("colonnes")
    aide.append(["colonne", "obligatoire", "contenu"])
    for cell in aide[1]:
        cell.font = Font(bold=True)
    for c in colonnes():
        aide.append([c["nom"], "oui" if c["obligatoire"] else "non", c["contenu"]])
        aide.cell(aide.max_row, 3).alignment = Alignment(wrap_text=True)
    aide.column_dimensions["C"].width = 100
    mettre_en_page_xlsx(wb, "Modèle de fichier de masse salariale")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
