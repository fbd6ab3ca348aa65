from django.urls import path

from groupes import views

app_name = "groupes"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("<theme:theme>/", views.groupe, name="groupe"),
    path("<theme:theme>/repartition/", views.repartition, name="repartition"),
    path("<theme:theme>/perimetre/", views.perimetre, name="perimetre"),
    path("<theme:theme>/membres/ajouter/", views.ajouter_membre, name="ajouter_membre"),
    path("<theme:theme>/membres/<int:pk>/retirer/", views.retirer_membre, name="retirer_membre"),
    path("<theme:theme>/sous-groupes/ajouter/", views.ajouter_sous_groupe, name="ajouter_sous_groupe"),
    path("<theme:theme>/sous-groupes/<int:pk>/modifier/", views.modifier_sous_groupe, name="modifier_sous_groupe"),
    path("<theme:theme>/sous-groupes/<int:pk>/supprimer/", views.supprimer_sous_groupe, name="supprimer_sous_groupe"),
]
