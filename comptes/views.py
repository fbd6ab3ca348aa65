from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from comptes.forms import ConnexionForm
from comptes.perms import territoires_visibles


class Connexion(auth_views.LoginView):
    template_name = "comptes/connexion.html"
    authentication_form = ConnexionForm
    redirect_authenticated_user = True


@login_required
def accueil(request):
    territoires = list(territoires_visibles(request.user))
    if len(territoires) == 1:
        return redirect("territoire:accueil", code=territoires[0].code)
    return render(request, "comptes/accueil.html", {"territoires": territoires})
