"""Pages of the mandate letters. Every member of the territory reads and downloads them (the shared space
is transparent); only the project team edits the template, generates letters and moves their status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from commun.concurrence import ModifieEntreTemps
from commun.erreurs import ActionRefusee
from comptes.perms import get_territoire_ou_404
from documents import comptes_rendus, defaut, lettres, rendu
from documents.actions import (
    do_changer_statut,
    do_enregistrer_modele,
    do_generer_lettre,
    do_generer_lettres,
    empreinte_modele,
    modele_par_defaut,
    schema_courant,
    valeurs_par_defaut,
)
from documents.enums import StatutLettre
from documents.forms import ModeleForm, StatutForm
from documents.models import LettreMission
from groupes.acces import get_groupe_ou_404, get_groupe_pour
from groupes.models import GroupeTravail
from seances.models import CompteRendu
from territoire.models import Evenement

REFUS = "Seule l'équipe projet prépare les lettres de mission et change leur statut."


def _territoire(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    schema = schema_courant(territoire)
    if schema is None:
        raise Http404("Ce territoire n'a pas encore de schéma.")
    return territoire, acces, schema


def _equipe(request, code, methode="POST"):
    """The territory for the project team (404 outside it, 403 inside it, then 405 on another method)."""
    territoire, acces, schema = _territoire(request, code)
    if not acces.peut_gerer_groupes():
        raise PermissionDenied(REFUS)
    if request.method != methode:
        return None
    return territoire, acces, schema


def _groupe(territoire, theme) -> GroupeTravail:
    return get_groupe_ou_404(territoire, theme, GroupeTravail.objects.avec_participants())


def _lettre(groupe):
    return LettreMission.objects.filter(groupe=groupe).select_related("groupe__schema__territoire").first()


@login_required
@require_safe
def liste(request, code):
    territoire, acces, schema = _territoire(request, code)
    groupes = list(schema.groupes.avec_participants().select_related("lettre").order_by("id"))
    lignes = [
        {
            "groupe": g,
            "lettre": getattr(g, "lettre", None),
            "copilotes_commune": g.participants("copilote_commune"),
            "copilotes_epci": g.participants("copilote_epci"),
        }
        for g in groupes
    ]
    return render(
        request,
        "documents/liste.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "lignes": lignes,
            "equipe": acces.peut_gerer_groupes(),
            "nb_generees": sum(1 for ligne in lignes if ligne["lettre"]),
        },
    )


@login_required
@require_safe
def lettre(request, code, theme):
    territoire, acces, schema = _territoire(request, code)
    groupe = _groupe(territoire, theme)
    lettre = _lettre(groupe)
    equipe = acces.peut_gerer_groupes()
    modele = schema.modele_lettre if equipe and hasattr(schema, "modele_lettre") else None
    historique = (
        Evenement.objects.filter(
            territoire=territoire,
            action__startswith="lettre.",
            details__groupe=groupe.theme,
        ).select_related("utilisateur")[:20]
        if lettre
        else []
    )
    return render(
        request,
        "documents/lettre.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "groupe": groupe,
            "lettre": lettre,
            "equipe": equipe,
            "blocs": lettres.blocs(lettre.texte) if lettre else [],
            "page": rendu.mise_en_page(lettre) if lettre else None,
            # Edited by the team (not merely created with its default text) since the letter was generated.
            "modele_modifie": bool(
                lettre
                and lettre.regenerable
                and modele
                and modele.modifie_par_id
                and modele.modifie_le > lettre.generee_le
            ),
            "historique": historique,
            "statuts": dict(StatutLettre.choices),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def modele(request, code):
    territoire, acces, schema = _territoire(request, code)
    if not acces.peut_gerer_groupes():
        raise PermissionDenied(REFUS)
    modele = modele_par_defaut(schema)
    statut = 200
    if request.method == "POST" and "retablir" in request.POST:
        for champ, valeur in valeurs_par_defaut(schema).items():
            setattr(modele, champ, valeur)
        do_enregistrer_modele(modele, request.user, retabli=True)
        messages.success(request, "Le texte par défaut du modèle est rétabli.")
        return redirect("documents:modele", code=code)
    if request.method == "POST":
        form = ModeleForm(request.POST, instance=modele)
        if form.is_valid():
            try:
                do_enregistrer_modele(form.save(commit=False), request.user, empreinte_lue=form.empreinte_lue())
            except ModifieEntreTemps as exc:
                form.rafraichir(exc)
                modele.refresh_from_db()
            except ActionRefusee as exc:
                exc.au_formulaire(form)
                modele.refresh_from_db()
            else:
                messages.success(
                    request,
                    "Modèle enregistré. Les lettres en brouillon peuvent être générées à nouveau ; "
                    "les lettres envoyées ou signées gardent leur texte.",
                )
                return redirect("documents:modele", code=code)
        statut = 409 if form.conflit else 400
    else:
        form = ModeleForm(instance=modele, initial={"empreinte": empreinte_modele(modele)})
    return render(
        request,
        "documents/modele.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "modele": modele,
            "form": form,
            "champs": lettres.CHAMPS.items(),
            "est_defaut": (modele.objet, modele.corps) == (defaut.OBJET, defaut.CORPS),
        },
        status=statut,
    )


@login_required
def generer(request, code, theme):
    charge = _equipe(request, code)
    if charge is None:
        return HttpResponseNotAllowed(["POST"])
    territoire, acces, schema = charge
    groupe = _groupe(territoire, theme)
    try:
        do_generer_lettre(groupe, request.user)
        messages.success(request, f"Lettre de mission du groupe {groupe.libelle} générée.")
    except ActionRefusee as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("documents:lettre", code=code, theme=groupe.theme)


@login_required
def generer_tout(request, code):
    charge = _equipe(request, code)
    if charge is None:
        return HttpResponseNotAllowed(["POST"])
    territoire, acces, schema = charge
    try:
        faites, gardees = do_generer_lettres(schema, request.user)
    except ActionRefusee as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{len(faites)} lettre(s) générée(s).")
        if gardees:
            messages.info(request, "Lettres envoyées ou signées, qui gardent leur texte : " + ", ".join(gardees) + ".")
    return redirect("documents:liste", code=code)


@login_required
def statut(request, code, theme):
    charge = _equipe(request, code)
    if charge is None:
        return HttpResponseNotAllowed(["POST"])
    territoire, acces, schema = charge
    groupe = _groupe(territoire, theme)
    lettre = _lettre(groupe)
    if lettre is None:
        raise Http404("Cette lettre n'a pas encore été générée.")
    form = StatutForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez le nouveau statut de la lettre.")
    else:
        try:
            lettre = do_changer_statut(lettre, form.cleaned_data["statut"], request.user)
            messages.success(request, f"Lettre du groupe {groupe.libelle} : {lettre.get_statut_display().lower()}.")
        except ActionRefusee as exc:
            for message in exc.messages:
                messages.error(request, message)
    return redirect("documents:lettre", code=code, theme=groupe.theme)


def _telechargement(request, code, theme, format_):
    territoire, acces, schema = _territoire(request, code)
    lettre = _lettre(_groupe(territoire, theme))
    if lettre is None:
        raise Http404("Cette lettre n'a pas encore été générée.")
    contenu = getattr(rendu, format_)(lettre)
    reponse = HttpResponse(contenu, content_type=rendu.TYPES[format_])
    reponse["Content-Disposition"] = f'attachment; filename="{rendu.nom_de_fichier(lettre, format_)}"'
    return reponse


@login_required
@require_safe
def pdf(request, code, theme):
    return _telechargement(request, code, theme, "pdf")


@login_required
@require_safe
def docx(request, code, theme):
    return _telechargement(request, code, theme, "docx")


@login_required
@require_safe
def odt(request, code, theme):
    return _telechargement(request, code, theme, "odt")


@login_required
@require_safe
def compte_rendu(request, code, theme, pk, format):
    """A group meeting's published minutes as PDF, DOCX or ODT, for whoever reads them (404 otherwise: a
    draft is no document yet)."""
    territoire, acces, groupe = get_groupe_pour(request.user, code, theme)
    if format not in comptes_rendus.FORMATS:
        raise Http404("Document introuvable.")
    cr = (
        CompteRendu.objects.filter(seance__pk=pk, seance__groupe=groupe)
        .select_related("seance__groupe__schema")
        .first()
    )
    if cr is None or not cr.verrouille or not acces.voit_compte_rendu(cr):
        raise Http404("Ce compte rendu n'est pas publié.")
    reponse = HttpResponse(
        comptes_rendus.FORMATS[format](comptes_rendus.mise_en_page(cr)), content_type=rendu.TYPES[format]
    )
    reponse["Content-Disposition"] = f'attachment; filename="{comptes_rendus.nom_de_fichier(cr, format)}"'
    return reponse
