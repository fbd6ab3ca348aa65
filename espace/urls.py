from django.urls import path

from espace import views

app_name = "espace"
urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("territoire/", views.page, name="territoire"),
]
