from django.urls import path

from territoire import views

app_name = "territoire"
urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("territoire/", views.page, name="page"),
]
