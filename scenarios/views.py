"""Pages of the scenarios (issue 5, point 3): list and creation, a scenario with its actions and its
figures (coefficient before/after, per action, trajectory, the legal impact table), actions added by
hand or from GT3 lines, comparison side by side, the JSON file of docs/contrats §5.

Every view loads the territory through the chokepoint (404 outside), asks `acces` (403), then reads or
writes through scenarios/actions.py; the figures are the engine's (scenarios/calcul.py), never
computed here."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from commun.erreurs import ActionRefusee
from commun.pages_erreur import page_erreur
from echanges import fils
from engine.themes import THEME_BY_CODE
from masse_salariale.confidentialite import lecture
from scenarios import actions, calcul, graphiques
from scenarios.confidentialite import Montants
from scenarios.figures import coefficients, courbe, figures, source_des_chiffres
from scenarios.forms import ActionForm, Gt3Form, ScenarioForm
from scenarios.models import DERNIERE_ANNEE, PREMIERE_ANNEE, ActionScenario, Scenario
from scenarios.pages import (
    REFUS,
    a_modifier,
    activites_du_territoire,
    fichier_scenario,
    lignes_gt3,
    scenario_du,
    schema_courant,
    territoire_pour,
)

# --- pages ------------------------------------------------------------------------------------------------


@login_required
def liste(request, code):
    territoire, acces = territoire_pour(request, code)
    schema = schema_courant(territoire)
    contextes = calcul.Contextes(territoire)  # one per payroll year the scenarios use
    ctx = contextes()
    form = ScenarioForm(annees=ctx.annee_paie)
    status = 200
    if request.method == "POST":
        if not acces.peut_scenariser():
            raise PermissionDenied(REFUS)
        form = ScenarioForm(request.POST, annees=ctx.annee_paie)
        if form.is_valid():
            try:
                scenario = actions.do_creer(schema, request.user, **form.valeurs())
            except ActionRefusee as exc:
                for e in exc.messages:
                    form.add_error("nom", e.split(" : ", 1)[-1])
            else:
                messages.success(request, f"Scénario « {scenario.nom} » créé : ajoutez-lui des actions.")
                return redirect("scenarios:scenario", code=code, pk=scenario.pk)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    scenarios = list(
        Scenario.objects.du_schema(schema)
        .select_related("modifie_par")
        .prefetch_related(
            Prefetch("actions", ActionScenario.objects.select_related("ligne_gt3__livrable__groupe")),
            "actions__communes",
        )
    )
    rangs = []
    for s in scenarios:
        lignes = list(s.actions.all())
        cs = contextes(s.annee_paie)
        r = calcul.simuler(cs, s, lignes)
        montants = Montants(lecture(territoire, cs.paie, acces), calcul.scenario_moteur(s, lignes).actions, cs.moteur)
        rangs.append(
            {
                "scenario": s,
                "provenance": s.provenance(lignes),
                "nb": len(lignes),
                "resultat": r,
                "sim": r.simulation,
                **(coefficients(r.simulation, montants) if r.simulation else {}),
                "annee_paie": cs.annee_paie,
                "avant": cs.bases.total_numerator / cs.bases.total_denominator if cs.bases.total_denominator else None,
            }
        )
    return render(
        request,
        "scenarios/liste.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "rangs": rangs,
            "form": form,
            "avant": ctx.bases.total_numerator / ctx.bases.total_denominator if ctx.bases.total_denominator else None,
            "paie": ctx.paie,
            "annee_paie": ctx.annee_paie,
            "portee_paie": calcul.PORTEE_SCENARIO,
        },
        status=status,
    )


def _page(request, territoire, acces, scenario, status=200, **formulaires):
    ctx = calcul.contexte(territoire, scenario.annee_paie)
    lignes = actions.actions_de(scenario)
    peut_modifier = acces.peut_scenariser()
    activites = activites_du_territoire(territoire)
    contexte = {
        "territoire": territoire,
        "acces": acces,
        "scenario": scenario,
        "provenance": scenario.provenance(lignes),
        "lignes": lignes,
        "peut_modifier": peut_modifier,
        "paie": ctx.paie,
        "source": source_des_chiffres(ctx),
        "annee_paie": ctx.annee_paie,
        "portee_paie": calcul.PORTEE_SCENARIO,
        "erreurs": formulaires.get("erreurs", []),
        "noms": ctx.noms,
        "fpu": ctx.moteur.fpu,
        "historique": historique(scenario),
        **fils.contexte(scenario, acces),
        **figures(ctx, acces, scenario, lignes),
    }
    if peut_modifier:  # the GT3 lines and the forms are shown to those who may change the scenario only
        gt3 = lignes_gt3(territoire)
        deja = {l.ligne_gt3_id for l in lignes if l.ligne_gt3_id}
        contexte |= {
            "gt3": [{"ligne": l, "deja": l.pk in deja, "theme": THEME_BY_CODE[l.livrable.groupe.theme]} for l in gt3],
            "form_action": formulaires.get("form_action") or ActionForm(territoire=territoire, activites=activites),
            "form_gt3": formulaires.get("form_gt3") or Gt3Form(lignes=gt3),
            "form_scenario": formulaires.get("form_scenario") or ScenarioForm.depuis(scenario, annees=ctx.annee_paie),
        }
    par_action = {pa["ligne"].pk: pa for pa in contexte.get("par_action", [])}
    libelles = {a.code: a.libelle for a in activites}
    contexte["rangs_actions"] = [
        {"ligne": l, "pa": par_action.get(l.pk), "activite": libelles.get(l.activite, "")} for l in lignes
    ]
    return render(request, "scenarios/scenario.html", contexte, status=status)


@login_required
def scenario(request, code, pk):
    territoire, acces = territoire_pour(request, code)
    s = scenario_du(territoire, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _page(request, territoire, acces, s)


@login_required
def modifier(request, code, pk):
    territoire, acces, s, refus = a_modifier(request, code, pk)
    if refus is not None:
        return refus
    ctx = calcul.contexte(territoire, s.annee_paie)
    form = ScenarioForm(request.POST, annees=ctx.annee_paie, actuelle=s.annee_paie)
    if form.is_valid():
        try:
            actions.do_modifier(ctx, s, request.user, **form.valeurs())
        except ActionRefusee as exc:
            s.refresh_from_db()
            return _page(request, territoire, acces, s, 400, form_scenario=form, erreurs=exc.messages)
        messages.success(request, "Scénario enregistré.")
        return redirect("scenarios:scenario", code=code, pk=s.pk)
    return _page(request, territoire, acces, s, 400, form_scenario=form)


@login_required
def supprimer(request, code, pk):
    territoire, acces, s, refus = a_modifier(request, code, pk)
    if refus is not None:
        return refus
    nom = s.nom
    actions.do_supprimer(s, request.user)
    messages.success(request, f"Scénario « {nom} » supprimé.")
    return redirect("scenarios:liste", code=code)


def _nom_de_copie(nom: str, numero: str) -> str:
    """« Nom (copie 2) », the name shortened so that the suffix always fits the 120 characters."""
    suffixe = f" (copie{numero})"
    return nom[: 120 - len(suffixe)] + suffixe


@login_required
def dupliquer(request, code, pk):
    territoire, acces, s, refus = a_modifier(request, code, pk)
    if refus is not None:
        return refus
    nom, n = _nom_de_copie(s.nom, ""), 2
    while Scenario.objects.filter(schema=s.schema, nom=nom, figee=False).exists():
        nom, n = _nom_de_copie(s.nom, f" {n}"), n + 1
    try:
        copie = actions.do_dupliquer(s, request.user, nom)
    except ActionRefusee as exc:
        messages.error(request, "Scénario non dupliqué : " + " ; ".join(exc.messages))
        return redirect("scenarios:scenario", code=code, pk=s.pk)
    messages.success(request, f"Scénario dupliqué : « {copie.nom} ».")
    return redirect("scenarios:scenario", code=code, pk=copie.pk)


@login_required
def action_ajouter(request, code, pk):
    territoire, acces, s, refus = a_modifier(request, code, pk)
    if refus is not None:
        return refus
    form = ActionForm(request.POST, territoire=territoire, activites=activites_du_territoire(territoire))
    if form.is_valid():
        valeurs, communes, ident = form.valeurs()
        try:
            creees = actions.do_ajouter_actions(
                calcul.contexte(territoire), s, request.user, [(valeurs, communes, ident or None)]
            )
        except ActionRefusee as exc:
            return _page(request, territoire, acces, s, 400, form_action=form, erreurs=exc.messages)
        messages.success(request, f"Action « {creees[0].identifiant} » ajoutée.")
        return redirect("scenarios:scenario", code=code, pk=s.pk)
    return _page(request, territoire, acces, s, 400, form_action=form)


@login_required
def depuis_gt3(request, code, pk):
    territoire, acces, s, refus = a_modifier(request, code, pk)
    if refus is not None:
        return refus
    gt3 = {l.pk: l for l in lignes_gt3(territoire)}
    form = Gt3Form(request.POST, lignes=gt3.values())
    if form.is_valid():
        d = form.cleaned_data
        nouvelles = [
            actions.depuis_gt3(gt3[pk_ligne], d["annee"], d["part"] / 100, d["gain"] / 100) for pk_ligne in d["lignes"]
        ]
        try:
            creees = actions.do_ajouter_actions(calcul.contexte(territoire), s, request.user, nouvelles)
        except ActionRefusee as exc:
            return _page(request, territoire, acces, s, 400, form_gt3=form, erreurs=exc.messages)
        messages.success(
            request,
            f"{len(creees)} action{'s' if len(creees) > 1 else ''} ajoutée"
            f"{'s' if len(creees) > 1 else ''} depuis les lignes GT3.",
        )
        return redirect("scenarios:scenario", code=code, pk=s.pk)
    return _page(request, territoire, acces, s, 400, form_gt3=form)


def _action(s, pk_action):
    return get_object_or_404(s.actions.prefetch_related("communes"), pk=pk_action)


@login_required
def action_modifier(request, code, pk, action):
    territoire, acces = territoire_pour(request, code, ecrire=True)
    s = scenario_du(territoire, pk)
    a = _action(s, action)
    activites = activites_du_territoire(territoire)
    erreurs, status = [], 200
    if request.method == "POST":
        form = ActionForm(request.POST, territoire=territoire, activites=activites)
        if form.is_valid():
            valeurs, communes, ident = form.valeurs()
            try:
                actions.do_modifier_action(
                    calcul.contexte(territoire), a, request.user, valeurs, communes, ident or a.identifiant
                )
            except ActionRefusee as exc:
                erreurs = exc.messages
            else:
                messages.success(request, f"Action « {a.identifiant} » modifiée.")
                return redirect("scenarios:scenario", code=code, pk=s.pk)
        status = 400
    elif request.method in ("GET", "HEAD"):
        form = ActionForm.depuis(a, territoire=territoire, activites=activites)
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "scenarios/action.html",
        {
            "territoire": territoire,
            "acces": acces,
            "scenario": s,
            "action": a,
            "form": form,
            "erreurs": erreurs,
        },
        status=status,
    )


@login_required
def action_supprimer(request, code, pk, action):
    territoire, acces, s, refus = a_modifier(request, code, pk)
    a = _action(s, action)
    if refus is not None:
        return refus
    ident = a.identifiant
    actions.do_supprimer_action(a, request.user)
    messages.success(request, f"Action « {ident} » retirée du scénario.")
    return redirect("scenarios:scenario", code=code, pk=s.pk)


@login_required
def export(request, code, pk):
    territoire, acces = territoire_pour(request, code)
    s = scenario_du(territoire, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    corps = json.dumps(fichier_scenario(s, actions.actions_de(s)), ensure_ascii=False, indent=2)
    reponse = HttpResponse(corps, content_type="application/json; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="scenario-{slugify(s.nom) or s.pk}.json"'
    return reponse


@login_required
def impact(request, code, pk):
    """The legal impact table as XLSX, with the page's secrecy."""
    from scenarios.export import impact_xlsx

    territoire, acces = territoire_pour(request, code)
    s = scenario_du(territoire, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    ctx = calcul.contexte(territoire, s.annee_paie)
    f = figures(ctx, acces, s, actions.actions_de(s))
    if f["simulation"] is None:
        raisons = ["Ce scénario enfreint une règle : corrigez-le avant d'exporter son impact.", *f["resultat"].erreurs]
        return page_erreur(request, 409, raisons)
    source = source_des_chiffres(ctx)
    reponse = HttpResponse(
        impact_xlsx(s, territoire, f, ctx.moteur.fpu, source),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    reponse["Content-Disposition"] = f'attachment; filename="impact-{slugify(s.nom) or s.pk}.xlsx"'
    return reponse


def historique(scenario) -> list[dict]:
    """The scenario's audit rows, newest first (territoire.Evenement, written by scenarios/actions.py)."""
    from scenarios.journal import PHRASES
    from territoire.models import Evenement

    rows = Evenement.objects.filter(
        territoire_id=scenario.schema.territoire_id, action__startswith="scenarios.", details__scenario=scenario.pk
    ).select_related("utilisateur")[:50]
    return [
        {
            "quand": e.quand,
            "qui": str(e.utilisateur) if e.utilisateur else "Mutualis",
            "quoi": PHRASES.get(e.action, e.action),
            "version": e.details.get("version"),
            "actions": ", ".join(
                e.details.get("actions", []) or ([e.details["action_id"]] if e.details.get("action_id") else [])
            ),
        }
        for e in rows
    ]


@login_required
def comparer(request, code):
    territoire, acces = territoire_pour(request, code)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    schema = schema_courant(territoire)
    tous = list(Scenario.objects.du_schema(schema).prefetch_related("actions__communes"))
    choisis_pk = [int(v) for v in request.GET.getlist("s") if v.isascii() and v.isdigit()][:4]
    choisis = [s for pk in choisis_pk for s in tous if s.pk == pk]
    contextes = calcul.Contextes(territoire)  # each scenario on its own payroll year
    ctx = contextes()
    colonnes = []
    for s in choisis:
        lignes = list(s.actions.all())
        cs = contextes(s.annee_paie)
        f = figures(cs, acces, s, lignes)
        colonnes.append(
            {
                "scenario": s,
                "nb": len(lignes),
                "annee_paie": cs.annee_paie,
                "avis_paie": cs.paie.avis(calcul.PORTEE_SCENARIO),
                **f,
            }
        )
    annees = range(PREMIERE_ANNEE, DERNIERE_ANNEE + 1)
    valides = [c for c in colonnes if c["simulation"] is not None]
    graphique = graphiques.trajectoires([(c["scenario"].nom, courbe(c["trajectoire"])) for c in valides], annees)
    # Each cell is the engine's impact row of that organisation (`Simulation.impact`, as on each page).
    organisations = []
    if valides:
        par_code = [{r["code"]: r for r in c["impact"]} for c in valides]
        for r in valides[0]["impact"]:
            organisations.append({"nom": r["nom"], "code": r["code"], "cellules": [p[r["code"]] for p in par_code]})
    return render(
        request,
        "scenarios/comparer.html",
        {
            "territoire": territoire,
            "acces": acces,
            "tous": tous,
            "choisis": [s.pk for s in choisis],
            "colonnes": colonnes,
            "valides": valides,
            "graphique": graphique,
            "annees": list(annees),
            "organisations": organisations,
            "fpu": ctx.moteur.fpu,
            "lignes_annees": [{"annee": a, "valeurs": [c["trajectoire"][a] for c in valides]} for a in annees],
            "annees_paie_differentes": len({c["annee_paie"].annee for c in valides}) > 1,
            "avis_paie": _avis_par_annee(valides),
        },
    )


def _avis_par_annee(colonnes) -> list[dict]:
    """One notice per incomplete payroll year among the compared scenarios, with the scenarios using it."""
    par_annee: dict[int, dict] = {}
    for c in colonnes:
        if c["avis_paie"]:
            par_annee.setdefault(c["annee_paie"].annee, {"avis": c["avis_paie"], "noms": []})["noms"].append(
                c["scenario"].nom
            )
    return list(par_annee.values())
