"""Pages of the minutes of the groups' meetings: writing, submission, the co-pilots' validation or
return, reopening, versions and restoring one. Every view loads the territory through the chokepoint
(comptes.perms), then the group by its theme, then asks `acces` what the user may do: 404 outside the
territory, 403 for a member without the right, 409 when the minutes' state refuses the action (the
meeting's page is shown again with the reason)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from commun.concurrence import ModifieEntreTemps
from commun.erreurs import ActionRefusee
from comptes.perms import exiger
from seances import actions
from seances.forms import CompteRenduForm
from seances.models import CompteRendu
from seances.pages import _page_seance, _seance, _vers_seance
from validation import actions as validation
from validation.enums import Etat
from validation.forms import RenvoiForm, ReouvertureForm
from validation.models import Version

REFUS_REDIGER = "Seuls les participants du groupe et l'équipe projet rédigent ses comptes rendus."
REFUS_VISER = "Seuls les co-pilotes du groupe valident ou renvoient ses comptes rendus."
REFUS_BROUILLONS = "Les versions d'un compte rendu se lisent par les participants du groupe et l'équipe projet."
REFUS_ROUVRIR = "Seule l'équipe projet rouvre un compte rendu publié."


_exiger = exiger


def _compte_rendu(seance):
    cr = actions.compte_rendu_de(seance)
    if cr is None:
        raise Http404("Cette séance n'a pas encore de compte rendu.")
    return cr


# --- minutes ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def compte_rendu(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.peut_rediger(groupe), REFUS_REDIGER)
    cr = actions.compte_rendu_de(seance)
    if not seance.peut_avoir_compte_rendu(timezone.now()):
        return _page_seance(
            request,
            territoire,
            acces,
            groupe,
            seance,
            status=409,
            erreurs=["le compte rendu s'écrit à partir du début de la séance, jamais pour une séance annulée"],
        )
    if cr is not None and cr.verrouille:
        return _page_seance(
            request,
            territoire,
            acces,
            groupe,
            seance,
            status=409,
            erreurs=["le compte rendu est publié et verrouillé : l'équipe projet peut le rouvrir"],
        )
    lu = cr if cr is not None else CompteRendu(seance=seance)
    initial = {**lu.contenu(), "empreinte": validation.empreinte(lu)}
    form = CompteRenduForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            cr, remis_a_zero = actions.do_ecrire_compte_rendu(
                seance, request.user, d["texte"].strip(), d["decisions"].strip(), form.empreinte_lue()
            )
        except ModifieEntreTemps as exc:
            form.rafraichir(exc)
            cr = actions.compte_rendu_de(seance)
        except ActionRefusee as exc:
            return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
        else:
            messages.success(request, f"Compte rendu enregistré (version {cr.version}).")
            if remis_a_zero:
                messages.warning(
                    request,
                    "Le compte rendu avait déjà été validé : les validations données sont remises "
                    "à zéro, les co-pilotes doivent valider cette nouvelle version.",
                )
            return _vers_seance(seance, "#compte-rendu")
    visas = validation.visas_courants(cr) if cr is not None and cr.etat == Etat.SOUMIS else {}
    return render(
        request,
        "seances/compte_rendu.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "seance": seance,
            "cr": cr,
            "form": form,
            "visas": list(visas.values()),
        },
        status=409 if form.conflit else 400 if request.method == "POST" else 200,
    )


def _action_cr(request, code, theme, pk, autorise, message, faire, succes, form_class=None, nom_form=""):
    """A POST on the minutes: check the right, bind the form if any, call the action, redirect;
    a form error shows the page again (400), a state that refuses the action too (409)."""
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(autorise(acces, groupe), message)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    cr = _compte_rendu(seance)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return _page_seance(request, territoire, acces, groupe, seance, status=400, **{nom_form: form})
    try:
        faire(cr, request.user, form)
    except ActionRefusee as exc:
        return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
    messages.success(request, succes(cr) if callable(succes) else succes)
    return _vers_seance(seance, "#compte-rendu")


@login_required
def soumettre(request, code, theme, pk):
    return _action_cr(
        request,
        code,
        theme,
        pk,
        lambda a, g: a.peut_rediger(g),
        REFUS_REDIGER,
        lambda cr, user, _: actions.do_soumettre_compte_rendu(cr, user),
        "Compte rendu soumis aux co-pilotes : il attend leurs deux validations.",
    )


@login_required
def viser(request, code, theme, pk):
    return _action_cr(
        request,
        code,
        theme,
        pk,
        lambda a, g: a.est_copilote(g),
        REFUS_VISER,
        lambda cr, user, _: actions.do_valider_compte_rendu(cr, user),
        lambda cr: (
            "Compte rendu validé par les deux co-pilotes : il est publié et verrouillé."
            if cr.verrouille
            else "Votre validation est enregistrée ; le compte rendu attend celle de l'autre co-pilote."
        ),
    )


@login_required
def renvoyer(request, code, theme, pk):
    return _action_cr(
        request,
        code,
        theme,
        pk,
        lambda a, g: a.est_copilote(g),
        REFUS_VISER,
        lambda cr, user, form: actions.do_renvoyer_compte_rendu(cr, user, form.cleaned_data["commentaire"]),
        "Compte rendu renvoyé avec votre commentaire.",
        RenvoiForm,
        "form_renvoi",
    )


@login_required
def rouvrir(request, code, theme, pk):
    return _action_cr(
        request,
        code,
        theme,
        pk,
        lambda a, g: a.peut_rouvrir(),
        REFUS_ROUVRIR,
        lambda cr, user, form: actions.do_rouvrir_compte_rendu(cr, user, form.cleaned_data["motif"]),
        "Compte rendu rouvert : il repasse en brouillon et devra être soumis à nouveau.",
        ReouvertureForm,
        "form_reouverture",
    )


@login_required
@require_safe
def version(request, code, theme, pk, numero):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.voit_brouillons(groupe), REFUS_BROUILLONS)
    cr = _compte_rendu(seance)
    v = get_object_or_404(Version.objects.de(cr).select_related("auteur"), numero=numero)
    return render(
        request,
        "seances/version.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "seance": seance,
            "cr": cr,
            "version": v,
            "ici": f"Version {v.numero} du compte rendu",
            "peut_restaurer": acces.peut_rediger(groupe) and cr.modifiable and v.numero != cr.version,
        },
    )


@login_required
def restaurer(request, code, theme, pk, numero):
    return _action_cr(
        request,
        code,
        theme,
        pk,
        lambda a, g: a.peut_rediger(g),
        REFUS_REDIGER,
        lambda cr, user, _: actions.do_restaurer_compte_rendu(cr, user, numero),
        lambda cr: f"Version {numero} restaurée : son contenu est la version {cr.version}.",
    )
