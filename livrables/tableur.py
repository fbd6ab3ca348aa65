"""GT1 round trip through a spreadsheet (issue 4, point 5): a commune's inventory exported to XLSX or ODS,
filled offline, re-imported and merged cell by cell against what was exported.

The exported workbook has one sheet named after the theme (the source document's columns in French)
and a hidden sheet `_mutualis` recording the schéma, the deliverable, the commune, the export time and,
for each row, its identifier, its version and the values exported (so that a re-import can tell which
cells the commune changed). The data sheet's first column, hidden, is the row's identifier: « L<pk> »
for a row of the inventory, « A:<activity code> » for an activity not yet described. A row without
identifier is an addition: an activity of the referential matched by its code or its label.

Pure-ish: `exporter_*` build bytes from plain data, `lire_import` parses and validates bytes,
`fusionner` computes the merge; the views do the database work."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from formats.errors import InvalidFile, Report
from formats.tabular import normalize_header, read_table

FORMAT = "mutualis-gt1"
FORMAT_VERSION = "1"
FEUILLE_META = "_mutualis"
CHAMPS = ("exerce", "etp", "sous_activites", "specificites")
VIDE = {"exerce": "", "etp": "", "sous_activites": "", "specificites": ""}
MAX_TEXTE = 5000

# The data sheet's columns: (key, French header). Editable columns are unlocked in the protected sheet.
COLONNES = [
    ("identifiant", "Identifiant"),
    ("commune", "Commune"),
    ("code", "Code activité"),
    ("activite", "Activités"),
    ("sous_activites", "Sous-activités"),
    ("specificites", "Spécificités"),
    ("exerce", "Exerce (oui/non)"),
    ("etp", "ETP"),
]
EN_TETES = [t for _, t in COLONNES]
EDITABLES = {"sous_activites", "specificites", "exerce", "etp"}
# Extra unlocked rows below the data, where a commune may add an activity (code or label).
LIGNES_AJOUT = 30
LIBELLES = {"exerce": "Exerce (oui/non)", "etp": "ETP", "sous_activites": "Sous-activités",
            "specificites": "Spécificités"}
META_EN_TETES = ["type", "cle", "valeur", "identifiant", "activite", "version", *CHAMPS]


# --- values -------------------------------------------------------------------------------------------

def canon(ligne) -> dict[str, str]:
    """A LigneInventaire (or None) as the canonical strings compared by the merge."""
    if ligne is None:
        return dict(VIDE)
    etp = "" if ligne.etp is None else str(Decimal(ligne.etp).quantize(Decimal("0.01")))
    return {"exerce": {True: "oui", False: "non"}.get(ligne.exerce, ""), "etp": etp,
            "sous_activites": (ligne.sous_activites or "").strip(), "specificites": (ligne.specificites or "").strip()}


def vers_modele(valeurs: dict[str, str]) -> dict:
    """Canonical strings → the values `actions.do_enregistrer_inventaire` takes."""
    return {"exerce": {"oui": True, "non": False}.get(valeurs["exerce"]),
            "etp": Decimal(valeurs["etp"]) if valeurs["etp"] else None,
            "sous_activites": valeurs["sous_activites"], "specificites": valeurs["specificites"]}


def affiche(champ: str, valeur: str) -> str:
    """A canonical value as a French reader sees it (ETP with a decimal comma)."""
    if champ == "etp" and valeur:
        return valeur.replace(".", ",")
    return valeur


def _texte_sous_activites(texte: str) -> str:
    return "\n".join(l.strip() for l in (texte or "").splitlines() if l.strip())


# --- export -------------------------------------------------------------------------------------------

@dataclass
class RangExport:
    identifiant: str
    activite_code: str
    activite_libelle: str
    version: int
    valeurs: dict[str, str]


@dataclass
class Export:
    schema: str
    livrable: int
    livrable_version: int
    theme: str
    theme_libelle: str
    commune_code: str
    commune_nom: str
    quand: dt.datetime
    rangs: list[RangExport]

    def meta(self) -> list[tuple[str, str]]:
        return [("format", FORMAT), ("format_version", FORMAT_VERSION), ("schema", self.schema),
                ("livrable", str(self.livrable)), ("livrable_version", str(self.livrable_version)),
                ("theme", self.theme), ("commune", self.commune_code), ("exporte_le", self.quand.isoformat())]


def construire_export(livrable, groupe, commune, activites, lignes: dict, quand: dt.datetime) -> Export:
    """`lignes` is {activity id: LigneInventaire} of the commune."""
    rangs = []
    for a in activites:
        ligne = lignes.get(a.pk)
        if ligne is None:
            rangs.append(RangExport(f"A:{a.code}", a.code, a.libelle, 0, dict(VIDE)))
        else:
            rangs.append(RangExport(f"L{ligne.pk}", a.code, a.libelle, ligne.version, canon(ligne)))
    return Export(schema=str(groupe.schema_id), livrable=livrable.pk, livrable_version=livrable.version,
                  theme=groupe.theme, theme_libelle=str(groupe.libelle), commune_code=commune.code,
                  commune_nom=commune.nom, quand=quand, rangs=rangs)


def nom_feuille(libelle: str) -> str:
    """A sheet name Excel accepts: no []:*?/\\, 31 characters at most, never the meta sheet's."""
    nom = re.sub(r"[\[\]:*?/\\]", " ", libelle).strip()[:31].strip() or "Inventaire"
    return "Inventaire" if normalize_header(nom) == normalize_header(FEUILLE_META) else nom


def _cellules(export: Export, rang: RangExport) -> list:
    v = rang.valeurs
    return [rang.identifiant, export.commune_nom, rang.activite_code, rang.activite_libelle, v["sous_activites"],
            v["specificites"], v["exerce"], Decimal(v["etp"]) if v["etp"] else None]


def _meta_lignes(export: Export) -> list[list]:
    lignes = [META_EN_TETES]
    lignes += [["meta", k, val, "", "", "", "", "", "", ""] for k, val in export.meta()]
    lignes += [["ligne", "", "", r.identifiant, r.activite_code, str(r.version), *(r.valeurs[c] for c in CHAMPS)]
               for r in export.rangs]
    return lignes


def exporter_xlsx(export: Export) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = nom_feuille(export.theme_libelle)
    ws.append(EN_TETES)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for rang in export.rangs:
        ws.append(_cellules(export, rang))
    dernier = len(export.rangs) + 1
    cles = [k for k, _ in COLONNES]
    for row in ws.iter_rows(min_row=2, max_row=dernier + LIGNES_AJOUT, max_col=len(COLONNES)):
        for j, cell in enumerate(row):
            ajout = cell.row > dernier
            # Added rows: the commune names the activity (code or label) and fills the editable cells.
            libre = cles[j] in EDITABLES or (ajout and cles[j] in ("code", "activite"))
            cell.protection = Protection(locked=not libre)
            if cles[j] in ("sous_activites", "specificites", "activite"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cles[j] == "etp":
                cell.number_format = "0.00"
    largeurs = {"A": 12, "B": 18, "C": 16, "D": 45, "E": 40, "F": 40, "G": 16, "H": 10}
    for lettre, largeur in largeurs.items():
        ws.column_dimensions[lettre].width = largeur
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{dernier}"
    plage = f"G2:G{dernier + LIGNES_AJOUT}"
    dv = DataValidation(type="list", formula1='"oui,non"', allow_blank=True, showErrorMessage=True,
                        errorTitle="Exerce", error="Saisissez oui ou non, ou laissez vide.")
    dv.add(plage)
    ws.add_data_validation(dv)
    etp = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                         showErrorMessage=True, errorTitle="ETP", error="Un nombre d'ETP positif ou nul.")
    etp.add(f"H2:H{dernier + LIGNES_AJOUT}")
    ws.add_data_validation(etp)
    # No password: the protection guards against slips, not against the commune (it may unprotect).
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.sort = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    meta = wb.create_sheet(FEUILLE_META)
    for ligne in _meta_lignes(export):
        meta.append(ligne)
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def exporter_ods(export: Export) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TableProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    gras = Style(name="entete", family="table-cell")
    gras.addElement(TextProperties(fontweight="bold"))
    doc.automaticstyles.addElement(gras)
    cachee = Style(name="colcachee", family="table-column")
    cachee.addElement(TableColumnProperties(columnwidth="2.5cm"))
    doc.automaticstyles.addElement(cachee)
    large = Style(name="collarge", family="table-column")
    large.addElement(TableColumnProperties(columnwidth="7cm"))
    doc.automaticstyles.addElement(large)
    etroite = Style(name="coletroite", family="table-column")
    etroite.addElement(TableColumnProperties(columnwidth="3cm"))
    doc.automaticstyles.addElement(etroite)
    invisible = Style(name="tablecachee", family="table")
    invisible.addElement(TableProperties(display=False))
    doc.automaticstyles.addElement(invisible)

    def cellule(valeur, style=None):
        attrs = {"stylename": style} if style else {}
        if isinstance(valeur, Decimal):
            c = TableCell(valuetype="float", value=str(valeur), **attrs)
            c.addElement(P(text=str(valeur).replace(".", ",")))
            return c
        c = TableCell(valuetype="string", **attrs)
        for morceau in str(valeur or "").split("\n") if valeur else []:
            c.addElement(P(text=morceau))
        return c

    feuille = Table(name=nom_feuille(export.theme_libelle))
    feuille.addElement(TableColumn(stylename=cachee, visibility="collapse"))
    for style in (etroite, etroite, large, large, large, etroite, etroite):
        feuille.addElement(TableColumn(stylename=style))
    entete = TableRow()
    for t in EN_TETES:
        entete.addElement(cellule(t, gras))
    feuille.addElement(entete)
    for rang in export.rangs:
        tr = TableRow()
        for valeur in _cellules(export, rang):
            tr.addElement(cellule(valeur))
        feuille.addElement(tr)
    doc.spreadsheet.addElement(feuille)

    meta = Table(name=FEUILLE_META, stylename=invisible)
    for ligne in _meta_lignes(export):
        tr = TableRow()
        for valeur in ligne:
            tr.addElement(cellule(valeur))
        meta.addElement(tr)
    doc.spreadsheet.addElement(meta)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


# --- import: reading and validating ---------------------------------------------------------------------

@dataclass
class RangImport:
    """A validated row of the file: the activity, what was exported (for an identified row) and the file's values."""

    ligne: int
    activite_code: str
    identifiant: str
    version: int
    exporte: dict[str, str]
    fichier: dict[str, str]

    def en_json(self) -> dict:
        return {"l": self.ligne, "a": self.activite_code, "i": self.identifiant, "v": self.version,
                "e": self.exporte, "f": self.fichier}

    @classmethod
    def de_json(cls, d: dict) -> RangImport:
        return cls(d["l"], d["a"], d["i"], d["v"], d["e"], d["f"])


@dataclass
class Import:
    livrable: int
    commune: str
    exporte_le: str
    rangs: list[RangImport] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)


def _lire_meta(data: bytes, nom: str) -> tuple[dict[str, str], dict[str, dict]]:
    try:
        table = read_table(data, nom, FEUILLE_META)
    except InvalidFile:
        table = None
    if table is None or normalize_header(table.sheet or "") != normalize_header(FEUILLE_META):
        raise InvalidFile(["fichier : la feuille cachée « _mutualis » manque : ce fichier n'a pas été exporté "
                           "par Mutualis (exportez la liste des activités puis remplissez ce fichier)"])
    pos = {normalize_header(h): i for i, h in enumerate(table.headers)}
    if any(k not in pos for k in META_EN_TETES):
        raise InvalidFile(["fichier : la feuille cachée « _mutualis » a été modifiée : exportez de nouveau le fichier"])
    meta, lignes = {}, {}
    for row in table.frame.iter_rows(named=True):
        def v(k):
            return (row[table.column(pos[k])] or "").strip() if k not in CHAMPS else (row[table.column(pos[k])] or "")
        if v("type") == "meta":
            meta[v("cle")] = v("valeur")
        elif v("type") == "ligne":
            try:
                version = int(float(v("version") or 0))
            except ValueError:
                version = 0
            lignes[v("identifiant")] = {"activite": v("activite"), "version": version,
                                        "valeurs": {c: _canon_meta(c, v(c)) for c in CHAMPS}}
    if meta.get("format") != FORMAT:
        raise InvalidFile(["fichier : la feuille cachée « _mutualis » ne décrit pas une liste des activités (GT1)"])
    return meta, lignes


def _canon_meta(champ: str, texte: str) -> str:
    texte = texte.strip()
    if champ == "etp" and texte:
        try:
            return str(Decimal(texte.replace(",", ".")).quantize(Decimal("0.01")))
        except InvalidOperation:
            return texte
    if champ == "sous_activites":
        return _texte_sous_activites(texte)
    return texte


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


def lire_import(data: bytes, nom: str, activites, attendu_livrable: int, attendu_commune: str,
                feuille: str) -> Import:
    """Parse and validate an exported-then-filled workbook; raise `InvalidFile` with every error.

    `activites` are the theme's activities (referential), matched by code or label for added rows."""
    from formats.tabular import ODS, XLSX, _sniff

    if _sniff(data) not in (XLSX, ODS):
        raise InvalidFile(["fichier : importez le classeur XLSX ou ODS exporté par Mutualis"])
    meta, meta_lignes = _lire_meta(data, nom)
    if meta.get("livrable") != str(attendu_livrable) or meta.get("commune") != attendu_commune:
        raise InvalidFile([f"fichier : ce fichier a été exporté pour une autre liste des activités (commune "
                           f"« {meta.get('commune', '')} ») : exportez celle de cette commune"])
    table = read_table(data, nom, feuille)
    if normalize_header(table.sheet or "") == normalize_header(FEUILLE_META):
        raise InvalidFile(["fichier : la feuille des activités manque"])
    report = Report()
    positions = {}
    for i, h in enumerate(table.headers):
        positions.setdefault(normalize_header(h), i)
    manquantes = [t for k, t in COLONNES if normalize_header(t) not in positions and k not in ("commune",)]
    if manquantes:
        raise InvalidFile([f"fichier : colonne{'s' if len(manquantes) > 1 else ''} manquante"
                           f"{'s' if len(manquantes) > 1 else ''} : {', '.join('« ' + m + ' »' for m in manquantes)}"])
    pos = {k: positions.get(normalize_header(t)) for k, t in COLONNES}
    par_code = {normalize_header(a.code): a for a in activites}
    par_libelle = {normalize_header(a.libelle): a for a in activites}
    codes_theme = {a.code for a in activites}
    resultat = Import(livrable=attendu_livrable, commune=attendu_commune, exporte_le=meta.get("exporte_le", ""),
                      avertissements=list(table.warnings))
    vus: dict[str, int] = {}

    for row in table.frame.iter_rows(named=True):
        n = row["ligne"]

        def cell(k):
            return row[table.column(pos[k])] or "" if pos[k] is not None else ""

        def numerique(k):
            col = table.numeric_column(pos[k]) if pos[k] is not None else None
            return bool(col and col in row and row[col])

        for k in EDITABLES:
            issue = table.issues.get(pos[k], {}).get(n) if pos[k] is not None else None
            if issue is not None:
                report.error(n, pos[k], LIBELLES[k], issue.shown,
                             "une formule sans valeur ou une erreur : saisissez une valeur" if issue.kind in (
                                 "formule", "erreur") else "saisissez du texte ou un nombre")
        ident = cell("identifiant").strip()
        if ident:
            info = meta_lignes.get(ident)
            if info is None or info["activite"] not in codes_theme:
                report.error(n, pos["identifiant"], "Identifiant", ident,
                             "identifiant inconnu : ne modifiez pas la colonne cachée A (laissez-la vide pour "
                             "ajouter une activité)")
                continue
            code, version, exporte = info["activite"], info["version"], info["valeurs"]
        else:
            code_saisi, libelle = cell("code").strip(), cell("activite").strip()
            activite = par_code.get(normalize_header(code_saisi)) if code_saisi else None
            if activite is None and libelle:
                activite = par_libelle.get(normalize_header(libelle))
            if activite is None:
                shown, p, col = (code_saisi, pos["code"], "Code activité") if code_saisi else (
                    libelle, pos["activite"], "Activités")
                report.error(n, p, col, shown, "activité inconnue du référentiel de ce thème : écrivez le code "
                                               "ou l'intitulé d'une activité du référentiel")
                continue
            code, version, exporte = activite.code, 0, dict(VIDE)
        if code in vus:
            report.error(n, pos["code"] if pos["code"] is not None else 0, "Code activité", code,
                         f"activité déjà à la ligne {vus[code]} : une ligne par activité")
            continue
        vus[code] = n

        exerce_brut = cell("exerce")
        exerce = normalize_header(exerce_brut)
        if exerce not in ("", "oui", "non"):
            report.error(n, pos["exerce"], LIBELLES["exerce"], exerce_brut, "oui, non ou vide")
        etp, regle = lire_etp(cell("etp"), numerique("etp"))
        if etp is None:
            report.error(n, pos["etp"], "ETP", cell("etp"), regle)
        elif exerce == "non" and etp and Decimal(etp) != 0:
            report.error(n, pos["etp"], "ETP", cell("etp"),
                         "la commune n'exerce pas cette activité : laissez l'ETP vide ou à 0")
        textes = {}
        for k in ("sous_activites", "specificites"):
            t = cell(k).strip()
            if len(t) > MAX_TEXTE:
                report.error(n, pos[k], LIBELLES[k], t, f"{MAX_TEXTE} caractères au plus")
            textes[k] = _texte_sous_activites(t) if k == "sous_activites" else t
        resultat.rangs.append(RangImport(
            ligne=n, activite_code=code, identifiant=ident, version=version, exporte=exporte,
            fichier={"exerce": exerce if exerce in ("oui", "non") else "", "etp": etp or "", **textes}))
    report.raise_if_errors()
    resultat.avertissements += report.warnings
    return resultat


# --- import: the merge ------------------------------------------------------------------------------------

@dataclass
class Conflit:
    ligne: int
    activite_code: str
    champ: str
    exporte: str
    application: str
    fichier: str

    @property
    def cle(self) -> str:
        return f"{self.activite_code}|{self.champ}"

    @property
    def colonne(self) -> str:
        return LIBELLES[self.champ]

    def valeurs_affichees(self):
        return affiche(self.champ, self.exporte), affiche(self.champ, self.application), affiche(self.champ, self.fichier)


@dataclass
class Fusion:
    valeurs: dict[str, dict[str, str]]  # activity code -> final canonical values (only rows that change)
    conflits: list[Conflit]  # every conflicting cell (resolved or not)
    non_resolus: list[Conflit]
    erreurs: list[str]


def fusionner(rangs: list[RangImport], actuelles: dict[str, tuple[int, dict[str, str]]],
              choix: dict[str, str] | None = None) -> Fusion:
    """Merge the file cell by cell. `actuelles` is {activity code: (stored version, canonical values)} of
    the rows in the app now; `choix` is {conflict key: "application" | "fichier"}.

    A cell the file did not change (or changed to the app's value) keeps the app's value. A cell the
    file changed takes the file's value, unless the row was changed in the app since the export
    (stored version > exported version) and that cell too (app value ≠ exported value): then it is a
    conflict, settled by `choix`."""
    choix = choix or {}
    valeurs, conflits, non_resolus, erreurs = {}, [], [], []
    for r in rangs:
        version, app = actuelles.get(r.activite_code, (0, dict(VIDE)))
        final = dict(app)
        for champ in CHAMPS:
            f, e, a = r.fichier[champ], r.exporte[champ], app[champ]
            if f == e or f == a:
                continue
            if version > r.version and a != e:
                c = Conflit(r.ligne, r.activite_code, champ, e, a, f)
                conflits.append(c)
                decision = choix.get(c.cle)
                if decision == "fichier":
                    final[champ] = f
                elif decision != "application":
                    non_resolus.append(c)
                continue
            final[champ] = f
        if final["exerce"] == "non" and final["etp"] and Decimal(final["etp"]) != 0:
            erreurs.append(f"ligne {r.ligne} : ETP « {affiche('etp', final['etp'])} » : la commune n'exerce pas "
                           f"cette activité : laissez l'ETP vide ou à 0")
        if final != app:
            valeurs[r.activite_code] = final
    return Fusion(valeurs, conflits, non_resolus, erreurs)
