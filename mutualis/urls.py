from django.urls import include, path

from comptes.views import accueil

urlpatterns = [
    path("", accueil, name="accueil"),
    path("comptes/", include("comptes.urls")),
    path("t/<str:code>/", include("territoire.urls")),
    path("t/<str:code>/", include("masse_salariale.urls")),
    path("t/<str:code>/referentiel/", include("referentiel.urls")),
    # Meetings (<theme>/seances/…) and agendas (trames/): before the groups' URLs, so that « trames » is no theme.
    path("t/<str:code>/groupes/", include("seances.urls")),
    path("t/<str:code>/groupes/<str:theme>/livrables/", include("livrables.urls")),
    path("t/<str:code>/groupes/", include("groupes.urls")),
    path("t/<str:code>/comptes/", include("comptes.urls_territoire")),
    path("t/<str:code>/lettres/", include("documents.urls")),
]
