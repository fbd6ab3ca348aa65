"""Loading a working group from a page's URL, through the permission chokepoint (comptes.perms): the
territory and the reader's access first (404 outside it), then the group of its current schéma."""

from django.http import Http404

from comptes.perms import Acces, get_territoire_ou_404
from groupes.models import GroupeTravail
from territoire.models import Territoire


def get_groupe_ou_404(territoire: Territoire, theme: str, queryset=None) -> GroupeTravail:
    """A working group of the territory's current schéma, by theme code (« RH »), or 404."""
    queryset = GroupeTravail.objects.all() if queryset is None else queryset
    groupe = queryset.du_territoire(territoire).filter(theme=theme.upper()).first()
    if groupe is None:
        raise Http404("Groupe de travail introuvable.")
    return groupe


def get_groupe_pour(user, code: str, theme: str) -> tuple[Territoire, Acces, GroupeTravail]:
    """The territory, the user's access and the working group `theme` of a group page's URL (404 outside)."""
    territoire, acces = get_territoire_ou_404(user, code)
    groupe = get_groupe_ou_404(territoire, theme, GroupeTravail.objects.select_related("schema"))
    groupe.schema.territoire = territoire
    return territoire, acces, groupe
