"""GT2 round trip through a spreadsheet (issue 4, point 5): the group's AFOR grid exported to XLSX or ODS,
filled offline, re-imported and merged cell by cell (livrables/tableur_commun.py).

One data sheet named after the theme, one row per item of the grid (items merged into another are not
exported: the grid does not show them): *Code activité | Activités | Quadrant | Élément | Organisation*,
the hidden first column holding « E<pk> ». A row without identifier is an addition: an item of the
activity (code or label) and quadrant written there, contributed by the importer's organisation. The
text of an existing item is rewritten only by who may reword on the web (`peut_consolider`); for the
others its cells are locked in the export and a changed text is refused on import. A row deleted from
the file deletes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from formats.errors import InvalidFile, Report
from formats.tabular import normalize_header
from livrables import tableur_commun as commun
from livrables.actions_afor import _verifier_modifiable
from livrables.enums import Quadrant
from livrables.forms_afor import ElementForm, ReformulationForm
from livrables.models import ElementAfor
from livrables.tableur_commun import Export, Fusion, Import, RangImport
from mutualis.erreurs import ActionRefusee
from validation import actions as validation

FORMAT = "mutualis-gt2"
FORMAT_VERSION = "1"
CHAMPS = ("texte",)
LIBELLES = {"texte": "Élément"}
# The quadrants as the sheet names them, in the grid's order.
QUADRANTS = {
    Quadrant.AVANTAGE: "Avantages",
    Quadrant.FAIBLESSE: "Faiblesses",
    Quadrant.OPPORTUNITE: "Opportunités",
    Quadrant.RISQUE: "Risques",
}
ORDRE = {q.value: i for i, q in enumerate(QUADRANTS)}
REFUS_REFORMULER = (
    "seuls l'équipe projet, les co-pilotes du groupe et les consultants reformulent un élément "
    "existant : ajoutez plutôt un élément sur une ligne vide"
)
DISPARU = (
    "cet élément a été supprimé ou fusionné dans l'application depuis l'export : écrivez-le sur une "
    "ligne vide pour l'ajouter de nouveau"
)


def canon_texte(texte: str) -> str:
    """An item's text as stored (actions_afor._texte: runs of spaces and line breaks become one space)."""
    return " ".join((texte or "").split())


def _canon_meta(champ: str, texte: str) -> str:
    return canon_texte(texte)


def quadrant_de(texte: str) -> str | None:
    """« Avantages », « avantage », « Avantages (internes) » → « avantage »."""
    cle = normalize_header(texte)
    for q, titre in QUADRANTS.items():
        if cle in (normalize_header(titre), normalize_header(q.value), normalize_header(q.label)):
            return q.value
    return None


C = commun.Colonne
DISPOSITION = commun.Disposition(
    format=FORMAT,
    nom="la grille AFOR",
    decrit="une grille AFOR (GT2)",
    colonnes=(
        C("identifiant", "Identifiant", 12, cachee=True),
        C("code", "Code activité", 16, ajout=True),
        C("activite", "Activités", 40, ajout=True, long=True),
        C("quadrant", "Quadrant", 16, ajout=True),
        C("texte", "Élément", 70, editable=True, long=True),
        C("organisation", "Organisation", 22, requise=False),
    ),
    champs=CHAMPS,
    libelles=LIBELLES,
    controles=(
        commun.Controle(
            "quadrant",
            "list",
            '"' + ",".join(QUADRANTS.values()) + '"',
            "Quadrant",
            "Avantages, Faiblesses, Opportunités ou Risques.",
        ),
    ),
    feuille_defaut="Grille AFOR",
    canon_meta=_canon_meta,
)


def nom_feuille(libelle: str) -> str:
    return commun.nom_feuille(libelle, DISPOSITION.feuille_defaut)


def etiquette(organisation) -> str:
    """The contributor's organisation as the grid shows it (livrables/afor_badge.html)."""
    if organisation is None:
        return "sans organisation"
    return "EPCI" if organisation.est_epci else organisation.nom


def elements_visibles(livrable) -> list[ElementAfor]:
    """The grid's items (not those merged into another), in the grid's order, with the organisations of
    the items merged into each in `.organisations`."""
    tous = list(
        ElementAfor.objects.filter(livrable=livrable)
        .select_related("activite", "organisation")
        .order_by("activite__ordre", "activite__code", "id")
    )
    par_id = {e.pk: e for e in tous}
    for e in tous:
        e.organisations = [etiquette(e.organisation)]
    for e in tous:
        if e.fusionne_dans_id in par_id:
            cible = par_id[e.fusionne_dans_id]
            if etiquette(e.organisation) not in cible.organisations:
                cible.organisations.append(etiquette(e.organisation))
    visibles = [e for e in tous if e.fusionne_dans_id is None]
    visibles.sort(key=lambda e: (e.activite.ordre, e.activite.code, ORDRE.get(e.quadrant, 9), e.pk))
    return visibles


def construire_export(livrable, groupe, organisation, peut_reformuler: bool, quand: dt.datetime) -> Export:
    verrous = frozenset() if peut_reformuler else frozenset({"texte"})
    rangs = []
    for e in elements_visibles(livrable):
        ident = f"E{e.pk}"
        cellules = {
            "identifiant": ident,
            "code": e.activite.code,
            "activite": e.activite.libelle,
            "quadrant": QUADRANTS[Quadrant(e.quadrant)],
            "texte": e.texte,
            "organisation": ", ".join(e.organisations),
        }
        rangs.append(
            commun.RangExport(ident, e.activite.code, e.version, {"texte": canon_texte(e.texte)}, cellules, verrous)
        )
    return commun.export_du_groupe(
        FORMAT, FORMAT_VERSION, groupe, livrable, organisation.code if organisation is not None else "", quand, rangs
    )


def exporter_xlsx(export: Export) -> bytes:
    return commun.exporter_xlsx(DISPOSITION, export)


def exporter_ods(export: Export) -> bytes:
    return commun.exporter_ods(DISPOSITION, export)


def lire_import(data: bytes, nom: str, activites, attendu_livrable: int, feuille: str, peut_reformuler: bool) -> Import:
    """Parse and validate a filled AFOR workbook (the rules of the grid's forms); raise `InvalidFile`
    with every error."""
    meta, meta_lignes = commun.lire_meta(DISPOSITION, data, nom)
    if meta.get("livrable") != str(attendu_livrable):
        raise InvalidFile(
            ["fichier : ce fichier a été exporté pour une autre grille AFOR : exportez celle de ce groupe"]
        )
    lue = commun.Feuille(DISPOSITION, data, nom, feuille)
    report = Report()
    referentiel = commun.Referentiel(activites)
    resultat = Import(
        livrable=attendu_livrable,
        commune=meta.get("commune", ""),
        exporte_le=meta.get("exporte_le", ""),
        avertissements=list(lue.table.warnings),
    )
    vus: dict[str, int] = {}
    for cell in lue.lignes():
        n = cell.numero
        ident = cell("identifiant").strip()
        if cell.signaler_cellules(report, ("texte",) if ident else ("code", "activite", "quadrant", "texte")):
            continue
        texte = canon_texte(cell("texte"))
        if ident:
            info = cell.rang_exporte(
                report, ident, meta_lignes, vus, "E", referentiel.codes, "ajouter un élément", "élément"
            )
            if info is None:
                continue
            exporte = info["valeurs"]
            if texte == exporte["texte"]:
                resultat.rangs.append(
                    RangImport(n, ident, ident, info["version"], exporte, {"texte": texte}, info["activite"])
                )
                continue
            if not peut_reformuler:
                cell.erreur(report, "texte", cell("texte"), REFUS_REFORMULER)
                continue
            form = ReformulationForm({"texte": cell("texte")})
            if not form.is_valid():
                commun.erreurs_formulaire(cell, report, form, {"texte": "texte"}, {})
                continue
            resultat.rangs.append(
                RangImport(n, ident, ident, info["version"], exporte, {"texte": texte}, info["activite"])
            )
            continue
        activite = referentiel.trouver(cell, report)
        quadrant = quadrant_de(cell("quadrant"))
        if quadrant is None:
            cell.erreur(report, "quadrant", cell("quadrant"), "Avantages, Faiblesses, Opportunités ou Risques")
        form = ElementForm({"quadrant": quadrant or "", "texte": cell("texte")})
        if not form.is_valid():
            commun.erreurs_formulaire(cell, report, form, {"texte": "texte", "quadrant": "quadrant"}, {})
        if activite is None or quadrant is None or not form.is_valid():
            continue
        resultat.rangs.append(
            RangImport(
                n, f"+{n}", "", 0, dict(DISPOSITION.vide), {"texte": texte}, activite.code, {"quadrant": quadrant}
            )
        )
    report.raise_if_errors()
    resultat.avertissements += report.warnings
    return resultat


def actuelles(livrable) -> dict[str, tuple[int, dict[str, str]]]:
    return {
        f"E{e.pk}": (e.version, {"texte": canon_texte(e.texte)})
        for e in ElementAfor.objects.filter(livrable=livrable, fusionne_dans__isnull=True)
    }


def _signature(activite_code: str, quadrant: str, texte: str) -> tuple[str, str, str]:
    return activite_code, quadrant, canon_texte(texte).casefold()


def existantes(livrable) -> set[tuple[str, str, str]]:
    """The grid's items as an added row would repeat them (activity, quadrant, text). Items merged into
    another are left out: DISPARU invites writing one again to bring it back."""
    elements = ElementAfor.objects.filter(livrable=livrable, fusionne_dans__isnull=True).select_related("activite")
    return {_signature(e.activite.code, e.quadrant, e.texte) for e in elements}


def libelle(r: RangImport) -> str:
    return r.activite_code


def fusionner(
    rangs: list[RangImport],
    actuelles_: dict,
    choix: dict[str, str] | None = None,
    montres: dict[str, str] | None = None,
    existantes_=(),
) -> Fusion:
    """commun.fusionner, after leaving out the rows gone from the app and the additions already in it
    (`existantes_`, see `existantes`)."""
    rangs, erreurs = commun.ecarter_disparus(DISPOSITION, rangs, actuelles_, DISPARU)
    rangs, doublons = commun.ecarter_doublons(
        rangs, existantes_, lambda r: _signature(r.activite_code, r.ajout["quadrant"], r.fichier["texte"])
    )
    fusion = commun.fusionner(DISPOSITION, rangs, actuelles_, choix, libelle, montres)
    fusion.erreurs = erreurs + fusion.erreurs
    fusion.avertissements += doublons
    return fusion


@transaction.atomic
def do_importer(
    livrable,
    user,
    organisation,
    rangs: list[RangImport],
    valeurs: dict[str, dict[str, str]],
    activites: dict,
    peut_reformuler: bool,
) -> tuple[int, int]:
    """Write the merged grid: additions (tagged with `organisation`) and rewordings, then one version of
    the deliverable. Returns (items added, items reworded); (0, 0): nothing written, no version."""
    _verifier_modifiable(livrable)
    ajouts, reformulations = 0, 0
    for r in rangs:
        if r.cle not in valeurs:
            continue
        texte = valeurs[r.cle]["texte"]
        if r.est_ajout:
            ElementAfor.objects.create(
                livrable=livrable,
                activite=activites[r.activite_code],
                quadrant=r.ajout["quadrant"],
                texte=texte,
                organisation=organisation,
                auteur=user,
                modifie_par=user,
                version=1,
            )
            ajouts += 1
            continue
        element = ElementAfor.objects.select_for_update().get(pk=int(r.identifiant[1:]), livrable=livrable)
        if element.texte == texte:
            continue
        if not peut_reformuler:
            raise ActionRefusee([f"ligne {r.ligne} : {REFUS_REFORMULER}"])
        element.texte = texte
        element.version += 1
        element.modifie_par = user
        element.save()
        reformulations += 1
    if ajouts or reformulations:
        validation.do_versionner(
            livrable,
            user,
            f"Grille AFOR : import d'un classeur ({_compte(ajouts, 'ajout')}, "
            f"{_compte(reformulations, 'reformulation')})",
        )
        from livrables.actions import evenement

        evenement(livrable, user, "livrables.afor_import", ajouts=ajouts, reformulations=reformulations)
    return ajouts, reformulations


def _compte(n: int, nom: str) -> str:
    return f"{n} {nom}{'s' if n > 1 else ''}"
