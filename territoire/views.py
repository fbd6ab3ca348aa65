from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from comptes.perms import get_territoire_ou_404
from engine.coefficient import compute_coefficient
from masse_salariale.lecture import paie_courante
from masse_salariale.tableaux import lignes_employeurs


@login_required
def accueil(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    return render(request, "territoire/accueil.html", {"territoire": territoire, "acces": acces})


@login_required
def page(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    paie = paie_courante(territoire, _annee(request))
    organisations = list(territoire.organisations.all())
    result = compute_coefficient(paie.agregats, territoire.code, [o.code for o in organisations],
                                 territoire.themes_fonctionnels)
    lignes, total_visible = lignes_employeurs(result, paie, organisations, acces)
    communes = [o for o in organisations if not o.est_epci]
    return render(request, "territoire/page.html", {
        "territoire": territoire, "acces": acces, "paie": paie, "result": result, "lignes": lignes,
        "total_visible": total_visible, "nb_communes": len(communes),
        "population": sum(o.population or 0 for o in communes),
        "sans_lot": [o for o in organisations if o.code not in paie.lots],
    })


def _annee(request) -> int | None:
    raw = request.GET.get("annee", "")
    return int(raw) if raw.isdigit() else None
