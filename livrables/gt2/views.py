"""Pages of the GT2 AFOR grid, under /t/<code>/groupes/<theme>/livrables/gt2/: the consolidated view of
the theme, the grid of one activity with an add form per quadrant, and the group's consolidation
(reword, merge, delete). Every view loads the territory through the chokepoint (comptes.perms), then
the group by its theme, then asks `acces`: 404 outside the territory, 403 for a member without the
right, 409 when the deliverable is locked (the page is shown again with the reason)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from commun.concurrence import ModifieEntreTemps
from commun.erreurs import ActionRefusee
from comptes.perms import exiger
from groupes.acces import get_groupe_pour
from livrables.enums import Quadrant, TypeLivrable
from livrables.gt2 import actions
from livrables.gt2.actions import REFUS_CONSOLIDER, REFUS_CONTRIBUER
from livrables.gt2.forms import ElementForm, FusionForm, ReformulationForm
from livrables.models import ElementAfor, Livrable
from referentiel.models import Activite

QUADRANTS = [
    # code, heading, internal or external
    (Quadrant.AVANTAGE, "Avantages", "internes"),
    (Quadrant.FAIBLESSE, "Faiblesses", "internes"),
    (Quadrant.OPPORTUNITE, "Opportunités", "externes"),
    (Quadrant.RISQUE, "Risques", "externes"),
]


_exiger = exiger


def _groupe(request, code, theme):
    return get_groupe_pour(request.user, code, theme)


def _activite(territoire, groupe, code_activite):
    activite = Activite.objects.filter(territoire=territoire, theme=groupe.theme, code=code_activite).first()
    if activite is None:
        raise Http404("Activité introuvable dans ce thème.")
    return activite


def _livrable(groupe) -> Livrable | None:
    """The GT2 deliverable if it exists (pages never create it: the first write does)."""
    livrable = Livrable.objects.filter(groupe=groupe, type=TypeLivrable.AFOR).first()
    if livrable is not None:
        livrable.groupe = groupe
    return livrable


def _element(livrable, activite, pk) -> ElementAfor:
    element = None
    if livrable is not None:
        element = (
            ElementAfor.objects.select_related("organisation", "activite")
            .filter(livrable=livrable, activite=activite, pk=pk)
            .first()
        )
    if element is None:
        raise Http404("Élément introuvable dans cette grille.")
    return element


def _vers_grille(territoire, groupe, activite, ancre=""):
    return redirect(
        reverse(
            "livrables:afor_activite",
            kwargs={"code": territoire.code, "theme": groupe.theme, "activite": activite.code},
        )
        + ancre
    )


def _circuit_existe() -> bool:
    try:
        select_template(["livrables/includes/circuit.html"])
    except TemplateDoesNotExist:
        return False
    return True


def _repartir(elements):
    """{(activity id, quadrant): [visible items, each with `.fusionnes_liste`]} from one list of items."""
    par_id = {e.pk: e for e in elements}
    for e in elements:
        e.fusionnes_liste = []
    cases: dict[tuple, list] = {}
    for e in elements:
        cible = par_id.get(e.fusionne_dans_id) if e.fusionne_dans_id else None
        if cible is not None:
            e.cible = cible
            cible.fusionnes_liste.append(e)
        else:
            cases.setdefault((e.activite_id, e.quadrant), []).append(e)
    return cases


def _elements(livrable, **filtre):
    if livrable is None:
        return []
    return list(ElementAfor.objects.filter(livrable=livrable, **filtre).select_related("organisation").order_by("id"))


# --- the consolidated view of the theme ---------------------------------------------------------------


@login_required
@require_safe
def afor(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    livrable = _livrable(groupe)
    activites = list(Activite.objects.filter(territoire=territoire, theme=groupe.theme).order_by("ordre", "code"))
    cases = _repartir(_elements(livrable))
    lignes = []
    total = 0
    for activite in activites:
        quadrants = []
        for quadrant, titre, nature in QUADRANTS:
            items = cases.get((activite.pk, quadrant.value), [])
            quadrants.append({"code": quadrant.value, "titre": titre, "nature": nature, "elements": items})
            total += len(items)
        lignes.append({"activite": activite, "quadrants": quadrants, "nb": sum(len(q["elements"]) for q in quadrants)})
    return render(
        request,
        "livrables/afor_theme.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "livrable": livrable,
            "lignes": lignes,
            "total": total,
            "peut_contribuer": acces.peut_contribuer(groupe),
            "modifiable": livrable is None or livrable.modifiable,
            "activite": None,
            "erreurs": [],
            "circuit": livrable is not None and _circuit_existe(),
        },
    )


# --- the grid of one activity --------------------------------------------------------------------------


def _page_grille(
    request,
    territoire,
    acces,
    groupe,
    activite,
    livrable=None,
    formulaires=None,
    erreurs=None,
    status=200,
    reformulation=None,
):
    """The grid of one activity; `reformulation`: (item id, bound form) of a refused rewording, shown again."""
    livrable = livrable if livrable is not None else _livrable(groupe)
    cases = _repartir(_elements(livrable, activite=activite))
    peut_contribuer = acces.peut_contribuer(groupe)
    peut_consolider = acces.peut_consolider(groupe)
    modifiable = livrable is None or livrable.modifiable
    formulaires = formulaires or {}
    quadrants = []
    for quadrant, titre, nature in QUADRANTS:
        items = cases.get((activite.pk, quadrant.value), [])
        for item in items:
            if reformulation is not None and reformulation[0] == item.pk:
                item.form_reformulation = reformulation[1]
            else:
                item.form_reformulation = ReformulationForm(
                    initial={"texte": item.texte, "empreinte": actions.empreinte(item)},
                    auto_id=f"id_element_{item.pk}_%s",
                )
        quadrants.append(
            {
                "code": quadrant.value,
                "titre": titre,
                "nature": nature,
                "elements": items,
                "fusionnes": [f for item in items for f in item.fusionnes_liste],
                "form": formulaires.get(quadrant.value) or ElementForm(quadrant=quadrant.value),
            }
        )
    return render(
        request,
        "livrables/afor_activite.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "activite": activite,
            "livrable": livrable,
            "quadrants": quadrants,
            "erreurs": erreurs or [],
            "modifiable": modifiable,
            "peut_contribuer": peut_contribuer and modifiable,
            "peut_consolider": peut_consolider and modifiable,
            "organisation": acces.organisation,
            "circuit": livrable is not None and _circuit_existe(),
            **_fil(activite, acces, groupe),
        },
        status=status,
    )


def _fil(objet, acces, groupe) -> dict:
    from echanges import fils

    return fils.contexte(objet, acces, groupe=groupe)


@login_required
@require_safe
def afor_activite(request, code, theme, activite):
    territoire, acces, groupe = _groupe(request, code, theme)
    activite = _activite(territoire, groupe, activite)
    return _page_grille(request, territoire, acces, groupe, activite)


@login_required
@require_http_methods(["GET", "POST"])
def afor_ajouter(request, code, theme, activite):
    territoire, acces, groupe = _groupe(request, code, theme)
    activite = _activite(territoire, groupe, activite)
    _exiger(acces.peut_contribuer(groupe), REFUS_CONTRIBUER)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ElementForm(request.POST, auto_id=f"id_{request.POST.get('quadrant', '')}_%s")
    if not form.is_valid():
        quadrant = request.POST.get("quadrant")
        formulaires = {quadrant: form} if quadrant in Quadrant.values else {}
        erreurs = [] if formulaires else ["quadrant : choisissez Avantages, Faiblesses, Opportunités ou Risques"]
        return _page_grille(
            request, territoire, acces, groupe, activite, formulaires=formulaires, erreurs=erreurs, status=400
        )
    livrable = actions.livrable_afor(groupe)
    try:
        element = actions.do_ajouter_element(
            livrable,
            request.user,
            activite,
            form.cleaned_data["quadrant"],
            form.cleaned_data["texte"],
            acces.organisation,
        )
    except ActionRefusee as exc:
        return _page_grille(
            request,
            territoire,
            acces,
            groupe,
            activite,
            livrable=livrable,
            formulaires={form.cleaned_data["quadrant"]: form},
            erreurs=exc.messages,
            status=409,
        )
    messages.success(request, f"Élément ajouté aux {Quadrant(element.quadrant).label.lower()}.")
    return _vers_grille(territoire, groupe, activite, f"#quadrant-{element.quadrant}")


@login_required
@require_http_methods(["GET", "POST"])
def afor_reformuler(request, code, theme, activite, pk):
    territoire, acces, groupe = _groupe(request, code, theme)
    activite = _activite(territoire, groupe, activite)
    _exiger(acces.peut_consolider(groupe), REFUS_CONSOLIDER)
    livrable = _livrable(groupe)
    element = _element(livrable, activite, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReformulationForm(request.POST, auto_id=f"id_element_{element.pk}_%s")
    if not form.is_valid():
        erreurs = [f"reformulation : {e}" for e in form.errors.get("texte", [])]
        return _page_grille(
            request, territoire, acces, groupe, activite, livrable=livrable, erreurs=erreurs, status=400
        )
    try:
        change = actions.do_reformuler_element(
            livrable, request.user, element, form.cleaned_data["texte"], form.empreinte_lue()
        )
    except ModifieEntreTemps as exc:
        form.rafraichir(exc)
        return _page_grille(
            request,
            territoire,
            acces,
            groupe,
            activite,
            livrable=livrable,
            status=409,
            reformulation=(element.pk, form),
        )
    except ActionRefusee as exc:
        return _page_grille(
            request, territoire, acces, groupe, activite, livrable=livrable, erreurs=exc.messages, status=409
        )
    if change:
        messages.success(request, "Élément reformulé.")
    else:
        messages.info(request, "Texte inchangé : rien n'est modifié.")
    return _vers_grille(territoire, groupe, activite, f"#element-{element.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def afor_supprimer(request, code, theme, activite, pk):
    territoire, acces, groupe = _groupe(request, code, theme)
    activite = _activite(territoire, groupe, activite)
    _exiger(acces.peut_consolider(groupe), REFUS_CONSOLIDER)
    livrable = _livrable(groupe)
    element = _element(livrable, activite, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        n = actions.do_supprimer_element(livrable, request.user, element)
    except ActionRefusee as exc:
        return _page_grille(
            request, territoire, acces, groupe, activite, livrable=livrable, erreurs=exc.messages, status=409
        )
    messages.success(
        request, "Élément supprimé." if n == 1 else f"Élément supprimé, avec les {n - 1} éléments fusionnés dedans."
    )
    return _vers_grille(territoire, groupe, activite, f"#quadrant-{element.quadrant}")


@login_required
@require_http_methods(["GET", "POST"])
def afor_fusionner(request, code, theme, activite):
    """GET with `elements` (the ids chosen on the grid): choose the text to keep; POST: merge."""
    territoire, acces, groupe = _groupe(request, code, theme)
    activite = _activite(territoire, groupe, activite)
    _exiger(acces.peut_consolider(groupe), REFUS_CONSOLIDER)
    livrable = _livrable(groupe)
    visibles = [e for e in _elements(livrable, activite=activite) if e.fusionne_dans_id is None]
    donnees = request.POST if request.method == "POST" else request.GET
    choisis_ids = set(donnees.getlist("elements"))
    choisis = [e for e in visibles if str(e.pk) in choisis_ids]
    erreurs = []
    if request.method == "GET":
        if choisis_ids and len(choisis) < 2:
            erreurs.append("Choisissez au moins deux éléments du même quadrant à fusionner.")
        elif len({e.quadrant for e in choisis}) > 1:
            erreurs.append("Les éléments fusionnés doivent être du même quadrant.")
        form = FusionForm(
            candidats=choisis,
            initial={"elements": [str(e.pk) for e in choisis], "choix": str(choisis[0].pk) if choisis else None},
        )
        return _page_fusion(
            request, territoire, acces, groupe, activite, livrable, visibles, choisis, form, erreurs, status=200
        )
    form = FusionForm(request.POST, candidats=choisis)
    if not form.is_valid() or livrable is None:
        return _page_fusion(
            request, territoire, acces, groupe, activite, livrable, visibles, choisis, form, erreurs, status=400
        )
    try:
        cible = actions.do_fusionner_elements(livrable, request.user, **form.valeurs())
    except ActionRefusee as exc:
        return _page_fusion(
            request, territoire, acces, groupe, activite, livrable, visibles, choisis, form, exc.messages, status=409
        )
    messages.success(request, f"{len(choisis)} éléments fusionnés.")
    return _vers_grille(territoire, groupe, activite, f"#element-{cible.pk}")


def _page_fusion(request, territoire, acces, groupe, activite, livrable, visibles, choisis, form, erreurs, status):
    par_quadrant = []
    for quadrant, titre, _nature in QUADRANTS:
        items = [e for e in visibles if e.quadrant == quadrant.value]
        if items:
            par_quadrant.append({"code": quadrant.value, "titre": titre, "elements": items})
    etape_texte = len(choisis) >= 2 and len({e.quadrant for e in choisis}) == 1
    return render(
        request,
        "livrables/afor_fusion.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "activite": activite,
            "livrable": livrable,
            "par_quadrant": par_quadrant,
            "choisis": choisis,
            "choisis_ids": {e.pk for e in choisis},
            "form": form,
            "erreurs": erreurs,
            "etape_texte": etape_texte,
            "modifiable": livrable is None or livrable.modifiable,
        },
        status=status,
    )
