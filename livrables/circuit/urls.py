"""The validation circuit of a deliverable (type GT1, GT2 or GT3), under
/t/<code>/groupes/<theme>/livrables/<type>/circuit/."""

from django.urls import path

from livrables.circuit import views

urlpatterns = [
    path("", views.circuit, name="circuit"),
    path("soumettre/", views.soumettre, name="circuit_soumettre"),
    path("valider/", views.viser, name="circuit_viser"),
    path("renvoyer/", views.renvoyer, name="circuit_renvoyer"),
    path("rouvrir/", views.rouvrir, name="circuit_rouvrir"),
    path("versions/<int:numero>/", views.version, name="circuit_version"),
    path("versions/<int:numero>/restaurer/", views.restaurer, name="circuit_restaurer"),
]
