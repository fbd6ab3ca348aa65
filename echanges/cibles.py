"""What may be discussed (an allow-list), how a target is loaded within a territory, and who may read it.

Who may read a target decides who may read and write its comments (comptes.perms's rules, asked through
`acces`): minutes in draft → `acces.voit_brouillons(groupe)`, published minutes and the rows of the
deliverables and activities → any member of the territory. A target of another territory is a 404."""

from dataclasses import dataclass

from django.http import Http404
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Type:
    slug: str  # in the URL
    modele: str  # app_label.model
    libelle: str


TYPES = {
    t.slug: t
    for t in (
        Type("compte-rendu", "seances.compterendu", "compte rendu"),
        Type("ligne-gt3", "livrables.lignemutualisable", "ligne de la liste des activités mutualisables"),
        Type("element-afor", "livrables.elementafor", "élément de la grille AFOR"),
        Type("activite", "referentiel.activite", "activité"),
    )
}
PAR_MODELE = {t.modele: t for t in TYPES.values()}


def type_de(objet) -> Type:
    meta = objet._meta
    try:
        return PAR_MODELE[f"{meta.app_label}.{meta.model_name}"]
    except KeyError:
        raise ValueError(f"{meta.label} n'accepte pas de commentaires") from None


def _queryset(slug, territoire):
    from livrables.models import ElementAfor, LigneMutualisable
    from referentiel.models import Activite
    from seances.models import CompteRendu

    if slug == "compte-rendu":
        return CompteRendu.objects.select_related("seance__groupe__schema").filter(
            seance__groupe__schema__territoire=territoire
        )
    if slug == "ligne-gt3":
        return LigneMutualisable.objects.select_related("livrable__groupe__schema", "activite").filter(
            livrable__groupe__schema__territoire=territoire
        )
    if slug == "element-afor":
        return ElementAfor.objects.select_related("livrable__groupe__schema", "activite").filter(
            livrable__groupe__schema__territoire=territoire
        )
    if slug == "activite":
        return Activite.objects.filter(territoire=territoire)
    raise Http404("On ne commente pas ce type d'objet.")


def groupe_de(objet, groupe=None):
    """The working group the target belongs to (the given one for an activity, which may have none)."""
    slug = type_de(objet).slug
    if slug == "compte-rendu":
        return objet.seance.groupe
    if slug in ("ligne-gt3", "element-afor"):
        return objet.livrable.groupe
    return groupe


def charger(territoire, slug: str, pk: int, groupe_id=None):
    """(target, group) of the territory, or 404: an unknown type, another territory's object, or a group
    that is not the territory's (an activity discussed in a group of another theme is also a 404)."""
    from groupes.models import GroupeTravail

    if not 0 < pk < 2**63 or (groupe_id is not None and not 0 < groupe_id < 2**63):
        raise Http404("Objet introuvable dans ce territoire.")
    objet = _queryset(slug, territoire).filter(pk=pk).first()
    if objet is None:
        raise Http404("Objet introuvable dans ce territoire.")
    groupe = None
    if slug == "activite" and groupe_id:
        groupe = (
            GroupeTravail.objects.filter(pk=groupe_id, schema__territoire=territoire, theme=objet.theme)
            .select_related("schema")
            .first()
        )
        if groupe is None:
            raise Http404("Groupe de travail introuvable.")
    return objet, groupe_de(objet, groupe)


def peut_lire(acces, objet, groupe=None) -> bool:
    """May this user read the target (and so read and write its comments)? The rules are the
    chokepoint's (comptes/perms.py)."""
    if type_de(objet).slug == "compte-rendu":
        return acces.voit_compte_rendu(objet)
    return acces.est_membre  # deliverables' rows and activities: every member of the territory


def libelle(objet, groupe=None) -> str:
    texte = f"{type_de(objet).libelle} « {objet} »"
    if groupe is not None and type_de(objet).slug == "activite":
        texte += f" ({groupe})"
    return texte


def url_de(objet, territoire, groupe=None) -> str:
    """The page where the target's discussion is shown (the thread is anchored `#echanges`)."""
    slug = type_de(objet).slug
    code = territoire.code
    try:
        if slug == "compte-rendu":
            g = objet.seance.groupe
            url = reverse("seances:seance", kwargs={"code": code, "theme": g.theme, "pk": objet.seance_id})
        elif slug == "ligne-gt3":
            url = reverse(
                "livrables:gt3_ligne", kwargs={"code": code, "theme": objet.livrable.groupe.theme, "pk": objet.pk}
            )
        elif slug == "element-afor":
            url = reverse(
                "livrables:afor_activite",
                kwargs={"code": code, "theme": objet.livrable.groupe.theme, "activite": objet.activite.code},
            )
        elif groupe is not None:
            url = reverse(
                "livrables:afor_activite", kwargs={"code": code, "theme": groupe.theme, "activite": objet.code}
            )
        else:
            url = reverse("referentiel:liste", kwargs={"code": code})
    except NoReverseMatch:
        return reverse("echanges:notifications", kwargs={"code": code})
    return url + "#echanges"
