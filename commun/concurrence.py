"""No lost update: optimistic locking of the shared texts (minutes, GT1, GT2, decisions, letters, syntheses,
templates).

A form that edits a record's texts carries, in a hidden field, the fingerprint of the values the page showed
(`empreinte`). The action that saves locks the record, reads its values again and compares: when they
changed since the page was shown (another person saved, a second tab), nothing is written and
`ModifieEntreTemps` carries the saved values. The view shows the same form again with status 409: above it,
each text as it is now saved, and in the form the text the user typed, with the fingerprint of the saved
values, so that saving again (after merging, or as is) is a decision taken with both texts in view. Neither
text is lost.

Values decide, not a counter: a record needs no version column, and two saves of the same values are no
conflict. A form without its fingerprint (an old page, a forged request) is refused like a stale one."""

import hashlib
import json
from dataclasses import dataclass

from django import forms

from commun.erreurs import ActionRefusee
from commun.forms import Formulaire

EMPREINTE_ABSENTE = "la page ne dit pas quelle version du texte elle modifie : rechargez-la avant d'enregistrer"


def empreinte(valeurs: dict) -> str:
    """The fingerprint of a record's edited values: SHA-256 of their canonical JSON (dates, decimals and
    model instances written as text)."""
    texte = json.dumps(valeurs, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return hashlib.sha256(texte.encode()).hexdigest()


@dataclass(frozen=True)
class TexteEnregistre:
    """One text as it is saved now, shown above the form of a refused save."""

    libelle: str
    valeur: str


class ModifieEntreTemps(ActionRefusee):
    """A save from a page whose texts changed since it was shown: nothing was written. `textes` are the
    saved texts, `empreinte` the fingerprint the form now carries, `qui` the last author when known."""

    def __init__(self, objet: str, textes: list[TexteEnregistre], empreinte: str, qui: str = "", accord: str = ""):
        par = f" par {qui}" if qui else ""
        super().__init__(
            [
                f"{objet} a été modifié{accord} entre-temps{par} : rien n'a été enregistré. Le texte enregistré est "
                "affiché au-dessus du vôtre ; gardez dans le formulaire ce que vous voulez des deux, puis "
                "enregistrez."
            ]
        )
        self.textes = textes
        self.empreinte = empreinte


def verifier(objet: str, valeurs: dict, montres: dict[str, str], empreinte_lue: str, qui="", accord="") -> None:
    """Refuse the save when the record's `valeurs` (read under lock by the caller) are not those the page
    showed. `montres`: the saved texts shown above the form of a refused save, by their French label.
    `objet` names the record (« La synthèse du groupe RH »), `accord` the participle's agreement with it
    ("", "e", "s", "es": « a été modifiée »), `qui` its last author when known."""
    if not empreinte_lue:
        raise ActionRefusee([EMPREINTE_ABSENTE])
    actuelle = empreinte(valeurs)
    if actuelle != empreinte_lue:
        textes = [TexteEnregistre(libelle, texte or "") for libelle, texte in montres.items()]
        raise ModifieEntreTemps(objet, textes, actuelle, str(qui or ""), accord)


class AvecEmpreinte(Formulaire):
    """The hidden field of the fingerprint, for a form that edits shared text (mixed into its class)."""

    # Not required here: the action refuses a save without it, after its own refusals (a locked text).
    empreinte = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    conflit: ModifieEntreTemps | None = None  # the refused save this form shows again (409)

    def empreinte_lue(self) -> str:
        """The fingerprint sent; empty when the page sent none."""
        return self.cleaned_data.get("empreinte", "")

    def rafraichir(self, conflit: ModifieEntreTemps) -> None:
        """After a refused save: the form keeps the user's texts and carries the saved values' fingerprint,
        so that saving it again replaces them knowingly."""
        self.conflit = conflit
        self.data = self.data.copy()
        self.data[self.add_prefix("empreinte")] = conflit.empreinte
