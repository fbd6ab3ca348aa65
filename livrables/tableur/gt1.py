"""GT1 round trip through a spreadsheet (issue 4, point 5): a commune's inventory exported to XLSX or ODS,
filled offline, re-imported and merged cell by cell against what was exported.

The exported workbook has one sheet named after the theme (the source document's columns in French)
and a hidden sheet `_mutualis` recording the schéma, the deliverable, the commune, the export time and,
for each row, its identifier, its version and the values exported (so that a re-import can tell which
cells the commune changed). The data sheet's first column, hidden, is the row's identifier: « L<pk> »
for a row of the inventory, « A:<activity code> » for an activity not yet described. A row without
identifier is an addition: an activity of the referential matched by its code or its label.

Pure-ish: `exporter_*` build bytes from plain data, `lire_import` parses and validates bytes,
`fusionner` computes the merge; the views read the database and livrables/tableur/actions.py writes. The
workbook's layout, writing, reading and merge are shared with GT2 and GT3 (disposition.py, ecriture.py,
lecture.py, fusion.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from formats.errors import InvalidFile, Report
from formats.tabular import normalize_header
from livrables.gt1.regles import etp_propose
from livrables.tableur import disposition, ecriture, lecture
from livrables.tableur.ecriture import Export
from livrables.tableur.fusion import Fusion
from livrables.tableur.fusion import fusionner as fusionner_commun
from livrables.tableur.lecture import Import, RangImport

FORMAT = "mutualis-gt1"
FORMAT_VERSION = "1"
CHAMPS = ("exerce", "etp", "sous_activites", "specificites")
VIDE = {"exerce": "", "etp": "", "sous_activites": "", "specificites": ""}
MAX_TEXTE = 5000
LIBELLES = {
    "exerce": "Exerce (oui/non)",
    "etp": "ETP",
    "sous_activites": "Sous-activités",
    "specificites": "Spécificités",
}
EDITABLES = {"sous_activites", "specificites", "exerce", "etp"}


# --- values -------------------------------------------------------------------------------------------


def canon(ligne) -> dict[str, str]:
    """A LigneInventaire (or None) as the canonical strings compared by the merge."""
    if ligne is None:
        return dict(VIDE)
    etp = "" if ligne.etp is None else str(Decimal(ligne.etp).quantize(Decimal("0.01")))
    # The texts in the form the file side takes (`lire_import`, `_canon_meta`): compared in two forms, an
    # untouched « Bulletins\r\nDSN » would look changed in the app, a conflict the user never made.
    return {
        "exerce": {True: "oui", False: "non"}.get(ligne.exerce, ""),
        "etp": etp,
        "sous_activites": _texte_sous_activites(ligne.sous_activites),
        "specificites": lecture.texte_normalise(ligne.specificites),
    }


def vers_modele(valeurs: dict[str, str]) -> dict:
    """Canonical strings → the values `gt1.actions.do_enregistrer_inventaire` takes."""
    return {
        "exerce": {"oui": True, "non": False}.get(valeurs["exerce"]),
        "etp": Decimal(valeurs["etp"]) if valeurs["etp"] else None,
        "sous_activites": valeurs["sous_activites"],
        "specificites": valeurs["specificites"],
    }


def affiche(champ: str, valeur: str) -> str:
    """A canonical value as a French reader sees it (ETP with a decimal comma)."""
    if champ == "etp" and valeur:
        return valeur.replace(".", ",")
    return valeur


_texte_sous_activites = lecture.textes_lignes


def _canon_meta(champ: str, texte: str) -> str:
    texte = texte.strip()
    if champ == "etp" and texte:
        try:
            return str(Decimal(texte.replace(",", ".")).quantize(Decimal("0.01")))
        except InvalidOperation:
            return texte
    if champ == "sous_activites":
        return _texte_sous_activites(texte)
    if champ == "specificites":
        return lecture.texte_normalise(texte)
    return texte


def _verifier(r: RangImport, final: dict[str, str]) -> list[str]:
    if final["exerce"] == "non" and final["etp"] and Decimal(final["etp"]) != 0:
        return [
            f"ligne {r.ligne} : ETP « {affiche('etp', final['etp'])} » : la commune n'exerce pas "
            f"cette activité : laissez l'ETP vide ou à 0"
        ]
    return []


C = disposition.Colonne
# The data sheet's columns. Editable columns are unlocked in the protected sheet; on the blank rows below
# the data, a commune may also name an activity (code or label).
DISPOSITION = disposition.Disposition(
    format=FORMAT,
    nom="la liste des activités",
    decrit="une liste des activités (GT1)",
    colonnes=(
        C("identifiant", "Identifiant", 12, cachee=True),
        C("commune", "Commune", 18, requise=False),
        C("code", "Code activité", 16, ajout=True),
        C("activite", "Activités", 45, ajout=True, long=True),
        C("sous_activites", "Sous-activités", 40, editable=True, long=True),
        C("specificites", "Spécificités", 40, editable=True, long=True),
        C("exerce", "Exerce (oui/non)", 16, editable=True),
        C("etp", "ETP", 10, editable=True, format_nombre="0.00"),
    ),
    champs=CHAMPS,
    libelles=LIBELLES,
    controles=(
        disposition.Controle("exerce", "list", '"oui,non"', "Exerce", "Saisissez oui ou non, ou laissez vide."),
        disposition.Controle("etp", "decimal", "0", "ETP", "Un nombre d'ETP positif ou nul."),
    ),
    feuille_defaut="Inventaire",
    affiche=affiche,
    canon_meta=_canon_meta,
    verifier=_verifier,
)
COLONNES = [(c.cle, c.titre) for c in DISPOSITION.colonnes]
EN_TETES = DISPOSITION.en_tetes
META_EN_TETES = DISPOSITION.meta_en_tetes


# --- export -------------------------------------------------------------------------------------------


def nom_feuille(libelle: str) -> str:
    return disposition.nom_feuille(libelle, DISPOSITION.feuille_defaut)


def construire_export(
    livrable, groupe, commune, activites, lignes: dict, quand: dt.datetime, etp_paie: dict | None = None
) -> Export:
    """`lignes` is {activity id: LigneInventaire} of the commune; `etp_paie` {activity id: ETP} of its
    payroll, for who may see it (gt1.regles.etp_paie_visible), prefilled as on the commune's page."""
    etp_paie = etp_paie or {}
    rangs = []
    for a in activites:
        ligne = lignes.get(a.pk)
        ident, version, v = (
            (f"A:{a.code}", 0, dict(VIDE)) if ligne is None else (f"L{ligne.pk}", ligne.version, canon(ligne))
        )
        # The payroll's ETP is shown in the cell only: the meta sheet keeps what the app holds (empty), so
        # an ETP kept in the file counts as the commune's input, as when the page's prefilled form is saved.
        etp = etp_propose(ligne, etp_paie.get(a.pk))  # the commune page's rule, one home
        cellules = {
            "identifiant": ident,
            "commune": commune.nom,
            "code": a.code,
            "activite": a.libelle,
            "sous_activites": v["sous_activites"],
            "specificites": v["specificites"],
            "exerce": v["exerce"],
            "etp": Decimal(etp) if etp is not None else None,
        }
        rangs.append(ecriture.RangExport(ident, a.code, version, v, cellules))
    return ecriture.export_du_groupe(
        FORMAT, FORMAT_VERSION, groupe, livrable, commune.code, quand, rangs, pour=commune.nom
    )


def exporter_xlsx(export: Export) -> bytes:
    return ecriture.exporter_xlsx(DISPOSITION, export)


def exporter_ods(export: Export) -> bytes:
    return ecriture.exporter_ods(DISPOSITION, export)


# --- import: reading and validating ---------------------------------------------------------------------


def lire_etp(texte: str, numerique: bool) -> tuple[str | None, str]:
    """(canonical ETP or None, the rule broken): `2,5`, `2.5` (numeric cell), ` 1 234,5 `."""
    t = texte.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not t:
        return "", ""
    if not numerique:
        if t.count(",") > 1 or ("," in t and "." in t):
            return None, "un nombre d'ETP, par exemple 2,5"
        t = t.replace(",", ".")
    try:
        d = Decimal(t)
    except InvalidOperation:
        return None, "un nombre d'ETP, par exemple 2,5"
    if not d.is_finite():
        return None, "un nombre d'ETP, par exemple 2,5"
    if d < 0:
        return None, "le nombre d'ETP ne peut pas être négatif"
    if d != d.quantize(Decimal("0.01")):
        if numerique and abs(d - d.quantize(Decimal("0.01"))) < Decimal("1e-9"):
            d = d.quantize(Decimal("0.01"))  # 2.3000000000000003 from a computed cell
        else:
            return None, "deux décimales au plus pour les ETP"
    d = d.quantize(Decimal("0.01"))
    if d >= Decimal("1000000"):
        return None, "le nombre d'ETP est trop grand"
    return str(d), ""


def lire_import(data: bytes, nom: str, activites, attendu_livrable: int, attendu_commune: str, feuille: str) -> Import:
    """Parse and validate an exported-then-filled workbook; raise `InvalidFile` with every error.

    `activites` are the theme's activities (referential), matched by code or label for added rows."""
    meta, meta_lignes = lecture.lire_meta(DISPOSITION, data, nom)
    if meta.get("livrable") != str(attendu_livrable) or meta.get("commune") != attendu_commune:
        raise InvalidFile(
            [
                f"fichier : ce fichier a été exporté pour une autre liste des activités (commune "
                f"« {meta.get('commune', '')} ») : exportez celle de cette commune"
            ]
        )
    lue = lecture.Feuille(DISPOSITION, data, nom, feuille)
    report = Report()
    referentiel = lecture.Referentiel(activites)
    resultat = Import(
        livrable=attendu_livrable,
        commune=attendu_commune,
        exporte_le=meta.get("exporte_le", ""),
        avertissements=list(lue.table.warnings),
    )
    vus: dict[str, int] = {}

    for cell in lue.lignes():
        n = cell.numero
        cell.signaler_cellules(report, EDITABLES)
        ident = cell("identifiant").strip()
        if ident:
            info = meta_lignes.get(ident)
            if info is None or info["activite"] not in referentiel.codes:
                cell.identifiant_inconnu(report, ident, "ajouter une activité")
                continue
            code, version, exporte = info["activite"], info["version"], info["valeurs"]
        else:
            activite = referentiel.trouver(cell, report)
            if activite is None:
                continue
            code, version, exporte = activite.code, 0, dict(VIDE)
        if code in vus:
            cell.erreur(report, "code", code, f"activité déjà à la ligne {vus[code]} : une ligne par activité")
            continue
        vus[code] = n

        exerce_brut = cell("exerce")
        exerce = normalize_header(exerce_brut)
        if exerce not in ("", "oui", "non"):
            cell.erreur(report, "exerce", exerce_brut, "oui, non ou vide")
        etp, regle = lire_etp(cell("etp"), cell.numerique("etp"))
        if etp is None:
            cell.erreur(report, "etp", cell("etp"), regle)
        elif exerce == "non" and etp and Decimal(etp) != 0:
            cell.erreur(
                report, "etp", cell("etp"), "la commune n'exerce pas cette activité : laissez l'ETP vide ou à 0"
            )
        textes = {}
        for k in ("sous_activites", "specificites"):
            t = cell(k).strip()
            if len(t) > MAX_TEXTE:
                cell.erreur(report, k, t, f"{MAX_TEXTE} caractères au plus")
            textes[k] = _texte_sous_activites(t) if k == "sous_activites" else lecture.texte_normalise(t)
        resultat.rangs.append(
            RangImport(
                ligne=n,
                cle=code,
                identifiant=ident,
                version=version,
                exporte=exporte,
                fichier={"exerce": exerce if exerce in ("oui", "non") else "", "etp": etp or "", **textes},
                activite_code=code,
            )
        )
    report.raise_if_errors()
    resultat.avertissements += report.warnings
    return resultat


# --- import: the merge ------------------------------------------------------------------------------------


def fusionner(
    rangs: list[RangImport],
    actuelles: dict[str, tuple[int, dict[str, str]]],
    choix: dict[str, str] | None = None,
    montres: dict[str, str] | None = None,
) -> Fusion:
    """Merge the file cell by cell (livrables/tableur/fusion.py): `actuelles` is {activity code: (stored
    version, canonical values)} of the commune's rows in the app now; `choix` is {conflict key:
    "application" | "fichier"}, `montres` {conflict key: app value shown with the choice}."""
    return fusionner_commun(DISPOSITION, rangs, actuelles, choix, montres=montres)
