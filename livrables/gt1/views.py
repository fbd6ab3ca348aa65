"""GT1, « liste des activités par domaine »: a page per commune (one form for every activity of the
theme) and the group's consolidated view (activities × communes). Rights through comptes.perms:
404 outside the territory, 403 for a member who may not fill this commune's inventory, 409 when the
deliverable is locked."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from commun.concurrence import AvecEmpreinte, ModifieEntreTemps
from commun.erreurs import ActionRefusee
from groupes.acces import get_groupe_pour
from livrables.actions import livrable_de
from livrables.enums import TypeLivrable
from livrables.gt1 import actions
from livrables.gt1.actions import REFUS_REMPLIR
from livrables.gt1.forms import InventaireFormSet
from livrables.gt1.regles import (
    activites_du_theme,
    communes_du_territoire,
    communes_repondues,
    etp_paie_visible,
    etp_propose,
)
from livrables.models import LigneInventaire
from referentiel.models import Activite


def _groupe(request, code, theme):
    return get_groupe_pour(request.user, code, theme)


def _decoupe(texte: str, libelles: list[str]) -> tuple[list[str], str]:
    """Split stored sub-activities (one a line) into referential labels and the other lines."""
    lignes = [l.strip() for l in (texte or "").splitlines() if l.strip()]
    return [l for l in lignes if l in libelles], "\n".join(l for l in lignes if l not in libelles)


def _initial(activites, lignes, etp_paie):
    initial = []
    for a in activites:
        ligne = lignes.get(a.pk)
        libelles = [s.libelle for s in a.sous_activites.all()]
        if ligne is None:
            initial.append({"etp": etp_paie.get(a.pk)})
            continue
        coches, autres = _decoupe(ligne.sous_activites, libelles)
        initial.append(
            {
                "exerce": {True: "oui", False: "non"}.get(ligne.exerce, ""),
                "etp": etp_propose(ligne, etp_paie.get(a.pk)),
                "sous_activites": coches,
                "autres_sous_activites": autres,
                "specificites": ligne.specificites,
            }
        )
    return initial


def _commentaires_par_activite(groupe) -> dict[int, int]:
    """Number of comments on each activity discussed in this group, in one query."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from echanges.models import Commentaire

    rows = (
        Commentaire.objects.filter(groupe=groupe, content_type=ContentType.objects.get_for_model(Activite))
        .values("object_id")
        .annotate(n=Count("id"))
    )
    return {r["object_id"]: r["n"] for r in rows}


# --- views ---------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def commune(request, code, theme, commune):
    territoire, acces, groupe = _groupe(request, code, theme)
    org = territoire.organisations.communes().filter(code=commune).first()
    if org is None:
        raise Http404("Commune introuvable dans ce territoire.")
    peut_remplir = acces.peut_remplir_inventaire(groupe, org)
    if request.method == "POST" and not peut_remplir:
        raise PermissionDenied(REFUS_REMPLIR)
    livrable = livrable_de(groupe, TypeLivrable.INVENTAIRE)
    activites = activites_du_theme(territoire, groupe.theme, avec_sous_activites=True)
    lignes = {l.activite_id: l for l in livrable.inventaire.filter(commune=org).select_related("modifie_par")}
    etp_paie = etp_paie_visible(territoire, acces, groupe, org, activites)
    voit_paie = peut_remplir and acces.voit_detail(org.code)
    status, erreurs = 200, []
    kwargs = {"activites": activites, "etp_paie": etp_paie, "prefix": "activites"}
    if request.method == "POST":
        formset = InventaireFormSet(request.POST, **kwargs)
        verrou = AvecEmpreinte(request.POST)
        verrou.is_valid()  # a missing fingerprint is refused by the action
        if formset.is_valid():
            valeurs = {form.activite.pk: form.valeurs() for form in formset}
            try:
                n = actions.do_enregistrer_inventaire(
                    livrable, org, request.user, valeurs, etp_paie, verrou.empreinte_lue()
                )
            except ModifieEntreTemps as exc:
                verrou.rafraichir(exc)
                status = 409
            except ActionRefusee as exc:
                erreurs, status = exc.messages, 409
            else:
                if n:
                    messages.success(
                        request,
                        f"Liste des activités de {org.nom} enregistrée : "
                        f"{n} activité{'s' if n > 1 else ''} modifiée{'s' if n > 1 else ''} "
                        f"(version {livrable.version} du livrable).",
                    )
                else:
                    messages.info(request, "Aucune modification.")
                return redirect("livrables:gt1_commune", code=code, theme=groupe.theme, commune=org.code)
        else:
            status = 400
    else:
        formset = InventaireFormSet(initial=_initial(activites, lignes, etp_paie), **kwargs)
        verrou = AvecEmpreinte(initial={"empreinte": actions.empreinte(livrable, org)})
    rangs = [
        {
            "activite": f.activite,
            "form": f,
            "ligne": lignes.get(f.activite.pk),
            "etp_paie": etp_paie.get(f.activite.pk),
            "sous": "sous_activites" in f.fields,
        }
        for f in formset
    ]
    return render(
        request,
        "livrables/inventaire_commune.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "livrable": livrable,
            "commune": org,
            "formset": formset,
            "verrou": verrou,
            "rangs": rangs,
            "peut_remplir": peut_remplir,
            "modifiable": livrable.modifiable,
            "erreurs": erreurs,
            "erreurs_activites": formset.erreurs_par_activite() if formset.is_bound else [],
            "voit_paie": voit_paie,
        },
        status=status,
    )


@login_required
@require_safe
def consolide(request, code, theme):
    """Activities × communes: oui / non / —, with the declared ETP; totals per activity."""
    territoire, acces, groupe = _groupe(request, code, theme)
    livrable = livrable_de(groupe, TypeLivrable.INVENTAIRE)
    communes = communes_du_territoire(territoire)
    activites = activites_du_theme(territoire, groupe.theme)
    cellules = {
        (l.activite_id, l.commune_id): l
        for l in LigneInventaire.objects.filter(livrable=livrable).only(
            "activite_id", "commune_id", "exerce", "etp", "specificites"
        )
    }
    repondu = communes_repondues(cellules.values())
    discussions = _commentaires_par_activite(groupe)
    lignes = []
    for a in activites:
        rang = [cellules.get((a.pk, c.pk)) for c in communes]
        oui = [l for l in rang if l is not None and l.exerce]
        lignes.append(
            {
                "activite": a,
                "cellules": rang,
                "nb_oui": len(oui),
                "nb_non": sum(1 for l in rang if l is not None and l.exerce is False),
                "etp": sum((l.etp for l in oui if l.etp is not None), Decimal(0)),
                "nb_commentaires": discussions.get(a.pk, 0),
            }
        )
    remplissables = [c for c in communes if acces.peut_remplir_inventaire(groupe, c)]
    return render(
        request,
        "livrables/inventaire.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "livrable": livrable,
            "communes": communes,
            "lignes": lignes,
            "nb_repondu": sum(1 for c in communes if c.pk in repondu),
            "etp_total": sum((l["etp"] for l in lignes), Decimal(0)),
            "ma_commune": next(
                (c for c in remplissables if acces.organisation and c.pk == acces.organisation.pk), None
            ),
            "remplissables": remplissables if acces.est_equipe_projet else [],
        },
    )


@login_required
def activite(request, code, theme, activite):
    """One activity across the communes (each one's answer, ETP, sub-activities and specifics) and the
    group's discussion of it: the GT1 row's thread, the same as on the activity's AFOR grid."""
    from echanges import fils

    territoire, acces, groupe = _groupe(request, code, theme)
    if request.method not in ("GET", "HEAD"):  # after the territory: an outsider always gets a 404
        return HttpResponseNotAllowed(["GET", "HEAD"])
    objet = Activite.objects.filter(territoire=territoire, theme=groupe.theme, code=activite).first()
    if objet is None:
        raise Http404("Activité introuvable dans ce thème.")
    livrable = livrable_de(groupe, TypeLivrable.INVENTAIRE)
    communes = communes_du_territoire(territoire)
    lignes = {l.commune_id: l for l in livrable.inventaire.filter(activite=objet).select_related("modifie_par")}
    rangs = [{"commune": c, "ligne": lignes.get(c.pk)} for c in communes]
    oui = [r["ligne"] for r in rangs if r["ligne"] is not None and r["ligne"].exerce]
    return render(
        request,
        "livrables/inventaire_activite.html",
        {
            "territoire": territoire,
            "acces": acces,
            "groupe": groupe,
            "livrable": livrable,
            "activite": objet,
            "sous_activites": [s.libelle for s in objet.sous_activites.all()],
            "rangs": rangs,
            "nb_oui": len(oui),
            "nb_non": sum(1 for r in rangs if r["ligne"] is not None and r["ligne"].exerce is False),
            "etp": sum((l.etp for l in oui if l.etp is not None), Decimal(0)),
            **fils.contexte(objet, acces, groupe=groupe),
        },
    )
