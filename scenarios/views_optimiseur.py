"""The optimiser page (issue 5, point 5): the GT3 lines of the schéma that suggest a staff-moving
modalité become candidate actions (livrables/gt3/candidats.py rules); the engine's optimiser (highspy, zero
gap) chooses either the least moved ETP reaching a target coefficient or the highest coefficient within
an ETP budget, and says which constraints bind. The selection can become a scenario."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from commun.erreurs import ActionRefusee
from commun.formatage import etp, nombre, pourcent
from engine import optimiseur
from engine import scenario as moteur
from engine.vocabulaire import FAISABILITE_RANG
from formats.scenario import Candidats
from livrables.gt3.candidats import LigneGT3, identifiant, raison_exclusion
from masse_salariale.confidentialite import lecture
from scenarios import actions, calcul
from scenarios.confidentialite import Montants, bases
from scenarios.enums import Origine
from scenarios.forms import OptimiseurForm
from scenarios.pages import lignes_gt3, schema_courant, territoire_pour

LIBELLES_CONTRAINTES = {
    optimiseur.CIBLE: "la cible de coefficient",
    optimiseur.PLAFOND_ETP: "le budget d'ETP déplacés",
    optimiseur.FAISABILITE_MIN: "la faisabilité minimale",
}


def libelle_contrainte(nom: str, noms_lignes: dict[str, str]) -> str:
    if nom in LIBELLES_CONTRAINTES:
        return LIBELLES_CONTRAINTES[nom]
    genre, _, reste = nom.partition(":")
    if genre == "plafond_etp_annuel":
        return f"le plafond annuel d'ETP déplacés en {reste}"
    if genre == "chevauchement":
        a, _, b = reste.partition("/")
        return f"au plus une de « {noms_lignes.get(a, a)} » et « {noms_lignes.get(b, b)} » (elles se chevauchent)"
    if genre == "refus":
        return f"un refus de commune ({reste})"
    return nom


def candidats_gt3(territoire, ctx, annee: int, lecteur):
    """(lines kept as candidates, lines left out with their reason, the engine actions, feasibilities).
    A line whose base the reader may not see is left out: the selection and the coefficient it reaches
    would give that base back (docs/confidentialite.md)."""
    retenues, ecartees, actions_m, faisabilites = [], [], [], {}
    for l in lignes_gt3(territoire):
        theme = l.livrable.groupe.theme
        codes = tuple(sorted(c.code for c in l.communes.all()))
        brut = LigneGT3(
            pk=l.pk,
            theme=theme,
            activite=l.activite.code,
            modalite=l.modalite,
            faisabilite=l.faisabilite,
            toutes_communes=l.toutes_communes,
            communes=codes,
        )
        raison = raison_exclusion(brut)
        if raison is None and l.modalite not in moteur.STAFF_MODALITES:
            raison = "modalité sans transfert de personnel : ne change pas le coefficient"
        if raison is not None:
            ecartees.append({"ligne": l, "raison": raison})
            continue
        valeurs, communes, ident = actions.depuis_gt3(l, annee)
        action = calcul.action_depuis_valeurs(valeurs, [c.code for c in communes], ident)
        # The rules a scenario applies (a commune that left the EPCI, an activity of another theme…):
        # a line that could not become a scenario's action is no candidate.
        refus = moteur.issues(moteur.Scenario(None, 0.0, (action,)), ctx.moteur, ctx.activites)
        if refus:
            ecartees.append({"ligne": l, "raison": refus[0].texte(calcul.MotsDuWeb(ctx.noms))})
            continue
        cachee = next((m for m in bases(lecteur, action, ctx.moteur).values() if not m.visible), None)
        if cachee is not None:
            ecartees.append({"ligne": l, "raison": f"masse salariale non diffusée pour vous ({cachee.raison})"})
            continue
        actions_m.append(action)
        faisabilites[ident] = FAISABILITE_RANG[l.faisabilite]
        retenues.append(l)
    return retenues, ecartees, actions_m, faisabilites


@login_required
def optimiser(request, code):
    territoire, acces = territoire_pour(request, code, ecrire=True)
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    donnees = request.POST if request.method == "POST" else None  # a solve is never triggered by a link
    form = OptimiseurForm(donnees)
    ctx = calcul.contexte(territoire)
    annee = form.cleaned_data["annee"] if form.is_bound and form.is_valid() else moteur.FIRST_YEAR
    lecteur = lecture(territoire, ctx.paie, acces)
    retenues, ecartees, actions_m, faisabilites = candidats_gt3(territoire, ctx, annee, lecteur)
    noms = {identifiant(l.pk): f"{l.livrable.groupe.theme} · {l.activite.libelle}" for l in retenues}
    contexte = {
        "territoire": territoire,
        "acces": acces,
        "form": form,
        "retenues": retenues,
        "ecartees": ecartees,
        "avant": None,
        "resultat": None,
        "erreur": None,
        "status": 200,
        # the latest complete payroll year (calcul.choisir_annee), said with its missing employers
        "paie": ctx.paie,
        "annee_paie": ctx.annee_paie,
        "portee_paie": calcul.PORTEE_SCENARIO,
    }
    if ctx.bases.total_denominator > 0:
        contexte["avant"] = ctx.bases.total_numerator / ctx.bases.total_denominator
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        candidats = Candidats(
            moteur.Scenario("optimiseur", 0.0, tuple(actions_m)),
            faisabilites,
            plafond_etp_annuel=float(d["plafond_annuel"]) if d["plafond_annuel"] is not None else None,
        )
        minimum = FAISABILITE_RANG.get(d["faisabilite_min"] or "0", 0)
        probleme, avertissements = optimiseur.probleme_depuis_candidats(
            candidats, ctx.bases, ctx.moteur, minimum, ctx.reservees
        )
        if not ctx.bases.total_denominator > 0:
            contexte["erreur"] = (
                "Aucune masse salariale des services fonctionnels n'est importée : le coefficient "
                "n'est pas défini, il n'y a rien à optimiser."
            )
            contexte["status"] = 422
            return render(request, "scenarios/optimiser.html", contexte, status=contexte.pop("status"))
        try:
            if d["mode"] == "cible":
                portefeuille = optimiseur.optimise(probleme, target=float(d["cible"]) / 100, time_limit=20)
            else:
                portefeuille = optimiseur.optimise(probleme, max_fte=float(d["budget"]), time_limit=20)
        except optimiseur.UnreachableTarget as exc:
            contexte["erreur"] = (
                f"Coefficient cible inatteignable avec ces lignes et ces contraintes : le meilleur "
                f"coefficient atteignable est {pourcent(exc.best, 2)}."
            )
            contexte["status"] = 422
        except optimiseur.NoSolutionInTime:
            contexte["erreur"] = "Le calcul n'a pas abouti dans le temps imparti (20 s) : resserrez les contraintes."
            contexte["status"] = 422
        else:
            par_id = {identifiant(l.pk): l for l in retenues}
            choisies = [a for a in actions_m if a.id in set(portefeuille.selected)]
            montants = Montants(lecteur, choisies, ctx.moteur)
            contexte["resultat"] = {
                "p": portefeuille,
                "lignes": [par_id[i] for i in portefeuille.selected],
                "ac_total": None if portefeuille.ac_total is None else montants.selection(portefeuille.ac_total),
                "contraintes": [libelle_contrainte(n, noms) for n in portefeuille.binding],
                "avertissements": avertissements,
            }
            if request.method == "POST" and "creer" in request.POST and portefeuille.selected:
                return _creer_scenario(request, territoire, ctx, portefeuille, par_id, annee, d)
    elif form.is_bound:
        contexte["status"] = 400
    return render(request, "scenarios/optimiser.html", contexte, status=contexte.pop("status"))


def _creer_scenario(request, territoire, ctx, portefeuille, par_id, annee, d):
    schema = schema_courant(territoire)
    objectif = (
        f"coefficient ≥ {nombre(d['cible'], 2 if d['cible'] % 1 * 10 % 1 else 1)} %"
        if d["mode"] == "cible"
        else f"au plus {etp(d['budget'])} ETP déplacés"
    )
    nom = f"Optimiseur – {objectif} – {timezone.localtime():%d/%m/%Y %H:%M}"
    try:
        with transaction.atomic():  # the scenario and its actions, or nothing
            scenario = _creer_avec_actions(request, schema, ctx, portefeuille, par_id, annee, nom, objectif)
    except ActionRefusee as exc:
        messages.error(request, "Scénario non créé : " + " ; ".join(exc.messages))
        return redirect("scenarios:optimiser", code=territoire.code)
    messages.success(request, f"Scénario « {scenario.nom} » créé avec la sélection de l'optimiseur.")
    return redirect("scenarios:scenario", code=territoire.code, pk=scenario.pk)


def _creer_avec_actions(request, schema, ctx, portefeuille, par_id, annee, nom, objectif):
    scenario = actions.do_creer(
        schema,
        request.user,
        nom[:120],
        origine=Origine.OPTIMISEUR,
        description=f"Sélection optimale des lignes GT3 ({objectif}).",
    )
    actions.do_ajouter_actions(
        ctx, scenario, request.user, [actions.depuis_gt3(par_id[i], annee) for i in portefeuille.selected]
    )
    return scenario
