from django.urls import path

from parcours import views_flux

app_name = "calendrier"
urlpatterns = [path("<slug:jeton>.ics", views_flux.flux_ics, name="flux")]
