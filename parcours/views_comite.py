"""Pages of the bodies that meet in Mutualis: a comité (its members, its meetings) and one meeting (its
agenda linked to versions, scenarios, GT3 lines and groups' proposals, the decisions with their vote, the
minutes). Every member of the territory reads them; the project team writes (comptes.perms)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from commun.erreurs import ActionRefusee
from comptes.models import Utilisateur
from comptes.perms import get_territoire_ou_404
from groupes.acces import get_groupe_ou_404
from groupes.models import GroupeTravail
from livrables.models import LigneMutualisable
from parcours import comite as actions
from parcours import convocation, syntheses
from parcours.enums import InstanceInterne
from parcours.forms import (
    DecisionForm,
    MembresForm,
    PointForm,
    PresencesForm,
    PublicationForm,
    SeanceComiteForm,
    SyntheseForm,
)
from parcours.models import PointOrdreDuJour, SeanceComite, Synthese, VersionSchema
from scenarios.models import Scenario

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
    status = 200
    if request.method == "POST":
        _equipe(acces)
        if "membres" in request.POST or "enregistrer_membres" in request.POST:
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


@login_required
def seance_comite(request, code, instance, pk):
    territoire, acces, schema, c = _comite(request, code, instance)
    seance = get_object_or_404(SeanceComite, pk=pk, comite=c)
    form_point, form_publication = _form_point(schema), PublicationForm(initial={"compte_rendu": seance.compte_rendu})
    form_decision, point_refuse = None, None
    form_presences = PresencesForm(membres=c.membres.all(), initial={"presents": seance.presents.all()})
    status = 200
    if request.method == "POST":
        _equipe(acces)
        try:
            if "point" in request.POST:
                form_point = _form_point(schema, request.POST)
                if form_point.is_valid():
                    actions.do_ajouter_point(seance, form_point.valeurs(), request.user)
                    messages.success(request, "Point ajouté à l'ordre du jour.")
                    return redirect("parcours:seance_comite", code=code, instance=instance, pk=pk)
            elif "convoquer" in request.POST:
                n = actions.do_convoquer(seance, request.user)
                messages.success(request, f"Convocation envoyée à {n} membre{'s' if n > 1 else ''}.")
                return redirect("parcours:seance_comite", code=code, instance=instance, pk=pk)
            elif "presences" in request.POST:
                form_presences = PresencesForm(request.POST, membres=c.membres.all())
                if form_presences.is_valid():
                    actions.do_saisir_presences(seance, list(form_presences.cleaned_data["presents"]), request.user)
                    messages.success(request, "Présences enregistrées.")
                    return redirect("parcours:seance_comite", code=code, instance=instance, pk=pk)
            elif "decision" in request.POST:
                point_refuse = get_object_or_404(PointOrdreDuJour, pk=request.POST.get("decision"), seance=seance)
                form_decision = DecisionForm(request.POST, prefix=f"d{point_refuse.pk}")
                if form_decision.is_valid():
                    actions.do_decider(point_refuse, form_decision.cleaned_data, request.user)
                    messages.success(request, "Décision enregistrée.")
                    return redirect("parcours:seance_comite", code=code, instance=instance, pk=pk)
            else:
                form_publication = PublicationForm(request.POST)
                if form_publication.is_valid():
                    actions.do_publier(seance, form_publication.cleaned_data["compte_rendu"], request.user)
                    messages.success(request, "Compte rendu publié : les décisions sont définitives.")
                    return redirect("parcours:seance_comite", code=code, instance=instance, pk=pk)
        except ActionRefusee as exc:
            if "convoquer" in request.POST:
                messages.error(request, "Convocation non envoyée : " + " ; ".join(exc.messages))
                return redirect("parcours:seance_comite", code=code, instance=instance, pk=pk)
            if form_decision is not None:
                cible = form_decision
            elif "point" in request.POST:
                cible = form_point
            elif "presences" in request.POST:
                cible = form_presences
            else:
                cible = form_publication
            for m in exc.messages:
                cible.add_error(None, m)
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
            p.form = DecisionForm(instance=existante, prefix=f"d{p.pk}", initial={"presents": presents})
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
            "form_publication": form_publication,
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
        if not seance_pk.isdigit():
            raise Http404("Séance introuvable.")
        s = get_object_or_404(Synthese, groupe=groupe, seance_id=int(seance_pk))
        contenu, modifiable = s.contenu, False
    else:
        s = syntheses.de_travail(groupe)
        contenu, modifiable = syntheses.generer(groupe), acces.peut_coordonner(groupe)
    form = SyntheseForm(initial={"texte": s.texte})
    status = 200
    if request.method == "POST":
        if not modifiable:
            raise PermissionDenied("Seuls les co-pilotes du groupe et l'équipe projet rédigent sa synthèse.")
        form = SyntheseForm(request.POST)
        if form.is_valid():
            syntheses.do_modifier(s, form.cleaned_data["texte"], request.user)
            messages.success(request, "Synthèse enregistrée.")
            return redirect("parcours:synthese", code=code, theme=theme)
        status = 400
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
