"""Reading a filled workbook back (formats.tabular.read_table): the hidden meta sheet (what was
exported), the data sheet's rows cell by cell, the texts and numbers as the merge compares them, the
activities of an added row, and the errors of a row reported « ligne N : <column> « <value> » : <rule> ».
Reading gives `RangImport`s (what was exported, what the file says) that livrables/tableur/fusion.py
merges with the rows in the app now."""

from __future__ import annotations

from dataclasses import dataclass, field

from formats.errors import InvalidFile, Report
from formats.lecture import read_table, sniff
from formats.tabular import ODS, XLSX, normalize_header
from livrables.tableur.disposition import FEUILLE_META, Disposition, RangImport


@dataclass
class Import:
    livrable: int
    commune: str
    exporte_le: str
    rangs: list[RangImport] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)


def verifier_classeur(data: bytes) -> None:
    if sniff(data) not in (XLSX, ODS):
        raise InvalidFile(["fichier : importez le classeur XLSX ou ODS exporté par Mutualis"])


def lire_meta(d: Disposition, data: bytes, nom: str) -> tuple[dict[str, str], dict[str, dict]]:
    """({key: value} of the meta rows, {identifier: {activite, version, valeurs}} of the exported rows)."""
    verifier_classeur(data)
    try:
        table = read_table(data, nom, FEUILLE_META)
    except InvalidFile:
        table = None
    if table is None or normalize_header(table.sheet or "") != normalize_header(FEUILLE_META):
        raise InvalidFile(
            [
                f"fichier : la feuille cachée « _mutualis » manque : ce fichier n'a pas été exporté "
                f"par Mutualis (exportez {d.nom} puis remplissez ce fichier)"
            ]
        )
    pos = {normalize_header(h): i for i, h in enumerate(table.headers)}
    modifiee = InvalidFile(
        ["fichier : la feuille cachée « _mutualis » a été modifiée : exportez de nouveau le fichier"]
    )
    if any(k not in pos for k in ("type", "cle", "valeur")):
        raise modifiee
    rows = list(table.frame.iter_rows(named=True))

    def v(row, k):
        texte = row[table.column(pos[k])] or ""
        return texte if k in d.champs else texte.strip()

    meta = {v(row, "cle"): v(row, "valeur") for row in rows if v(row, "type") == "meta"}
    # The format first: another deliverable's export has other columns.
    if meta.get("format") != d.format:
        raise InvalidFile([f"fichier : la feuille cachée « _mutualis » ne décrit pas {d.decrit}"])
    if any(k not in pos for k in d.meta_en_tetes):
        raise modifiee
    lignes = {}
    for row in rows:
        if v(row, "type") == "ligne":
            try:
                version = int(float(v(row, "version") or 0))
            except ValueError:
                version = 0
            lignes[v(row, "identifiant")] = {
                "activite": v(row, "activite"),
                "version": version,
                "valeurs": {c: d.canon_meta(c, v(row, c)) for c in d.champs},
            }
    return meta, lignes


class Feuille:
    """The data sheet of a filled workbook: its rows, each cell by column key."""

    def __init__(self, d: Disposition, data: bytes, nom: str, feuille: str):
        self.d = d
        table = read_table(data, nom, feuille)
        if normalize_header(table.sheet or "") == normalize_header(FEUILLE_META):
            raise InvalidFile([f"fichier : la feuille de {d.nom} manque"])
        positions = {}
        for i, h in enumerate(table.headers):
            positions.setdefault(normalize_header(h), i)
        manquantes = [c.titre for c in d.colonnes if c.requise and normalize_header(c.titre) not in positions]
        if manquantes:
            s = "s" if len(manquantes) > 1 else ""
            raise InvalidFile([f"fichier : colonne{s} manquante{s} : {', '.join('« ' + m + ' »' for m in manquantes)}"])
        self.table = table
        self.pos = {c.cle: positions.get(normalize_header(c.titre)) for c in d.colonnes}
        self.titres = {c.cle: c.titre for c in d.colonnes}

    def lignes(self):
        for row in self.table.frame.iter_rows(named=True):
            yield LigneLue(self, row)


class LigneLue:
    def __init__(self, feuille: Feuille, row: dict):
        self.feuille, self.row, self.numero = feuille, row, row["ligne"]

    def __call__(self, cle: str) -> str:
        p = self.feuille.pos[cle]
        return (self.row[self.feuille.table.column(p)] or "") if p is not None else ""

    def numerique(self, cle: str) -> bool:
        p = self.feuille.pos[cle]
        col = self.feuille.table.numeric_column(p) if p is not None else None
        return bool(col and col in self.row and self.row[col])

    def position(self, cle: str) -> int:
        return self.feuille.pos[cle] if self.feuille.pos[cle] is not None else 0

    def erreur(self, report: Report, cle: str, valeur, regle: str, colonne: str | None = None) -> None:
        """« ligne N : <column> « <value> » : <rule> »."""
        report.error(self.numero, self.position(cle), colonne or self.feuille.titres[cle], valeur, regle)

    def signaler_cellules(self, report: Report, cles) -> bool:
        """Report formulas without a value, error cells, dates and booleans in these columns; True if any."""
        trouve = False
        for k in cles:
            p = self.feuille.pos[k]
            issue = self.feuille.table.issues.get(p, {}).get(self.numero) if p is not None else None
            if issue is not None:
                trouve = True
                report.error(
                    self.numero,
                    p,
                    self.feuille.titres[k],
                    issue.shown,
                    "une formule sans valeur ou une erreur : saisissez une valeur"
                    if issue.kind in ("formule", "erreur")
                    else "saisissez du texte ou un nombre",
                )
        return trouve

    def identifiant_inconnu(self, report: Report, ident: str, ajout: str) -> None:
        self.erreur(
            report,
            "identifiant",
            ident,
            f"identifiant inconnu : ne modifiez pas la colonne cachée A (laissez-la vide pour {ajout})",
        )

    def rang_exporte(
        self,
        report: Report,
        ident: str,
        meta_lignes: dict,
        vus: dict[str, int],
        prefixe: str,
        codes,
        ajout: str,
        nom: str,
    ) -> dict | None:
        """The hidden sheet's record of an exported row (its activity, version and exported values), or None
        with the error reported: an identifier this file did not export, or a row copied twice."""
        info = meta_lignes.get(ident)
        if info is None or not ident.startswith(prefixe) or info["activite"] not in codes:
            self.identifiant_inconnu(report, ident, ajout)
            return None
        if ident in vus:
            self.erreur(
                report,
                "identifiant",
                ident,
                f"{nom} déjà à la ligne {vus[ident]} du fichier : ne copiez "
                "pas une ligne, ajoutez-la sur une ligne vide",
            )
            return None
        vus[ident] = self.numero
        return info


def entier(texte: str, numerique: bool) -> str:
    """A whole number as written: « 3 », « 3.0 » (a numeric cell) → « 3 »; anything else unchanged."""
    t = texte.strip()
    if numerique:
        try:
            f = float(t)
        except ValueError:
            return t
        if f.is_integer():
            return str(int(f))
    return t


def textes_lignes(texte: str) -> str:
    """A multi-line text as compared: each line trimmed, blank lines dropped."""
    return "\n".join(l.strip() for l in (texte or "").splitlines() if l.strip())


def texte_normalise(texte: str) -> str:
    """A free text as compared: trimmed, its line breaks as « \n » (a browser's textarea sends « \r\n »,
    a spreadsheet cell « \n »: the same text must not look changed)."""
    return (texte or "").replace("\r\n", "\n").replace("\r", "\n").strip()


class Referentiel:
    """The theme's activities, matched by code or label (normalised) on an added row."""

    def __init__(self, activites):
        self.par_code = {normalize_header(a.code): a for a in activites}
        self.par_libelle = {normalize_header(a.libelle): a for a in activites}
        self.codes = {a.code for a in activites}

    def trouver(self, cell: LigneLue, report: Report):
        code, libelle = cell("code").strip(), cell("activite").strip()
        activite = self.par_code.get(normalize_header(code)) if code else None
        if activite is None and libelle:
            activite = self.par_libelle.get(normalize_header(libelle))
        if activite is None:
            cle, shown = ("code", code) if code else ("activite", libelle)
            cell.erreur(
                report,
                cle,
                shown,
                "activité inconnue du référentiel de ce thème : écrivez le code "
                "ou l'intitulé d'une activité du référentiel",
            )
        return activite


def erreurs_formulaire(cell: LigneLue, report: Report, form, colonnes: dict[str, str], valeurs: dict[str, str]):
    """A web form's errors (the same rules as the pages) as row errors: field → column key."""
    for champ, messages in form.errors.items():
        cle = colonnes.get(champ) or next(iter(colonnes.values()))
        for m in messages:
            cell.erreur(report, cle, valeurs.get(cle, cell(cle)), m.rstrip("."))
