"""The two forms of the validation workflow, shared by every validated record (minutes, deliverables)."""

from django import forms

from commun.forms import Formulaire


class RenvoiForm(Formulaire):
    commentaire = forms.CharField(
        label="Commentaire",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text="Ce qui doit être repris avant une nouvelle soumission ; visible dans l'historique.",
        error_messages={"required": "Dites ce qui doit être repris : le commentaire est obligatoire pour renvoyer."},
    )


class ReouvertureForm(Formulaire):
    motif = forms.CharField(
        label="Motif de la réouverture",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text="Pourquoi le document verrouillé est rouvert ; visible dans l'historique.",
        error_messages={"required": "Dites pourquoi le document est rouvert : le motif est obligatoire."},
    )
