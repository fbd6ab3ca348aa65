"""The territory's accounts, managed by its project team: /t/<code>/comptes/."""

from django.urls import path

from comptes import views

app_name = "utilisateurs"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("inviter/", views.inviter, name="inviter"),
    path("<int:pk>/", views.compte, name="compte"),
    path("<int:pk>/desactiver/", views.desactiver, name="desactiver"),
    path("<int:pk>/reactiver/", views.reactiver, name="reactiver"),
    path("<int:pk>/renvoyer/", views.renvoyer, name="renvoyer"),
]
