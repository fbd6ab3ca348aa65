"""The territory's accounts, managed by its project team: /t/<code>/comptes/; and the payroll referents a
DGS designates in her organisation."""

from django.urls import path

from comptes import views

app_name = "utilisateurs"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("referents-paie/", views.referents_paie, name="referents_paie"),
    path("inviter/", views.inviter, name="inviter"),
    path("<int:pk>/", views.compte, name="compte"),
    path("<int:pk>/desactiver/", views.desactiver, name="desactiver"),
    path("<int:pk>/reactiver/", views.reactiver, name="reactiver"),
    path("<int:pk>/renvoyer/", views.renvoyer, name="renvoyer"),
]
