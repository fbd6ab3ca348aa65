from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from comptes import views
from comptes.courriels import OubliForm

app_name = "comptes"
urlpatterns = [
    path("connexion/", views.Connexion.as_view(), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "mot-de-passe/oublie/",
        auth_views.PasswordResetView.as_view(
            form_class=OubliForm,
            template_name="comptes/mot_de_passe_oublie.html",
            email_template_name="comptes/email_mot_de_passe.txt",
            subject_template_name="comptes/email_mot_de_passe_sujet.txt",
            success_url=reverse_lazy("comptes:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="comptes/mot_de_passe_envoye.html"),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="comptes/mot_de_passe_choisir.html",
            success_url=reverse_lazy("comptes:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        auth_views.PasswordResetCompleteView.as_view(template_name="comptes/mot_de_passe_change.html"),
        name="password_reset_complete",
    ),
]
