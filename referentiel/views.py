import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from commun.formatage import nombre
from comptes.perms import get_territoire_ou_404
from engine.themes import THEMES
from formats.errors import InvalidFile
from referentiel.actions import (
    do_enregistrer_activite,
    do_remplacer_referentiel,
    do_supprimer_activite,
    referentiel_actuel,
)
from referentiel.exchange import CONTENT_TYPE, read_referential, write_referential
from referentiel.forms import ActiviteForm, ImportForm
from referentiel.models import Activite
from territoire.models import Evenement

REFUS = "Seule l'équipe projet modifie le référentiel des activités."


def _editeur(request, code):
    """The territory, for a user who may change its referential (404 outside it, 403 inside)."""
    territoire, acces = get_territoire_ou_404(request.user, code)
    if not acces.peut_editer_referentiel():
        raise PermissionDenied(REFUS)
    return territoire, acces


def _vers_activite(territoire, code_activite) -> str:
    return reverse("referentiel:liste", kwargs={"code": territoire.code}) + f"#activite-{code_activite}"


@login_required
@require_safe
def liste(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    par_theme: dict[str, list[Activite]] = {t.code: [] for t in THEMES}
    for activite in territoire.activites.prefetch_related("sous_activites"):
        par_theme.setdefault(activite.theme, []).append(activite)
    themes = [{"theme": t, "activites": par_theme[t.code]} for t in THEMES]
    editeur = acces.peut_editer_referentiel()
    return render(
        request,
        "referentiel/liste.html",
        {
            "territoire": territoire,
            "acces": acces,
            "themes": themes,
            "editeur": editeur,
            "nb_activites": sum(len(t["activites"]) for t in themes),
            "nb_sous_activites": sum(len(a.sous_activites.all()) for t in themes for a in t["activites"]),
            "import_form": ImportForm() if editeur else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ajouter(request, code):
    territoire, acces = _editeur(request, code)
    return _edition(request, territoire, acces, None)


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, code, pk):
    territoire, acces = _editeur(request, code)
    activite = get_object_or_404(Activite, pk=pk, territoire=territoire)
    return _edition(request, territoire, acces, activite)


def _edition(request, territoire, acces, activite):
    instance = activite if activite is not None else Activite(theme=request.GET.get("theme", ""))
    if request.method == "POST":
        form = ActiviteForm(request.POST, instance=instance, territoire=territoire)
        if form.is_valid():
            valeur = form.valeur()
            do_enregistrer_activite(territoire, activite, valeur, request.user)
            messages.success(request, f"Activité {valeur.code} enregistrée.")
            return redirect(_vers_activite(territoire, valeur.code))
        status = 400
    else:
        form = ActiviteForm(instance=instance, territoire=territoire)
        status = 200
    return render(
        request,
        "referentiel/activite.html",
        {
            "territoire": territoire,
            "acces": acces,
            "form": form,
            "formset": form.sous_activites,
            "activite": activite,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def supprimer(request, code, pk):
    territoire, acces = _editeur(request, code)
    activite = get_object_or_404(Activite, pk=pk, territoire=territoire)
    if request.method == "POST":
        do_supprimer_activite(territoire, activite, request.user)
        messages.success(request, f"Activité {activite.code} supprimée.")
        return redirect("referentiel:liste", code=territoire.code)
    return render(
        request, "referentiel/supprimer.html", {"territoire": territoire, "acces": acces, "activite": activite}
    )


@login_required
@require_safe
def exporter(request, code):
    territoire, _ = get_territoire_ou_404(request.user, code)
    contenu = write_referential(referentiel_actuel(territoire), f"Référentiel des activités – {territoire.nom}")
    response = HttpResponse(contenu, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="referentiel-{territoire.code}.xlsx"'
    return response


@login_required
def importer(request, code):
    territoire, acces = _editeur(request, code)
    if request.method != "POST":
        return redirect(reverse("referentiel:liste", kwargs={"code": code}) + "#importer")
    form = ImportForm(request.POST, request.FILES)
    context = {"territoire": territoire, "acces": acces}
    if not form.is_valid():
        erreurs = [str(m) for errs in form.errors.values() for m in errs]
        return render(request, "referentiel/rapport.html", {**context, "erreurs": erreurs}, status=400)
    upload = form.cleaned_data["fichier"]
    data = upload.read()
    try:
        fichier = read_referential(data, upload.name)
    except InvalidFile as exc:
        Evenement.objects.create(
            territoire=territoire,
            utilisateur=request.user,
            action="referentiel.refus",
            objet=upload.name[:200],
            details={"erreurs": len(exc.errors), "empreinte": hashlib.sha256(data).hexdigest()},
        )
        return render(
            request,
            "referentiel/rapport.html",
            {
                **context,
                "erreurs": exc.errors,
                "avertissements": exc.warnings,
                "fichier": upload.name,
            },
            status=400,
        )
    resume = do_remplacer_referentiel(territoire, fichier.activites, request.user, upload.name)
    messages.success(request, _resume(resume))
    for avertissement in fichier.warnings:
        messages.warning(request, f"Avertissement : {avertissement}")
    return redirect("referentiel:liste", code=territoire.code)


def _resume(resume: dict) -> str:
    def n(nombre_, mot):
        return f"{nombre(nombre_)} {mot}{'s' if nombre_ > 1 else ''}"

    changements = [
        n(len(resume["ajoutees"]), "ajoutée"),
        n(len(resume["supprimees"]), "supprimée"),
        n(len(resume["modifiees"]), "modifiée"),
    ]
    return (
        f"Référentiel remplacé par « {resume['fichier']} » : {n(resume['activites'], 'activité')} et "
        f"{n(resume['sous_activites'], 'sous-activité')} ; activités {', '.join(changements)}."
    )
