from django.urls import path

from suivi import views

app_name = "suivi"
urlpatterns = [
    path("", views.tableau, name="tableau"),
    path("actions/<int:pk>/", views.element, name="element"),
    path("conventions/<int:pk>/", views.convention, name="convention"),
    path("etats-d-avancement/", views.rapports_annuels, name="rapports"),
    path("etats-d-avancement/<int:annee>/", views.rapport, name="rapport"),
    path("etats-d-avancement/<int:annee>/section.<slug:format>", views.section, name="section"),
    path("documents/<int:pk>/", views.telecharger, name="telecharger"),
    path("documents/<int:pk>/etat/", views.etat, name="etat"),
]
