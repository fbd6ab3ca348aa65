"""Pages of the groups' meetings and minutes. Every view loads the territory through the chokepoint
(comptes.perms), then the group by its theme, then asks `acces` what the user may do: 404 outside
the territory, 403 for a member without the right, 409 when the meeting's or the minutes' state
refuses the action (the page is shown again with the reason)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from comptes.enums import Role
from comptes.perms import exiger, get_groupe_pour, get_territoire_ou_404
from mutualis.erreurs import ActionRefusee
from seances import actions, ics
from seances.courriels import url_seance
from seances.enums import Etape, Presence
from seances.etat import ETAPES_GT, compte_rendu_charge, etat_compte_rendu
from seances.forms import (
    AnnulationForm,
    CompteRenduForm,
    ModificationSeanceForm,
    PresencesForm,
    SeanceForm,
    TramesForm,
)
from seances.models import Seance
from validation import actions as validation
from validation.enums import Action, Etat
from validation.forms import RenvoiForm, ReouvertureForm
from validation.models import Version

ECHEC_COURRIEL = ["le serveur de courriel n'a pas répondu : rien n'a été envoyé ni enregistré ; réessayez plus tard"]

REFUS_PLANIFIER = "Seuls l'équipe projet, les co-pilotes du groupe et les consultants planifient ses séances."
REFUS_REDIGER = "Seuls les participants du groupe et l'équipe projet rédigent ses comptes rendus."
REFUS_VISER = "Seuls les co-pilotes du groupe valident ou renvoient ses comptes rendus."
REFUS_BROUILLONS = "Les versions d'un compte rendu se lisent par les participants du groupe et l'équipe projet."
REFUS_ROUVRIR = "Seule l'équipe projet rouvre un compte rendu publié."
REFUS_TRAMES = "Seule l'équipe projet modifie les trames d'animation."


_exiger = exiger


def _groupe(request, code, theme):
    return get_groupe_pour(request.user, code, theme)


def _seance(request, code, theme, pk):
    territoire, acces, groupe = _groupe(request, code, theme)
    seance = get_object_or_404(Seance, pk=pk, groupe=groupe)
    seance.groupe = groupe
    return territoire, acces, groupe, seance


def _compte_rendu(seance):
    cr = actions.compte_rendu_de(seance)
    if cr is None:
        raise Http404("Cette séance n'a pas encore de compte rendu.")
    return cr


def _vers_seance(seance, ancre=""):
    return redirect(
        reverse(
            "seances:seance",
            kwargs={"code": seance.groupe.schema.territoire.code, "theme": seance.groupe.theme, "pk": seance.pk},
        )
        + ancre
    )


# --- meetings list, creation, edition --------------------------------------------------------------


@login_required
@require_safe
def liste(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    now = timezone.now()
    seances = list(
        groupe.seances.select_related("compte_rendu")
        .annotate(
            nb_invites=Count("participations"),
            nb_presents=Count("participations", filter=Q(participations__presence=Presence.PRESENT)),
        )
        .order_by("debut", "pk")
    )
    lignes = []
    for seance in seances:
        seance.groupe = groupe
        lignes.append({"seance": seance, "compte_rendu": etat_compte_rendu(seance, compte_rendu_charge(seance), now)})
    prevues = {s.etape for s in seances if not s.annulee}
    return render(
        request,
        "seances/liste.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "a_venir": [l for l in lignes if not l["seance"].annulee and not l["seance"].commencee(now)],
            "passees": [l for l in reversed(lignes) if l["seance"].annulee or l["seance"].commencee(now)],
            "peut_planifier": acces.peut_planifier(groupe),
            "etape_suivante": next((e for e in ETAPES_GT if e not in prevues), Etape.AUTRE),
            "etapes": Etape.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def creer(request, code, theme):
    territoire, acces, groupe = _groupe(request, code, theme)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    trames = actions.trames_du_schema(groupe.schema)
    status = 200
    if request.method == "POST":
        form = SeanceForm(request.POST)
        if form.is_valid():
            seance = actions.do_planifier_seance(groupe, request.user, form.valeurs())
            seance.groupe = groupe
            messages.success(request, "Séance planifiée. Envoyez les invitations quand l'ordre du jour est prêt.")
            return _vers_seance(seance)
        status = 400
    else:
        etape = request.GET.get("etape")
        etape = etape if etape in Etape.values else Etape.GT1
        form = SeanceForm(initial={"etape": etape, "ordre_du_jour": trames[etape].ordre_du_jour})
    return render(
        request,
        "seances/formulaire.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "form": form,
            "seance": None,
            "trames": [{"etape": e, "libelle": l, "texte": trames[e].ordre_du_jour} for e, l in Etape.choices],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    if not seance.modifiable:
        return _page_seance(
            request,
            territoire,
            acces,
            groupe,
            seance,
            erreurs=["cette séance est annulée : elle ne peut plus être modifiée"],
            status=409,
        )
    status = 200
    if request.method == "POST":
        form = ModificationSeanceForm(request.POST, seance=seance)
        if form.is_valid():
            avant = seance.sequence_envoyee
            try:
                changes = actions.do_modifier_seance(
                    seance, request.user, form.valeurs(), prevenir=form.cleaned_data.get("prevenir", False)
                )
            except ActionRefusee as exc:
                return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
            except OSError:
                return _page_seance(request, territoire, acces, groupe, seance, erreurs=ECHEC_COURRIEL, status=503)
            if not changes:
                messages.info(request, "Aucune modification.")
            elif seance.sequence_envoyee != avant:
                messages.success(
                    request, "Séance modifiée ; la mise à jour de l'invitation est envoyée aux participants."
                )
            elif seance.mise_a_jour_non_envoyee:
                messages.warning(
                    request,
                    "Séance modifiée. Les agendas des participants ont l'ancienne version : "
                    "envoyez la mise à jour de l'invitation.",
                )
            else:
                messages.success(request, "Séance modifiée.")
            return _vers_seance(seance)
        status = 400
    else:
        form = ModificationSeanceForm(seance=seance)
    return render(
        request,
        "seances/formulaire.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "form": form,
            "seance": seance,
            "trames": [],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def annuler(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    form = AnnulationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            envoyes = actions.do_annuler_seance(seance, request.user, form.cleaned_data["motif"])
        except ActionRefusee as exc:
            return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
        except OSError:
            return _page_seance(request, territoire, acces, groupe, seance, erreurs=ECHEC_COURRIEL, status=503)
        messages.success(
            request,
            "Séance annulée."
            + (f" L'annulation est envoyée à {envoyes} participant{'s' if envoyes > 1 else ''}." if envoyes else ""),
        )
        return _vers_seance(seance)
    return render(
        request,
        "seances/annuler.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "seance": seance,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- the meeting's page ----------------------------------------------------------------------------


@login_required
@require_safe
def seance(request, code, theme, pk):
    territoire, acces, groupe, seance_ = _seance(request, code, theme, pk)
    return _page_seance(request, territoire, acces, groupe, seance_)


def _roles_dans_groupe(groupe) -> dict[int, list[str]]:
    """{user id: French labels of her roles in the group} (habilitations of the group, consultants)."""
    from comptes.models import Habilitation

    libelles = dict(Role.choices)
    roles: dict[int, list[str]] = {}
    for user_id, role in (
        Habilitation.objects.filter(territoire_id=groupe.schema.territoire_id)
        .filter(Q(groupe=groupe) | Q(role=Role.CONSULTANT))
        .values_list("utilisateur_id", "role")
    ):
        if libelles[role] not in roles.setdefault(user_id, []):
            roles[user_id].append(libelles[role])
    return roles


def _panneau_visas(cr, user):
    """The two co-pilot roles with their holders and their visa on the current version."""
    copilotes = cr.copilotes()
    visas = validation.visas_courants(cr)
    precedents = validation.visas_courants(cr, cr.version - 1) if cr.etat == Etat.SOUMIS and not visas else {}
    mes_roles = validation.roles_copilote(cr, user)
    lignes = [
        {
            "role": dict(Role.choices)[role],
            "copilotes": copilotes.get(role, []),
            "visa": visas.get(role),
        }
        for role in validation.ROLES_VISA
    ]
    return {
        "lignes": lignes,
        # An edit after a co-pilot's validation voids it: say whose validation was lost.
        "annules": [v for v in precedents.values()],
        "a_viser": cr.etat == Etat.SOUMIS and any(role not in visas for role in mes_roles),
    }


def _page_seance(request, territoire, acces, groupe, seance, *, erreurs=(), status=200, **formulaires):
    now = timezone.now()
    roles = _roles_dans_groupe(groupe)
    participations = list(
        seance.participations.select_related("utilisateur__organisation").order_by(
            "utilisateur__last_name", "utilisateur__first_name", "utilisateur__username"
        )
    )
    for p in participations:
        p.roles = roles.get(p.utilisateur_id, [])
    cr = actions.compte_rendu_de(seance)
    voit_brouillons = acces.voit_brouillons(groupe)
    peut_rediger = acces.peut_rediger(groupe)
    contexte = {
        "territoire": territoire,
        "acces": acces,
        "groupe": groupe,
        "seance": seance,
        "erreurs": list(erreurs),
        "participations": participations,
        "presences_saisies": seance.presences_saisies_le is not None,
        "nb_presents": sum(1 for p in participations if p.presence == Presence.PRESENT),
        "peut_planifier": acces.peut_planifier(groupe),
        "peut_inviter": acces.peut_planifier(groupe) and seance.peut_inviter(now),
        "peut_saisir_presences": acces.peut_planifier(groupe) and seance.peut_saisir_presences(now),
        "peut_annuler": acces.peut_planifier(groupe) and seance.statut == "planifiee" and cr is None,
        "cr": cr,
        "cr_lisible": cr is not None and (cr.verrouille or voit_brouillons),
        "peut_ecrire": peut_rediger and seance.peut_avoir_compte_rendu(now) and (cr is None or cr.modifiable),
        "commence": seance.commencee(now),
        "voit_brouillons": voit_brouillons,
        "peut_rediger": peut_rediger,
        "est_copilote": acces.est_copilote(groupe),
        "peut_rouvrir": acces.peut_rouvrir(),
        "form_renvoi": formulaires.get("form_renvoi") or RenvoiForm(),
        "form_reouverture": formulaires.get("form_reouverture") or ReouvertureForm(),
        "visas": None,
        "traces": [],
        "versions": [],
        "dernier_renvoi": None,
    }
    from echanges import fils

    contexte.update(fils.contexte(cr, acces) if cr is not None else {"fil": None})
    if cr is not None and voit_brouillons:
        contexte["visas"] = _panneau_visas(cr, request.user)
        traces, versions = validation.historique(cr)
        contexte["traces"], contexte["versions"] = traces, versions
        if cr.etat == Etat.RENVOYE:
            contexte["dernier_renvoi"] = next((t for t in traces if t.action == Action.RENVOI), None)
    return render(request, "seances/seance.html", contexte, status=status)


@login_required
@require_safe
def calendrier(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    invites = [p.utilisateur for p in seance.participations.select_related("utilisateur")]
    contenu = ics.calendrier(seance, invites, url_seance(seance), timezone.now())
    response = HttpResponse(contenu, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics.nom_fichier(seance)}"'
    return response


@login_required
def inviter(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    mise_a_jour = seance.invitations_envoyees
    try:
        envoyes = actions.do_envoyer_invitations(seance, request.user)
    except ActionRefusee as exc:
        return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
    except OSError:  # smtplib's errors are OSErrors; the sending transaction was rolled back
        return _page_seance(request, territoire, acces, groupe, seance, erreurs=ECHEC_COURRIEL, status=503)
    quoi = "La mise à jour de l'invitation est envoyée" if mise_a_jour else "L'invitation est envoyée"
    messages.success(request, f"{quoi} à {envoyes} participant{'s' if envoyes > 1 else ''}.")
    return _vers_seance(seance, "#participants")


@login_required
@require_http_methods(["GET", "POST"])
def presences(request, code, theme, pk):
    territoire, acces, groupe, seance = _seance(request, code, theme, pk)
    _exiger(acces.peut_planifier(groupe), REFUS_PLANIFIER)
    if not seance.peut_saisir_presences(timezone.now()):
        return _page_seance(
            request,
            territoire,
            acces,
            groupe,
            seance,
            status=409,
            erreurs=["les présences se saisissent à partir du début de la séance, jamais pour une séance annulée"],
        )
    participations = list(
        seance.participations.select_related("utilisateur__organisation").order_by(
            "utilisateur__last_name", "utilisateur__first_name", "utilisateur__username"
        )
    )
    form = PresencesForm(request.POST if request.method == "POST" else None, participations=participations)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_enregistrer_presences(seance, request.user, form.presences())
        except ActionRefusee as exc:
            return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
        messages.success(request, "Présences enregistrées : la séance est marquée comme tenue.")
        return _vers_seance(seance, "#participants")
    return render(
        request,
        "seances/presences.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "seance": seance,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


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
    initial = cr.contenu() if cr is not None else {}
    form = CompteRenduForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cr, remis_a_zero = actions.do_ecrire_compte_rendu(
                seance, request.user, form.cleaned_data["texte"].strip(), form.cleaned_data["decisions"].strip()
            )
        except ActionRefusee as exc:
            return _page_seance(request, territoire, acces, groupe, seance, erreurs=exc.messages, status=409)
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
        status=400 if request.method == "POST" else 200,
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


# --- agendas of the four stages --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def trames(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    _exiger(acces.peut_gerer_groupes(), REFUS_TRAMES)
    schema = territoire.schemas.order_by("-mandat").first()
    if schema is None:
        raise Http404("Ce territoire n'a pas de schéma.")
    existantes = actions.trames_du_schema(schema)
    form = TramesForm(request.POST if request.method == "POST" else None, trames=existantes)
    if request.method == "POST" and form.is_valid():
        changees = actions.do_enregistrer_trames(schema, form.textes(), request.user)
        messages.success(
            request, f"Trames enregistrées ({', '.join(changees)})." if changees else "Aucune modification."
        )
        return redirect("seances:trames", code=code)
    return render(
        request,
        "seances/trames.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
