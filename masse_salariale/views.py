import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from comptes.perms import get_territoire_ou_404
from engine.coefficient import compute_coefficient
from engine.themes import THEME_BY_CODE
from formats.errors import InvalidFile
from masse_salariale import imports
from masse_salariale.actions import ActionRefusee, conflits, do_abandonner_lot, do_confirmer_lot, do_preparer_lot
from masse_salariale.confidentialite import lecture as lecture_paie
from masse_salariale.confidentialite import lecture_lot
from masse_salariale.consultations import DUREE as DUREE_CONSULTATIONS
from masse_salariale.consultations import visibles as consultations_visibles
from masse_salariale.dsn import rapport as rapport_dsn
from masse_salariale.forms import ConfirmationForm, FonctionnelsForm, ImportForm
from masse_salariale.lecture import paie_courante
from masse_salariale.modele import colonnes, modele_csv, modele_xlsx
from masse_salariale.models import LectureDSN, Lot, LotEmployeur
from masse_salariale.tableaux import detail as detail_rows
from masse_salariale.tableaux import lignes_employeurs, matrice, themes
from territoire.actions import do_changer_fonctionnels
from territoire.models import Evenement


def _annee(request) -> int | None:
    raw = request.GET.get("annee", "")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) == 4 else None


def _coefficient(territoire, paie):
    """The territory's organisations and the engine's coefficient of `paie`, computed once per set of
    batches, organisations and functional themes."""
    organisations = list(territoire.organisations.all())
    codes, fonctionnels = tuple(o.code for o in organisations), territoire.themes_fonctionnels
    result = paie.reduite(
        ("coefficient", territoire.code, codes, fonctionnels),
        lambda: compute_coefficient(paie.agregats, territoire.code, codes, fonctionnels),
    )
    return organisations, result


@login_required
def coefficient(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    paie = paie_courante(territoire, _annee(request))
    organisations, result = _coefficient(territoire, paie)
    lecture = lecture_paie(territoire, paie, acces)
    lignes = lignes_employeurs(result, paie, organisations, lecture)
    par_theme = themes(result, lecture)
    return render(
        request,
        "masse_salariale/coefficient.html",
        {
            "territoire": territoire,
            "acces": acces,
            "paie": paie,
            "result": result,
            "themes": par_theme,
            "lignes": lignes,
            "numerateur": lecture.ligne("numerateur"),
            "denominateur": lecture.ligne("denominateur"),
            "matrice": matrice(paie, organisations, result.functional_themes, lecture),
            "barres_themes": _barres(
                [(t["theme"].label, t["ratio"].coefficient, t["theme"].code) for t in par_theme], share=True
            ),
            "form_fonctionnels": FonctionnelsForm(initial={"themes": list(result.functional_themes)})
            if acces.peut_administrer()
            else None,
            "barres_employeurs": _barres([(l.libelle, l.montant.affiche, l.cle[0]) for l in lignes]),
        },
    )


def _barres(items, share=False):
    """Bars of an SVG chart: width as a share of the largest value (or of 1 for a ratio)."""
    top = 1.0 if share else max((v for _, v, _ in items if v), default=0) or 1.0
    return [
        {
            "libelle": label,
            "valeur": value,
            "code": code,
            "largeur": 0 if value is None else max(0.0, min(100.0, 100 * value / top)),
        }
        for label, value, code in items
    ]


@login_required
def fonctionnels(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    if not acces.peut_administrer():
        raise PermissionDenied("Seule l'équipe projet choisit les services fonctionnels.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = FonctionnelsForm(request.POST)
    if form.is_valid():
        do_changer_fonctionnels(territoire, form.cleaned_data["themes"], request.user)
        messages.success(request, "La liste des services fonctionnels est enregistrée ; le coefficient est recalculé.")
    else:
        for error in _form_errors(form):
            messages.error(request, error)
    return redirect("masse_salariale:coefficient", code=code)


@login_required
def detail(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    paie = paie_courante(territoire, _annee(request))
    organisations, result = _coefficient(territoire, paie)
    names = {o.code: o.nom for o in organisations}
    employeur = request.GET.get("employeur") or None
    theme = request.GET.get("theme") or None
    part = request.GET.get("part") if request.GET.get("part") in {"numerateur", "denominateur"} else None
    if employeur and employeur not in names:
        employeur = None
    if theme and theme not in result.functional_themes:
        theme = None
    rows, total, fine = detail_rows(
        paie,
        result,
        lecture_paie(territoire, paie, acces),
        names,
        dict(territoire.activites.values_list("code", "libelle")),
        employeur,
        theme,
        "numerateur" if part == "numerateur" else None,
    )
    return render(
        request,
        "masse_salariale/detail.html",
        {
            "territoire": territoire,
            "acces": acces,
            "paie": paie,
            "result": result,
            "rows": rows,
            "total": total,
            "fine": fine,
            "employeur": employeur,
            "employeur_nom": names.get(employeur),
            "theme": THEME_BY_CODE.get(theme) if theme else None,
            "part": part,
            "total_etp": sum(r.etp for r in rows),
        },
    )


@login_required
def lots(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    paie = paie_courante(territoire, _annee(request))
    visibles = Lot.objects.visibles(acces).select_related("importe_par")
    return render(
        request,
        "masse_salariale/lots.html",
        {
            "territoire": territoire,
            "acces": acces,
            "paie": paie,
            "organisations": list(territoire.organisations.all()),
            "lots": list(visibles[:50]),
            "form": ImportForm() if acces.peut_importer() else None,
            "colonnes": colonnes(),
        },
    )


@login_required
def modele(request, code):
    """The file template (docs/contrats §3): ?format=csv (default) or xlsx, its example line on the
    downloader's employer (the EPCI for the project team)."""
    territoire, acces = get_territoire_ou_404(request.user, code)
    if not acces.peut_importer():
        raise PermissionDenied("Seuls l'équipe projet et le DGS d'une organisation importent sa masse salariale.")
    employeur = territoire.code if acces.est_equipe_projet else acces.organisation.code
    premiere = territoire.activites.filter(theme="RH").order_by("ordre", "code").first()
    activite = premiere.code if premiere else ""
    if request.GET.get("format") == "xlsx":
        contenu = modele_xlsx(employeur, activite)
        type_ = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        nom = "modele-masse-salariale.xlsx"
    else:
        contenu, type_, nom = modele_csv(employeur, activite), "text/csv; charset=utf-8", "modele-masse-salariale.csv"
    reponse = HttpResponse(contenu, content_type=type_)
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


@login_required
def importer(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    if not acces.peut_importer():
        raise PermissionDenied("Seuls l'équipe projet et le DGS d'une organisation importent sa masse salariale.")
    if request.method != "POST":
        return redirect("masse_salariale:lots", code=code)
    form = ImportForm(request.POST, request.FILES)
    context = {"territoire": territoire, "acces": acces, "form": form}
    if not form.is_valid():
        return render(request, "masse_salariale/rapport.html", {**context, "erreurs": _form_errors(form)}, status=400)
    upload = form.cleaned_data["fichier"]
    if upload.size > imports.SEUIL_FICHIER:  # read by the worker, its page shows the progress
        envoi = imports.deposer_fichier(territoire, upload, form.cleaned_data["annee"], request.user)
        return redirect("masse_salariale:import", code=code, pk=envoi.pk)
    data = upload.read()
    try:
        lot = do_preparer_lot(territoire, data, upload.name, form.cleaned_data["annee"], request.user, acces)
    except (InvalidFile, ActionRefusee) as exc:
        errors = exc.errors if isinstance(exc, InvalidFile) else exc.messages
        warnings = exc.warnings if isinstance(exc, InvalidFile) else []
        Evenement.objects.create(
            territoire=territoire,
            utilisateur=request.user,
            action="masse_salariale.refus",
            objet=upload.name[:200],
            details={"erreurs": len(errors), "empreinte": hashlib.sha256(data).hexdigest()},
        )
        return render(
            request,
            "masse_salariale/rapport.html",
            {**context, "erreurs": errors, "avertissements": warnings, "fichier": upload.name},
            status=400,
        )
    return redirect("masse_salariale:lot", code=code, pk=lot.pk)


def _form_errors(form) -> list[str]:
    """Form errors worded like file errors: `fichier : …`, `année de référence : …`."""
    out = []
    for name, errors in form.errors.items():
        prefix = "fichier : " if name in ("fichier", "__all__") else f"{form.fields[name].label.lower()} : "
        out += [m if m.startswith(prefix) else prefix + m[0].lower() + m[1:] for m in map(str, errors)]
    return out


def _lot_visible(request, code, pk):
    territoire, acces = get_territoire_ou_404(request.user, code)
    lot = get_object_or_404(Lot, pk=pk, territoire=territoire)
    if not acces.voit_lot(lot):
        raise PermissionDenied("Ce lot ne vous est pas accessible.")
    return territoire, acces, lot


@login_required
def lot(request, code, pk):
    territoire, acces, lot = _lot_visible(request, code, pk)
    employeurs = list(LotEmployeur.objects.filter(lot=lot).select_related("organisation", "remplace__lot"))
    lecture = lecture_lot(lot, acces)
    for e in employeurs:
        e.montant = lecture.ligne("organisation_tous_themes", e.organisation.code)
    total = lecture.ligne("total")
    source = LectureDSN.objects.filter(lot=lot).select_related("organisation").first()
    return render(
        request,
        "masse_salariale/lot.html",
        {
            "total": total,
            "source": rapport_dsn(source) if source else None,
            "source_visible": source is not None and lecture.connait(source.organisation.code),
            "peut_decider": acces.peut_decider_lot(lot),
            "territoire": territoire,
            "acces": acces,
            "lot": lot,
            "employeurs": employeurs,
            "conflits": conflits(lot) if lot.statut == "a_confirmer" else [],
            "form": ConfirmationForm(),
        },
    )


@login_required
def confirmer(request, code, pk):
    territoire, acces, lot = _lot_visible(request, code, pk)
    if not acces.peut_decider_lot(lot):
        raise PermissionDenied("Vous ne pouvez plus importer la masse salariale de tous les employeurs de ce lot.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ConfirmationForm(request.POST)
    form.is_valid()
    try:
        do_confirmer_lot(lot, request.user, remplacer=form.cleaned_data.get("remplacer", False))
    except ActionRefusee as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("masse_salariale:lot", code=code, pk=pk)
    messages.success(
        request, f"Le lot « {lot.fichier} » est désormais le lot courant de ses employeurs pour {lot.annee}."
    )
    return redirect(f"{_url_coefficient(code)}?annee={lot.annee}")


@login_required
def abandonner(request, code, pk):
    territoire, acces, lot = _lot_visible(request, code, pk)
    if not acces.peut_decider_lot(lot):
        raise PermissionDenied("Vous ne pouvez plus importer la masse salariale de tous les employeurs de ce lot.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        do_abandonner_lot(lot, request.user)
    except ActionRefusee as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("masse_salariale:lot", code=code, pk=pk)
    messages.info(request, f"Le lot « {lot.fichier} » est abandonné ; aucune donnée n'a été modifiée.")
    return redirect("masse_salariale:lots", code=code)


def _url_coefficient(code):
    from django.urls import reverse

    return reverse("masse_salariale:coefficient", kwargs={"code": code})


@login_required
def consultations(request, code):
    """Who saw payroll amounts, when, on which page (masse_salariale/consultations.py)."""
    territoire, acces = get_territoire_ou_404(request.user, code)
    lignes = consultations_visibles(territoire, acces)
    if lignes is None:
        raise PermissionDenied("Seuls l'équipe projet et le DGS d'un employeur voient qui a consulté sa paie.")
    noms = dict(territoire.organisations.values_list("code", "nom"))
    lignes = list(lignes[:200])
    for c in lignes:
        c.noms = ", ".join(noms.get(e, e) for e in c.employeurs)
    return render(
        request,
        "masse_salariale/consultations.html",
        {"territoire": territoire, "acces": acces, "lignes": lignes, "duree": DUREE_CONSULTATIONS.days},
    )
