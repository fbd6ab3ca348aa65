from django.urls import path

from documents import views

app_name = "documents"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("modele/", views.modele, name="modele"),
    path("generer/", views.generer_tout, name="generer_tout"),
    path("<theme:theme>/", views.lettre, name="lettre"),
    path("<theme:theme>/generer/", views.generer, name="generer"),
    path("<theme:theme>/statut/", views.statut, name="statut"),
    path("<theme:theme>/lettre.pdf", views.pdf, name="pdf"),
    path("<theme:theme>/lettre.docx", views.docx, name="docx"),
    path("<theme:theme>/lettre.odt", views.odt, name="odt"),
    path("<theme:theme>/comptes-rendus/<int:pk>.<slug:format>", views.compte_rendu, name="compte_rendu"),
]
