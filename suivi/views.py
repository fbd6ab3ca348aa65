"""Pages of the follow-up of the approved schéma (docs/suivi.md): the follow-up (items, planned versus actual
for a year of payroll, indicators, what the year recorded), one item (status, progress, milestones,
conventions), the yearly reports and their documents. Every member reads; the project team writes (and
the person responsible for an item updates it). Views only lay out: the rules are suivi/actions.py's, the
figures suivi/mesures.py's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from commun.erreurs import ActionRefusee
from comptes.models import Utilisateur
from comptes.perms import get_territoire_ou_404
from parcours.forms import entier
from publication import pages
from publication.docx_schema import docx
from publication.enums import TYPES, FormatDocument, StatutGeneration
from publication.odt_schema import odt
from suivi import actions, mesures
from suivi import elements as elements_du_schema
from suivi import rapport as rapports
from suivi.enums import EtatRapport
from suivi.forms import BilanForm, ConventionForm, ElementForm, PresentationForm, RapportForm
from suivi.generation import document_du_rapport, nom_de_fichier
from suivi.models import Convention, DocumentRapport, Element, RapportAnnuel

DEMANDE = "Document demandé : il se prépare ci-dessous, vous pouvez quitter la page."
REFUS = "Seule l'équipe projet tient le suivi du schéma (ou la personne responsable d'une action, pour celle-ci)."


def _suivi(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    schema = elements_du_schema.schema_suivi(territoire)
    version = elements_du_schema.version_suivie(schema) if schema else None
    return territoire, acces, schema, version


def _equipe(acces):
    if not acces.peut_conduire_parcours():
        raise PermissionDenied(REFUS)


@login_required
def tableau(request, code):
    territoire, acces, schema, version = _suivi(request, code)
    contexte = {"territoire": territoire, "acces": acces, "schema": schema, "version": version}
    if version is None:
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        return render(request, "suivi/tableau.html", contexte)
    elements = elements_du_schema.synchroniser(schema, version)
    s = mesures.lire(schema, version, elements, acces, entier(request.GET.get("annee", "")))
    form_bilan = None
    if s.annee is not None and acces.peut_conduire_parcours():
        b = s.bilan
        form_bilan = BilanForm(
            initial={
                k: (getattr(b, k) if b else None)
                for k in ("remboursements", "ac_votee", "surcouts", "couts_evites", "commentaire")
            }
        )
    status = 200
    if request.method == "POST":
        _equipe(acces)
        form_bilan = BilanForm(request.POST)
        if s.annee is not None and form_bilan.is_valid():
            actions.do_enregistrer_bilan(schema, s.annee, form_bilan.cleaned_data, request.user)
            messages.success(request, f"Bilan {s.annee} enregistré.")
            return redirect(f"{reverse('suivi:tableau', args=[code])}?annee={s.annee}")
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "suivi/tableau.html",
        {**contexte, "s": s, "form_bilan": form_bilan, "rapports": RapportAnnuel.objects.filter(schema=schema)},
        status=status,
    )


def _element(schema, pk) -> Element:
    if schema is None:
        raise Http404("Aucun schéma approuvé.")
    return get_object_or_404(Element.objects.select_related("responsable", "version"), schema=schema, pk=pk)


@login_required
def element(request, code, pk):
    territoire, acces, schema, version = _suivi(request, code)
    e = _element(schema, pk)
    peut = acces.peut_conduire_parcours() or e.responsable_id == request.user.pk
    personnes = Utilisateur.objects.du_territoire(territoire).filter(is_active=True).par_nom()
    organisations = territoire.organisations.all()
    form = ElementForm(
        initial={
            "statut": e.statut,
            "motif": e.motif,
            "annee_reportee": e.annee_reportee,
            "progression": e.progression,
            "responsable": e.responsable_id,
            **{f"jalon_{j.genre}": j.date for j in e.jalons.all()},
        },
        personnes=personnes,
    )
    form_convention = ConventionForm(organisations=organisations)
    status = 200
    if request.method == "POST":
        if not peut:
            raise PermissionDenied(REFUS)
        if "convention" in request.POST:
            form_convention = ConventionForm(request.POST, request.FILES, organisations=organisations)
            if form_convention.is_valid():
                d = form_convention.cleaned_data
                try:
                    actions.do_ajouter_convention(
                        e, {**d, "aujourdhui": timezone.localdate()}, list(d["membres"]), d["fichier"], request.user
                    )
                except ActionRefusee as exc:
                    exc.au_formulaire(form_convention)
                else:
                    messages.success(request, "Convention enregistrée.")
                    return redirect("suivi:element", code=code, pk=e.pk)
        else:
            form = ElementForm(request.POST, personnes=personnes)
            if form.is_valid():
                try:
                    actions.do_modifier_element(
                        e, {**form.cleaned_data, "aujourdhui": timezone.localdate()}, form.jalons(), request.user
                    )
                except ActionRefusee as exc:
                    exc.au_formulaire(form)
                else:
                    messages.success(request, f"Action {e.identifiant} mise à jour.")
                    return redirect("suivi:element", code=code, pk=e.pk)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "suivi/element.html",
        {
            "territoire": territoire,
            "acces": acces,
            "e": e,
            "peut": peut,
            "form": form,
            "form_convention": form_convention,
            "libelles": dict(territoire.activites.values_list("code", "libelle")),
        },
        status=status,
    )


@login_required
def convention(request, code, pk):
    territoire, acces, schema, version = _suivi(request, code)
    if schema is None or request.method not in ("GET", "HEAD"):
        raise Http404("Convention introuvable.")
    c = get_object_or_404(Convention, pk=pk, element__schema=schema)
    if not c.fichier:
        raise Http404("Aucun fichier joint.")
    return FileResponse(c.fichier.open("rb"), as_attachment=True, filename=c.fichier.name.rsplit("/", 1)[-1])


@login_required
def rapports_annuels(request, code):
    territoire, acces, schema, version = _suivi(request, code)
    if version is None:
        raise Http404("Aucun schéma approuvé : pas d'état d'avancement.")
    form = RapportForm(initial={"annee": timezone.localdate().year + 1})
    status = 200
    if request.method == "POST":
        _equipe(acces)
        form = RapportForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                r = actions.do_creer_rapport(schema, d["annee"], d["instance"], d["seance_le"], request.user)
            except ActionRefusee as exc:
                exc.au_formulaire(form)
            else:
                return redirect("suivi:rapport", code=code, annee=r.annee)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "suivi/rapports.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "rapports": RapportAnnuel.objects.filter(schema=schema),
            "form": form,
        },
        status=status,
    )


def _rapport(schema, annee) -> RapportAnnuel:
    if schema is None:
        raise Http404("Aucun schéma approuvé.")
    return get_object_or_404(RapportAnnuel.objects.select_related("schema__territoire"), schema=schema, annee=annee)


@login_required
def rapport(request, code, annee):
    territoire, acces, schema, version = _suivi(request, code)
    r = _rapport(schema, annee)
    form_date = RapportForm(initial={"annee": r.annee, "instance": r.instance, "seance_le": r.seance_le})
    form_presentation = PresentationForm(initial={"presente_le": r.seance_le})
    status = 200
    if request.method == "POST":
        _equipe(acces)
        try:
            if "presenter" in request.POST:
                form_presentation = PresentationForm(request.POST)
                if form_presentation.is_valid():
                    actions.do_presenter(
                        r,
                        rapports.document(r),
                        form_presentation.cleaned_data["presente_le"],
                        request.user,
                        timezone.localdate(),
                    )
                    messages.success(request, "Rapport présenté : son contenu est figé.")
                    return redirect("suivi:rapport", code=code, annee=r.annee)
            elif "generer" in request.POST:
                demande = actions.do_demander_rapport(
                    r, request.POST.get("format", ""), document_du_rapport(r), request.user
                )
                if demande.statut != StatutGeneration.PRET:
                    messages.success(
                        request, "Document demandé : il se prépare ci-dessous, vous pouvez quitter la page."
                    )
                return redirect("suivi:rapport", code=code, annee=r.annee)
            else:
                form_date = RapportForm(request.POST)
                if form_date.is_valid():
                    d = form_date.cleaned_data
                    actions.do_dater_rapport(r, d["instance"], d["seance_le"], request.user)
                    messages.success(request, "Séance enregistrée.")
                    return redirect("suivi:rapport", code=code, annee=r.annee)
        except ActionRefusee as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("suivi:rapport", code=code, annee=r.annee)
        status = 400
    elif request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return render(
        request,
        "suivi/rapport.html",
        {
            "territoire": territoire,
            "acces": acces,
            "r": r,
            "doc": document_du_rapport(r),
            "formats": FormatDocument.choices,
            "derniers": pages.derniers(DocumentRapport.objects.filter(rapport=r)),
            "historique": DocumentRapport.objects.filter(rapport=r).select_related("demande_par"),
            "form_date": form_date,
            "form_presentation": form_presentation,
            "presente": r.etat == EtatRapport.PRESENTE,
        },
        status=status,
    )


def _document(request, code, pk) -> DocumentRapport:
    territoire, acces, schema, version = _suivi(request, code)
    if schema is None or request.method not in ("GET", "HEAD"):
        raise Http404("Document introuvable.")
    return get_object_or_404(DocumentRapport.objects.select_related("rapport"), pk=pk, rapport__schema=schema)


@login_required
def telecharger(request, code, pk):
    return pages.fichier(_document(request, code, pk))


@login_required
def etat(request, code, pk):
    return pages.etat(_document(request, code, pk), reverse("suivi:telecharger", args=[code, pk]))


@login_required
def section(request, code, annee, format):
    """The pooling section of the EPCI's yearly activity report (L5211-39), to paste into it: the report's
    content without its cover, as DOCX or ODT (written at once: a few pages)."""
    territoire, acces, schema, version = _suivi(request, code)
    r = _rapport(schema, annee)
    if format not in ("docx", "odt") or request.method not in ("GET", "HEAD"):
        raise Http404("Format inconnu.")
    doc = document_du_rapport(r)
    doc.section = True
    contenu = docx(doc) if format == "docx" else odt(doc)
    reponse = HttpResponse(contenu, content_type=TYPES[format])
    reponse["Content-Disposition"] = f'attachment; filename="{nom_de_fichier(r, format, section=True)}"'
    return reponse
