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
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify

from commun.erreurs import ActionRefusee
from comptes.perms import get_territoire_ou_404
from engine.themes import THEME_BY_CODE
from livrables.models import LigneMutualisable
from masse_salariale.confidentialite import lecture
from referentiel.models import Activite
from scenarios import actions, calcul, graphiques
from scenarios.confidentialite import Montants
from scenarios.forms import ActionForm, Gt3Form, ScenarioForm
from scenarios.models import DERNIERE_ANNEE, PREMIERE_ANNEE, Scenario

REFUS = (
    "Seuls l'équipe projet, les consultants et le DGS de l'EPCI construisent les scénarios ; "
    "les autres membres les consultent."
)


def _territoire(request, code, ecrire=False):
    territoire, acces = get_territoire_ou_404(request.user, code)
    if not acces.voit_scenarios():
        raise PermissionDenied("Les scénarios sont réservés aux membres du territoire.")
    if ecrire and not acces.peut_scenariser():
        raise PermissionDenied(REFUS)
    return territoire, acces


def _schema(territoire):
    schema = territoire.schemas.order_by("-mandat").first()
    if schema is None:
        raise Http404("Ce territoire n'a pas encore de schéma.")
    return schema


def _scenario(territoire, pk):
    return get_object_or_404(
        Scenario.objects.select_related("schema", "modifie_par"), pk=pk, schema__territoire=territoire
    )


def _post_seulement(request):
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _a_modifier(request, code, pk):
    """A scenario the user may change, for a POST-only view: (territory, access, scenario, refusal or None);
    404 outside the territory, 403 without the right, then 405 for another method."""
    territoire, acces = _territoire(request, code, ecrire=True)
    s = _scenario(territoire, pk)
    return territoire, acces, s, _post_seulement(request)


def _activites(territoire):
    return list(Activite.objects.filter(territoire=territoire).order_by("theme", "ordre", "code"))


def lignes_gt3(territoire):
    """Every GT3 line of the territory's current schéma that can become an action (a modalité and
    communes), with its group, activity and communes, in two queries."""
    schema = _schema(territoire)
    lignes = (
        LigneMutualisable.objects.filter(livrable__groupe__schema=schema)
        .select_related("livrable__groupe", "activite")
        .prefetch_related("communes")
        .order_by("livrable__groupe__theme", "activite__ordre", "pk")
    )
    return [l for l in lignes if l.modalite and (l.toutes_communes or l.communes.all())]


# --- figures ---------------------------------------------------------------------------------------------


def _lignes_impact(ctx, simulation, montants: Montants):
    """The legal table « impact prévisionnel sur les effectifs et les dépenses de fonctionnement » as the
    engine computes it (`Simulation.impact`: EPCI first, net effect of each organisation), each amount as
    this reader may see it (scenarios/confidentialite.py). Charges and savings are the user's inputs, not
    pay: always shown."""
    rows = []
    for r in simulation.impact.rows:
        o = r.org

        def m(valeur, code=r.code):
            return montants.organisation(code, valeur)

        rows.append(
            {
                "code": r.code,
                "nom": ctx.noms.get(r.code, r.code),
                "epci": r.epci,
                "o": o,
                "d_fte": r.d_fte,
                "touchee": r.touched,
                "avant": montants.avant(r.code),
                "apres": m(o.cost_after),
                "d_cost": m(r.d_cost),
                "remboursement": m(o.reimbursement),
                "ac": None if o.ac_adjustment is None else m(o.ac_adjustment),
                "net": m(r.net_effect),
            }
        )
    return rows


def _totaux(totals, montants: Montants) -> dict:
    """The engine's totals over the organisations (`Impact.totals`) under the templates' names."""
    return {
        "d_fte": totals.d_fte,
        "d_cost": montants.territoire_total(totals.d_cost),
        "net": montants.territoire_total(totals.net_effect),
        "charges": totals.charges,
        "savings": totals.savings,
    }


def figures(ctx, acces, scenario, lignes_actions) -> dict:
    """Everything a scenario page shows, from one run of the engine: the views only lay it out."""
    resultat = calcul.simuler(ctx, scenario, lignes_actions)
    out = {"resultat": resultat, "simulation": resultat.simulation}
    if resultat.simulation is None:
        return out
    sim = resultat.simulation
    moteur_actions = calcul.scenario_moteur(scenario, lignes_actions).actions
    montants = Montants(lecture(ctx.territoire, ctx.paie, acces), moteur_actions, ctx.moteur)
    impact = _lignes_impact(ctx, sim, montants)
    trajectoire = _trajectoire_complete(sim, montants)
    out.update(
        {
            "totaux_deplaces": {"fte": sim.moved_fte, "cost": montants.selection(sim.moved_cost)},
            "ac_total": None if sim.ac_total is None else montants.selection(sim.ac_total),
            "remboursements_communes": montants.selection(sim.communes_reimbursement),
            "impact": impact,
            "impact_touchees": [r for r in impact if r["touchee"] or r["epci"]],
            "totaux": _totaux(sim.impact.totals, montants),
            "par_action": [
                {"ligne": l, "r": r, "masse": montants.action(r.id, r.moved_cost)}
                for l, r in zip(lignes_actions, sim.actions, strict=True)
            ],
            "trajectoire": trajectoire,
            "graphique": graphiques.trajectoires(
                [(scenario.nom, {a: y["coefficient"] for a, y in trajectoire.items()})], list(trajectoire)
            ),
            "themes_fonctionnels": [THEME_BY_CODE[t].label for t in sim.functional_themes],
        }
    )
    return out


def _trajectoire_complete(sim, montants: Montants) -> dict[int, dict]:
    """Every year of the mandate as the engine computes it (`Simulation.mandate_trajectory`: before the
    first action, the payroll as imported); the coefficient is public, the payroll a derived amount."""
    return {
        a: {"coefficient": y.coefficient, "fte": y.fte, "cost": montants.territoire_total(y.cost, a)}
        for a, y in sim.mandate_trajectory.items()
    }


def _source(ctx) -> dict:
    """Where the figures come from: the reference year (and why that one: `libelle`; the employers missing
    when it is incomplete: `avis`) and the current batches (file, confirmation date)."""
    paie = ctx.paie
    lots = {e.lot_id: e.lot for e in paie.lots.values()}
    return {
        "annee": paie.annee,
        "nb_employeurs": len(paie.lots),
        "lots": sorted(lots.values(), key=lambda l: (l.confirme_le is None, l.confirme_le, l.pk)),
        "libelle": ctx.annee_paie.libelle,
        "avis": paie.avis(calcul.PORTEE_SCENARIO),
    }


# --- pages ------------------------------------------------------------------------------------------------


@login_required
def liste(request, code):
    territoire, acces = _territoire(request, code)
    schema = _schema(territoire)
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
        Scenario.objects.du_schema(schema).select_related("modifie_par").prefetch_related("actions__communes")
    )
    rangs = []
    for s in scenarios:
        lignes = list(s.actions.all())
        cs = contextes(s.annee_paie)
        r = calcul.simuler(cs, s, lignes)
        rangs.append(
            {
                "scenario": s,
                "nb": len(lignes),
                "resultat": r,
                "sim": r.simulation,
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
    gt3 = lignes_gt3(territoire)
    deja = {l.ligne_gt3_id for l in lignes if l.ligne_gt3_id}
    activites = _activites(territoire)
    contexte = {
        "territoire": territoire,
        "acces": acces,
        "scenario": scenario,
        "lignes": lignes,
        "peut_modifier": acces.peut_scenariser(),
        "paie": ctx.paie,
        "source": _source(ctx),
        "gt3": [{"ligne": l, "deja": l.pk in deja, "theme": THEME_BY_CODE[l.livrable.groupe.theme]} for l in gt3],
        "form_action": formulaires.get("form_action") or ActionForm(territoire=territoire, activites=activites),
        "form_gt3": formulaires.get("form_gt3") or Gt3Form(lignes=gt3),
        "form_scenario": formulaires.get("form_scenario") or ScenarioForm.depuis(scenario, annees=ctx.annee_paie),
        "annee_paie": ctx.annee_paie,
        "portee_paie": calcul.PORTEE_SCENARIO,
        "erreurs": formulaires.get("erreurs", []),
        "noms": ctx.noms,
        "fpu": ctx.moteur.fpu,
        "historique": historique(scenario),
        **figures(ctx, acces, scenario, lignes),
    }
    par_action = {pa["ligne"].pk: pa for pa in contexte.get("par_action", [])}
    contexte["rangs_actions"] = [{"ligne": l, "pa": par_action.get(l.pk)} for l in lignes]
    return render(request, "scenarios/scenario.html", contexte, status=status)


@login_required
def scenario(request, code, pk):
    territoire, acces = _territoire(request, code)
    s = _scenario(territoire, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return _page(request, territoire, acces, s)


@login_required
def modifier(request, code, pk):
    territoire, acces, s, refus = _a_modifier(request, code, pk)
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
    territoire, acces, s, refus = _a_modifier(request, code, pk)
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
    territoire, acces, s, refus = _a_modifier(request, code, pk)
    if refus is not None:
        return refus
    nom, n = _nom_de_copie(s.nom, ""), 2
    while Scenario.objects.filter(schema=s.schema, nom=nom).exists():
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
    territoire, acces, s, refus = _a_modifier(request, code, pk)
    if refus is not None:
        return refus
    form = ActionForm(request.POST, territoire=territoire, activites=_activites(territoire))
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
    territoire, acces, s, refus = _a_modifier(request, code, pk)
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
    territoire, acces = _territoire(request, code, ecrire=True)
    s = _scenario(territoire, pk)
    a = _action(s, action)
    activites = _activites(territoire)
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
    territoire, acces, s, refus = _a_modifier(request, code, pk)
    a = _action(s, action)
    if refus is not None:
        return refus
    ident = a.identifiant
    actions.do_supprimer_action(a, request.user)
    messages.success(request, f"Action « {ident} » retirée du scénario.")
    return redirect("scenarios:scenario", code=code, pk=s.pk)


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


@login_required
def export(request, code, pk):
    territoire, acces = _territoire(request, code)
    s = _scenario(territoire, pk)
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

    territoire, acces = _territoire(request, code)
    s = _scenario(territoire, pk)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    ctx = calcul.contexte(territoire, s.annee_paie)
    f = figures(ctx, acces, s, actions.actions_de(s))
    if f["simulation"] is None:
        return HttpResponse(
            "Ce scénario enfreint une règle : corrigez-le avant d'exporter son impact.\n"
            + "\n".join(f["resultat"].erreurs),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    source = _source(ctx)
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
    territoire, acces = _territoire(request, code)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    schema = _schema(territoire)
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
    graphique = graphiques.trajectoires(
        [(c["scenario"].nom, {a: y["coefficient"] for a, y in c["trajectoire"].items()}) for c in valides], annees
    )
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
