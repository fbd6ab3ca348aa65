"""The pages of payroll from DSN files (docs/contrats/9-dsn.md): sending a year of DSN (stored, then read by the
worker of the queue `imports`, masse_salariale/imports.py, whose page follows it), placing the agents
the correspondence does not place yet, and the employer's correspondence (rules, file import and export).
Who may import an employer's payroll (its DGS, the project team) is the only one who reaches them."""

import re
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from commun.erreurs import ActionRefusee
from comptes.perms import get_territoire_ou_404
from engine.themes import THEME_OR_AUTRE
from formats import correspondance
from formats.errors import InvalidFile
from masse_salariale import correspondances as regles_paie
from masse_salariale import dsn, imports
from masse_salariale.enums import CleRegle, GenreImport, StatutImport, StatutLecture
from masse_salariale.forms import ChoixPlacement, DSNForm, PlacementForm, ReglesForm
from masse_salariale.models import ImportPaie, LectureDSN, RegleCorrespondance

REFUS = "Seuls l'équipe projet et le DGS d'une organisation importent sa masse salariale."
TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _importateur(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    if not acces.peut_importer():
        raise PermissionDenied(REFUS)
    return territoire, acces


def _organisation(acces, code_org):
    organisation = acces.organisations_importables().filter(code=code_org).first()
    if organisation is None:
        raise PermissionDenied("Vous n'importez pas la masse salariale de cet employeur.")
    return organisation


def _contexte(request, territoire, acces):
    """The employer and year the page is about: chosen in the query, else the user's own, last year."""
    importables = acces.organisations_importables()
    organisation = importables.filter(code=request.GET.get("employeur", "")).first()
    if organisation is None:
        organisation = acces.organisation if not acces.est_equipe_projet else importables.first()
    raw = request.GET.get("annee", "")
    annee = int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else timezone.localdate().year - 1
    return importables, organisation, annee


def _initial(organisation, annee, reprendre: bool):
    courant, precedent = dsn.taux_proposes(organisation, annee)
    source = courant or (precedent if reprendre else None)
    initial = {"organisation": organisation.code, "annee": annee}
    if source is not None:
        initial |= {
            "taux_cnracl": _pourcent(source.cnracl),
            "taux_general": _pourcent(source.general),
        }
    if courant is not None:
        initial["chapitre_012"] = courant.chapitre_012
    return initial, courant, precedent


def _pourcent(taux):
    return None if taux is None else (taux * 100).quantize(Decimal("0.01"))


@login_required
def envoyer(request, code):
    territoire, acces = _importateur(request, code)
    importables, organisation, annee = _contexte(request, territoire, acces)
    if request.method == "POST":
        form = DSNForm(request.POST, request.FILES, organisations=importables)
        try:
            if form.is_valid():
                d = form.cleaned_data
                envoi = imports.deposer_dsn(
                    territoire,
                    d["organisation"],
                    d["annee"],
                    d["fichiers"],
                    d["agents"],
                    form.taux(),
                    d["chapitre_012"],
                    d["mois_manquants"],
                    request.user,
                )
                return redirect("masse_salariale:import", code=territoire.code, pk=envoi.pk)
        finally:
            for envoi in [*request.FILES.getlist("fichiers"), *request.FILES.getlist("agents")]:
                envoi.close()  # a temporary upload not stored is deleted when closed
        organisation = form.cleaned_data.get("organisation") or organisation
        annee = form.cleaned_data.get("annee") or annee
        return page(request, territoire, acces, form, organisation, annee, status=400)
    reprendre = request.GET.get("reprendre") == "1"
    initial, _, _ = _initial(organisation, annee, reprendre)
    form = DSNForm(initial=initial, organisations=importables)
    return page(request, territoire, acces, form, organisation, annee, reprendre=reprendre)


def page(request, territoire, acces, form, organisation, annee, *, erreurs=(), avertissements=(), reprendre=False,
         status=200):  # fmt: skip
    """The DSN page: the form (to fill, or refused), the readings under way or waiting to be placed, and the
    errors of a year the worker refused (masse_salariale/views_imports.py)."""
    importables = acces.organisations_importables()
    _, courant, precedent = _initial(organisation, annee, reprendre)
    en_cours = LectureDSN.objects.filter(organisation__in=importables, statut=StatutLecture.A_PLACER).select_related(
        "organisation"
    )
    lectures = ImportPaie.objects.filter(
        territoire=territoire,
        demande_par=request.user,
        genre=GenreImport.DSN,
        statut__in=(StatutImport.EN_ATTENTE, StatutImport.EN_COURS),
    ).select_related("organisation")
    return render(
        request,
        "masse_salariale/dsn.html",
        {
            "territoire": territoire,
            "acces": acces,
            "form": form,
            "organisation": organisation,
            "annee": annee,
            "courant": courant,
            "precedent": precedent,
            "reprise": reprendre and precedent is not None,
            "en_cours": list(en_cours),
            "lectures": list(lectures),
            "erreurs": list(erreurs),
            "avertissements": list(avertissements),
            "nb_regles": RegleCorrespondance.objects.filter(organisation=organisation).count(),
            "limite_mo": settings.DSN_UPLOAD_MAX_BYTES // 1_048_576,
        },
        status=status,
    )


def _lecture(request, code, pk):
    territoire, acces = _importateur(request, code)
    lecture = get_object_or_404(LectureDSN.objects.select_related("organisation"), pk=pk, territoire=territoire)
    _organisation(acces, lecture.organisation.code)
    return territoire, acces, lecture


PAR_PAGE = 20  # libellés shown at once, the largest groups first


@login_required
def lecture(request, code, pk):
    territoire, acces, lecture = _lecture(request, code, pk)
    groupes = dsn.a_placer(lecture) if lecture.statut == StatutLecture.A_PLACER else []
    pages = max(1, -(-len(groupes) // PAR_PAGE))
    raw = request.GET.get("page", "")
    page = min(pages, int(raw)) if raw.isascii() and raw.isdigit() and int(raw) >= 1 else 1
    affiches = groupes[(page - 1) * PAR_PAGE : page * PAR_PAGE]
    suggesteur = regles_paie.Suggesteur(lecture.organisation, lecture.annee) if affiches else None
    choix = ChoixPlacement(territoire)
    for n, g in enumerate(affiches, start=1):
        g.suggestions = suggesteur.pour(g.libelle, g.matricules)
        g.prefixe = f"g{n}"
        # A libellé that is empty (or has no letter a rule can match) is placed by the default rule.
        g.par_defaut = not correspondance.normaliser(g.libelle)
        cle = "defaut" if g.par_defaut else "emploi"
        g.form = PlacementForm(initial={"cle": cle, "valeur": g.libelle}, choix=choix, prefix=g.prefixe)
    return render(
        request,
        "masse_salariale/dsn_lecture.html",
        {
            "territoire": territoire,
            "acces": acces,
            "lecture": lecture,
            "groupes": affiches,
            "nb_groupes": len(groupes),
            "premier": (page - 1) * PAR_PAGE + 1,
            "dernier": (page - 1) * PAR_PAGE + len(affiches),
            "page": page,
            "liste_pages": range(1, pages + 1),
            "a_placer": sum(g.nombre for g in groupes),
            "form_agent": PlacementForm(initial={"cle": "matricule"}, choix=choix, prefix="a1"),
        },
    )


@login_required
def placer(request, code, pk):
    territoire, acces, lecture = _lecture(request, code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    prefixe = request.POST.get("prefixe", "")
    prefixe = prefixe if re.fullmatch(r"[ga]\d{1,4}", prefixe) else None
    form = PlacementForm(request.POST, choix=ChoixPlacement(territoire), prefix=prefixe)
    if not form.is_valid():
        for erreurs in form.errors.values():
            messages.error(request, " ; ".join(erreurs))
        return redirect("masse_salariale:dsn_lecture", code=code, pk=pk)
    d = form.cleaned_data
    if lecture.statut != StatutLecture.A_PLACER:
        messages.error(request, f"lecture : elle est au statut « {lecture.get_statut_display()} » : rien n'a été placé")
        return redirect("masse_salariale:dsn_lecture", code=code, pk=pk)
    if d["cle"] == "matricule" and not lecture.agents.filter(matricule=d["valeur"].strip()).exists():
        messages.error(request, f"matricule « {d['valeur']} » : aucun agent de ces DSN ne porte ce matricule")
        return redirect("masse_salariale:dsn_lecture", code=code, pk=pk)
    ligne = regles_paie.LignePlacement(
        d["theme"], d["activite"], situation=d["situation"], beneficiaire=d["beneficiaire"]
    )
    try:
        regles_paie.do_placer(lecture.organisation, d["cle"], d["valeur"], [ligne], request.user)
    except ActionRefusee as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("masse_salariale:dsn_lecture", code=code, pk=pk)
    quoi = {"emploi": f"« {d['valeur']} » placé", "matricule": "L'agent placé", "defaut": "Règle par défaut créée"}
    messages.success(request, f"{quoi[d['cle']]} sur « {dict(THEME_OR_AUTRE)[d['theme']]} ».")
    return redirect("masse_salariale:dsn_lecture", code=code, pk=pk)


@login_required
def preparer(request, code, pk):
    territoire, acces, lecture = _lecture(request, code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return _preparer(request, territoire, acces, lecture)


def _preparer(request, territoire, acces, lecture):
    try:
        lot = dsn.do_preparer_depuis_dsn(lecture, request.user, acces)
    except (InvalidFile, ActionRefusee) as exc:
        for m in exc.errors if isinstance(exc, InvalidFile) else exc.messages:
            messages.error(request, m)
        return redirect("masse_salariale:dsn_lecture", code=territoire.code, pk=lecture.pk)
    return redirect("masse_salariale:lot", code=territoire.code, pk=lot.pk)


@login_required
def abandonner(request, code, pk):
    territoire, acces, lecture = _lecture(request, code, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        dsn.do_abandonner_lecture(lecture, request.user)
    except ActionRefusee as exc:
        for m in exc.messages:
            messages.error(request, m)
        return redirect("masse_salariale:dsn_lecture", code=code, pk=pk)
    messages.info(request, "La lecture est abandonnée ; les agents lus sont effacés, les règles restent.")
    return redirect("masse_salariale:dsn", code=code)


# --- The correspondence ---------------------------------------------------------------------------------


@login_required
def regles(request, code, employeur):
    territoire, acces = _importateur(request, code)
    organisation = _organisation(acces, employeur)
    form = ReglesForm()
    statut = 200
    erreurs = []
    if request.method == "POST":
        form = ReglesForm(request.POST, request.FILES)
        if form.is_valid():
            envoi = form.cleaned_data["fichier"]
            try:
                n = regles_paie.do_importer_regles(organisation, envoi.read(), envoi.name, request.user)
            except InvalidFile as exc:
                erreurs, statut = exc.errors, 400
            else:
                messages.success(request, f"La correspondance de {organisation.nom} compte désormais {n} règles.")
                return redirect("masse_salariale:regles", code=code, employeur=employeur)
        else:
            statut = 400
    lignes = RegleCorrespondance.objects.filter(organisation=organisation)
    par_cle = dict(lignes.values_list("cle").annotate(n=Count("id")))
    return render(
        request,
        "masse_salariale/regles.html",
        {
            "territoire": territoire,
            "acces": acces,
            "organisation": organisation,
            "lignes": list(lignes),
            "par_cle": [(c.label, par_cle.get(c.value, 0)) for c in CleRegle],
            "activites": dict(territoire.activites.values_list("code", "libelle")),
            "form": form,
            "erreurs": erreurs,
        },
        status=statut,
    )


@login_required
def regles_export(request, code, employeur):
    territoire, acces = _importateur(request, code)
    organisation = _organisation(acces, employeur)
    format_ = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    contenu = (regles_paie.export_xlsx if format_ == "xlsx" else regles_paie.export_csv)(organisation)
    reponse = HttpResponse(contenu, content_type=TYPES[format_])
    reponse["Content-Disposition"] = f'attachment; filename="correspondance-{organisation.code}.{format_}"'
    return reponse


@login_required
def supprimer_regle(request, code, employeur):
    territoire, acces = _importateur(request, code)
    organisation = _organisation(acces, employeur)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    cle = request.POST.get("cle", "")
    try:
        regles_paie.do_supprimer_regle(organisation, cle, request.POST.get("valeur", ""), request.user)
    except ActionRefusee as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, "La règle est supprimée.")
    suite = request.POST.get("lecture", "")
    if suite.isdigit():
        return redirect("masse_salariale:dsn_lecture", code=code, pk=int(suite))
    return redirect("masse_salariale:regles", code=code, employeur=employeur)
