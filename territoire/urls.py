from django.urls import path

from territoire import views

app_name = "territoire"
urlpatterns = [
    path("", views.page, name="page"),
]
