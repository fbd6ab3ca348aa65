"""French alphabetical order of names (communes, people, groups, territories): one key for every list
a user reads, on pages, in exports and in letters.

The database cannot give it: SQLite and PostgreSQL (C collation) compare bytes, so « Bègles » comes after
« Bruges » and « Émilie » after « Zoé ». ICU would, but it is a heavy dependency for a few dozen names;
the order of the official lists is three comparisons, as in the Unicode collation algorithm:

1. the letters alone: accents dropped (NFKD, combining marks removed), case folded, œ and æ spelled out,
   hyphens, apostrophes and spaces all one space, so « Saint-Aubin », « Saint Aubin » and « SAINT-AUBIN »
   are equal at this level and come before « Sainte… » (a space sorts before any letter);
2. then the accents, on the case-folded text: « cote » < « coté » < « côte »;
3. then the text itself (capitals first), so that two different names never compare equal: the order is
   total and deterministic. Equal names keep the order of the query (sorts are stable); a caller that
   needs more adds its own last key (a code, an id).

An article stays part of the name: « Le Bouscat » and « Le Haillan » sort under L, as in the official
lists (INSEE, préfectures). Digits compare as characters: no name we sort needs a numeric order.

The lists are sorted in Python after their query (`sorted(..., key=cle_francaise)`, `trie_par_nom`);
what must stay a QuerySet (the choices of a form field, a prefetch) is ordered by `ordonne`.
"""

import unicodedata
from collections.abc import Callable, Iterable
from operator import attrgetter

from django.db.models import Case, IntegerField, Value, When

# Hyphens, dashes, apostrophes and spaces, as typed or as pasted from a word processor.
SEPARATEURS = str.maketrans(dict.fromkeys("-\u2010\u2011\u2012\u2013\u2014'\u2019\u02bc\u00a0\u202f\t\n", " "))
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})


def cle_francaise(texte: str | None) -> tuple[str, str, str]:
    """The sort key of a name in French alphabetical order (None sorts as the empty name, first)."""
    texte = unicodedata.normalize("NFC", texte or "")
    accentue = " ".join(texte.casefold().translate(SEPARATEURS).translate(LIGATURES).split())
    lettres = "".join(c for c in unicodedata.normalize("NFKD", accentue) if not unicodedata.combining(c))
    return lettres, accentue, texte


def trie_par_nom[T](objets: Iterable[T], nom: Callable[[T], str | None] = attrgetter("nom")) -> list[T]:
    """`objets` in French alphabetical order of `nom(objet)` (by default their `nom` attribute)."""
    return sorted(objets, key=lambda objet: cle_francaise(nom(objet)))


def ordonne(queryset, cle: Callable = lambda objet: cle_francaise(objet.nom)):
    """`queryset`, still a QuerySet, in the order of `cle(objet)`: for what Django reads as a QuerySet (the
    choices of a ModelChoiceField, a Prefetch). Reads the objects once (without their prefetches) to rank
    them, then orders by that rank; a list read in full is simpler sorted in Python."""
    rangs = [objet.pk for objet in sorted(queryset.prefetch_related(None), key=cle)]
    if not rangs:
        return queryset
    rang = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(rangs)), output_field=IntegerField())
    return queryset.order_by(rang, "pk")
