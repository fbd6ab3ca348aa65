"""GT1 « liste des activités par domaine », under /t/<code>/groupes/<theme>/livrables/gt1/."""

from django.urls import path

from livrables.gt1 import views

urlpatterns = [
    path("", views.consolide, name="gt1"),
    path("activite/<activite:activite>/", views.activite, name="gt1_activite"),
    path("<code:commune>/", views.commune, name="gt1_commune"),
]
