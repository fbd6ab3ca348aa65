"""Pages of GT3 « liste des activités mutualisables » of a working group.

Every view loads the territory through the chokepoint (comptes.perms), then the group by its theme, then
asks `acces`: 404 outside the territory, 403 for a member without the right, 409 when the deliverable is
locked (the page is shown again with the reason), 400 for a refused form. The list page reads the lines
with their activity, communes and scores, and the current payroll aggregates, in a fixed number of queries."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from commun.erreurs import ActionRefusee
from comptes.perms import exiger
from groupes.acces import get_groupe_pour
from livrables.gt3 import actions
from livrables.gt3.actions import REFUS_CONSOLIDER, REFUS_NOTER
from livrables.gt3.candidats import candidat, fichier_candidats, raison_exclusion
from livrables.gt3.enjeux import PORTEE_MASSE_EN_JEU, codes_concernes, enjeux, masse_de_ligne, paie_en_jeu
from livrables.gt3.forms import (
    RUBRIQUE_FAISABILITE,
    RUBRIQUE_QUALIFICATION,
    ConsensusForm,
    LigneForm,
    NotationForm,
)
from livrables.models import LigneMutualisable, Notation

LIBELLES_ROLES = {
    "copilote_commune": "co-pilote commune",
    "copilote_epci": "co-pilote EPCI",
    "consultant": "consultant",
}
ORDRE_ROLES = {"copilote_commune": 0, "copilote_epci": 1, "consultant": 2}


_exiger = exiger


def _groupe(request, code, theme):
    return get_groupe_pour(request.user, code, theme)


def _lignes(livrable):
    if livrable is None:
        return LigneMutualisable.objects.none()
    return livrable.lignes_mutualisables.select_related("activite", "modifie_par").prefetch_related(
        "communes",
        Prefetch(
            "notations", queryset=Notation.objects.select_related("utilisateur").order_by("role", "utilisateur_id")
        ),
    )


def _ligne(request, code, theme, pk):
    territoire, acces, groupe = _groupe(request, code, theme)
    ligne = get_object_or_404(_lignes(actions.livrable_gt3(groupe)), pk=pk)
    ligne.livrable.groupe = groupe
    return territoire, acces, groupe, ligne


def _communes_membres(territoire):
    return territoire.organisations.communes().filter(membre=True).order_by("code")


def _activites(territoire, groupe):
    return territoire.activites.filter(theme=groupe.theme).order_by("ordre", "code")


def _url(groupe, nom, **kwargs):
    return reverse(f"livrables:{nom}", kwargs={"code": groupe.schema.territoire.code, "theme": groupe.theme, **kwargs})


# --- rows for the templates ------------------------------------------------------------------------


def _rangee(acces, ligne, communes_membres, table):
    codes_membres = [c.code for c in communes_membres]
    codes = codes_concernes(ligne, codes_membres)
    pure = actions.ligne_pour_candidat(ligne, [] if ligne.toutes_communes else codes)
    notes = [
        {
            "qui": n.utilisateur,
            "role": LIBELLES_ROLES.get(n.role, n.role),
            "qualification": n.qualification,
            "faisabilite": n.faisabilite,
            "utilisateur_id": n.utilisateur_id,
        }
        for n in sorted(ligne.notations.all(), key=lambda n: (ORDRE_ROLES.get(n.role, 9), n.utilisateur_id))
    ]
    return {
        "ligne": ligne,
        "communes": [] if ligne.toutes_communes else sorted(ligne.communes.all(), key=lambda o: o.code),
        "notes": notes,
        "masse": masse_de_ligne(table, ligne, codes_membres),
        "candidat": candidat(pure),
        "exclusion": raison_exclusion(pure),
    }


def _circuit_existe() -> bool:
    """The shared workflow panel of the deliverables (owned by the GT1 and workflow pages) when present."""
    try:
        get_template("livrables/includes/circuit.html")
    except TemplateDoesNotExist:
        return False
    return True


def _contexte(request, territoire, acces, groupe, livrable, **autres):
    return {
        "circuit_existe": livrable is not None and _circuit_existe(),
        "territoire": territoire,
        "acces": acces,
        "groupe": groupe,
        "livrable": livrable,
        "peut_consolider": acces.peut_consolider(groupe),
        "peut_noter": acces.peut_noter(groupe),
        "modifiable": livrable is None or livrable.modifiable,
        "rubrique_qualification": RUBRIQUE_QUALIFICATION,
        "rubrique_faisabilite": RUBRIQUE_FAISABILITE,
        **autres,
    }


def _page_liste(request, territoire, acces, groupe, erreurs=(), status=200):
    livrable = actions.livrable_gt3(groupe)
    communes = list(_communes_membres(territoire))
    paie = paie_en_jeu(territoire)
    table = enjeux(territoire, acces, paie)
    rangees = [_rangee(acces, l, communes, table) for l in _lignes(livrable)]
    return render(
        request,
        "livrables/gt3.html",
        _contexte(
            request,
            territoire,
            acces,
            groupe,
            livrable,
            rangees=rangees,
            erreurs=list(erreurs),
            nb_candidats=sum(1 for r in rangees if r["candidat"]),
            paie_vide=table.vide,
            paie=paie,
            portee_paie=PORTEE_MASSE_EN_JEU,
        ),
        status=status,
    )


def _page_ligne(
    request, territoire, acces, groupe, ligne, erreurs=(), status=200, notation_form=None, consensus_form=None
):
    communes = list(_communes_membres(territoire))
    paie = paie_en_jeu(territoire)
    rangee = _rangee(acces, ligne, communes, enjeux(territoire, acces, paie))
    mienne = next((n for n in ligne.notations.all() if n.utilisateur_id == request.user.pk), None)
    if notation_form is None:
        notation_form = NotationForm(
            initial={"qualification": mienne.qualification, "faisabilite": mienne.faisabilite} if mienne else None
        )
    if consensus_form is None:
        consensus_form = ConsensusForm(
            initial={"qualification": ligne.qualification, "faisabilite": ligne.faisabilite, "version": ligne.version}
        )
    return render(
        request,
        "livrables/gt3_ligne.html",
        _contexte(
            request,
            territoire,
            acces,
            groupe,
            ligne.livrable,
            r=rangee,
            ligne=ligne,
            erreurs=list(erreurs),
            notation_form=notation_form,
            consensus_form=consensus_form,
            mienne=mienne,
            **_fil(ligne, acces),
            paie=paie,
            portee_paie=PORTEE_MASSE_EN_JEU,
        ),
        status=status,
    )


def _fil(objet, acces, groupe=None) -> dict:
    from echanges import fils

    return fils.contexte(objet, acces, groupe=groupe)


# --- pages -----------------------------------------------------------------------------------------


def _lecture_seule(request):
    """Reading pages answer GET and HEAD; checked after the territory, so an outsider always gets a 404."""
    return None if request.method in ("GET", "HEAD") else HttpResponseNotAllowed(["GET", "HEAD"])


@login_required
def liste(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    if refus := _lecture_seule(request):
        return refus
    return _page_liste(request, territoire, acces, groupe)


@login_required
def ligne(request, code, theme, pk):
    territoire, acces, groupe, ligne_ = _ligne(request, code, theme, pk)
    if refus := _lecture_seule(request):
        return refus
    return _page_ligne(request, territoire, acces, groupe, ligne_)


def _formulaire(request, territoire, acces, groupe, form, ligne_, status=200, erreurs=()):
    return render(
        request,
        "livrables/gt3_formulaire.html",
        _contexte(
            request,
            territoire,
            acces,
            groupe,
            ligne_.livrable if ligne_ else actions.livrable_gt3(groupe),
            form=form,
            ligne=ligne_,
            erreurs=list(erreurs),
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ajouter(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    _exiger(acces.peut_consolider(groupe), REFUS_CONSOLIDER)
    options = {"activites": _activites(territoire, groupe), "communes": _communes_membres(territoire)}
    if request.method == "POST":
        form = LigneForm(request.POST, **options)
        if form.is_valid():
            try:
                nouvelle = actions.do_creer_ligne(groupe, request.user, form.valeurs())
            except ActionRefusee as exc:
                return _formulaire(request, territoire, acces, groupe, form, None, status=409, erreurs=exc.messages)
            messages.success(request, f"Ligne « {nouvelle.activite.libelle} » ajoutée.")
            return redirect(_url(groupe, "gt3") + f"#ligne-{nouvelle.pk}")
        return _formulaire(request, territoire, acces, groupe, form, None, status=400)
    initial = {}
    if request.GET.get("activite"):
        initial["activite"] = options["activites"].filter(code=request.GET["activite"]).first()
    return _formulaire(request, territoire, acces, groupe, LigneForm(initial=initial, **options), None)


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, code, theme, pk):
    territoire, acces, groupe, ligne_ = _ligne(request, code, theme, pk)
    _exiger(acces.peut_consolider(groupe), REFUS_CONSOLIDER)
    options = {"activites": _activites(territoire, groupe), "communes": _communes_membres(territoire)}
    if request.method == "POST":
        form = LigneForm(request.POST, **options)
        if form.is_valid():
            try:
                change = actions.do_modifier_ligne(
                    ligne_, request.user, form.valeurs(), version_lue=form.cleaned_data.get("version")
                )
            except ActionRefusee as exc:
                return _formulaire(request, territoire, acces, groupe, form, ligne_, status=409, erreurs=exc.messages)
            messages.success(request, "Ligne modifiée." if change else "Aucune modification.")
            return redirect(_url(groupe, "gt3") + f"#ligne-{ligne_.pk}")
        return _formulaire(request, territoire, acces, groupe, form, ligne_, status=400)
    form = LigneForm(
        initial={
            **{k: getattr(ligne_, k) for k in actions.CHAMPS_LIGNE},
            "communes": list(ligne_.communes.all()),
            "version": ligne_.version,
        },
        **options,
    )
    return _formulaire(request, territoire, acces, groupe, form, ligne_)


@login_required
def consensus(request, code, theme, pk):
    territoire, acces, groupe, ligne_ = _ligne(request, code, theme, pk)
    _exiger(acces.peut_consolider(groupe), REFUS_CONSOLIDER)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ConsensusForm(request.POST)
    if not form.is_valid() or "qualification" not in request.POST or "faisabilite" not in request.POST:
        if form.is_valid():
            form.add_error(None, "Indiquez la qualification et la faisabilité retenues (« – » pour aucune).")
        return _page_ligne(request, territoire, acces, groupe, ligne_, status=400, consensus_form=form)
    try:
        change = actions.do_consensus(
            ligne_,
            request.user,
            form.cleaned_data["qualification"],
            form.cleaned_data["faisabilite"],
            version_lue=form.cleaned_data.get("version"),
        )
    except ActionRefusee as exc:
        return _page_ligne(
            request, territoire, acces, groupe, ligne_, erreurs=exc.messages, status=409, consensus_form=form
        )
    messages.success(request, "Notes de consensus enregistrées." if change else "Aucune modification.")
    return redirect(_url(groupe, "gt3_ligne", pk=ligne_.pk))


@login_required
def noter(request, code, theme, pk):
    territoire, acces, groupe, ligne_ = _ligne(request, code, theme, pk)
    _exiger(acces.peut_noter(groupe), REFUS_NOTER)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = NotationForm(request.POST)
    if not form.is_valid():
        return _page_ligne(request, territoire, acces, groupe, ligne_, status=400, notation_form=form)
    try:
        actions.do_noter(
            ligne_,
            request.user,
            actions.role_de_notation(acces, groupe),
            form.cleaned_data["qualification"],
            form.cleaned_data["faisabilite"],
        )
    except ActionRefusee as exc:
        return _page_ligne(
            request, territoire, acces, groupe, ligne_, erreurs=exc.messages, status=409, notation_form=form
        )
    messages.success(request, "Votre notation est enregistrée.")
    return redirect(_url(groupe, "gt3_ligne", pk=ligne_.pk))


@login_required
@require_http_methods(["GET", "POST"])
def supprimer(request, code, theme, pk):
    territoire, acces, groupe, ligne_ = _ligne(request, code, theme, pk)
    _exiger(acces.peut_consolider(groupe), REFUS_CONSOLIDER)
    if request.method == "POST":
        try:
            actions.do_supprimer_ligne(ligne_, request.user)
        except ActionRefusee as exc:
            return _page_ligne(request, territoire, acces, groupe, ligne_, erreurs=exc.messages, status=409)
        messages.success(request, f"Ligne « {ligne_.activite.libelle} » supprimée.")
        return redirect(_url(groupe, "gt3"))
    return render(
        request,
        "livrables/gt3_supprimer.html",
        _contexte(request, territoire, acces, groupe, ligne_.livrable, ligne=ligne_),
    )


@login_required
def candidats(request, code, theme):
    """The group's candidate actions as a JSON candidates file (docs/contrats §5-6)."""
    territoire, acces, groupe = _groupe(request, code, theme)
    if refus := _lecture_seule(request):
        return refus
    livrable = actions.livrable_gt3(groupe)
    lignes = [actions.ligne_pour_candidat(l, [c.code for c in l.communes.all()]) for l in _lignes(livrable)]
    contenu = fichier_candidats(f"GT3 {groupe.libelle} – {territoire.nom}", lignes)
    response = HttpResponse(
        json.dumps(contenu, ensure_ascii=False, indent=2) + "\n", content_type="application/json; charset=utf-8"
    )
    nom = f"candidats-gt3-{slugify(groupe.theme)}-{territoire.code}.json"
    response["Content-Disposition"] = f'attachment; filename="{nom}"'
    return response
