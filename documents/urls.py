from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("modele/", views.modele, name="modele"),
    path("generer/", views.generer_tout, name="generer_tout"),
    path("<str:theme>/", views.lettre, name="lettre"),
    path("<str:theme>/generer/", views.generer, name="generer"),
    path("<str:theme>/statut/", views.statut, name="statut"),
    path("<str:theme>/lettre.pdf", views.pdf, name="pdf"),
    path("<str:theme>/lettre.docx", views.docx, name="docx"),
    path("<str:theme>/lettre.odt", views.odt, name="odt"),
]
