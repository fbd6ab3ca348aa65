from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from commun.taches import a_faire
from comptes.perms import get_territoire_ou_404
from engine.coefficient import compute_coefficient
from masse_salariale.confidentialite import lecture
from masse_salariale.lecture import paie_courante
from masse_salariale.tableaux import lignes_employeurs
from territoire.enums import StatutSchema


@login_required
def accueil(request, code):
    """The home of the shared space, for every role: where the process stands, next meetings, what
    awaits me, latest activity."""
    from django.utils import timezone

    from espace.activite import derniere_activite
    from groupes.models import GroupeTravail
    from parcours.demarche import demarche
    from seances.etat import etats_par_groupe
    from seances.models import Seance

    territoire, acces = get_territoire_ou_404(request.user, code)
    schema = territoire.schemas.order_by("-mandat").first()
    groupes = list(GroupeTravail.objects.filter(schema=schema).order_by("id"))
    etats = etats_par_groupe(schema)
    matrice = [
        {"groupe": g, "etapes": [{"etape": e, **etats.get((g.theme, e), {})} for e in ("GT1", "GT2", "GT3")]}
        for g in groupes
    ]
    now = timezone.now()
    suivi = None
    if schema is not None and schema.statut == StatutSchema.ADOPTE:
        from suivi.enums import StatutElement
        from suivi.models import Element

        par_statut = dict(
            Element.objects.filter(schema=schema).values_list("statut").annotate(n=Count("pk")).order_by()
        )
        suivi = {
            "statuts": [(libelle, par_statut[code]) for code, libelle in StatutElement.choices if par_statut.get(code)],
            "total": sum(par_statut.values()),
        }
    prochaines = list(Seance.objects.a_venir(now).filter(groupe__schema=schema).select_related("groupe")[:6])
    taches = a_faire(acces, request.user, now)
    return render(
        request,
        "espace/accueil.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "matrice": matrice,
            "suivi": suivi,
            "prochaines": prochaines,
            "taches": taches,
            "demarche": demarche(schema, timezone.localdate(now)) if schema else None,
            "activite": derniere_activite(territoire, acces),
            "roles": sorted({h for h in acces.roles}),
        },
    )


@login_required
def page(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    paie = paie_courante(territoire, _annee(request))
    organisations = list(territoire.organisations.all())
    result = compute_coefficient(
        paie.agregats, territoire.code, [o.code for o in organisations], territoire.themes_fonctionnels
    )
    lecteur = lecture(territoire, paie, acces)
    lignes = lignes_employeurs(result, paie, organisations, lecteur)
    communes = [o for o in organisations if not o.est_epci]
    return render(
        request,
        "espace/territoire.html",
        {
            "territoire": territoire,
            "acces": acces,
            "paie": paie,
            "result": result,
            "lignes": lignes,
            "denominateur": lecteur.ligne("denominateur"),
            "nb_communes": len(communes),
            "population": sum(o.population or 0 for o in communes),
            "sans_lot": [o for o in organisations if o.code not in paie.lots],
        },
    )


def _annee(request) -> int | None:
    raw = request.GET.get("annee", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else None
