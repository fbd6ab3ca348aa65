"""Any payroll export, by mapping its columns (issue 15, point 4; docs/import-export-paie.md).

Step 1 keeps the uploaded export (masse_salariale/depot.py) with its employer, year and starting profile;
step 2 maps its columns and the values of its service and statut columns, then converts it and stages the
payroll file it gives through do_preparer_lot, on to the batch page every import leads to."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from commun.erreurs import ActionRefusee
from comptes.perms import exiger, get_territoire_ou_404
from formats.errors import InvalidFile
from formats.export_paie import (
    LIBELLES,
    MAX_VALEURS,
    Colonne,
    Correspondance,
    deviner,
    deviner_service,
    deviner_statut,
    ecart,
    remplissage,
    valeurs_distinctes,
)
from masse_salariale.depot import DUREE, deposer, depot_de, est_le_depot, retirer
from masse_salariale.forms_export import CorrespondanceForm, DepotForm, colonnes_choisies
from masse_salariale.profils import (
    activites,
    do_importer_export,
    do_supprimer_profil,
    lire_export,
    noter_refus,
    profils_visibles,
)

REFUS = "Seuls l'équipe projet et le DGS d'une organisation importent sa masse salariale."
REMPLACE = "Cet export a été remplacé par « {fichier} » dans un autre onglet : "


def _territoire_importable(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    exiger(acces.peut_importer(), REFUS)
    return territoire, acces


@login_required
def export(request, code):
    """Step 1: the export, its employer, its year, the profile to start from."""
    territoire, acces = _territoire_importable(request, code)
    status = 200
    if request.method == "POST":
        form = DepotForm(request.POST, request.FILES, acces=acces)
        if form.is_valid():
            upload = form.cleaned_data["fichier"]
            data = upload.read()
            try:
                lire_export(data, upload.name)
            except InvalidFile as exc:
                for erreur in exc.errors:
                    form.add_error("fichier", erreur)
            else:
                d = form.cleaned_data
                deposer(request, territoire, data, upload.name, d["employeur"], d["annee"], d["profil"])
                return redirect("masse_salariale:export_correspondance", code=code)
        status = 400
    else:
        form = DepotForm(acces=acces)
    profils = list(profils_visibles(acces).select_related("modifie_par"))
    for p in profils:
        p.nb_colonnes = sum(1 for champ in p.colonnes.values() if champ)
    return render(
        request,
        "masse_salariale/export_depot.html",
        {
            "territoire": territoire,
            "acces": acces,
            "form": form,
            "profils": profils,
            "depot": depot_de(request, territoire),
            "libelles": LIBELLES.values(),
            "heures": int(DUREE.total_seconds() // 3600),
        },
        status=status,
    )


@dataclass
class Tables:
    """The value tables a mapping calls for: the service column's values (when the theme comes from them)
    and the statut column's, with their number of lines; a column with too many values gets no table."""

    services_de: str = ""
    services: list[tuple[str, int]] = field(default_factory=list)
    trop_de_services: int = 0
    statuts_de: str = ""
    statuts: list[tuple[str, int]] = field(default_factory=list)
    trop_de_statuts: int = 0


def _tables(table, cols: list[Colonne], mapping: dict[str, str]) -> Tables:
    sources = Correspondance(mapping).sources(cols)
    retenues = list(sources.values())
    out = Tables()
    if "service" in sources and "theme" not in sources:
        out.services_de = sources["service"].entete
        valeurs = valeurs_distinctes(table, sources["service"], retenues, avec_vide=True)
        if len(valeurs) > MAX_VALEURS:
            out.trop_de_services = len(valeurs)
        else:
            out.services = valeurs
    if "statut" in sources:
        out.statuts_de = sources["statut"].entete
        valeurs = valeurs_distinctes(table, sources["statut"], retenues, avec_vide=False)
        if len(valeurs) > MAX_VALEURS:
            out.trop_de_statuts = len(valeurs)
        else:
            out.statuts = valeurs
    return out


def _valeurs_initiales(tables: Tables, base: Correspondance | None, refs: dict[str, str], posted=None, garder=()):
    """The value tables' first choices: posted ones for a table whose column did not change (`garder`), else
    the profile's, else a guess (a service already named by a theme or an activity code, a usual statut)."""
    initial = {}
    for j, (valeur, _) in enumerate(tables.services):
        if posted is not None and "services" in garder:
            theme, act = posted.get(f"service_theme_{j}", ""), posted.get(f"service_activite_{j}", "")
        elif base is not None and base.valeur("theme", valeur):
            theme, act = base.valeur("theme", valeur), base.valeur("activite", valeur)
        else:
            theme, act = deviner_service(valeur, refs)
        initial[f"service_theme_{j}"], initial[f"service_activite_{j}"] = theme, act
    for j, (valeur, _) in enumerate(tables.statuts):
        if posted is not None and "statuts" in garder:
            initial[f"statut_{j}"] = posted.get(f"statut_{j}", "")
        else:
            initial[f"statut_{j}"] = (base.valeur("statut", valeur) if base else "") or deviner_statut(valeur)
    return initial


@login_required
def export_correspondance(request, code):
    """Step 2: the mapping; posted, the conversion and the batch (or every error, the choices kept)."""
    territoire, acces = _territoire_importable(request, code)
    depot = depot_de(request, territoire)
    if depot is None:
        if request.method == "POST":
            messages.error(request, "L'export déposé n'est plus disponible : déposez-le de nouveau.")
        return redirect("masse_salariale:export", code=code)
    if request.method == "POST" and not est_le_depot(depot, request.POST.get("jeton")):
        # A tab left on an export since replaced in another tab: its choices are not those of this export.
        messages.error(
            request,
            REMPLACE.format(fichier=depot.fichier)
            + "la correspondance n'a pas été appliquée ; reprenez-la sur la page ci-dessous.",
        )
        return redirect("masse_salariale:export_correspondance", code=code)
    organisation = acces.organisations_importables().filter(pk=depot.organisation).first()
    if organisation is None:
        retirer(request)
        raise PermissionDenied("Vous ne pouvez plus importer la masse salariale de cet employeur.")
    profil = profils_visibles(acces).filter(pk=depot.profil).first() if depot.profil else None
    base = Correspondance(profil.colonnes, profil.valeurs) if profil else None
    data = depot.chemin.read_bytes()
    table, cols = lire_export(data, depot.fichier)
    refs = list(territoire.activites.order_by("ordre", "code"))
    codes = activites(territoire)
    contexte = {
        "territoire": territoire,
        "acces": acces,
        "depot": depot,
        "organisation": organisation,
        "profil": profil,
        "nb_lignes": table.frame.height,
        "ecart": "",
        "nouveaux_services": 0,
        "actualise": False,
        "erreurs": [],
        "avertissements": [],
    }

    def formulaire(tables, *args, **kwargs):
        return CorrespondanceForm(
            *args,
            cols=cols,
            services=tables.services,
            statuts=tables.statuts,
            activites=refs,
            employeur=organisation.code,
            jeton=depot.jeton,
            **kwargs,
        )

    def page(form, tables, status=200, **extra):
        contexte.update(extra)
        contexte.update(
            form=form,
            tables=tables,
            lignes_colonnes=form.lignes_colonnes(remplissage(table, cols)),
            lignes_services=form.lignes_services(),
            lignes_statuts=form.lignes_statuts(),
        )
        return render(request, "masse_salariale/export_correspondance.html", contexte, status=status)

    if request.method != "POST":
        mapping = deviner(cols, profil.colonnes if profil else None)
        tables = _tables(table, cols, mapping)
        if profil and (e := ecart(profil.colonnes, cols)):
            contexte["ecart"] = e.message(profil.nom)
        if base is not None:
            contexte["nouveaux_services"] = sum(1 for v, _ in tables.services if not base.valeur("theme", v))
        initial = {f"col_{c.position}": mapping[c.entete] for c in cols}
        initial |= _valeurs_initiales(tables, base, codes)
        initial |= {
            "colonne_services": tables.services_de,
            "colonne_statuts": tables.statuts_de,
            "nom_profil": profil.nom if profil else "",
        }
        return page(formulaire(tables, initial=initial), tables)

    mapping = colonnes_choisies(request.POST, cols)
    tables = _tables(table, cols, mapping)
    garder = {
        nom
        for nom, avant, apres in (
            ("services", request.POST.get("colonne_services", ""), tables.services_de),
            ("statuts", request.POST.get("colonne_statuts", ""), tables.statuts_de),
        )
        if avant == apres
    }
    if "actualiser" in request.POST or len(garder) < 2:
        # The value tables follow the columns now chosen: shown again to be filled, nothing imported yet.
        initial = {f"col_{c.position}": mapping[c.entete] for c in cols}
        initial |= _valeurs_initiales(tables, base, codes, request.POST, garder)
        initial |= {
            "colonne_services": tables.services_de,
            "colonne_statuts": tables.statuts_de,
            "nom_profil": request.POST.get("nom_profil", ""),
        }
        return page(formulaire(tables, initial=initial), tables, actualise=True)

    form = formulaire(tables, request.POST)
    if not form.is_valid():
        return page(form, tables, status=400)
    try:
        resultat = do_importer_export(
            territoire,
            data,
            depot.fichier,
            organisation,
            depot.annee,
            form.correspondance(),
            request.user,
            acces,
            form.cleaned_data["nom_profil"],
        )
    except (InvalidFile, ActionRefusee) as exc:
        erreurs = exc.errors if isinstance(exc, InvalidFile) else exc.messages
        noter_refus(territoire, request.user, depot.fichier, data, len(erreurs))
        avertissements = exc.warnings if isinstance(exc, InvalidFile) else []
        return page(form, tables, status=400, erreurs=erreurs, avertissements=avertissements)
    retirer(request)
    lot = resultat.lot
    messages.success(
        request,
        f"L'export « {depot.fichier} » est converti et vérifié : vérifiez le lot ci-dessous, puis confirmez "
        "l'import. Le fichier déposé est supprimé.",
    )
    if resultat.profil is not None:
        messages.info(
            request,
            f"Le profil « {resultat.profil.nom} » de {organisation.nom} est enregistré : il vous sera proposé au "
            "prochain import.",
        )
    return redirect("masse_salariale:lot", code=code, pk=lot.pk)


@login_required
def export_abandonner(request, code):
    territoire, acces = _territoire_importable(request, code)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    depot = depot_de(request, territoire)
    if depot is not None and not est_le_depot(depot, request.POST.get("jeton")):
        messages.error(
            request,
            REMPLACE.format(fichier=depot.fichier)
            + f"« {depot.fichier} » n'a pas été abandonné ; sa correspondance est ci-dessous.",
        )
        return redirect("masse_salariale:export_correspondance", code=code)
    # Only the export the page showed (that of another territory, uploaded since in another tab, is kept).
    if retirer(request, request.POST.get("jeton", "")) and depot is not None:
        messages.info(request, "L'export déposé est supprimé ; rien n'a été importé.")
    return redirect("masse_salariale:lots", code=code)


@login_required
def export_profil_supprimer(request, code, pk):
    territoire, acces = _territoire_importable(request, code)
    profil = get_object_or_404(profils_visibles(acces), pk=pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        do_supprimer_profil(profil, request.user, acces)
    except ActionRefusee as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Le profil « {profil.nom} » de {profil.organisation.nom} est supprimé.")
    return redirect("masse_salariale:export", code=code)
