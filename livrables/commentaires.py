"""The deliverables' records that can be discussed (echanges.cibles): a GT3 line, an AFOR item, and an
activity of the referential within a group (the thread of its GT1 row and of its AFOR grid). Every member
of the territory reads them and their comments."""

from django.http import Http404
from django.urls import reverse

from echanges.cibles import Type, inscrire
from groupes.models import GroupeTravail
from livrables.models import ElementAfor, LigneMutualisable
from referentiel.models import Activite


def _groupe_de_l_activite(territoire, activite, groupe_id):
    groupe = (
        GroupeTravail.objects.filter(pk=groupe_id, schema__territoire=territoire, theme=activite.theme)
        .select_related("schema")
        .first()
    )
    if groupe is None:
        raise Http404("Groupe de travail introuvable.")
    return groupe


def _url_activite(activite, code, groupe):
    if groupe is None:
        return reverse("referentiel:liste", kwargs={"code": code})
    return reverse("livrables:afor_activite", kwargs={"code": code, "theme": groupe.theme, "activite": activite.code})


def inscrire_cibles() -> None:
    inscrire(
        Type(
            "ligne-gt3",
            "livrables.lignemutualisable",
            "ligne de la liste des activités mutualisables",
            queryset=lambda territoire: LigneMutualisable.objects.select_related(
                "livrable__groupe__schema", "activite"
            ).filter(livrable__groupe__schema__territoire=territoire),
            groupe=lambda ligne, groupe: ligne.livrable.groupe,
            url=lambda ligne, code, groupe: reverse(
                "livrables:gt3_ligne", kwargs={"code": code, "theme": ligne.livrable.groupe.theme, "pk": ligne.pk}
            ),
        )
    )
    inscrire(
        Type(
            "element-afor",
            "livrables.elementafor",
            "élément de la grille AFOR",
            queryset=lambda territoire: ElementAfor.objects.select_related(
                "livrable__groupe__schema", "activite"
            ).filter(livrable__groupe__schema__territoire=territoire),
            groupe=lambda element, groupe: element.livrable.groupe,
            url=lambda element, code, groupe: reverse(
                "livrables:afor_activite",
                kwargs={"code": code, "theme": element.livrable.groupe.theme, "activite": element.activite.code},
            ),
        )
    )
    inscrire(
        Type(
            "activite",
            "referentiel.activite",
            "activité",
            queryset=lambda territoire: Activite.objects.filter(territoire=territoire),
            groupe=lambda activite, groupe: groupe,
            url=_url_activite,
            groupe_charge=_groupe_de_l_activite,
        )
    )
