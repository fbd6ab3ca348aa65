"""What may be discussed (an allow-list), how a target is loaded within a territory, and who may read it.

The exchanges sit below the apps whose records are discussed (docs/architecture.md): each of those apps
declares its kinds of target here when Django starts (`inscrire`, from its AppConfig.ready): the meetings
their minutes, the deliverables their GT3 lines, AFOR items and activities. Who may read a target
decides who may read and write its comments (comptes.perms's rules, asked through `acces`). A target of
another territory is a 404."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import Http404
from django.urls import NoReverseMatch, reverse


def _tout_membre(acces, objet) -> bool:
    return acces.est_membre


def _sans_groupe(territoire, objet, groupe_id):
    return None


@dataclass(frozen=True)
class Type:
    slug: str  # in the URL
    modele: str  # app_label.model
    libelle: str
    queryset: Callable  # territoire -> the targets of that territory
    groupe: Callable  # (objet, groupe given) -> the working group the target belongs to
    url: Callable  # (objet, code, groupe) -> the page where its discussion is shown
    peut_lire: Callable = _tout_membre  # (acces, objet) -> bool
    # (territoire, objet, group id of the URL) -> the group a target without one is discussed in, or 404
    groupe_charge: Callable = _sans_groupe


TYPES: dict[str, Type] = {}
PAR_MODELE: dict[str, Type] = {}


def inscrire(type_: Type) -> None:
    """Declare a kind of target (once, when its app is ready)."""
    TYPES[type_.slug] = type_
    PAR_MODELE[type_.modele] = type_


def type_de(objet) -> Type:
    meta = objet._meta
    try:
        return PAR_MODELE[f"{meta.app_label}.{meta.model_name}"]
    except KeyError:
        raise ValueError(f"{meta.label} n'accepte pas de commentaires") from None


def groupe_de(objet, groupe=None):
    """The working group the target belongs to (the given one for an activity, which may have none)."""
    return type_de(objet).groupe(objet, groupe)


def charger(territoire, slug: str, pk: int, groupe_id=None):
    """(target, group) of the territory, or 404: an unknown type, another territory's object, or a group
    that is not the territory's (an activity discussed in a group of another theme is also a 404)."""
    if not 0 < pk < 2**63 or (groupe_id is not None and not 0 < groupe_id < 2**63):
        raise Http404("Objet introuvable dans ce territoire.")
    type_ = TYPES.get(slug)
    if type_ is None:
        raise Http404("On ne commente pas ce type d'objet.")
    objet = type_.queryset(territoire).filter(pk=pk).first()
    if objet is None:
        raise Http404("Objet introuvable dans ce territoire.")
    groupe = type_.groupe_charge(territoire, objet, groupe_id) if groupe_id else None
    return objet, groupe_de(objet, groupe)


def peut_lire(acces, objet, groupe=None) -> bool:
    """May this user read the target (and so read and write its comments)? The rules are the
    chokepoint's (comptes/perms.py)."""
    return type_de(objet).peut_lire(acces, objet)


def libelle(objet, groupe=None) -> str:
    texte = f"{type_de(objet).libelle} « {objet} »"
    if groupe is not None and type_de(objet).slug == "activite":
        texte += f" ({groupe})"
    return texte


def url_de(objet, territoire, groupe=None) -> str:
    """The page where the target's discussion is shown (the thread is anchored `#echanges`)."""
    try:
        url = type_de(objet).url(objet, territoire.code, groupe)
    except NoReverseMatch:
        return reverse("echanges:notifications", kwargs={"code": territoire.code})
    return url + "#echanges"
