"""Pages of the schéma's documents (docs/publication.md): for one version, the flagged rows of its impact
table and their presentation, the documents asked and their progress, the stored files; the layout of the
documents with its preview. Every member of the territory downloads the documents; the project team
chooses, generates and sets the layout (comptes.perms). Views only lay out: the rules are
publication/actions.py's and publication/impact.py's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from commun.concurrence import ModifieEntreTemps
from commun.erreurs import ActionRefusee
from comptes.enums import Role
from comptes.models import Utilisateur
from comptes.perms import get_territoire_ou_404
from parcours.models import VersionSchema
from publication import actions, pages
from publication import gabarit as gabarits
from publication.contenu import CHAPITRES, TITRE
from publication.enums import FormatDocument, StatutGeneration
from publication.forms import GabaritForm, PresentationForm
from publication.gabarit import COULEUR
from publication.impact import tableau_publie
from publication.models import DocumentSchema

REFUS = "Seule l'équipe projet prépare les documents du schéma."


def _territoire(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    schema = territoire.schemas.order_by("-mandat").first()
    if schema is None:
        raise Http404("Ce territoire n'a pas encore de schéma.")
    return territoire, acces, schema


def _equipe(acces):
    if not acces.peut_conduire_parcours():
        raise PermissionDenied(REFUS)


def _version(schema, numero) -> VersionSchema:
    versions = VersionSchema.objects.select_related("scenario", "schema__territoire")
    return get_object_or_404(versions, schema=schema, numero=numero)


def _formulaire(version, tp, data=None):
    organisations = {o.code: o for o in version.schema.territoire.organisations.all()}
    dgs = {
        s.code: Utilisateur.objects.filter(
            habilitations__territoire=version.schema.territoire,
            habilitations__role=Role.DGS,
            habilitations__organisation=organisations[s.code],
        ).distinct()
        for s in tp.signalements
    }
    choix = {c.organisation.code: c for c in version.choix_publication.select_related("organisation")}
    return PresentationForm(data, signalements=tp.signalements, dgs=dgs, choix=choix), organisations


@login_required
def version(request, code, numero):
    territoire, acces, schema = _territoire(request, code)
    v = _version(schema, numero)
    equipe = acces.peut_conduire_parcours()
    contexte = {
        "territoire": territoire,
        "acces": acces,
        "version": v,
        "equipe": equipe,
        "transmise": actions.transmise(v),
        "formats": FormatDocument.choices,
        "derniers": pages.derniers(DocumentSchema.objects.filter(version=v)),
        "historique": DocumentSchema.objects.filter(version=v).select_related("demande_par"),
    }
    if request.method == "POST":
        _equipe(acces)
        tp = tableau_publie(v)
        form, organisations = _formulaire(v, tp, request.POST)
        if form.is_valid():
            try:
                actions.do_choisir(v, form.choix(organisations), request.user, timezone.localdate())
            except ActionRefusee as exc:
                exc.au_formulaire(form)
            else:
                messages.success(request, "Présentation des montants enregistrée avec la version.")
                return redirect("publication:version", code=territoire.code, numero=v.numero)
        return render(request, "publication/version.html", {**contexte, "tp": tp, "form": form}, status=400)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    if equipe:
        tp = tableau_publie(v)
        contexte.update({"tp": tp, "form": _formulaire(v, tp)[0]})
    return render(request, "publication/version.html", contexte)


@login_required
def generer(request, code, numero):
    territoire, acces, schema = _territoire(request, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _equipe(acces)
    v = _version(schema, numero)
    try:
        demande = actions.do_demander(v, request.POST.get("format", ""), request.user)
    except ActionRefusee as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if demande.statut == StatutGeneration.PRET:
            messages.info(request, f"Ce document {demande.get_format_display()} existe déjà : il est servi tel quel.")
        else:
            messages.success(request, "Document demandé : il se prépare ci-dessous, vous pouvez quitter la page.")
    return redirect("publication:version", code=territoire.code, numero=v.numero)


def _document(request, code, pk) -> DocumentSchema:
    territoire, acces, schema = _territoire(request, code)
    if request.method not in ("GET", "HEAD"):
        raise Http404("Document introuvable.")
    return get_object_or_404(DocumentSchema.objects.select_related("version"), pk=pk, version__schema=schema)


@login_required
def telecharger(request, code, pk):
    return pages.fichier(_document(request, code, pk))


@login_required
def etat(request, code, pk):
    """The progress of a request, read by static/js/progression.js."""
    return pages.etat(_document(request, code, pk), reverse("publication:telecharger", args=[code, pk]))


@login_required
def gabarit(request, code):
    territoire, acces, schema = _territoire(request, code)
    _equipe(acces)
    g = gabarits.gabarit(schema)
    apercu = None
    if request.method == "POST":
        form = GabaritForm(request.POST, request.FILES)
        if form.is_valid():
            if "apercu" in request.POST:
                nettoyees = {CHAPITRES[k]: gabarits.html_de(v) for k, v in form.introductions().items()}
                apercu = {**form.valeurs(), "introductions": {k: v for k, v in nettoyees.items() if v}}
            else:
                logo = False if form.cleaned_data["retirer_logo"] else form.cleaned_data["logo"]
                try:
                    actions.do_modifier_gabarit(schema, form.valeurs(), logo, request.user, form.empreinte_lue())
                except ModifieEntreTemps as exc:
                    form.rafraichir(exc)
                    g = gabarits.gabarit(schema)
                except ActionRefusee as exc:
                    exc.au_formulaire(form)
                else:
                    messages.success(request, "Mise en page enregistrée : elle s'applique aux prochains documents.")
                    return redirect("publication:gabarit", code=territoire.code)
    elif request.method in ("GET", "HEAD"):
        form = GabaritForm(
            initial={
                "couleur": g.couleur,
                "couleur_secondaire": g.couleur_secondaire,
                "titre": g.titre,
                "sous_titre": g.sous_titre,
                "mention": g.mention,
                **{f"intro_{k}": v for k, v in (g.introductions or {}).items()},
                "empreinte": actions.empreinte_gabarit(g),
            }
        )
    else:
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "publication/gabarit.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "gabarit": g,
            "form": form,
            "apercu": apercu,
            "titre_defaut": TITRE,
        },
        status=409 if form.conflit else 400 if request.method == "POST" and not form.is_valid() else 200,
    )


@login_required
def apercu_css(request, code):
    """The colours of an unsaved layout's preview, as a style sheet (a Content-Security-Policy without
    'unsafe-inline' forbids style attributes); only colours #RRVVBB are written."""
    territoire, acces, schema = _territoire(request, code)
    _equipe(acces)
    couleur, secondaire = request.GET.get("couleur", ""), request.GET.get("secondaire", "")
    if not (COULEUR.match(couleur) and COULEUR.match(secondaire)):
        raise Http404("Couleurs attendues au format #RRVVBB.")
    css = (
        f".apercu-couverture {{ border-left-color: {couleur}; }}\n"
        f".apercu-territoire {{ color: {couleur}; }}\n"
        f".apercu-encadre {{ border-left-color: {couleur}; background: {secondaire}; }}\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@login_required
def logo(request, code):
    territoire, acces, schema = _territoire(request, code)
    g = gabarits.gabarit(schema)
    if not g.logo or request.method not in ("GET", "HEAD"):
        raise Http404("Aucun logo.")
    with g.logo.open("rb") as f:
        contenu = f.read()
    return FileResponse(iter([contenu]), content_type=gabarits.type_logo(contenu))
