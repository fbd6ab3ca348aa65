"""A scenario's amounts as one reader may see them (docs/confidentialite.md).

Every money figure of a scenario (what an action moves, an organisation's payroll after, its AC,
reimbursements and net effect, the totals, the trajectory's payroll, the optimiser's AC total) is
computed by the engine from two kinds of published amounts: the *bases* its actions move (a commune's
own cell for a theme, its activity's lines for an activity) and the organisations' all-themes totals.
Through `Lecture.derive`, a figure is shown only when every amount it is built from is shown to this
reader, so a scenario page never says more than the payroll tables: no recovery by difference between
pages. The coefficient (before, after, per action, per year) is public, as on the coefficient page."""

from engine import scenario as moteur
from masse_salariale.confidentialite import Lecture, Montant, Part


def bases(lecture: Lecture, action: moteur.Action, territoire: moteur.Territoire) -> dict[str, Montant]:
    """What a staff-moving action moves in each of its communes (none for the other modalités)."""
    if not action.moves_staff:
        return {}
    return {c: lecture.base(c, action.theme, action.activite) for c in action.communes_de(territoire)}


class Montants:
    """The scenario's amounts for one reader: each organisation's, each action's, the totals'."""

    def __init__(self, lecture: Lecture, actions, territoire: moteur.Territoire):
        self.lecture = lecture
        self.territoire = territoire
        self.actions = list(actions)
        self._bases = {a.id: bases(lecture, a, territoire) for a in self.actions}

    def action(self, ident: str, valeur: float) -> Montant:
        """What one action moves, summed over its communes."""
        return self.lecture.derive(valeur, self._deplace(next(a for a in self.actions if a.id == ident)))

    def organisation(self, code: str, valeur: float) -> Montant:
        """A figure of one organisation's row (payroll after, change, AC, reimbursement, net effect): a
        commune's from its total and what the actions move there; the EPCI's from what they move in all."""
        sources = [self.lecture.ligne("organisation_tous_themes", code)]
        for a in self.actions:
            if code == self.territoire.epci:
                sources += self._deplace(a)
            elif code in self._bases[a.id]:
                sources.append(self._bases[a.id][code])
        return self.lecture.derive(valeur, sources)

    def avant(self, code: str) -> Montant:
        """An organisation's payroll as imported (all themes): its published total."""
        return self.lecture.ligne("organisation_tous_themes", code)

    def territoire_total(self, valeur: float, annee: int | None = None) -> Montant:
        """A figure summed over the territory (a total row, the payroll of a year of the trajectory): from the
        territory's total and the bases of every action in effect (by `annee` when given)."""
        sources = [self.lecture.ligne("total")]
        for a in self.actions:
            if annee is None or a.annee <= annee:
                sources += self._deplace(a)
        return self.lecture.derive(valeur, sources)

    def coefficient(self, valeur: float | None, jusqua: int | None = None, annee: int | None = None) -> Part:
        """A coefficient after actions (all of them; the first `jusqua`; those in effect by `annee`): public
        like the coefficient of the payroll, except when what one of them moves is hidden from this reader (a
        chosen part would then give it back). It depends only on what each action moves in all: for an
        action on every commune, the published line of all the communes' bases."""
        actions = self.actions[:jusqua] if jusqua is not None else self.actions
        sources = [m for a in actions if annee is None or a.annee <= annee for m in self._deplace(a)]
        return self.lecture.part(valeur, sources)

    def _deplace(self, action: moteur.Action) -> list[Montant]:
        if action.moves_staff and action.communes is None:
            return [self.lecture.bases_des_communes(action.theme, action.activite)]
        return list(self._bases[action.id].values())

    def selection(self, valeur: float) -> Montant:
        """A total over every action (the optimiser's AC total, the moved payroll of a scenario)."""
        return self.lecture.derive(valeur, [m for a in self.actions for m in self._deplace(a)])
