from django.urls import path

from parcours import views, views_comite, views_flux

app_name = "parcours"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("versions/", views.liste_versions, name="versions"),
    path("versions/comparer/", views.comparer, name="comparer"),
    path("versions/<int:numero>/", views.version, name="version"),
    path("instances/<slug:instance>/", views_comite.comite, name="comite"),
    path("instances/<slug:instance>/seances/<int:pk>/", views_comite.seance_comite, name="seance_comite"),
    path("instances/<slug:instance>/seances/<int:pk>/seance.ics", views_comite.ics_seance, name="ics_seance"),
    path("instances/<slug:instance>/seances/<int:pk>/releve.<slug:format>", views_comite.releve, name="releve"),
    path("syntheses/<theme:theme>/", views_comite.synthese, name="synthese"),
    path("syntheses/<theme:theme>/synthese.<slug:format>", views_comite.synthese_document, name="synthese_document"),
    path("consultation/", views.tableau_consultation, name="consultation"),
    path("consultation/<code:commune>/", views.commune, name="commune"),
    path("approbation/", views.approbation, name="approbation"),
    path("pieces/<str:sorte>/<int:pk>/", views.piece, name="piece"),
    path("donnees-ouvertes/", views_flux.donnees_ouvertes, name="donnees_ouvertes"),
    path("donnees-ouvertes/<code:organisation>.csv", views_flux.scdl_csv, name="scdl"),
    path("calendrier/", views_flux.mon_calendrier, name="mon_calendrier"),
]
