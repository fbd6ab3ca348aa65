"""Statistical secrecy of payroll tables: which cells to hide.

Primary rule: a cell covering fewer than 3 agents is hidden from anyone outside its employer.
Secondary rule: when a line of a table (a row or a column whose total is shown) has exactly one hidden
cell, that cell could be recovered by subtraction, so the smallest other non-empty cell of the line is
hidden too; repeated until stable. A classic heuristic of statistical disclosure control, not an optimum."""

from collections.abc import Hashable, Iterable, Mapping

Key = tuple[Hashable, Hashable]


def secondary_suppression(
    values: Mapping[Key, float], primary: Iterable[Key], known: Iterable[Key] = ()
) -> set[Key]:
    """values: (row, column) -> amount of every non-empty cell; primary: the cells hidden by the first rule;
    known: cells the reader sees anyway (her own employer's), never useful as a second hidden cell.
    Returns every cell to hide. Lines are the rows and the columns of the table. A line left with a
    single hidden cell and no candidate keeps it recoverable: `lines_to_hide` says which totals to hide."""
    return _suppress(values, primary, known)[0]


def lines_to_hide(values: Mapping[Key, float], primary: Iterable[Key], known: Iterable[Key] = ()) -> set[tuple[str, Hashable]]:
    """The lines (("row", r) or ("col", c)) whose total must be hidden as well."""
    return _suppress(values, primary, known)[1]


def _suppress(values, primary, known):
    known = set(known)
    hidden = set(primary) & set(values)
    lines: dict[tuple[str, Hashable], list[Key]] = {}
    for key in values:
        lines.setdefault(("row", key[0]), []).append(key)
        lines.setdefault(("col", key[1]), []).append(key)
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
