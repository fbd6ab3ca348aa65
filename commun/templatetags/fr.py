"""Template filters for French figures; they delegate to commun.formatage."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from commun import formatage
from engine import confidentialite

register = template.Library()


@register.filter
def euros(value, decimales=0):
    return formatage.euros(value, int(decimales))


@register.filter
def nombre(value, decimales=0):
    return formatage.nombre(value, int(decimales))


@register.filter
def pourcent(value, decimales=1):
    return formatage.pourcent(value, int(decimales))


@register.filter
def etp(value):
    return formatage.etp(value)


@register.filter
def ecart_euros(value, decimales=0):
    return formatage.ecart_euros(value, int(decimales))


@register.filter
def ecart_etp(value):
    return formatage.ecart_etp(value)


@register.filter
def points(value, decimales=2):
    return formatage.points(value, int(decimales))


@register.filter
def sub(value, other):
    """value − other, or None when either is missing."""
    return None if value is None or other is None else float(value) - float(other)


@register.filter
def date_fr(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return formatage.date(value)


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


# What marks an amount for the project team, and what stands for a hidden one (constant HTML, escaped once).
_CONFIDENTIEL = format_html(
    ' <small class="confidentiel" title="{}">confidentiel</small>',
    "Montant non diffusible hors de son employeur : ne pas le publier",
)


def _non_diffuse(raison: str) -> str:
    return format_html(
        '<span class="secret" title="{}">non diffusé</span>', f"Confidentialité des rémunérations : {raison}"
    )


@register.filter
def montant(m, mode=""):
    """A payroll amount as the reader may see it (masse_salariale.confidentialite.Montant): rounded to the
    euro (`montant:"ecart"` signs a change), marked « confidentiel » for the project team when it is not
    diffusible, or « non diffusé » with the reason."""
    if m is None:
        return "–"
    if not m.visible:
        return _non_diffuse(m.raison)
    texte = formatage.ecart_euros(m.affiche) if mode == "ecart" else formatage.euros(m.affiche)
    # the amount is digits, spaces, a sign and « € »: nothing to escape
    return mark_safe(texte + _CONFIDENTIEL) if m.confidentiel else texte


@register.simple_tag
def regle_confidentialite():
    return confidentialite.REGLE


@register.filter
def part(p, mode="pourcent"):
    """A share computed from payroll amounts (masse_salariale.confidentialite.Part): as a percentage
    (`part:"points"`: a change in points), or « non diffusé » with the reason."""
    if p is None:
        return "–"
    if not p.visible:
        return _non_diffuse(p.raison)
    return formatage.points(p.valeur) if mode == "points" else formatage.pourcent(p.valeur, 2)


@register.filter
def pluriel(valeur, formes="s"):
    """French plural: the plural from 2 (« 0 commune », « 1 commune », « 2 communes »), unlike Django's
    `pluralize`. `formes`: a suffix (« s ») or « singulier,pluriel » (« a,ont »). `valeur`: a number or a
    sequence (its length)."""
    n = len(valeur) if hasattr(valeur, "__len__") and not isinstance(valeur, str) else valeur
    singulier, _, pluriel_ = formes.rpartition(",") if "," in formes else ("", "", formes)
    return pluriel_ if n is not None and n >= 2 else singulier
