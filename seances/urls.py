"""Mounted at t/<code>/groupes/ (before the groups' own URLs, so that `trames/` is not read as a theme)."""

from django.urls import path

from seances import views

app_name = "seances"

seance = "<theme:theme>/seances/<int:pk>/"
urlpatterns = [
    path("trames/", views.trames, name="trames"),
    path("<theme:theme>/seances/", views.liste, name="liste"),
    path("<theme:theme>/seances/nouvelle/", views.creer, name="creer"),
    path(seance, views.seance, name="seance"),
    path(seance + "modifier/", views.modifier, name="modifier"),
    path(seance + "annuler/", views.annuler, name="annuler"),
    path(seance + "invitations/", views.inviter, name="inviter"),
    path(seance + "invitation.ics", views.calendrier, name="ics"),
    path(seance + "presences/", views.presences, name="presences"),
    path(seance + "compte-rendu/", views.compte_rendu, name="compte_rendu"),
    path(seance + "compte-rendu/soumettre/", views.soumettre, name="soumettre"),
    path(seance + "compte-rendu/valider/", views.viser, name="viser"),
    path(seance + "compte-rendu/renvoyer/", views.renvoyer, name="renvoyer"),
    path(seance + "compte-rendu/rouvrir/", views.rouvrir, name="rouvrir"),
    path(seance + "compte-rendu/versions/<int:numero>/", views.version, name="version"),
    path(seance + "compte-rendu/versions/<int:numero>/restaurer/", views.restaurer, name="restaurer"),
]
