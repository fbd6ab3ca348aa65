"""The form of a spreadsheet import (the three deliverables)."""

from commun.forms import FichierField, Formulaire


class ImportForm(Formulaire):
    fichier = FichierField(label="Classeur rempli (XLSX ou ODS)", accept=".xlsx,.ods")
