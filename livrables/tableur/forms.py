"""The form of a spreadsheet import (the three deliverables)."""

from django import forms

from commun.forms import FichierField


class ImportForm(forms.Form):
    fichier = FichierField(label="Classeur rempli (XLSX ou ODS)", accept=".xlsx,.ods")
