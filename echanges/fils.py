"""The thread of a target, for the pages that show one:

    context.update(echanges.fils.contexte(compte_rendu, acces, groupe=None))
    {% include "echanges/includes/fil.html" %}

`contexte` returns {"fil": None} when the user may not read the target (the include then shows nothing)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from echanges import actions, cibles, mentions
from echanges.forms import CommentaireForm
from echanges.models import Commentaire


@dataclass
class Fil:
    objet: object
    groupe: object
    type: str
    action: str  # the POST URL
    commentaires: list
    formulaire: CommentaireForm
    nombre: int = 0
    erreurs: list = field(default_factory=list)


def _prepare(commentaire):
    commentaire.html = mentions.rendre(commentaire.texte, commentaire.mentionnes.all())
    commentaire.nom_auteur = mentions.nom(commentaire.auteur) if commentaire.auteur else "Utilisateur supprimé"
    return commentaire


def contexte(objet, acces, groupe=None, formulaire=None) -> dict:
    if not cibles.peut_lire(acces, objet, groupe):
        return {"fil": None}
    slug = cibles.type_de(objet).slug
    groupe = groupe if slug == "activite" else None
    reponses = Commentaire.objects.select_related("auteur").prefetch_related("mentionnes")
    racines = list(
        actions.fil_de(objet, groupe)
        .filter(parent__isnull=True)
        .select_related("auteur")
        .prefetch_related("mentionnes", Prefetch("reponses", queryset=reponses))
    )
    nombre = 0
    for racine in racines:
        _prepare(racine)
        racine.fil_reponses = [_prepare(r) for r in racine.reponses.all()]
        nombre += 1 + len(racine.fil_reponses)
    action = reverse("echanges:commenter", kwargs={"code": acces.territoire.code, "type": slug, "pk": objet.pk})
    return {
        "fil": Fil(
            objet=objet,
            groupe=groupe,
            type=slug,
            action=action,
            commentaires=racines,
            formulaire=formulaire or CommentaireForm(),
            nombre=nombre,
        )
    }
