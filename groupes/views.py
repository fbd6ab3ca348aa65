from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from comptes.perms import get_territoire_ou_404


@login_required
def liste(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    return render(request, "groupes/liste.html", {"territoire": territoire, "acces": acces})
