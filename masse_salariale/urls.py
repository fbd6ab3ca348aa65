from django.urls import path

from masse_salariale import views

app_name = "masse_salariale"
urlpatterns = [
    path("coefficient/", views.coefficient, name="coefficient"),
    path("coefficient/detail/", views.detail, name="detail"),
    path("coefficient/fonctionnels/", views.fonctionnels, name="fonctionnels"),
    path("masse-salariale/", views.lots, name="lots"),
    path("masse-salariale/importer/", views.importer, name="importer"),
    path("masse-salariale/modele/", views.modele, name="modele"),
    path("masse-salariale/lots/<int:pk>/", views.lot, name="lot"),
    path("masse-salariale/lots/<int:pk>/confirmer/", views.confirmer, name="confirmer"),
    path("masse-salariale/lots/<int:pk>/abandonner/", views.abandonner, name="abandonner"),
]
