"""Form pieces shared by every form: the bounds of free text (every form of the project derives from
`Formulaire` or `FormulaireModele`), and the upload of a user file.

The rule of free text, in one place: a single-line field holds no control character and at most
LIGNE_MAX characters unless it says fewer; a multi-line field (a text area) holds at most TEXTE_MAX
characters unless it says fewer, and its help says how many. The bounds apply to the fields a form adds
in its own `__init__` too (the agenda of each stage, the introduction of each chapter)."""

import functools
import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.core.validators import MaxLengthValidator

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


TEXTE_MAX = 100_000  # a text area (minutes, a synthesis, a description) without a narrower bound of its own
LIGNE_MAX = 300  # a single-line field without a narrower bound of its own


def borner(fields) -> None:
    """Apply the rule of free text to a form's fields (once per field)."""
    for field in fields.values():
        if not isinstance(field, forms.CharField) or getattr(field, "borne", False):
            continue
        field.borne = True
        if isinstance(field.widget, (forms.HiddenInput, forms.PasswordInput)):
            continue  # a fingerprint, a token, a password: no text a person reads
        multiligne = isinstance(field.widget, forms.Textarea)
        if field.max_length is None:
            field.max_length = TEXTE_MAX if multiligne else LIGNE_MAX
            field.validators.append(MaxLengthValidator(field.max_length))
            field.widget.attrs.update(field.widget_attrs(field.widget))
        if multiligne:
            limite = f"{nombre(field.max_length)} caractères au plus."
            field.help_text = f"{field.help_text} {limite}" if field.help_text else limite
        elif une_ligne not in field.validators:
            field.validators.append(une_ligne)


class Borne:
    """Mixed into every form of the project: `borner` runs once the whole `__init__` chain has set the
    fields, whichever subclass adds some."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        borner(self.fields)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:
            return

        @functools.wraps(init)
        def __init__(self, *args, **kwargs):
            init(self, *args, **kwargs)
            borner(self.fields)

        cls.__init__ = __init__


class Formulaire(Borne, forms.Form):
    pass


class FormulaireModele(Borne, forms.ModelForm):
    pass


class FormulaireConnexion(Borne, auth_forms.AuthenticationForm):
    pass


class FormulaireOubli(Borne, auth_forms.PasswordResetForm):
    pass
