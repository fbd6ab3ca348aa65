"""@mentions: `@username` or `@prénom.nom` (case and accents ignored, spaces of a name written as
hyphens), resolved among the active users holding a role in the territory; and the rendering of a
comment's text, escaped, with the mentions of resolved users highlighted."""

import re
import unicodedata

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

MOTIF = re.compile(r"(?<![\w@.])@([\w][\w.\-]*)")


def _normaliser(texte: str) -> str:
    texte = unicodedata.normalize("NFKD", texte.strip().lower())
    texte = "".join(c for c in texte if not unicodedata.combining(c))
    return re.sub(r"\s+", "-", texte)


def cles(user) -> set[str]:
    """The keys under which a user may be mentioned."""
    keys = {_normaliser(user.username)}
    if user.first_name and user.last_name:
        keys.add(_normaliser(f"{user.first_name}.{user.last_name}"))
    return keys


def jetons(texte: str) -> list[str]:
    """The normalised names written after an @ (a trailing dot or hyphen ends the sentence, not the name)."""
    return [_normaliser(m.group(1).rstrip(".-")) for m in MOTIF.finditer(texte)]


def resoudre(texte: str, territoire) -> list:
    """The territory's users mentioned in the text, in order, each once."""
    from comptes.models import Utilisateur

    voulus = jetons(texte)
    if not voulus:
        return []
    candidats = Utilisateur.objects.filter(is_active=True, habilitations__territoire=territoire).distinct()
    par_cle = {}
    for user in candidats:
        for cle in cles(user):
            par_cle.setdefault(cle, user)
    out = []
    for cle in voulus:
        user = par_cle.get(cle)
        if user is not None and user not in out:
            out.append(user)
    return out


def nom(user) -> str:
    return user.get_full_name() or user.username


def rendre(texte: str, mentionnes) -> str:
    """HTML of a comment: everything escaped, line breaks kept, resolved mentions highlighted."""
    par_cle = {cle: user for user in mentionnes for cle in cles(user)}
    morceaux, debut = [], 0
    for m in MOTIF.finditer(texte):
        brut = m.group(1)
        garde = brut.rstrip(".-")
        user = par_cle.get(_normaliser(garde))
        if user is None:
            continue
        morceaux.append(escape(texte[debut : m.start()]))
        morceaux.append(format_html('<mark class="mention">@{}</mark>', nom(user)))
        debut = m.start() + 1 + len(garde)
    morceaux.append(escape(texte[debut:]))
    html = "".join(str(x) for x in morceaux)
    return mark_safe(html.replace("\r\n", "\n").replace("\n", "<br>"))
