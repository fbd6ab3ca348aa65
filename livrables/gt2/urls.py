"""GT2 AFOR grid, mounted at /t/<code>/groupes/<theme>/livrables/gt2/ (namespace `livrables`)."""

from django.urls import path

from livrables.gt2 import views

activite = "<activite:activite>/"
element = activite + "elements/<int:pk>/"
urlpatterns = [
    path("", views.afor, name="afor"),
    path(activite, views.afor_activite, name="afor_activite"),
    path(activite + "ajouter/", views.afor_ajouter, name="afor_ajouter"),
    path(activite + "fusionner/", views.afor_fusionner, name="afor_fusionner"),
    path(element + "reformuler/", views.afor_reformuler, name="afor_reformuler"),
    path(element + "supprimer/", views.afor_supprimer, name="afor_supprimer"),
]
