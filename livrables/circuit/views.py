"""The validation circuit of a group's deliverable (GT1, GT2 or GT3): state, co-pilots' visas, submit,
validate, return, reopen, history, old versions and their restoration. The workflow is
validation/actions.py's (through livrables/circuit/actions.py); the rights are comptes.perms': 403 for a member
without the right, 409 when the deliverable's state refuses the action (the page is shown again)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from commun.erreurs import ActionRefusee
from comptes.enums import Role
from comptes.perms import exiger, get_territoire_ou_404
from groupes.acces import get_groupe_ou_404
from groupes.models import GroupeTravail
from livrables.actions import livrable_de
from livrables.circuit import actions
from livrables.circuit.forms import SoumissionForm
from livrables.circuit.panneaux import PAGES
from livrables.enums import Modalite, Quadrant, TypeLivrable
from livrables.gt1.regles import reponses
from validation import actions as validation
from validation.enums import Action, Etat
from validation.forms import RenvoiForm, ReouvertureForm
from validation.models import Version

REFUS_SOUMETTRE = "Seuls les participants du groupe, les DGS et l'équipe projet soumettent ce livrable aux co-pilotes."
REFUS_VISER = "Seuls les co-pilotes du groupe valident ou renvoient ses livrables."
REFUS_ROUVRIR = "Seule l'équipe projet rouvre un livrable verrouillé."
REFUS_RESTAURER = (
    "Seuls l'équipe projet, les co-pilotes du groupe et les consultants restaurent une version d'un livrable."
)


def url_page(territoire, groupe, type) -> str | None:
    try:
        return reverse(PAGES[type], kwargs={"code": territoire.code, "theme": groupe.theme})
    except NoReverseMatch:
        return None


def _livrable(request, code, theme, type):
    if type not in TypeLivrable.values:
        raise Http404("Livrable inconnu.")
    territoire, acces = get_territoire_ou_404(request.user, code)
    groupe = get_groupe_ou_404(territoire, theme, GroupeTravail.objects.select_related("schema").avec_participants())
    groupe.schema.territoire = territoire
    return territoire, acces, groupe, livrable_de(groupe, type)


_exiger = exiger


def _vers_circuit(territoire, groupe, livrable):
    return redirect("livrables:circuit", code=territoire.code, theme=groupe.theme, type=livrable.type)


def _panneau_visas(livrable, user):
    copilotes = livrable.copilotes()
    visas = validation.visas_courants(livrable)
    precedents = (
        validation.visas_courants(livrable, livrable.version - 1) if livrable.etat == Etat.SOUMIS and not visas else {}
    )
    mes_roles = validation.roles_copilote(livrable, user)
    return {
        "lignes": [
            {"role": dict(Role.choices)[role], "copilotes": copilotes.get(role, []), "visa": visas.get(role)}
            for role in validation.ROLES_VISA
        ],
        "annules": list(precedents.values()),
        "a_viser": livrable.etat == Etat.SOUMIS and any(role not in visas for role in mes_roles),
    }


def _soumission(territoire, livrable, data=None) -> dict:
    """The submission form, and the number of communes asked: a GT1 list names the member communes that
    have not answered (livrables/gt1/regles.py), which the submitter confirms."""
    if livrable.type != TypeLivrable.INVENTAIRE or livrable.etat not in (Etat.BROUILLON, Etat.RENVOYE):
        # Nothing to confirm: another deliverable, or a state that refuses the submission anyway (409).
        return {"form_soumission": SoumissionForm(data), "nb_communes": 0}
    communes, manquantes = reponses(territoire, livrable)
    return {"form_soumission": SoumissionForm(data, manquantes=manquantes), "nb_communes": len(communes)}


def _page(request, territoire, acces, groupe, livrable, *, erreurs=(), status=200, **formulaires):
    traces, versions = validation.historique(livrable)
    peut_soumettre = acces.peut_soumettre_livrable(groupe) and livrable.etat in (Etat.BROUILLON, Etat.RENVOYE)
    soumission = formulaires
    if peut_soumettre and "form_soumission" not in formulaires:
        soumission = _soumission(territoire, livrable)
    return render(
        request,
        "livrables/circuit.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "livrable": livrable,
            "erreurs": list(erreurs),
            "url_livrable": url_page(territoire, groupe, livrable.type),
            "visas": _panneau_visas(livrable, request.user),
            "traces": traces,
            "versions": versions,
            "dernier_renvoi": next((t for t in traces if t.action == Action.RENVOI), None)
            if livrable.etat == Etat.RENVOYE
            else None,
            "peut_soumettre": peut_soumettre,
            "form_soumission": soumission.get("form_soumission"),
            "nb_communes": soumission.get("nb_communes", 0),
            "est_copilote": acces.est_copilote(groupe),
            "peut_rouvrir": acces.peut_rouvrir() and livrable.verrouille,
            "peut_restaurer": acces.peut_consolider(groupe) and livrable.modifiable,
            "form_renvoi": formulaires.get("form_renvoi") or RenvoiForm(),
            "form_reouverture": formulaires.get("form_reouverture") or ReouvertureForm(),
        },
        status=status,
    )


@login_required
@require_safe
def circuit(request, code, theme, type):
    territoire, acces, groupe, livrable = _livrable(request, code, theme, type)
    return _page(request, territoire, acces, groupe, livrable)


def _action(request, code, theme, type, autorise, message, faire, succes, formulaire=None, nom_form=""):
    """`formulaire(data, territoire, livrable)`: the action's form, as {nom_form: form, …} for the page
    shown again when it is refused."""
    territoire, acces, groupe, livrable = _livrable(request, code, theme, type)
    _exiger(autorise(acces, groupe), message)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    formulaires = formulaire(request.POST, territoire, livrable) if formulaire else {}
    form = formulaires.get(nom_form)
    if form is not None and not form.is_valid():
        return _page(request, territoire, acces, groupe, livrable, status=400, **formulaires)
    try:
        faire(livrable, request.user, form)
    except ActionRefusee as exc:
        livrable.refresh_from_db()
        return _page(request, territoire, acces, groupe, livrable, erreurs=exc.messages, status=409)
    messages.success(request, succes(livrable) if callable(succes) else succes)
    return _vers_circuit(territoire, groupe, livrable)


@login_required
def soumettre(request, code, theme, type):
    return _action(
        request,
        code,
        theme,
        type,
        lambda a, g: a.peut_soumettre_livrable(g),
        REFUS_SOUMETTRE,
        lambda l, user, _: actions.do_soumettre(l, user),
        "Livrable soumis aux co-pilotes : il attend leurs deux validations.",
        lambda data, territoire, livrable: _soumission(territoire, livrable, data),
        "form_soumission",
    )


@login_required
def viser(request, code, theme, type):
    return _action(
        request,
        code,
        theme,
        type,
        lambda a, g: a.est_copilote(g),
        REFUS_VISER,
        lambda l, user, _: actions.do_viser(l, user),
        lambda l: (
            "Livrable validé par les deux co-pilotes : il est verrouillé."
            if l.verrouille
            else "Votre validation est enregistrée ; le livrable attend celle de l'autre co-pilote."
        ),
    )


@login_required
def renvoyer(request, code, theme, type):
    return _action(
        request,
        code,
        theme,
        type,
        lambda a, g: a.est_copilote(g),
        REFUS_VISER,
        lambda l, user, form: actions.do_renvoyer(l, user, form.cleaned_data["commentaire"]),
        "Livrable renvoyé avec votre commentaire.",
        lambda data, *_: {"form_renvoi": RenvoiForm(data)},
        "form_renvoi",
    )


@login_required
def rouvrir(request, code, theme, type):
    return _action(
        request,
        code,
        theme,
        type,
        lambda a, g: a.peut_rouvrir(),
        REFUS_ROUVRIR,
        lambda l, user, form: actions.do_rouvrir(l, user, form.cleaned_data["motif"]),
        "Livrable rouvert : il repasse en brouillon et devra être soumis à nouveau.",
        lambda data, *_: {"form_reouverture": ReouvertureForm(data)},
        "form_reouverture",
    )


@login_required
def restaurer(request, code, theme, type, numero):
    return _action(
        request,
        code,
        theme,
        type,
        lambda a, g: a.peut_consolider(g),
        REFUS_RESTAURER,
        lambda l, user, _: actions.do_restaurer(l, user, numero),
        lambda l: f"Version {numero} restaurée : son contenu est la version {l.version}.",
    )


# --- an old version -----------------------------------------------------------------------------------

COLONNES = {
    TypeLivrable.INVENTAIRE: [
        ("commune", "Commune"),
        ("activite", "Activité"),
        ("exerce", "Exerce"),
        ("etp", "ETP"),
        ("sous_activites", "Sous-activités"),
        ("specificites", "Spécificités"),
    ],
    TypeLivrable.AFOR: [
        ("activite", "Activité"),
        ("quadrant", "Quadrant"),
        ("texte", "Élément"),
        ("organisation", "Organisation"),
        ("fusionne_dans_id", "Fusionné dans"),
    ],
    TypeLivrable.MUTUALISABLES: [
        ("activite", "Activité"),
        ("sous_activites", "Sous-activités"),
        ("pourquoi", "Si opportunité de mutualisation, pourquoi ?"),
        ("qualification", "Qualification (/4)"),
        ("faisabilite", "Faisabilité (de 0 à 4+)"),
        ("modalite", "Modalité"),
        ("communes", "Communes concernées"),
        ("preconisation", "Préconisation"),
    ],
}


def lignes_lisibles(territoire, type, contenu) -> list[list]:
    """The rows of a snapshot as cells to display, ids replaced by names (two queries)."""
    from referentiel.models import Activite

    lignes = contenu.get("lignes", [])
    activites = dict(Activite.objects.filter(territoire=territoire).values_list("pk", "libelle"))
    orgs = dict(territoire.organisations.values_list("pk", "nom"))
    quadrants, modalites = dict(Quadrant.choices), dict(Modalite.choices)

    def cellule(ligne, champ):
        if champ == "commune":
            return orgs.get(ligne.get("commune_id"), "–")
        if champ == "organisation":
            return orgs.get(ligne.get("organisation_id"), "–")
        if champ == "activite":
            return activites.get(ligne.get("activite_id"), "activité supprimée")
        if champ == "exerce":
            return {True: "oui", False: "non"}.get(ligne.get("exerce"), "–")
        if champ == "quadrant":
            return quadrants.get(ligne.get("quadrant"), "")
        if champ == "modalite":
            return modalites.get(ligne.get("modalite"), "")
        if champ == "communes":
            if ligne.get("toutes_communes"):
                return "toutes les communes"
            return ", ".join(orgs.get(pk, "?") for pk in ligne.get("communes", []))
        valeur = ligne.get(champ)
        return "–" if valeur in (None, "") else str(valeur).replace(".", ",") if champ == "etp" else valeur

    return [[cellule(l, champ) for champ, _ in COLONNES[type]] for l in lignes]


@login_required
@require_safe
def version(request, code, theme, type, numero):
    territoire, acces, groupe, livrable = _livrable(request, code, theme, type)
    v = get_object_or_404(Version.objects.de(livrable).select_related("auteur"), numero=numero)
    return render(
        request,
        "livrables/circuit_version.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "livrable": livrable,
            "version": v,
            "ici": f"Version {v.numero}",
            "colonnes": [libelle for _, libelle in COLONNES[livrable.type]],
            "lignes": lignes_lisibles(territoire, livrable.type, v.contenu),
            "peut_restaurer": acces.peut_consolider(groupe) and livrable.modifiable and v.numero != livrable.version,
        },
    )
