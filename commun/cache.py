"""A small in-process cache of what is computed from stored payroll batches: the aggregates of the current
batches read into frames (masse_salariale/lecture.py), their reduction for the scenario engine
(scenarios/calcul.py), the confidentiality table of their lines (masse_salariale/confidentialite.py).

Sound without any invalidation because a stored batch never changes: a new import makes a new batch, and
confirming or replacing one changes the set of current batches, hence the key (masse_salariale.lecture.
cle_lot says what a batch contributes to a key). Each process has its own cache, bounded and least recently
used first out; the lock makes it safe under a threaded server (two requests may both compute a missing
value: the second one's is kept, equal to the first)."""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock


class CacheLRU:
    """At most `taille` values by key, the least recently used evicted first."""

    def __init__(self, taille: int):
        self.taille = taille
        self._valeurs: OrderedDict = OrderedDict()
        self._verrou = Lock()

    def obtenir(self, cle: Hashable, calculer: Callable):
        """The value of `cle`, computed by `calculer()` (outside the lock) when it is not cached."""
        with self._verrou:
            if cle in self._valeurs:
                self._valeurs.move_to_end(cle)
                return self._valeurs[cle]
        valeur = calculer()
        with self._verrou:
            self._valeurs[cle] = valeur
            self._valeurs.move_to_end(cle)
            while len(self._valeurs) > self.taille:
                self._valeurs.popitem(last=False)
        return valeur

    def clear(self) -> None:
        with self._verrou:
            self._valeurs.clear()

    def __len__(self) -> int:
        return len(self._valeurs)

    def __iter__(self):
        return iter(list(self._valeurs))

    def items(self) -> list:
        with self._verrou:
            return list(self._valeurs.items())
