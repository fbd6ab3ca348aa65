"""GT1 spreadsheet round trip, under /t/<code>/groupes/<theme>/livrables/gt1/tableur/ (mounted before
`gt1/` so that « tableur » is never read as a commune code)."""

from django.urls import path

from livrables import views_tableur as views

urlpatterns = [
    path("<code:commune>.xlsx", views.exporter_xlsx, name="gt1_tableur_xlsx"),
    path("<code:commune>.ods", views.exporter_ods, name="gt1_tableur_ods"),
    path("<code:commune>/importer/", views.importer, name="gt1_tableur_importer"),
    path("<code:commune>/resoudre/", views.resoudre, name="gt1_tableur_resoudre"),
]
