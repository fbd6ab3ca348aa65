"""GT3 « liste des activités mutualisables », under /t/<code>/groupes/<theme>/livrables/gt3/."""

from django.urls import path

from livrables.gt3 import views

urlpatterns = [
    path("", views.liste, name="gt3"),
    path("ajouter/", views.ajouter, name="gt3_ajouter"),
    path("candidats.json", views.candidats, name="gt3_candidats"),
    path("<int:pk>/", views.ligne, name="gt3_ligne"),
    path("<int:pk>/modifier/", views.modifier, name="gt3_modifier"),
    path("<int:pk>/consensus/", views.consensus, name="gt3_consensus"),
    path("<int:pk>/noter/", views.noter, name="gt3_noter"),
    path("<int:pk>/supprimer/", views.supprimer, name="gt3_supprimer"),
]
