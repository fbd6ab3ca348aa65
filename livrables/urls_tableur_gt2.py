"""GT2 spreadsheet round trip, under /t/<code>/groupes/<theme>/livrables/gt2/tableur/ (mounted before
`gt2/`): livrables/views_tableur_groupe.py, the deliverable given by the `livrable` kwarg."""

from django.urls import path

from livrables import views_tableur_groupe as views

GT = {"livrable": "GT2"}
urlpatterns = [
    path("gt2.xlsx", views.exporter, {**GT, "format": "xlsx"}, name="gt2_tableur_xlsx"),
    path("gt2.ods", views.exporter, {**GT, "format": "ods"}, name="gt2_tableur_ods"),
    path("importer/", views.importer, GT, name="gt2_tableur_importer"),
    path("resoudre/", views.resoudre, GT, name="gt2_tableur_resoudre"),
]
