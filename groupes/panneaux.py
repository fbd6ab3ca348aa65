"""The panels that other apps add to a working group's page (its meetings, its mandate letter, its
deliverables): the apps above the groups declare them when Django starts (`inscrire`, from their
AppConfig.ready), so that the groups never import them (docs/architecture.md). Each panel returns its
context under a key of its own, read by its include in templates/groupes/groupe.html."""

from collections.abc import Callable

PANNEAUX: list[Callable] = []  # (groupe, acces, now) -> dict


def inscrire(panneau: Callable) -> None:
    if panneau not in PANNEAUX:
        PANNEAUX.append(panneau)


def contexte(groupe, acces, now) -> dict:
    out: dict = {}
    for panneau in PANNEAUX:
        out.update(panneau(groupe, acces, now))
    return out
