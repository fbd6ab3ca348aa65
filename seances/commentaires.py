"""The meetings' records that can be discussed (echanges.cibles): minutes. Who reads the minutes reads
their comments: drafts for the group's participants and the project team, published ones for every
member (comptes.perms `voit_compte_rendu`)."""

from django.urls import reverse

from echanges.cibles import Type, inscrire
from seances.models import CompteRendu


def _url(compte_rendu, code, groupe):
    g = compte_rendu.seance.groupe
    return reverse("seances:seance", kwargs={"code": code, "theme": g.theme, "pk": compte_rendu.seance_id})


def inscrire_cibles() -> None:
    inscrire(
        Type(
            "compte-rendu",
            "seances.compterendu",
            "compte rendu",
            queryset=lambda territoire: CompteRendu.objects.select_related("seance__groupe__schema").filter(
                seance__groupe__schema__territoire=territoire
            ),
            groupe=lambda compte_rendu, groupe: compte_rendu.seance.groupe,
            url=_url,
            peut_lire=lambda acces, compte_rendu: acces.voit_compte_rendu(compte_rendu),
        )
    )
