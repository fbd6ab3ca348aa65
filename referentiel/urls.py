from django.urls import path

from referentiel import views

app_name = "referentiel"
urlpatterns = [
    path("", views.liste, name="liste"),
]
