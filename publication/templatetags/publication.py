from django import template

from publication.blocs import typographie

register = template.Library()


@register.filter
def typo(texte: str) -> str:
    """French spacing of punctuation (publication/blocs.py); escaped afterwards like any text."""
    return typographie(str(texte))


@register.filter
def genre(bloc) -> str:
    """The kind of a block of the document, for the template to lay it out."""
    return type(bloc).__name__.lower()
