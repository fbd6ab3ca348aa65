"""GT3 round trip through a spreadsheet (issue 4, point 5): the group's « liste des activités
mutualisables » exported to XLSX or ODS, filled offline, re-imported and merged cell by cell
(livrables/tableur/fusion.py).

One data sheet named after the theme, one row per line, the source document's columns: *Code activité |
Activités | Sous-activités | Si opportunité de mutualisation, pourquoi ? | Qualification (/4) |
Faisabilité (de 0 à 4+) | Préconisation : modalité | Préconisation : communes*, the hidden first column
holding « M<pk> ». The editable cells are the « pourquoi », the group's consensus scores, the modalité
(its code, or its label) and the communes concerned (« toutes », or codes or names separated by commas).
Each row is validated by the web page's form (gt3.forms.LigneForm). A row without identifier
is a new line (an activity of the theme by code or label). A row deleted from the file deletes nothing."""

from __future__ import annotations

import datetime as dt
import re

from formats.errors import InvalidFile, Report
from formats.tabular import normalize_header
from livrables.enums import Faisabilite, Modalite
from livrables.gt3.forms import LigneForm
from livrables.models import LigneMutualisable
from livrables.tableur import disposition, ecriture, lecture
from livrables.tableur.ecriture import Export
from livrables.tableur.fusion import Fusion, ecarter_disparus, ecarter_doublons
from livrables.tableur.fusion import fusionner as fusionner_commun
from livrables.tableur.lecture import Import, RangImport

FORMAT = "mutualis-gt3"
FORMAT_VERSION = "1"
CHAMPS = ("pourquoi", "qualification", "faisabilite", "modalite", "communes")
TOUTES = "toutes"
LIBELLES = {
    "pourquoi": "Si opportunité de mutualisation, pourquoi ?",
    "qualification": "Qualification (/4)",
    "faisabilite": "Faisabilité (de 0 à 4+)",
    "modalite": "Préconisation : modalité",
    "communes": "Préconisation : communes",
}
EDITABLES = CHAMPS
DISPARU = (
    "cette ligne a été supprimée de la liste dans l'application depuis l'export : écrivez-la sur une "
    "ligne vide pour l'ajouter de nouveau"
)
REGLE_COMMUNES = "« toutes », ou les communes membres concernées (code INSEE ou nom) séparées par des virgules"
REGLE_PRECONISATION = "choisissez les communes concernées par la préconisation, ou écrivez « toutes »"


canon_texte = lecture.texte_normalise


def _canon_meta(champ: str, texte: str) -> str:
    return canon_texte(texte)


def canon(ligne, codes_communes: list[str]) -> dict[str, str]:
    """A LigneMutualisable as the canonical strings compared by the merge; `codes_communes` its communes."""
    return {
        "pourquoi": canon_texte(ligne.pourquoi),
        "qualification": str(ligne.qualification) if ligne.qualification else "",
        "faisabilite": ligne.faisabilite or "",
        "modalite": ligne.modalite or "",
        "communes": TOUTES if ligne.toutes_communes else ",".join(sorted(codes_communes)),
    }


def affiche(champ: str, valeur: str) -> str:
    if champ == "modalite" and valeur in Modalite.values:
        return Modalite(valeur).label
    if champ == "communes":
        return "toutes les communes" if valeur == TOUTES else valeur.replace(",", ", ")
    return valeur


def _verifier(r: RangImport, final: dict[str, str]) -> list[str]:
    """The form's cross-field rule, on the merged row (a conflict may pair the file's modalité with the
    app's communes)."""
    if final["modalite"] and not final["communes"]:
        return [f"ligne {r.ligne} : {LIBELLES['communes']} « » : {REGLE_PRECONISATION}"]
    return []


C = disposition.Colonne
DISPOSITION = disposition.Disposition(
    format=FORMAT,
    nom="la liste des activités mutualisables",
    decrit="une liste des activités mutualisables (GT3)",
    colonnes=(
        C("identifiant", "Identifiant", 12, cachee=True),
        C("code", "Code activité", 16, ajout=True),
        C("activite", "Activités", 36, ajout=True, long=True),
        C("sous_activites", "Sous-activités", 30, long=True, requise=False),
        C("pourquoi", LIBELLES["pourquoi"], 50, editable=True, long=True),
        C("qualification", LIBELLES["qualification"], 14, editable=True),
        C("faisabilite", LIBELLES["faisabilite"], 14, editable=True),
        C("modalite", LIBELLES["modalite"], 24, editable=True),
        C("communes", LIBELLES["communes"], 36, editable=True, long=True),
    ),
    champs=CHAMPS,
    libelles=LIBELLES,
    controles=(
        disposition.Controle("qualification", "list", '"1,2,3,4"', "Qualification", "Une note de 1 à 4, ou vide."),
        disposition.Controle(
            "faisabilite",
            "list",
            '"' + ",".join(Faisabilite.values) + '"',
            "Faisabilité",
            "0, 1, 2, 3, 4 ou 4+, ou vide.",
        ),
        disposition.Controle(
            "modalite",
            "list",
            '"' + ",".join(Modalite.labels) + '"',
            "Modalité",
            "Une modalité de la liste, ou vide.",
        ),
    ),
    feuille_defaut="Activités mutualisables",
    affiche=affiche,
    canon_meta=_canon_meta,
    verifier=_verifier,
)


def nom_feuille(libelle: str) -> str:
    return disposition.nom_feuille(libelle, DISPOSITION.feuille_defaut)


def lignes_du_livrable(livrable) -> list[LigneMutualisable]:
    return list(
        livrable.lignes_mutualisables.select_related("activite")
        .prefetch_related("communes")
        .order_by("activite__ordre", "activite__code", "id")
    )


def construire_export(livrable, groupe, organisation, quand: dt.datetime) -> Export:
    rangs = []
    for ligne in lignes_du_livrable(livrable):
        communes = sorted(ligne.communes.all(), key=lambda o: o.code)
        v = canon(ligne, [c.code for c in communes])
        ident = f"M{ligne.pk}"
        cellules = {
            "identifiant": ident,
            "code": ligne.activite.code,
            "activite": ligne.activite.libelle,
            "sous_activites": ligne.sous_activites,
            "pourquoi": v["pourquoi"],
            "qualification": ligne.qualification,
            "faisabilite": v["faisabilite"],
            "modalite": affiche("modalite", v["modalite"]),
            "communes": TOUTES if ligne.toutes_communes else ", ".join(f"{c.nom} ({c.code})" for c in communes),
        }
        rangs.append(ecriture.RangExport(ident, ligne.activite.code, ligne.version, v, cellules))
    return ecriture.export_du_groupe(
        FORMAT, FORMAT_VERSION, groupe, livrable, organisation.code if organisation is not None else "", quand, rangs
    )


def exporter_xlsx(export: Export) -> bytes:
    return ecriture.exporter_xlsx(DISPOSITION, export)


def exporter_ods(export: Export) -> bytes:
    return ecriture.exporter_ods(DISPOSITION, export)


# --- import ---------------------------------------------------------------------------------------------


class Communes:
    """The member communes, matched by INSEE code, name, or « Nom (code) » as exported."""

    def __init__(self, communes):
        self.liste = list(communes)
        self.par_code = {c.code: c for c in self.liste}
        self.par_nom = {normalize_header(c.nom): c for c in self.liste}

    def lire(self, texte: str) -> tuple[str | None, list[str]]:
        """(canonical value or None, the names not understood)."""
        morceaux = [m.strip() for m in re.split(r"[,;\n]", texte) if m.strip()]
        if not morceaux:
            return "", []
        if [normalize_header(m) for m in morceaux] in (["toutes"], ["toutes_les_communes"]):
            return TOUTES, []
        codes, inconnus = set(), []
        for m in morceaux:
            entre = re.search(r"\(\s*(\w+)\s*\)\s*$", m)
            commune = (
                (self.par_code.get(entre.group(1)) if entre else None)
                or self.par_code.get(m)
                or self.par_nom.get(normalize_header(m))
            )
            if commune is None:
                inconnus.append(m)
            else:
                codes.add(commune.code)
        return (None if inconnus else ",".join(sorted(codes))), inconnus


def modalite_de(texte: str) -> str:
    """A modalité's code from its code or label; the text itself when unknown (the form refuses it)."""
    cle = normalize_header(texte)
    if not cle:
        return ""
    for m in Modalite:
        if cle in (normalize_header(m.value), normalize_header(m.label)):
            return m.value
    return texte.strip()


def lire_import(data: bytes, nom: str, activites, communes, attendu_livrable: int, feuille: str) -> Import:
    """Parse and validate a filled GT3 workbook, each row through the web page's form; raise
    `InvalidFile` with every error. `activites` and `communes` are the querysets the page's form takes."""
    meta, meta_lignes = lecture.lire_meta(DISPOSITION, data, nom)
    if meta.get("livrable") != str(attendu_livrable):
        raise InvalidFile(
            [
                "fichier : ce fichier a été exporté pour une autre liste des activités mutualisables : "
                "exportez celle de ce groupe"
            ]
        )
    lue = lecture.Feuille(DISPOSITION, data, nom, feuille)
    report = Report()
    options = {"activites": activites, "communes": communes}  # the querysets the form takes
    activites = list(activites)
    referentiel = lecture.Referentiel(activites)
    membres = Communes(communes)
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
        if cell.signaler_cellules(report, EDITABLES if ident else (*EDITABLES, "code", "activite")):
            continue
        if ident:
            info = cell.rang_exporte(
                report, ident, meta_lignes, vus, "M", referentiel.codes, "ajouter une activité", "ligne"
            )
            if info is None:
                continue
            activite = next(a for a in activites if a.code == info["activite"])
            version, exporte = info["version"], info["valeurs"]
        else:
            activite = referentiel.trouver(cell, report)
            if activite is None:
                continue
            version, exporte = 0, dict(DISPOSITION.vide)
        valeurs = {
            "pourquoi": canon_texte(cell("pourquoi")),
            "qualification": lecture.entier(cell("qualification"), cell.numerique("qualification")),
            "faisabilite": lecture.entier(cell("faisabilite"), cell.numerique("faisabilite")),
            "modalite": modalite_de(cell("modalite")),
        }
        communes_lues, inconnus = membres.lire(cell("communes"))
        if inconnus:
            cell.erreur(
                report,
                "communes",
                ", ".join(inconnus),
                f"commune{'s' if len(inconnus) > 1 else ''} inconnue{'s' if len(inconnus) > 1 else ''} : "
                f"écrivez {REGLE_COMMUNES}",
            )
            continue
        form = LigneForm(
            {
                "activite": str(activite.pk),
                "pourquoi": valeurs["pourquoi"],
                "qualification": valeurs["qualification"],
                "faisabilite": valeurs["faisabilite"],
                "modalite": valeurs["modalite"],
                "toutes_communes": "on" if communes_lues == TOUTES else "",
                "communes": [str(membres.par_code[c].pk) for c in _codes(communes_lues)],
            },
            **options,
        )
        if not form.is_valid():
            brutes = {
                "qualification": cell("qualification"),
                "faisabilite": cell("faisabilite"),
                "modalite": cell("modalite"),
                "communes": cell("communes"),
                "pourquoi": cell("pourquoi"),
            }
            for champ, messages in form.errors.items():
                cle = champ if champ in LIBELLES else ("code" if champ == "activite" else "communes")
                for m in messages:
                    regle = REGLE_PRECONISATION if champ == "communes" and "cochez" in m else m.rstrip(".")
                    cell.erreur(report, cle, brutes.get(cle, cell(cle)), regle)
            continue
        resultat.rangs.append(
            RangImport(
                n, ident or f"+{n}", ident, version, exporte, {**valeurs, "communes": communes_lues}, activite.code
            )
        )
    report.raise_if_errors()
    resultat.avertissements += report.warnings
    return resultat


def _codes(valeur: str) -> list[str]:
    return [] if valeur in ("", TOUTES) else valeur.split(",")


def actuelles(livrable) -> dict[str, tuple[int, dict[str, str]]]:
    return {
        f"M{l.pk}": (l.version, canon(l, [c.code for c in l.communes.all()]))
        for l in livrable.lignes_mutualisables.prefetch_related("communes")
    }


def _signature(activite_code: str, valeurs: dict[str, str]) -> tuple:
    return activite_code, *(valeurs[c] for c in CHAMPS)


def existantes(livrable) -> set[tuple]:
    """The list's lines as an added row would repeat them: the activity and every value compared."""
    return {
        _signature(l.activite.code, canon(l, [c.code for c in l.communes.all()]))
        for l in livrable.lignes_mutualisables.select_related("activite").prefetch_related("communes")
    }


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
    rangs, doublons = ecarter_doublons(rangs, existantes_, lambda r: _signature(r.activite_code, r.fichier))
    fusion = fusionner_commun(DISPOSITION, rangs, actuelles_, choix, libelle, montres)
    fusion.erreurs = erreurs + fusion.erreurs
    fusion.avertissements += doublons
    return fusion


def communes_disparues(rangs: list[RangImport], fusion: Fusion, communes: dict) -> list[str]:
    """Rows to write naming a commune no longer a member since the file was read (a conflict page
    answered later): refused rather than written without it."""
    erreurs = []
    for r in rangs:
        manquantes = [c for c in _codes(fusion.valeurs.get(r.cle, {}).get("communes", "")) if c not in communes]
        if manquantes:
            regle = "ces communes ne sont plus membres" if len(manquantes) > 1 else "cette commune n'est plus membre"
            erreurs.append(
                f"ligne {r.ligne} : {LIBELLES['communes']} « {', '.join(manquantes)} » : {regle} du "
                f"territoire : retirez-la de la ligne puis réimportez le fichier"
            )
    return erreurs


def vers_modele(valeurs: dict[str, str], communes: dict) -> dict:
    """Canonical strings → the values of a line (`communes`: {code: organisation} of the members)."""
    toutes = valeurs["communes"] == TOUTES
    return {
        "pourquoi": valeurs["pourquoi"],
        "qualification": int(valeurs["qualification"]) if valeurs["qualification"] else None,
        "faisabilite": valeurs["faisabilite"],
        "modalite": valeurs["modalite"],
        "toutes_communes": toutes,
        "communes": [communes[c] for c in _codes(valeurs["communes"])],
    }
