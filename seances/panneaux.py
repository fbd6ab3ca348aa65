"""What the group page shows of the group's meetings (filled by the seances app)."""

from django.urls import reverse

from groupes.panneaux import inscrire
from seances.etat import compte_rendu_charge, etat_seance
from seances.models import Seance

NB_TENUES = 6


def contexte_groupe(groupe, acces, now) -> dict:
    """Context for templates/seances/includes/panneau_groupe.html: merge it into the group page's
    context (the template reads `panneau_seances` only). Two queries."""
    code = acces.territoire.code
    kwargs = {"code": code, "theme": groupe.theme}
    seances = list(Seance.objects.actives().filter(groupe=groupe).select_related("compte_rendu").order_by("debut"))
    prochaines, tenues = [], []
    for seance in seances:
        seance.groupe = groupe
        ligne = {
            "seance": seance,
            "etat": etat_seance(seance, compte_rendu_charge(seance), now),
            "url": reverse("seances:seance", kwargs={**kwargs, "pk": seance.pk}),
        }
        (tenues if seance.commencee(now) else prochaines).append(ligne)
    tenues.reverse()
    return {
        "panneau_seances": {
            "prochaines": prochaines,
            "tenues": tenues[:NB_TENUES],
            "autres_tenues": max(0, len(tenues) - NB_TENUES),
            "url_liste": reverse("seances:liste", kwargs=kwargs),
            "url_planifier": reverse("seances:creer", kwargs=kwargs) if acces.peut_planifier(groupe) else "",
            "libelle_groupe": groupe.libelle,
        }
    }


def inscrire_panneau() -> None:
    inscrire(contexte_groupe)
