"""Pages of the bodies that meet in Mutualis: a comité (its members, its meetings) and one meeting (its
agenda linked to versions, scenarios, GT3 lines and groups' proposals, the decisions with their vote, the
minutes). Every member of the territory reads them; the project team writes (comptes.perms)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from commun import concurrence
from commun.concurrence import ModifieEntreTemps
from commun.erreurs import ActionRefusee
from comptes.models import Utilisateur
from comptes.perms import get_territoire_ou_404
from documents.rendu import TYPES
from groupes.acces import get_groupe_ou_404
from groupes.models import GroupeTravail
from livrables.models import LigneMutualisable
from parcours import comite as actions
from parcours import convocation, syntheses
from parcours import releve as releve_
from parcours.enums import InstanceInterne
from parcours.forms import (
    CompteRenduForm,
    CoPresidentsForm,
    DecisionForm,
    MembresForm,
    PointForm,
    PresencesForm,
    RenvoiForm,
    SeanceComiteForm,
    SyntheseForm,
    entier,
)
from parcours.models import CompteRenduComite, PointOrdreDuJour, SeanceComite, Synthese, VersionSchema
from scenarios.models import Scenario
from validation import actions as validation

REFUS = "Seule l'équipe projet organise les séances du comité et en enregistre les décisions."


def _comite(request, code, instance):
    territoire, acces = get_territoire_ou_404(request.user, code)
    if instance not in InstanceInterne.values:
        raise Http404("Instance inconnue.")
    schema = territoire.schemas.order_by("-mandat").first()
    if schema is None:
        raise Http404("Ce territoire n'a pas encore de schéma.")
    return territoire, acces, schema, actions.comite(schema, instance)


def _equipe(acces):
    if not acces.peut_conduire_parcours():
        raise PermissionDenied(REFUS)


def _utilisateurs(territoire):
    return (
        Utilisateur.objects.filter(is_active=True, habilitations__territoire=territoire)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


@login_required
def comite(request, code, instance):
    territoire, acces, schema, c = _comite(request, code, instance)
    form_membres = MembresForm(utilisateurs=_utilisateurs(territoire), initial={"membres": c.membres.all()})
    form_seance = SeanceComiteForm()
    initial = {"copresident_epci": c.copresident_epci, "copresident_commune": c.copresident_commune}
    form_copresidents = CoPresidentsForm(membres=c.membres.all(), initial=initial)
    status = 200
    if request.method == "POST":
        _equipe(acces)
        if "copresidents" in request.POST:
            form_copresidents = CoPresidentsForm(request.POST, membres=c.membres.all())
            if form_copresidents.is_valid():
                d = form_copresidents.cleaned_data
                actions.do_copresidents(c, d["copresident_epci"], d["copresident_commune"], request.user)
                messages.success(request, "Co-présidents enregistrés.")
                return redirect("parcours:comite", code=code, instance=instance)
        elif "membres" in request.POST or "enregistrer_membres" in request.POST:
            form_membres = MembresForm(request.POST, utilisateurs=_utilisateurs(territoire))
            if form_membres.is_valid():
                actions.do_changer_membres(c, list(form_membres.cleaned_data["membres"]), request.user)
                messages.success(request, "Membres enregistrés.")
                return redirect("parcours:comite", code=code, instance=instance)
        else:
            form_seance = SeanceComiteForm(request.POST)
            if form_seance.is_valid():
                s = actions.do_creer_seance(
                    c, form_seance.cleaned_data["debut"], form_seance.cleaned_data["lieu"], request.user
                )
                messages.success(request, "Séance planifiée.")
                return redirect("parcours:seance_comite", code=code, instance=instance, pk=s.pk)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "parcours/comite.html",
        {
            "territoire": territoire,
            "acces": acces,
            "comite": c,
            "membres": c.membres.order_by("last_name", "first_name"),
            "seances": c.seances.prefetch_related("points__decision"),
            "form_membres": form_membres,
            "form_seance": form_seance,
            "form_copresidents": form_copresidents,
        },
        status=status,
    )


def _form_point(schema, data=None):
    return PointForm(
        data,
        versions=VersionSchema.objects.filter(schema=schema).select_related("scenario"),
        scenarios=Scenario.objects.du_schema(schema),
        lignes=LigneMutualisable.objects.filter(livrable__groupe__schema=schema).select_related(
            "livrable__groupe", "activite"
        ),
        groupes=GroupeTravail.objects.filter(schema=schema).order_by("id"),
    )


# Buttons without a form of their own: a refusal comes back as a message on the page.
BOUTONS = {
    "convoquer": ("Convocation non envoyée", actions.do_convoquer),
    "soumettre": ("Compte rendu non soumis", actions.do_soumettre_compte_rendu),
    "viser": ("Compte rendu non validé", actions.do_viser_compte_rendu),
}
SUCCES = {
    "convoquer": "Convocation envoyée aux membres.",
    "soumettre": "Compte rendu soumis aux co-présidents.",
    "viser": "Votre validation est enregistrée.",
}
# What the co-presidents do (the action checks who they are); the rest is the project team's.
DES_COPRESIDENTS = ("viser", "renvoyer")


@login_required
def seance_comite(request, code, instance, pk):
    territoire, acces, schema, c = _comite(request, code, instance)
    seance = get_object_or_404(SeanceComite, pk=pk, comite=c)
    cr = CompteRenduComite.objects.filter(seance=seance).first()
    form_point = _form_point(schema)
    form_cr = CompteRenduForm(
        initial={"texte": cr.texte if cr else "", "empreinte": validation.empreinte(cr or CompteRenduComite())}
    )
    form_renvoi = RenvoiForm()
    form_decision, point_refuse = None, None
    form_presences = PresencesForm(membres=c.membres.all(), initial={"presents": seance.presents.all()})
    status = 200
    retour = redirect("parcours:seance_comite", code=code, instance=instance, pk=pk)
    if request.method == "POST":
        bouton = next((b for b in (*BOUTONS, "renvoyer") if b in request.POST), None)
        if bouton not in DES_COPRESIDENTS:
            _equipe(acces)
        if bouton in BOUTONS:
            titre, action = BOUTONS[bouton]
            try:
                action(seance, request.user)
            except ActionRefusee as exc:
                messages.error(request, f"{titre} : " + " ; ".join(exc.messages))
            else:
                messages.success(request, SUCCES[bouton])
            return retour
        cible = None
        try:
            if bouton == "renvoyer":
                cible = form_renvoi = RenvoiForm(request.POST)
                if form_renvoi.is_valid():
                    actions.do_renvoyer_compte_rendu(seance, request.user, form_renvoi.cleaned_data["commentaire"])
                    messages.success(request, "Compte rendu renvoyé à l'équipe projet.")
                    return retour
            elif "point" in request.POST:
                cible = form_point = _form_point(schema, request.POST)
                if form_point.is_valid():
                    actions.do_ajouter_point(seance, form_point.valeurs(), request.user)
                    messages.success(request, "Point ajouté à l'ordre du jour.")
                    return retour
            elif "presences" in request.POST:
                cible = form_presences = PresencesForm(request.POST, membres=c.membres.all())
                if form_presences.is_valid():
                    actions.do_saisir_presences(seance, list(form_presences.cleaned_data["presents"]), request.user)
                    messages.success(request, "Présences enregistrées.")
                    return retour
            elif "decision" in request.POST:
                point_refuse = get_object_or_404(
                    PointOrdreDuJour, pk=entier(request.POST.get("decision")) or 0, seance=seance
                )
                cible = form_decision = DecisionForm(request.POST, prefix=f"d{point_refuse.pk}")
                if form_decision.is_valid():
                    valeurs = {k: form_decision.cleaned_data[k] for k in actions.CHAMPS_DECISION}
                    actions.do_decider(point_refuse, valeurs, request.user, form_decision.empreinte_lue())
                    messages.success(request, "Décision enregistrée.")
                    return retour
            else:
                cible = form_cr = CompteRenduForm(request.POST)
                if form_cr.is_valid():
                    actions.do_ecrire_compte_rendu(
                        seance, form_cr.cleaned_data["texte"], request.user, form_cr.empreinte_lue()
                    )
                    messages.success(request, "Compte rendu enregistré.")
                    return retour
        except ModifieEntreTemps as exc:
            cible.rafraichir(exc)
            if cible is form_cr:
                cr = CompteRenduComite.objects.filter(seance=seance).first()
            status = 409
        except ActionRefusee as exc:
            for m in exc.messages:
                cible.add_error(None, m)
            status = 400
        else:
            status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    points = list(
        seance.points.select_related(
            "decision", "version__scenario", "scenario", "ligne_gt3__activite", "ligne_gt3__livrable__groupe", "groupe"
        )
    )
    for p in points:
        existante = p.la_decision = getattr(p, "decision", None)  # None for an item not decided yet
        if point_refuse is not None and p.pk == point_refuse.pk:
            p.form = form_decision
        else:
            presents = seance.presents.count() if seance.presences_saisies_le else None
            empreinte = concurrence.empreinte(actions.valeurs_decision(existante))
            p.form = DecisionForm(
                instance=existante, prefix=f"d{p.pk}", initial={"presents": presents, "empreinte": empreinte}
            )
    return render(
        request,
        "parcours/seance_comite.html",
        {
            "territoire": territoire,
            "acces": acces,
            "comite": c,
            "seance": seance,
            "tenue": seance.debut <= timezone.now(),
            "points": points,
            "form_point": form_point,
            "cr": cr,
            "form_cr": form_cr,
            "form_renvoi": form_renvoi,
            "copresident": cr is not None and bool(validation.roles_copilote(cr, request.user)),
            "visas": validation.visas_courants(cr) if cr else {},
            "traces": validation.historique(cr)[0] if cr else [],
            "form_presences": form_presences,
            "presents": seance.presents.order_by("last_name", "first_name"),
        },
        status=status,
    )


@login_required
def synthese(request, code, theme):
    """A working group's synthesis for the comité: the working one (its co-pilots edit their text) or, with
    `?seance=`, the one frozen for that meeting."""
    territoire, acces = get_territoire_ou_404(request.user, code)
    groupe = get_groupe_ou_404(territoire, theme)
    seance_pk = request.GET.get("seance", "")
    if seance_pk:
        if entier(seance_pk) is None:
            raise Http404("Séance introuvable.")
        s = get_object_or_404(Synthese, groupe=groupe, seance_id=entier(seance_pk))
        contenu, modifiable = s.contenu, False
    else:
        s = syntheses.de_travail(groupe)
        contenu, modifiable = syntheses.generer(groupe), acces.peut_coordonner(groupe)
    form = SyntheseForm(initial={"texte": s.texte, "empreinte": syntheses.empreinte(s)})
    status = 200
    if request.method == "POST":
        if not modifiable:
            raise PermissionDenied("Seuls les co-pilotes du groupe et l'équipe projet rédigent sa synthèse.")
        form = SyntheseForm(request.POST)
        if form.is_valid():
            try:
                syntheses.do_modifier(s, form.cleaned_data["texte"], request.user, form.empreinte_lue())
            except ModifieEntreTemps as exc:
                form.rafraichir(exc)
                s.refresh_from_db()
            except ActionRefusee as exc:
                exc.au_formulaire(form)
            else:
                messages.success(request, "Synthèse enregistrée.")
                return redirect("parcours:synthese", code=code, theme=theme)
        status = 409 if form.conflit else 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    masses = syntheses.masses(contenu, groupe, acces)
    lignes = [{**x, "masse": masses.get(x["ligne"])} for x in contenu.get("gt3", [])]
    return render(
        request,
        "parcours/synthese.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "synthese": s,
            "contenu": contenu,
            "lignes": lignes,
            "modifiable": modifiable,
            "form": form,
            "figees": Synthese.objects.filter(groupe=groupe, seance__isnull=False).select_related("seance__comite"),
        },
        status=status,
    )


@login_required
def ics_seance(request, code, instance, pk):
    """The meeting's .ics, for every member of the territory."""
    territoire, acces, schema, c = _comite(request, code, instance)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    seance = get_object_or_404(SeanceComite.objects.prefetch_related("points"), pk=pk, comite=c)
    reponse = HttpResponse(convocation.calendrier(seance, timezone.now()), content_type="text/calendar; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{convocation.nom_fichier(seance)}"'
    return reponse


@login_required
def releve(request, code, instance, pk, format):
    """The meeting's relevé de décisions as PDF, DOCX or ODT, for every member (« projet » until published)."""
    territoire, acces, schema, c = _comite(request, code, instance)
    if request.method not in ("GET", "HEAD") or format not in releve_.FORMATS:
        raise Http404("Document introuvable.")
    seance = get_object_or_404(SeanceComite.objects.select_related("comite__schema__territoire"), pk=pk, comite=c)
    contenu = releve_.FORMATS[format](releve_.mise_en_page(seance))
    reponse = HttpResponse(contenu, content_type=TYPES[format])
    reponse["Content-Disposition"] = f'attachment; filename="{releve_.nom_de_fichier(seance, format)}"'
    return reponse


@login_required
def synthese_document(request, code, theme, format):
    """A group's synthesis as PDF, DOCX or ODT: the working one, or with `?seance=` the one frozen for
    that meeting. It carries no pay amount."""
    territoire, acces = get_territoire_ou_404(request.user, code)
    groupe = get_groupe_ou_404(territoire, theme)
    if request.method not in ("GET", "HEAD") or format not in releve_.FORMATS:
        raise Http404("Document introuvable.")
    seance_pk = request.GET.get("seance", "")
    if seance_pk:
        s = get_object_or_404(Synthese, groupe=groupe, seance_id=entier(seance_pk) or 0)
    else:
        s = syntheses.de_travail(groupe)
        s.contenu = syntheses.generer(groupe)  # as the page shows it, not saved
    contenu = releve_.FORMATS[format](releve_.mise_en_page_synthese(s))
    reponse = HttpResponse(contenu, content_type=TYPES[format])
    reponse["Content-Disposition"] = f'attachment; filename="{releve_.nom_synthese(s, format)}"'
    return reponse
