"""The spreadsheet round trips, mounted in livrables/urls.py before each deliverable's own pages (so that
« tableur » is never read as a commune code): GT1 under gt1/tableur/ (a commune's list), GT2 and GT3
under gt2/tableur/ and gt3/tableur/ (the group's deliverable, given to the views by the `livrable`
kwarg)."""

from django.urls import path

from livrables.tableur import views

GT2 = {"livrable": "GT2"}
GT3 = {"livrable": "GT3"}
urlpatterns = [
    path("gt1/tableur/<code:commune>.xlsx", views.commune_xlsx, name="gt1_tableur_xlsx"),
    path("gt1/tableur/<code:commune>.ods", views.commune_ods, name="gt1_tableur_ods"),
    path("gt1/tableur/<code:commune>/importer/", views.commune_importer, name="gt1_tableur_importer"),
    path("gt1/tableur/<code:commune>/resoudre/", views.commune_resoudre, name="gt1_tableur_resoudre"),
    path("gt2/tableur/gt2.xlsx", views.groupe_exporter, {**GT2, "format": "xlsx"}, name="gt2_tableur_xlsx"),
    path("gt2/tableur/gt2.ods", views.groupe_exporter, {**GT2, "format": "ods"}, name="gt2_tableur_ods"),
    path("gt2/tableur/importer/", views.groupe_importer, GT2, name="gt2_tableur_importer"),
    path("gt2/tableur/resoudre/", views.groupe_resoudre, GT2, name="gt2_tableur_resoudre"),
    path("gt3/tableur/gt3.xlsx", views.groupe_exporter, {**GT3, "format": "xlsx"}, name="gt3_tableur_xlsx"),
    path("gt3/tableur/gt3.ods", views.groupe_exporter, {**GT3, "format": "ods"}, name="gt3_tableur_ods"),
    path("gt3/tableur/importer/", views.groupe_importer, GT3, name="gt3_tableur_importer"),
    path("gt3/tableur/resoudre/", views.groupe_resoudre, GT3, name="gt3_tableur_resoudre"),
]
