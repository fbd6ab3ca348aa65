from django.urls import path

from referentiel import views

app_name = "referentiel"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("export.xlsx", views.exporter, name="exporter"),
    path("import/", views.importer, name="importer"),
    path("activites/ajouter/", views.ajouter, name="ajouter"),
    path("activites/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("activites/<int:pk>/supprimer/", views.supprimer, name="supprimer"),
]
