"""Statistical secrecy of payroll tables: which cells to hide.

Primary rule: a cell covering fewer than 3 agents is hidden from anyone outside its employer.
Secondary rule: when a line of a table (a row or a column whose total is shown) has exactly one hidden
cell, that cell could be recovered by subtraction, so the smallest other non-empty cell of the line is
hidden too; repeated until stable. A classic heuristic of statistical disclosure control, not an optimum."""

from collections.abc import Hashable, Iterable, Mapping

Key = tuple[Hashable, Hashable]


def secondary_suppression(
    values: Mapping[Key, float], primary: Iterable[Key], known: Iterable[Key] = (),
    extra_lines: Mapping[Hashable, Iterable[Key]] | None = None,
) -> set[Key]:
    """values: (row, column) -> amount of every non-empty cell; primary: the cells hidden by the first rule;
    known: cells the reader sees anyway (her own employer's), never useful as a second hidden cell.
    Returns every cell to hide. Lines are the rows and the columns of the table. A line left with a
    single hidden cell and no candidate keeps it recoverable: `lines_to_hide` says which totals to hide.
    `extra_lines` names other groups of cells whose sum is published elsewhere (a theme's numerator is
    the EPCI's cell plus the communes' agents made available to the EPCI)."""
    return _suppress(values, primary, known, extra_lines)[0]


def lines_to_hide(values: Mapping[Key, float], primary: Iterable[Key], known: Iterable[Key] = (),
                  extra_lines: Mapping[Hashable, Iterable[Key]] | None = None) -> set[Hashable]:
    """The lines (("row", r), ("col", c) or an extra line's name) whose total must be hidden as well."""
    return _suppress(values, primary, known, extra_lines)[1]


def suppress(values, primary, known=(), extra_lines=None) -> tuple[set[Key], set[Hashable]]:
    """Both answers at once: (cells to hide, lines whose total to hide)."""
    return _suppress(values, primary, known, extra_lines)


def _suppress(values, primary, known, extra_lines=None):
    known = set(known)
    hidden = set(primary) & set(values)
    lines: dict[Hashable, list[Key]] = {}
    for key in values:
        lines.setdefault(("row", key[0]), []).append(key)
        lines.setdefault(("col", key[1]), []).append(key)
    for name, keys in (extra_lines or {}).items():
        lines[name] = [k for k in keys if k in values]
    changed = True
    while changed:
        changed = False
        for keys in lines.values():
            masked = [k for k in keys if k in hidden]
            if len(masked) != 1:
                continue
            candidates = sorted(
                (k for k in keys if k not in hidden and k not in known), key=lambda k: (abs(values[k]), str(k))
            )
            if candidates:
                hidden.add(candidates[0])
                changed = True
    exposed = {line for line, keys in lines.items() if len([k for k in keys if k in hidden]) == 1}
    return hidden, exposed


SEUIL = 3


def somme_secrete(parts: Iterable[tuple[int, bool]], seuil: int = SEUIL) -> bool:
    """Must a sum over several contributors be hidden? `parts`: (agents, hidden) of each contributor, where
    hidden means the reader may not see that contributor's own figure. The sum is a secret when exactly one
    contributor is hidden (the sum minus the figures the reader knows would give it away) or when the
    hidden contributors together count fewer than `seuil` agents."""
    cachees = [agents for agents, hidden in parts if hidden and agents > 0]
    return bool(cachees) and (len(cachees) == 1 or sum(cachees) < seuil)
