"""Decision support of a schéma, under /t/<code>/decision/: the priority matrix, the scenarios, the optimiser."""

from django.urls import include, path

from scenarios import views, views_optimiseur

app_name = "scenarios"
urlpatterns = [
    path("matrice/", include("scenarios.urls_matrice")),
    path("scenarios/", views.liste, name="liste"),
    path("scenarios/comparer/", views.comparer, name="comparer"),
    path("optimiseur/", views_optimiseur.optimiser, name="optimiser"),
    path("scenarios/<int:pk>/", views.scenario, name="scenario"),
    path("scenarios/<int:pk>/modifier/", views.modifier, name="modifier"),
    path("scenarios/<int:pk>/supprimer/", views.supprimer, name="supprimer"),
    path("scenarios/<int:pk>/dupliquer/", views.dupliquer, name="dupliquer"),
    path("scenarios/<int:pk>/scenario.json", views.export, name="export"),
    path("scenarios/<int:pk>/impact.xlsx", views.impact, name="impact"),
    path("scenarios/<int:pk>/actions/ajouter/", views.action_ajouter, name="action_ajouter"),
    path("scenarios/<int:pk>/actions/gt3/", views.depuis_gt3, name="depuis_gt3"),
    path("scenarios/<int:pk>/actions/<int:action>/", views.action_modifier, name="action_modifier"),
    path("scenarios/<int:pk>/actions/<int:action>/supprimer/", views.action_supprimer, name="action_supprimer"),
]
