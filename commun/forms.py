"""Form pieces shared by every upload of a user file, and the rule of single-line fields."""

import unicodedata

from django import forms
from django.conf import settings

from commun.formatage import nombre


class FichierField(forms.FileField):
    """An uploaded user file: French messages worded like file errors, and the upload limit
    (`MUTUALIS_UPLOAD_MAX_MB`; the command line has none)."""

    default_error_messages = {
        "required": "fichier : aucun fichier envoyé",
        "empty": "fichier : le fichier est vide",
        "invalid": "fichier : aucun fichier reçu : vérifiez le formulaire",
    }

    def __init__(self, *args, accept: str = ".csv,.txt,.xlsx,.ods", **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = accept

    def clean(self, data, initial=None):
        f = super().clean(data, initial)
        limit = settings.UPLOAD_MAX_BYTES
        if f is not None and f.size > limit:
            raise forms.ValidationError(
                f"fichier : le fichier fait {nombre(f.size / 1_048_576, 1)} Mo, au-delà de la limite de "
                f"{nombre(limit / 1_048_576)} Mo"
            )
        return f


def une_ligne(valeur: str) -> None:
    """A single-line field holds no control character (a line break, a tab, a NUL): it would break the
    e-mail headers, file names and exports that carry it."""
    if any(unicodedata.category(c) == "Cc" for c in valeur):
        raise forms.ValidationError("ce champ tient sur une ligne : retirez les retours à la ligne et tabulations")
