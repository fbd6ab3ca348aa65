from django.urls import path

from masse_salariale import views, views_dsn, views_export, views_imports

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
    path("masse-salariale/export/", views_export.export, name="export"),
    path("masse-salariale/export/correspondance/", views_export.export_correspondance, name="export_correspondance"),
    path("masse-salariale/export/abandonner/", views_export.export_abandonner, name="export_abandonner"),
    path(
        "masse-salariale/export/profils/<int:pk>/supprimer/",
        views_export.export_profil_supprimer,
        name="export_profil_supprimer",
    ),
    path("masse-salariale/consultations/", views.consultations, name="consultations"),
    path("masse-salariale/imports/<int:pk>/", views_imports.import_paie, name="import"),
    path("masse-salariale/imports/<int:pk>/etat/", views_imports.import_etat, name="import_etat"),
    path("masse-salariale/dsn/", views_dsn.envoyer, name="dsn"),
    path("masse-salariale/dsn/<int:pk>/", views_dsn.lecture, name="dsn_lecture"),
    path("masse-salariale/dsn/<int:pk>/placer/", views_dsn.placer, name="dsn_placer"),
    path("masse-salariale/dsn/<int:pk>/preparer/", views_dsn.preparer, name="dsn_preparer"),
    path("masse-salariale/dsn/<int:pk>/abandonner/", views_dsn.abandonner, name="dsn_abandonner"),
    path("masse-salariale/correspondance/<str:employeur>/", views_dsn.regles, name="regles"),
    path("masse-salariale/correspondance/<str:employeur>/export/", views_dsn.regles_export, name="regles_export"),
    path(
        "masse-salariale/correspondance/<str:employeur>/supprimer/", views_dsn.supprimer_regle, name="regle_supprimer"
    ),
]
