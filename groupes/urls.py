from django.urls import path

from groupes import views

app_name = "groupes"
urlpatterns = [
    path("", views.liste, name="liste"),
]
