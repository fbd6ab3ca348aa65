"""The deliverables of a group, under /t/<code>/groupes/<theme>/livrables/: one module per deliverable."""

from django.urls import include, path

app_name = "livrables"
urlpatterns = [
    path("gt1/tableur/", include("livrables.urls_tableur")),
    path("gt1/", include("livrables.urls_inventaire")),
    path("gt2/tableur/", include("livrables.urls_tableur_gt2")),
    path("gt2/", include("livrables.urls_afor")),
    path("gt3/tableur/", include("livrables.urls_tableur_gt3")),
    path("gt3/", include("livrables.urls_mutualisables")),
    path("<livrable:type>/circuit/", include("livrables.urls_circuit")),
]
