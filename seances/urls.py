"""Mounted at t/<code>/groupes/ (before the groups' own URLs, so that `trames/` is not read as a theme)."""

from django.urls import path

from seances import views, views_comptes_rendus

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
    path(seance + "compte-rendu/", views_comptes_rendus.compte_rendu, name="compte_rendu"),
    path(seance + "compte-rendu/soumettre/", views_comptes_rendus.soumettre, name="soumettre"),
    path(seance + "compte-rendu/valider/", views_comptes_rendus.viser, name="viser"),
    path(seance + "compte-rendu/renvoyer/", views_comptes_rendus.renvoyer, name="renvoyer"),
    path(seance + "compte-rendu/rouvrir/", views_comptes_rendus.rouvrir, name="rouvrir"),
    path(seance + "compte-rendu/versions/<int:numero>/", views_comptes_rendus.version, name="version"),
    path(seance + "compte-rendu/versions/<int:numero>/restaurer/", views_comptes_rendus.restaurer, name="restaurer"),
]
