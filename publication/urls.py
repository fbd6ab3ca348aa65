from django.urls import path

from publication import views

app_name = "publication"
urlpatterns = [
    path("versions/<int:numero>/", views.version, name="version"),
    path("versions/<int:numero>/generer/", views.generer, name="generer"),
    path("documents/<int:pk>/", views.telecharger, name="telecharger"),
    path("documents/<int:pk>/etat/", views.etat, name="etat"),
    path("mise-en-page/", views.gabarit, name="gabarit"),
    path("mise-en-page/logo/", views.logo, name="logo"),
    path("mise-en-page/apercu.css", views.apercu_css, name="apercu_css"),
]
