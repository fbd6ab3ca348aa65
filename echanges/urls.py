"""Exchanges, mounted at /t/<code>/echanges/ (namespace `echanges`)."""

from django.urls import path

from echanges import views

app_name = "echanges"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/tout-lire/", views.tout_lire, name="tout_lire"),
    path("notifications/courriels/", views.preferences, name="preferences"),
    path("commenter/<slug:type>/<int:pk>/", views.commenter, name="commenter"),
]
