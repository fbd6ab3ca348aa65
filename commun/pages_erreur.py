"""The error pages: in French, in the site's layout, saying what happened and
where to go. Django calls the handlers named in mutualis/urls.py and CSRF_FAILURE_VIEW; a view that answers 405
with an empty body (HttpResponseNotAllowed) gets its page from `PagesErreur`."""

from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.template import loader

# status -> (title, what happened)
ERREURS = {
    400: (
        "Requête invalide",
        "La page demandée n'a pas pu être comprise : l'adresse ou le formulaire envoyé est incomplet ou mal formé.",
    ),
    403: ("Accès refusé", "Votre compte n'a pas le droit de faire cette action ou de voir cette page."),
    404: ("Page introuvable", "Cette page n'existe pas, ou elle n'est pas dans un territoire où vous avez un rôle."),
    405: (
        "Action impossible depuis cette adresse",
        "Cette adresse sert à envoyer un formulaire depuis sa page : elle ne s'ouvre pas directement.",
    ),
    409: (
        "Action refusée",
        "L'action n'a pas été faite : les données ont changé ou l'état ne le permet pas. Rien n'a été modifié.",
    ),
    500: (
        "Erreur du serveur",
        "Une erreur inattendue s'est produite ; elle est enregistrée pour l'équipe qui "
        "administre Mutualis. Rien de ce que vous faisiez n'a été enregistré à moitié.",
    ),
}
CSRF = (
    "Formulaire expiré",
    "Le formulaire a été envoyé depuis une page trop ancienne, ou votre session a changé "
    "entre-temps. Rechargez la page, puis recommencez : rien n'a été enregistré.",
)


def page_erreur(request, status: int, raisons=(), titre_texte=None):
    titre, texte = titre_texte or ERREURS[status]
    return render(
        request,
        "erreurs/page.html",
        {
            "statut": status,
            "titre": titre,
            "texte": texte,
            "raisons": [str(r) for r in raisons if str(r)],
            "territoire": None,
            "acces": None,
        },
        status=status,
    )


def requete_invalide(request, exception=None):
    return page_erreur(request, 400)


def acces_refuse(request, exception=None):
    return page_erreur(request, 403, [exception] if exception is not None else ())


def introuvable(request, exception=None):
    return page_erreur(request, 404)


def erreur_serveur(request):
    # No context processor, no database: the page must render whatever failed.
    return _brut(500)


def csrf(request, reason=""):
    return page_erreur(request, 403, titre_texte=CSRF)


def _brut(status):
    titre, texte = ERREURS[status]
    return HttpResponse(loader.get_template("erreurs/500.html").render({"titre": titre, "texte": texte}), status=status)


class PagesErreur:
    """A 405 answered with an empty body (HttpResponseNotAllowed) gets the French page, its Allow kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            page_ = page_erreur(request, 405)
            page_["Allow"] = response["Allow"]
            return page_
        return response
