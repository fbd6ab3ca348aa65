"""What the scenario pages share: loading the territory, its current schéma, a scenario, the GT3 lines that
can become actions, through the permission chokepoint (404 outside, 403 without the right); and the
scenario as a file (docs/contrats §5)."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

from comptes.perms import get_territoire_ou_404
from livrables.models import LigneMutualisable
from referentiel.models import Activite
from scenarios.models import Scenario

REFUS = (
    "Seuls l'équipe projet, les consultants et le DGS de l'EPCI construisent les scénarios ; "
    "les autres membres les consultent."
)


def territoire_pour(request, code, ecrire=False):
    territoire, acces = get_territoire_ou_404(request.user, code)
    if not acces.voit_scenarios():
        raise PermissionDenied("Les scénarios sont réservés aux membres du territoire.")
    if ecrire and not acces.peut_scenariser():
        raise PermissionDenied(REFUS)
    return territoire, acces


def schema_courant(territoire):
    schema = territoire.schemas.order_by("-mandat").first()
    if schema is None:
        raise Http404("Ce territoire n'a pas encore de schéma.")
    return schema


def scenario_du(territoire, pk):
    return get_object_or_404(
        Scenario.objects.select_related("schema", "modifie_par"), pk=pk, schema__territoire=territoire, figee=False
    )


def post_seulement(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def a_modifier(request, code, pk):
    """A scenario the user may change, for a POST-only view: (territory, access, scenario, refusal or None);
    404 outside the territory, 403 without the right, then 405 for another method."""
    territoire, acces = territoire_pour(request, code, ecrire=True)
    s = scenario_du(territoire, pk)
    return territoire, acces, s, post_seulement(request)


def activites_du_territoire(territoire):
    return list(Activite.objects.filter(territoire=territoire).order_by("theme", "ordre", "code"))


def lignes_gt3(territoire):
    """Every GT3 line of the territory's current schéma that can become an action (a modalité and
    communes), with its group, activity and communes, in two queries."""
    schema = schema_courant(territoire)
    lignes = (
        LigneMutualisable.objects.filter(livrable__groupe__schema=schema)
        .select_related("livrable__groupe", "activite")
        .prefetch_related("communes")
        .order_by("livrable__groupe__theme", "activite__ordre", "pk")
    )
    return [l for l in lignes if l.modalite and (l.toutes_communes or l.communes.all())]


def fichier_scenario(scenario, lignes) -> dict:
    """The scenario as a docs/contrats §5 file: what `mutualis simulate --scenario` reads."""
    out = []
    for l in lignes:
        a = {"id": l.identifiant, "theme": l.theme}
        if l.activite:
            a["activite"] = l.activite
        a["communes"] = "toutes" if l.toutes else sorted(c.code for c in l.communes.all())
        a.update({"modalite": l.modalite, "part": float(l.part), "gain": float(l.gain), "annee": l.annee})
        for champ in ("economie", "charges_associees"):
            if getattr(l, champ):
                a[champ] = float(getattr(l, champ))
        if l.cout_unitaire is not None and l.unites is not None:
            a["cout_unitaire"], a["unites"] = float(l.cout_unitaire), float(l.unites)
        out.append(a)
    return {"nom": scenario.nom, "partage_gains": float(scenario.partage_gains), "actions": out}
