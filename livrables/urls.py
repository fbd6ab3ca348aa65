"""The deliverables of a group, under /t/<code>/groupes/<theme>/livrables/: one module per kind. The
spreadsheet round trips come first, so that « tableur » is never read as a commune code."""

from django.urls import include, path

app_name = "livrables"
urlpatterns = [
    path("", include("livrables.tableur.urls")),
    path("gt1/", include("livrables.gt1.urls")),
    path("gt2/", include("livrables.gt2.urls")),
    path("gt3/", include("livrables.gt3.urls")),
    path("<livrable:type>/circuit/", include("livrables.circuit.urls")),
]
