"""GT2 round trip through a spreadsheet (issue 4, point 5): the group's AFOR grid exported to XLSX or ODS,
filled offline, re-imported and merged cell by cell (livrables/tableur/fusion.py).

One data sheet named after the theme, one row per item of the grid (items merged into another are not
exported: the grid does not show them): *Code activité | Activités | Quadrant | Élément | Organisation*,
the hidden first column holding « E<pk> ». A row without identifier is an addition: an item of the
activity (code or label) and quadrant written there, contributed by the importer's organisation. The
text of an existing item is rewritten only by who may reword on the web (`peut_consolider`); for the
others its cells are locked in the export and a changed text is refused on import. A row deleted from
the file deletes nothing."""

from __future__ import annotations

import datetime as dt

from formats.errors import InvalidFile, Report
from formats.tabular import normalize_header
from livrables.enums import Quadrant
from livrables.gt2.forms import ElementForm, ReformulationForm
from livrables.models import ElementAfor
from livrables.tableur import disposition, ecriture, lecture
from livrables.tableur.ecriture import Export
from livrables.tableur.fusion import Fusion, ecarter_disparus, ecarter_doublons
from livrables.tableur.fusion import fusionner as fusionner_commun
from livrables.tableur.lecture import Import, RangImport

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
    """An item's text as stored (gt2.actions._texte: runs of spaces and line breaks become one space)."""
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


C = disposition.Colonne
DISPOSITION = disposition.Disposition(
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
        disposition.Controle(
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
    return disposition.nom_feuille(libelle, DISPOSITION.feuille_defaut)


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
            ecriture.RangExport(ident, e.activite.code, e.version, {"texte": canon_texte(e.texte)}, cellules, verrous)
        )
    return ecriture.export_du_groupe(
        FORMAT, FORMAT_VERSION, groupe, livrable, organisation.code if organisation is not None else "", quand, rangs
    )


def exporter_xlsx(export: Export) -> bytes:
    return ecriture.exporter_xlsx(DISPOSITION, export)


def exporter_ods(export: Export) -> bytes:
    return ecriture.exporter_ods(DISPOSITION, export)


def lire_import(data: bytes, nom: str, activites, attendu_livrable: int, feuille: str, peut_reformuler: bool) -> Import:
    """Parse and validate a filled AFOR workbook (the rules of the grid's forms); raise `InvalidFile`
    with every error."""
    meta, meta_lignes = lecture.lire_meta(DISPOSITION, data, nom)
    if meta.get("livrable") != str(attendu_livrable):
        raise InvalidFile(
            ["fichier : ce fichier a été exporté pour une autre grille AFOR : exportez celle de ce groupe"]
        )
    lue = lecture.Feuille(DISPOSITION, data, nom, feuille)
    report = Report()
    referentiel = lecture.Referentiel(activites)
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
                lecture.erreurs_formulaire(cell, report, form, {"texte": "texte"}, {})
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
            lecture.erreurs_formulaire(cell, report, form, {"texte": "texte", "quadrant": "quadrant"}, {})
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
    """fusion.fusionner, after leaving out the rows gone from the app and the additions already in it
    (`existantes_`, see `existantes`)."""
    rangs, erreurs = ecarter_disparus(DISPOSITION, rangs, actuelles_, DISPARU)
    rangs, doublons = ecarter_doublons(
        rangs, existantes_, lambda r: _signature(r.activite_code, r.ajout["quadrant"], r.fichier["texte"])
    )
    fusion = fusionner_commun(DISPOSITION, rangs, actuelles_, choix, libelle, montres)
    fusion.erreurs = erreurs + fusion.erreurs
    fusion.avertissements += doublons
    return fusion
