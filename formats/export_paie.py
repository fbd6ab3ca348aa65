"""Any payroll software's export, read through a mapping of its columns (issue 15, point 4): each column of
the export goes to a field of the payroll file (docs/contrats §3) or is ignored, the values of its service
column give each line's theme and activity, those of its statut column the statut. The result is the text of
a payroll file of §3, validated afterwards exactly as an uploaded one. No Django here.

Line numbers are kept: the payroll file has a line, blank when nothing is taken from it, for each line of the
export, so that the messages of §3's validation name the export's own lines."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import polars as pl

from engine.themes import AUTRE, THEME_CODES
from formats.columns import _report_special_cells, normalize_code
from formats.errors import InvalidFile, Report, row_list, shown
from formats.payroll import FIELDS, theme_code
from formats.tabular import Table, column_letter, normalize_header

CHAMPS: tuple[str, ...] = (
    "employeur",
    "agent",
    "theme",
    "activite",
    "cout_annuel",
    "quotite",
    "etp",
    "situation",
    "beneficiaire",
    "service",
    "statut",
    "categorie",
)
# What each field is, in the words of the mapping page.
LIBELLES: dict[str, str] = {
    "employeur": "Employeur (SIREN ou code INSEE)",
    "agent": "Matricule de l'agent",
    "theme": "Thème",
    "activite": "Activité (code du référentiel)",
    "cout_annuel": "Coût annuel chargé",
    "quotite": "Quotité (part du temps sur la ligne)",
    "etp": "Temps de travail (ETP)",
    "situation": "Situation (propre, transféré, mis à disposition)",
    "beneficiaire": "Bénéficiaire d'une mise à disposition",
    "service": "Code du service",
    "statut": "Statut",
    "categorie": "Catégorie (A, B, C)",
}
STATUTS: dict[str, str] = {"titulaire": "Titulaire", "contractuel": "Contractuel", "autre": "Autre"}
# Beyond this many distinct values, a column is no service code (a matricule mapped by mistake?): the page
# says so instead of listing them.
MAX_VALEURS = 300

# Headers of payroll exports, as normalize_header writes them, and the field each one usually holds.
SYNONYMES: dict[str, tuple[str, ...]] = {
    "employeur": ("code_employeur", "collectivite", "code_collectivite", "siren", "code_insee", "etablissement"),
    "agent": (
        "matricule",
        "matricule_agent",
        "numero_agent",
        "no_agent",
        "n°_agent",
        "id_agent",
        "identifiant",
        "identifiant_agent",
        "code_agent",
    ),
    "theme": ("code_theme",),
    "activite": ("code_activite",),
    "cout_annuel": (
        "cout",
        "cout_charge",
        "cout_total",
        "cout_annuel_charge",
        "cout_employeur",
        "cout_global",
        "brut_charge",
        "brut_charge_annuel",
        "cout_charge_annuel",
        "montant_charge",
        "total_charge",
    ),
    "quotite": ("part", "repartition", "quote_part", "pourcentage_affectation"),
    "etp": (
        "taux_activite",
        "taux_d'activite",
        "temps_de_travail",
        "temps_travail",
        "taux_emploi",
        "taux_d'emploi",
        "quotite_de_travail",
    ),
    "beneficiaire": ("organisme_d'accueil",),
    "service": (
        "code_service",
        "affectation",
        "code_affectation",
        "service_affectation",
        "direction",
        "code_direction",
        "code_analytique",
    ),
    "statut": ("code_statut", "statut_agent", "position_statutaire"),
    "categorie": ("cat", "categorie_hierarchique", "cat_hierarchique"),
}
# A word of the header, when nothing else matched.
_MOTS = {
    "matricule": "agent",
    "cout": "cout_annuel",
    "etp": "etp",
    "quotite": "quotite",
    "service": "service",
    "statut": "statut",
    "categorie": "categorie",
}


@dataclass(frozen=True)
class Colonne:
    """A column of the export: its position, its header as written, its spreadsheet letter."""

    position: int
    entete: str

    @property
    def lettre(self) -> str:
        return column_letter(self.position)

    @property
    def cle(self) -> str:
        return normalize_header(self.entete)


@dataclass
class Correspondance:
    """``colonnes``: header as written -> field of §3, or "" (ignored). ``valeurs``: ``theme`` and
    ``activite`` keyed by the service column's values, ``statut`` keyed by the statut column's.
    ``employeur``: the employer's code for every line when no column gives it."""

    colonnes: dict[str, str]
    valeurs: dict[str, dict[str, str]] = field(default_factory=dict)
    employeur: str = ""

    def champ(self, colonne: Colonne) -> str:
        """The field a column goes to: by its header as written, else as headers match (case, accents)."""
        if colonne.entete in self.colonnes:
            return self.colonnes[colonne.entete]
        return {normalize_header(h): c for h, c in self.colonnes.items()}.get(colonne.cle, "")

    def sources(self, colonnes: Iterable[Colonne]) -> dict[str, Colonne]:
        """Field -> the column it is read from (the first, when a mapping names a field twice)."""
        out: dict[str, Colonne] = {}
        for c in colonnes:
            if (champ := self.champ(c)) and champ not in out:
                out[champ] = c
        return out

    def valeur(self, champ: str, source: str) -> str:
        """The value chosen for a source value: as written, else matched without case, accents or spaces."""
        table = self.valeurs.get(champ, {})
        if source in table:
            return table[source]
        return {cle_valeur(k): v for k, v in table.items()}.get(cle_valeur(source), "")


def cle_valeur(texte: str) -> str:
    """A source value as mappings match it from year to year: trimmed, case- and accent-insensitive."""
    sans_accents = unicodedata.normalize("NFKD", str(texte)).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.casefold().split())


def colonnes(table: Table) -> list[Colonne]:
    """The export's columns that have a header. A header met twice is an error: a mapping names columns by
    their header."""
    vues: dict[str, list[Colonne]] = {}
    for position, entete in enumerate(table.headers):
        if entete.strip():
            c = Colonne(position, entete.strip())
            vues.setdefault(c.cle, []).append(c)
    doubles = [cs for cs in vues.values() if len(cs) > 1]
    if doubles:
        raise InvalidFile(
            [
                f"fichier : en-tête en double : « {cs[0].entete} » (colonnes {', '.join(c.lettre for c in cs)}) : "
                "renommez l'une des colonnes"
                for cs in doubles
            ]
        )
    if not vues:
        raise InvalidFile(["fichier : la première ligne n'a aucun en-tête de colonne"])
    return sorted((c for cs in vues.values() for c in cs), key=lambda c: c.position)


# --- a saved profile against a new file ---------------------------------------------------------------------


@dataclass(frozen=True)
class Ecart:
    """The columns of a profile the file lacks, and the file's columns the profile does not know."""

    manquantes: tuple[str, ...]
    nouvelles: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.manquantes or self.nouvelles)

    def message(self, nom: str) -> str:
        parties = []
        if self.manquantes:
            parties.append(
                f"{_compte(len(self.manquantes), 'colonne')} du profil absente{_s(self.manquantes)} "
                f"du fichier : {_liste(self.manquantes)}"
            )
        if self.nouvelles:
            parties.append(
                f"{_compte(len(self.nouvelles), 'colonne')} nouvelle{_s(self.nouvelles)} que le profil "
                f"ne connaît pas : {_liste(self.nouvelles)}"
            )
        return (
            f"Le profil « {nom} » ne correspond plus aux colonnes du fichier : {' ; '.join(parties)}. "
            "Vérifiez la correspondance ci-dessous avant d'importer."
        )


def ecart(profil: Mapping[str, str], cols: Iterable[Colonne]) -> Ecart:
    cols = list(cols)
    cles = {c.cle for c in cols}
    connues = {normalize_header(h) for h in profil}
    return Ecart(
        tuple(h for h in profil if normalize_header(h) not in cles),
        tuple(c.entete for c in cols if c.cle not in connues),
    )


# --- a first mapping --------------------------------------------------------------------------------------


def deviner(cols: Iterable[Colonne], profil: Mapping[str, str] | None = None) -> dict[str, str]:
    """A mapping for these columns: the profile's for the columns it knows, else a guess from the header
    (the field's own name, a usual header of payroll exports, a telling word), each field taken once."""
    cols = list(cols)
    profil_par_cle = {normalize_header(h): c for h, c in (profil or {}).items()}
    choix: dict[str, str] = {c.entete: profil_par_cle.get(c.cle, "") for c in cols if c.cle in profil_par_cle}
    pris = {c for c in choix.values() if c}
    libres = [c for c in cols if c.entete not in choix]
    passes = [
        lambda cle: cle if cle in CHAMPS else None,
        lambda cle: next((f for f, noms in SYNONYMES.items() if cle in noms), None),
        lambda cle: next((_MOTS[m] for m in cle.split("_") if m in _MOTS), None),
    ]
    for passe in passes:
        for c in libres:
            if c.entete in choix:
                continue
            champ = passe(c.cle)
            if champ and champ not in pris:
                choix[c.entete] = champ
                pris.add(champ)
    return {c.entete: choix.get(c.entete, "") for c in cols}


def deviner_statut(valeur: str) -> str:
    """A statut of §3 for a payroll software's code (« TIT », « Non titulaire », « CDD »), or "" to choose."""
    v = cle_valeur(valeur).replace("-", " ").replace("_", " ")
    if not v:
        return ""
    if any(m in v for m in ("non tit", "nontit", "contrac", "cdd", "cdi", "vacat", "auxil")) or v.startswith("cont"):
        return "contractuel"
    if v.startswith(("tit", "stag", "fonct")) or "titulaire" in v or "stagiaire" in v:
        return "titulaire"
    return ""


def deviner_service(valeur: str, activites: Mapping[str, str]) -> tuple[str, str]:
    """(theme, activity) for a service value that is already a theme (code or label) or an activity code of
    the referential; ("", "") otherwise."""
    index = {code.upper(): (theme, code) for code, theme in activites.items()}
    if valeur.strip().upper() in index:
        return index[valeur.strip().upper()]
    return (theme_code(valeur) or "", "") if valeur.strip() else ("", "")


# --- what the mapping page shows of the file ------------------------------------------------------------


def _cellules(table: Table, position: int) -> pl.Expr:
    return pl.col(Table.column(position)).str.strip_chars()


def remplissage(table: Table, cols: Iterable[Colonne]) -> dict[int, tuple[int, int]]:
    """Position -> (filled cells, distinct values): what tells columns apart without showing any value."""
    cols = list(cols)
    if not cols:
        return {}
    exprs = []
    for c in cols:
        cellule = _cellules(table, c.position)
        exprs += [(cellule != "").sum().alias(f"r{c.position}"), cellule.n_unique().alias(f"d{c.position}")]
    ligne = table.frame.select(exprs).row(0, named=True)
    vides = table.frame.select([(_cellules(table, c.position) == "").any().alias(f"v{c.position}") for c in cols])
    vides = vides.row(0, named=True)
    return {c.position: (ligne[f"r{c.position}"], ligne[f"d{c.position}"] - vides[f"v{c.position}"]) for c in cols}


def valeurs_distinctes(
    table: Table, colonne: Colonne, retenues: Iterable[Colonne] = (), *, avec_vide: bool
) -> list[tuple[str, int]]:
    """The column's distinct values (trimmed) with their number of lines, in order: over the lines where
    one of the ``retenues`` columns (those the mapping reads) is filled, when given; "" stands for empty
    cells when ``avec_vide``."""
    frame = table.frame
    retenues = list(retenues)
    if retenues:
        frame = frame.filter(pl.any_horizontal([_cellules(table, c.position) != "" for c in retenues]))
    compte = frame.select(_cellules(table, colonne.position).alias("v")).group_by("v").len().sort("v").rows()
    return [(v, n) for v, n in compte if avec_vide or v != ""]


# --- from the export to the payroll file --------------------------------------------------------------------


@dataclass
class Conversion:
    """The payroll file of §3 (CSV text, `;`, LF), its number of lines, and the warnings of the mapping."""

    contenu: str
    lignes: int
    avertissements: list[str]


def verifier(correspondance: Correspondance, cols: Iterable[Colonne]) -> list[str]:
    """What is wrong with the mapping itself, whatever the lines: a field given by two columns, a required
    field given by none."""
    cols = list(cols)
    erreurs = []
    par_champ: dict[str, list[Colonne]] = {}
    for c in cols:
        champ = correspondance.champ(c)
        if champ and champ not in CHAMPS:
            erreurs.append(f"correspondance : colonne « {c.entete} » : champ inconnu « {shown(champ)} »")
        elif champ:
            par_champ.setdefault(champ, []).append(c)
    for champ, cs in par_champ.items():
        if len(cs) > 1:
            noms = " et ".join(f"« {c.entete} »" for c in cs)
            erreurs.append(
                f"correspondance : {LIBELLES[champ].lower()} : donné par deux colonnes ({noms}) : "
                "gardez-en une, ignorez l'autre"
            )
    for champ in ("agent", "cout_annuel"):
        if champ not in par_champ:
            erreurs.append(f"correspondance : aucune colonne ne donne le champ « {LIBELLES[champ].lower()} »")
    if "theme" not in par_champ and "service" not in par_champ:
        erreurs.append(
            "correspondance : aucune colonne ne donne le thème : associez une colonne au thème, ou une colonne "
            "au code du service et choisissez le thème de chaque service"
        )
    if "employeur" not in par_champ and not correspondance.employeur:
        erreurs.append("correspondance : aucune colonne ne donne l'employeur, et aucun employeur n'est choisi")
    return erreurs


def convertir(table: Table, correspondance: Correspondance, activites: Mapping[str, str] | None = None) -> Conversion:
    """The export as a payroll file of §3, line N of the export on line N of the file. Raises InvalidFile
    with every error of the mapping, of its values (by line) and of special workbook cells, at once.

    ``activites``: activity code -> theme code of the territory's referential, which the service mapping's
    activities must belong to (``None``: not checked)."""
    cols = colonnes(table)
    if erreurs := verifier(correspondance, cols):
        raise InvalidFile(erreurs)
    report = Report()
    for texte in table.warnings:
        report.file_warning(texte)
    sources = correspondance.sources(cols)
    _report_special_cells(
        table,
        [f for f in FIELDS if f.name in sources],
        {champ: c.position for champ, c in sources.items()},
        report,
    )
    frame = table.frame
    valeurs = {champ: _lue(table, c, champ) for champ, c in sources.items()}
    vide = pl.all_horizontal([e == "" for e in valeurs.values()])
    lignes = frame.select(pl.col("ligne"), vide.alias("__vide"), *(e.alias(c) for c, e in valeurs.items()))
    ignorees = lignes.filter(pl.col("__vide")).get_column("ligne").to_list()
    if ignorees:
        ou = row_list(ignorees).split(" ", 1)[1]  # « ligne 6 », « lignes 6, 9 »
        report.file_warning(
            f"{ou} : aucune valeur dans les colonnes retenues (seules des colonnes ignorées sont remplies) : "
            f"laissée{_s(ignorees)} de côté"
        )
    lignes = lignes.filter(~pl.col("__vide")).drop("__vide")
    sortie = {c: pl.col(c) if c in valeurs else pl.lit("") for c in CHAMPS}
    if "employeur" not in valeurs:
        sortie["employeur"] = pl.lit(correspondance.employeur)
    if "theme" not in valeurs:
        themes, activites_ = _services(lignes, sources["service"], correspondance, activites, report)
        sortie["theme"] = _remplacer("service", themes)
        sortie["activite"] = (
            pl.when(pl.col("activite") != "").then(pl.col("activite")).otherwise(_remplacer("service", activites_))
            if "activite" in valeurs
            else _remplacer("service", activites_)
        )
    if "statut" in valeurs:
        sortie["statut"] = _remplacer("statut", _statuts(lignes, sources["statut"], correspondance, report))
    if report.has_errors:
        raise InvalidFile(situer(report.errors, correspondance, cols), report.warnings)
    payroll = lignes.select(pl.col("ligne"), *(e.alias(c) for c, e in sortie.items()))
    return Conversion(_csv(payroll, table), payroll.height, report.warnings)


def _lue(table: Table, colonne: Colonne, champ: str) -> pl.Expr:
    """A column's cells as text for the payroll file; a numeric workbook cell where a code is expected is
    zero-padded as §1 says (the payroll file is text, where it would not be)."""
    cellule = _cellules(table, colonne.position)
    if champ in ("employeur", "beneficiaire") and table.has_numeric(colonne.position):
        nombres = table.frame.filter(pl.col(Table.numeric_column(colonne.position))).get_column(
            Table.column(colonne.position)
        )
        codes = {v.strip(): normalize_code(v.strip(), numeric=True) for v in nombres.unique().to_list()}
        padded = cellule.replace(list(codes), list(codes.values()))
        return pl.when(pl.col(Table.numeric_column(colonne.position))).then(padded).otherwise(cellule)
    return cellule


def _remplacer(nom: str, table: Mapping[str, str]) -> pl.Expr:
    return pl.col(nom).replace_strict(list(table), list(table.values()), default="", return_dtype=pl.String)


def _lignes_de(lignes: pl.DataFrame, nom: str, valeur: str) -> list[int]:
    return lignes.filter(pl.col(nom) == valeur).get_column("ligne").to_list()


def _erreur_valeur(report: Report, lignes: pl.DataFrame, colonne: Colonne, nom: str, valeur: str, regle: str):
    """One error for a value of the export on its first line, naming the others (a value is mapped once)."""
    rows = _lignes_de(lignes, nom, valeur)
    autres = f" (même valeur sur {row_list(rows[1:])})" if len(rows) > 1 else ""
    report.error(rows[0], colonne.position, colonne.entete, valeur, regle + autres)


def _services(
    lignes: pl.DataFrame,
    colonne: Colonne,
    correspondance: Correspondance,
    activites: Mapping[str, str] | None,
    report: Report,
) -> tuple[dict[str, str], dict[str, str]]:
    """Each service value's theme and activity, from the mapping; an error for each value left without a
    theme, or given a theme or an activity that does not exist or do not agree."""
    themes, acts = {}, {}
    connus = {code.upper(): code for code in activites or {}}
    for valeur in lignes.get_column("service").unique().sort().to_list():
        theme = correspondance.valeur("theme", valeur).strip().upper()
        activite = correspondance.valeur("activite", valeur).strip()
        faute = None
        if not theme:
            faute = "aucun thème choisi pour ce service dans le tableau des services"
        elif theme not in (*THEME_CODES, AUTRE):
            faute = (
                f"thème « {shown(theme)} » inconnu choisi pour ce service : choisissez l'un des neuf thèmes, "
                "ou « hors des neuf thèmes »"
            )
        elif activite and activites is not None:
            code = connus.get(activite.upper())
            if code is None:
                faute = (
                    f"activité « {shown(activite)} » choisie pour ce service : inconnue du référentiel du territoire"
                )
            elif activites[code] != theme:
                faute = (
                    f"l'activité {code} choisie pour ce service est du thème {activites[code]}, et non du thème "
                    f"{theme} choisi pour lui"
                )
            else:
                activite = code
        if faute:
            _erreur_valeur(report, lignes, colonne, "service", valeur, faute)
            continue
        themes[valeur], acts[valeur] = theme, activite
    return themes, acts


def _statuts(lignes: pl.DataFrame, colonne: Colonne, correspondance: Correspondance, report: Report) -> dict[str, str]:
    out = {"": ""}  # an empty statut stays empty: the column is optional
    for valeur in lignes.get_column("statut").unique().sort().to_list():
        if valeur == "":
            continue
        statut = correspondance.valeur("statut", valeur).strip().lower()
        if statut not in STATUTS:
            quoi = f"statut « {shown(statut)} » inconnu" if statut else "aucun statut choisi"
            _erreur_valeur(
                report,
                lignes,
                colonne,
                "statut",
                valeur,
                f"{quoi} pour cette valeur dans le tableau des statuts (titulaire, contractuel ou autre)",
            )
            continue
        out[valeur] = statut
    return out


def _csv(payroll: pl.DataFrame, table: Table) -> str:
    """`;`, LF, the header of §3 on line 1; the export's line N on line N, the others blank."""
    dernier = int(table.frame.get_column("ligne").max() or 1)
    toutes = pl.DataFrame({"ligne": pl.int_range(2, dernier + 1, dtype=pl.Int64, eager=True)})
    pleine = toutes.join(payroll, on="ligne", how="left").sort("ligne").drop("ligne")
    return pleine.write_csv(separator=";", null_value="", quote_style="necessary", line_terminator="\n")


# --- the payroll file's messages in the export's words ------------------------------------------------------


def situer(messages: Iterable[str], correspondance: Correspondance, cols: Iterable[Colonne]) -> list[str]:
    """§3's messages about a field read from a column of the export name that column as the user wrote it:
    ``ligne 7 : cout_annuel « abc » : …`` becomes ``ligne 7 : Brut chargé « abc » : …`` (line numbers are
    already the export's)."""
    entetes = {champ: c.entete for champ, c in correspondance.sources(cols).items()}
    if "theme" not in entetes:
        entetes.pop("activite", None)  # the activity may come from the service's mapping
    out = []
    for message in messages:
        debut, sep, reste = message.partition(" : ")
        champ, espace, suite = reste.partition(" ")
        if sep and debut.startswith("ligne ") and espace and suite.startswith("«") and champ in entetes:
            message = f"{debut} : {entetes[champ]} {suite}"
        out.append(message)
    return out


def _s(items) -> str:
    return "s" if len(items) > 1 else ""


def _compte(n: int, mot: str) -> str:
    return f"{n} {mot}{'s' if n > 1 else ''}"


def _liste(noms: Iterable[str]) -> str:
    return ", ".join(f"« {n} »" for n in noms)
