from django.urls import include, path, register_converter

from commun.convertisseurs import ActiviteConverter, CodeConverter, LivrableConverter, ThemeConverter
from comptes.views import accueil

register_converter(CodeConverter, "code")
register_converter(ThemeConverter, "theme")
register_converter(ActiviteConverter, "activite")
register_converter(LivrableConverter, "livrable")

urlpatterns = [
    path("", accueil, name="accueil"),
    path("comptes/", include("comptes.urls")),
    path("t/<code:code>/", include("espace.urls")),
    path("t/<code:code>/", include("masse_salariale.urls")),
    path("t/<code:code>/referentiel/", include("referentiel.urls")),
    # Meetings (<theme>/seances/…) and agendas (trames/): before the groups' URLs, so that « trames » is no theme.
    path("t/<code:code>/groupes/", include("seances.urls")),
    path("t/<code:code>/groupes/<theme:theme>/livrables/", include("livrables.urls")),
    path("t/<code:code>/groupes/", include("groupes.urls")),
    path("t/<code:code>/comptes/", include("comptes.urls_territoire")),
    path("t/<code:code>/lettres/", include("documents.urls")),
    path("t/<code:code>/echanges/", include("echanges.urls")),
    path("t/<code:code>/decision/", include("scenarios.urls")),
    path("t/<code:code>/demarche/", include("parcours.urls")),
    path("t/<code:code>/documents-du-schema/", include("publication.urls")),
    path("t/<code:code>/suivi/", include("suivi.urls")),
    path("calendrier/", include("parcours.urls_calendrier")),
]

handler400 = "commun.pages_erreur.requete_invalide"
handler403 = "commun.pages_erreur.acces_refuse"
handler404 = "commun.pages_erreur.introuvable"
handler500 = "commun.pages_erreur.erreur_serveur"
