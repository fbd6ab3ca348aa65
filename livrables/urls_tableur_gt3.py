"""GT3 spreadsheet round trip, under /t/<code>/groupes/<theme>/livrables/gt3/tableur/ (mounted before
`gt3/`): livrables/views_tableur_groupe.py, the deliverable given by the `livrable` kwarg."""

from django.urls import path

from livrables import views_tableur_groupe as views

GT = {"livrable": "GT3"}
urlpatterns = [
    path("gt3.xlsx", views.exporter, {**GT, "format": "xlsx"}, name="gt3_tableur_xlsx"),
    path("gt3.ods", views.exporter, {**GT, "format": "ods"}, name="gt3_tableur_ods"),
    path("importer/", views.importer, GT, name="gt3_tableur_importer"),
    path("resoudre/", views.resoudre, GT, name="gt3_tableur_resoudre"),
]
