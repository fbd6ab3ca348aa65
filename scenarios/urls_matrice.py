"""The priority matrix of the schéma, under /t/<code>/decision/matrice/."""

from django.urls import path

from scenarios import views_matrice as views

urlpatterns = [
    path("", views.matrice, name="matrice"),
]
