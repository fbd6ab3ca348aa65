"""Pages of the legal path: the process cockpit, the versions of the schéma, the consultation of the
communes, a commune's opinion, the approval, the pieces recorded, the open-data export. Every member of the
territory reads them (figures under the confidentiality rule); the project team writes, and a commune's
DGS records her own council's receipt and deliberation (comptes.perms). Views only lay out: the rules are
parcours/actions.py's, the figures the one figures object's (parcours/versions.py)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from commun.erreurs import ActionRefusee
from commun.formatage import compte
from comptes.perms import get_territoire_ou_404
from echanges import fils
from engine.avis import BASE_LEGALE_REPUTE
from parcours import actions, consultation, demarche, versions
from parcours.forms import (
    ApprobationForm,
    CalendrierForm,
    DeliberationForm,
    EnvoiForm,
    FigerForm,
    ReceptionForm,
    SeanceInstanceForm,
    entier,
)
from parcours.models import Deliberation, Envoi, SeanceInstance, VersionSchema
from scenarios.models import Scenario
from territoire.calendrier import calendrier

REFUS = "Seule l'équipe projet conduit la démarche (versions, envois, approbation, calendrier)."


def _territoire(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    schema = territoire.schemas.order_by("-mandat").first()
    if schema is None:
        raise Http404("Ce territoire n'a pas encore de schéma.")
    return territoire, acces, schema


def _equipe(acces):
    if not acces.peut_conduire_parcours():
        raise PermissionDenied(REFUS)


def _aujourdhui():
    return timezone.localdate()


# --- the cockpit ---------------------------------------------------------------------------------------------


@login_required
def cockpit(request, code):
    territoire, acces, schema = _territoire(request, code)
    etapes = calendrier(schema)
    form_cal = CalendrierForm(etapes=etapes)
    form_seance = SeanceInstanceForm(organisations=territoire.organisations.communes().filter(membre=True))
    status = 200
    if request.method == "POST":
        _equipe(acces)
        if "calendrier" in request.POST:
            form_cal = CalendrierForm(request.POST, etapes=etapes)
            if form_cal.is_valid():
                try:
                    actions.do_modifier_calendrier(schema, form_cal.dates(), request.user)
                except ActionRefusee as exc:
                    exc.au_formulaire(form_cal)
                else:
                    messages.success(request, "Calendrier enregistré.")
                    return redirect("parcours:cockpit", code=code)
        else:
            form_seance = SeanceInstanceForm(
                request.POST, request.FILES, organisations=territoire.organisations.communes().filter(membre=True)
            )
            if form_seance.is_valid():
                seance = form_seance.save(commit=False)
                seance.schema = schema
                actions.do_enregistrer_seance_instance(seance, request.user)
                messages.success(request, f"{seance} enregistrée.")
                return redirect("parcours:cockpit", code=code)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "parcours/cockpit.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "demarche": demarche.demarche(schema, _aujourdhui()),
            "versions": VersionSchema.objects.filter(schema=schema).select_related("scenario", "cree_par"),
            "seances": SeanceInstance.objects.filter(schema=schema).select_related("organisation"),
            "groupes": schema.groupes.order_by("id"),
            "form_cal": form_cal,
            "form_seance": form_seance,
        },
        status=status,
    )


# --- versions ------------------------------------------------------------------------------------------------


@login_required
def liste_versions(request, code):
    territoire, acces, schema = _territoire(request, code)
    scenarios = Scenario.objects.du_schema(schema)
    form = FigerForm(scenarios=scenarios)
    status = 200
    if request.method == "POST":
        _equipe(acces)
        form = FigerForm(request.POST, scenarios=scenarios)
        if form.is_valid():
            d = form.cleaned_data
            try:
                version = actions.do_figer_version(schema, d["scenario"], d["etat"], request.user, d["note"])
            except ActionRefusee as exc:
                exc.au_formulaire(form)
            else:
                messages.success(request, f"Version {version.numero} figée.")
                return redirect("parcours:version", code=code, numero=version.numero)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "parcours/versions.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "versions": VersionSchema.objects.filter(schema=schema).select_related("scenario", "cree_par"),
            "form": form,
        },
        status=status,
    )


def _version(schema, numero):
    return get_object_or_404(
        VersionSchema.objects.select_related("scenario", "schema__territoire"), schema=schema, numero=numero
    )


@login_required
def version(request, code, numero):
    territoire, acces, schema = _territoire(request, code)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    v = _version(schema, numero)
    f = versions.figures_version(v, acces)
    return render(
        request,
        "parcours/version.html",
        {
            "territoire": territoire,
            "acces": acces,
            "version": v,
            "scenario": v.scenario,
            "lignes": f.lignes,
            "conforme": f.conforme,
            "paie": f.ctx.paie,
            "fpu": f.ctx.moteur.fpu,
            "autres": VersionSchema.objects.filter(schema=schema).exclude(pk=v.pk),
            "libelles": dict(territoire.activites.values_list("code", "libelle")),
            **fils.contexte(v, acces),
            **f.chiffres,
        },
    )


@login_required
def comparer(request, code):
    territoire, acces, schema = _territoire(request, code)
    toutes = list(VersionSchema.objects.filter(schema=schema).select_related("scenario"))
    par_numero = {str(v.numero): v for v in toutes}
    a, b = par_numero.get(request.GET.get("a", "")), par_numero.get(request.GET.get("b", ""))
    contexte = {"territoire": territoire, "acces": acces, "versions": toutes, "a": a, "b": b}
    if a is not None and b is not None:
        fa, fb = versions.figures_version(a, acces), versions.figures_version(b, acces)
        contexte.update(
            {
                "difference": versions.difference(a, b),
                "lignes": versions.lignes_comparees(fa, fb),
                "coef_a": fa.chiffres.get("coefficient_apres"),
                "coef_b": fb.chiffres.get("coefficient_apres"),
                "fpu": fa.ctx.moteur.fpu,
            }
        )
    return render(request, "parcours/comparer.html", contexte)


# --- consultation of the communes ------------------------------------------------------------------------------


@login_required
def tableau_consultation(request, code):
    territoire, acces, schema = _territoire(request, code)
    communes = territoire.organisations.communes().filter(membre=True)
    choix = VersionSchema.objects.filter(schema=schema).exclude(etat="approuve")
    form = EnvoiForm(communes=communes)
    status = 200
    if request.method == "POST":
        _equipe(acces)
        form = EnvoiForm(request.POST, communes=communes)
        numero = entier(request.POST.get("version"))
        v = choix.filter(numero=numero).first() if numero is not None else None
        if v is None:
            form.add_error(None, "version : choisissez la version du schéma à transmettre")
        elif form.is_valid():
            d = form.cleaned_data
            try:
                envois = actions.do_envoyer_projet(
                    v, list(d["communes"]), d["envoye_le"], d["mode"], request.user, _aujourdhui()
                )
            except ActionRefusee as exc:
                exc.au_formulaire(form)
            else:
                messages.success(request, f"Envoi du projet enregistré pour {compte(len(envois), 'commune')}.")
                return redirect("parcours:consultation", code=code)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    version_c = consultation.version_en_consultation(schema)
    avis = consultation.avis_des_communes(schema, version_c, _aujourdhui())
    return render(
        request,
        "parcours/consultation.html",
        {
            "territoire": territoire,
            "acces": acces,
            "version": version_c,
            "avis": avis,
            "compte": consultation.compte(avis),
            "manquants": consultation.manquants(avis),
            "choix": choix,
            "form": form,
            "aujourdhui": _aujourdhui(),
        },
        status=status,
    )


@login_required
def commune(request, code, commune):
    territoire, acces, schema = _territoire(request, code)
    org = get_object_or_404(territoire.organisations.communes(), code=commune)
    version_c = consultation.version_en_consultation(schema)
    peut = acces.peut_enregistrer_avis(org)
    form_reception, form_delib = ReceptionForm(), DeliberationForm()
    status = 200
    if request.method == "POST":
        if not peut:
            raise PermissionDenied("Seuls l'équipe projet et le DGS de la commune enregistrent son avis.")
        envoi = version_c.envois.filter(organisation=org, transmission=False).first() if version_c else None
        if envoi is None:
            raise Http404("Le projet n'a pas été envoyé à cette commune.")
        try:
            if "reception" in request.POST:
                form_reception = ReceptionForm(request.POST, request.FILES)
                if form_reception.is_valid():
                    d = form_reception.cleaned_data
                    actions.do_enregistrer_reception(
                        envoi, d["recu_le"], d["preuve"], request.user, _aujourdhui(), acces.peut_conduire_parcours()
                    )
                    messages.success(request, "Réception enregistrée.")
                    return redirect("parcours:commune", code=code, commune=commune)
            else:
                form_delib = DeliberationForm(request.POST, request.FILES)
                if form_delib.is_valid():
                    actions.do_enregistrer_deliberation(
                        version_c, org, form_delib.valeurs(), request.user, _aujourdhui()
                    )
                    messages.success(request, "Délibération enregistrée.")
                    return redirect("parcours:commune", code=code, commune=commune)
        except ActionRefusee as exc:
            exc.au_formulaire(form_reception if "reception" in request.POST else form_delib)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    avis = next(
        (a for a in consultation.avis_des_communes(schema, version_c, _aujourdhui()) if a.commune.pk == org.pk), None
    )
    return render(
        request,
        "parcours/commune.html",
        {
            "territoire": territoire,
            "acces": acces,
            "commune": org,
            "version": version_c,
            "a": avis,
            "peut": peut,
            "form_reception": form_reception,
            "form_delib": form_delib,
            "rappels": avis.envoi.rappels.order_by("le") if avis and avis.envoi else [],
            "base_legale": BASE_LEGALE_REPUTE,
        },
        status=status,
    )


# --- approval -------------------------------------------------------------------------------------------------


@login_required
def approbation(request, code):
    territoire, acces, schema = _territoire(request, code)
    toutes = consultation.versions_du_schema(schema)
    envoyee, approuvee = consultation.en_consultation(toutes), consultation.approuvee(toutes)
    choix = VersionSchema.objects.filter(schema=schema).exclude(etat="approuve")
    if approuvee is not None:  # a revision: a later version
        choix = choix.filter(numero__gt=approuvee.numero).order_by("-numero")
    defaut = envoyee.numero if envoyee and approuvee is None else (choix.first().numero if choix.exists() else "")
    numero = entier(request.POST.get("version") or request.GET.get("version") or defaut)
    soumise = choix.filter(numero=numero).first() if numero is not None else None
    form = ApprobationForm()
    form_transmission = EnvoiForm(communes=territoire.organisations.communes().filter(membre=True))
    status = 200
    if request.method == "POST":
        _equipe(acces)
        if "transmission" in request.POST:
            form_transmission = EnvoiForm(
                request.POST, communes=territoire.organisations.communes().filter(membre=True)
            )
            if form_transmission.is_valid() and approuvee is not None:
                d = form_transmission.cleaned_data
                try:
                    envois = actions.do_transmettre_approuve(
                        approuvee, list(d["communes"]), d["envoye_le"], d["mode"], request.user, _aujourdhui()
                    )
                except ActionRefusee as exc:
                    exc.au_formulaire(form_transmission)
                else:
                    messages.success(request, f"Transmission enregistrée pour {compte(len(envois), 'commune')}.")
                    return redirect("parcours:approbation", code=code)
        else:
            form = ApprobationForm(request.POST, request.FILES)
            if soumise is None:
                form.add_error(None, "version : choisissez la version soumise au conseil communautaire")
            elif form.is_valid():
                try:
                    actions.do_approuver(
                        soumise, form.valeurs(), request.user, _aujourdhui(), form.cleaned_data["malgre_differences"]
                    )
                except ActionRefusee as exc:
                    exc.au_formulaire(form)
                else:
                    messages.success(
                        request, f"Approbation enregistrée : la version {soumise.numero} est le schéma approuvé."
                    )
                    return redirect("parcours:approbation", code=code)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    avis = consultation.avis_des_communes(schema, envoyee, _aujourdhui()) if envoyee else []
    if approuvee is not None:
        difference = versions.difference(approuvee, soumise) if soumise else None
    else:
        difference = versions.difference(envoyee, soumise) if envoyee and soumise and soumise.pk != envoyee.pk else None
    return render(
        request,
        "parcours/approbation.html",
        {
            "territoire": territoire,
            "acces": acces,
            "envoyee": envoyee,
            "approuvee": approuvee,
            "soumise": soumise,
            "choix": choix,
            "manquants": consultation.manquants(avis) if envoyee else [],
            "difference": difference,
            "deliberation": Deliberation.objects.filter(version=approuvee, approbation=True).first()
            if approuvee
            else None,
            "transmis": approuvee.envois.filter(transmission=True).select_related("organisation") if approuvee else [],
            "form": form,
            "form_transmission": form_transmission,
        },
        status=status,
    )


# --- pieces ----------------------------------------------------------------------------------------------------

PIECES = {
    "deliberation": (Deliberation, "fichier", "version__schema__territoire"),
    "reception": (Envoi, "preuve", "version__schema__territoire"),
    "seance": (SeanceInstance, "fichier", "schema__territoire"),
}


@login_required
def piece(request, code, sorte, pk):
    """A recorded file (deliberation, receipt, minutes), for the territory's members."""
    territoire, acces, schema = _territoire(request, code)
    if sorte not in PIECES or request.method not in ("GET", "HEAD"):
        raise Http404("Pièce introuvable.")
    modele, champ, chemin = PIECES[sorte]
    objet = get_object_or_404(modele, pk=pk, **{chemin: territoire})
    fichier = getattr(objet, champ)
    if not fichier:
        raise Http404("Aucun fichier joint.")
    return FileResponse(fichier.open("rb"), as_attachment=True, filename=fichier.name.rsplit("/", 1)[-1])
