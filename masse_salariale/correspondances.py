"""An employer's correspondence (docs/contrats/9-dsn.md), kept from year to year: placing a libellé or an
agent from the page, replacing every rule by a file, exporting them in §9's columns, and the suggestions
the placing page offers (never applied without a click).

Matricule rules name agents: they are shown only to the users who may import the employer's payroll (its
DGS and the project team), the only ones who reach these pages."""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font

from commun.erreurs import ActionRefusee
from engine.themes import THEME_BY_CODE
from formats import correspondance
from formats.ecriture import ajouter_ligne, texte_csv
from formats.impression import mettre_en_page_xlsx
from masse_salariale.enums import CleRegle, StatutLecture
from masse_salariale.models import LectureDSN, RegleCorrespondance
from masse_salariale.pseudonymes import pseudonymiser
from territoire.models import Evenement, Organisation


@dataclass(frozen=True)
class LignePlacement:
    theme: str
    activite: str = ""
    part: Decimal = Decimal(1)
    situation: str = "propre"
    beneficiaire: str = ""


def _evenement(organisation, utilisateur, action, **details):
    Evenement.objects.create(
        territoire=organisation.territoire,
        utilisateur=utilisateur,
        action=action,
        objet=f"Correspondance de {organisation.nom}",
        details=details,
    )


@transaction.atomic
def do_placer(organisation: Organisation, cle: str, valeur: str, lignes: list[LignePlacement], utilisateur):
    """Add one rule (its lines sum to 1). A rule of the same key and value is refused: delete it first."""
    if cle not in CleRegle.values:
        raise ActionRefusee([f"règle : clé « {cle} » inconnue"])
    norme = "" if cle == CleRegle.DEFAUT else correspondance.normaliser(valeur)
    if cle != CleRegle.DEFAUT and not norme:
        raise ActionRefusee(["règle : la valeur est obligatoire pour une règle par matricule, service ou emploi"])
    if not lignes or sum(l.part for l in lignes) != 1:
        raise ActionRefusee(["règle : les parts doivent faire 1 au total"])
    existe = RegleCorrespondance.objects.select_for_update().filter(
        organisation=organisation, cle=cle, valeur_normalisee=norme
    )
    if existe.exists():
        raise ActionRefusee(
            [f"règle : « {valeur or 'par défaut'} » est déjà placé : supprimez la règle existante pour la changer"]
        )
    RegleCorrespondance.objects.bulk_create(
        RegleCorrespondance(
            organisation=organisation,
            cle=cle,
            valeur="" if cle == CleRegle.DEFAUT else valeur.strip()[:200],
            valeur_normalisee=norme[:200],
            theme=l.theme,
            activite=l.activite,
            part=l.part,
            situation=l.situation,
            beneficiaire=l.beneficiaire,
            modifie_par=utilisateur,
        )
        for l in lignes
    )
    _evenement(organisation, utilisateur, "masse_salariale.regle", cle=cle, lignes=len(lignes))


@transaction.atomic
def do_supprimer_regle(organisation: Organisation, cle: str, valeur_normalisee: str, utilisateur) -> int:
    n, _ = RegleCorrespondance.objects.filter(
        organisation=organisation, cle=cle, valeur_normalisee=valeur_normalisee
    ).delete()
    if not n:
        raise ActionRefusee(["règle : cette règle n'existe plus (supprimée entre-temps ?)"])
    _evenement(organisation, utilisateur, "masse_salariale.regle_suppression", cle=cle)
    return n


@transaction.atomic
def do_importer_regles(organisation: Organisation, data: bytes, nom: str, utilisateur) -> int:
    """Replace every rule of the employer by those of a file (§9's columns), all or nothing."""
    territoire = organisation.territoire
    regles = correspondance.lire_correspondances(
        data,
        nom,
        activites=set(territoire.activites.values_list("code", flat=True)),
        organisations=set(territoire.organisations.values_list("code", flat=True)),
    )
    RegleCorrespondance.objects.filter(organisation=organisation).delete()
    RegleCorrespondance.objects.bulk_create(
        RegleCorrespondance(
            organisation=organisation,
            cle=cle,
            valeur=l.valeur[:200],
            valeur_normalisee=norme[:200],
            theme=l.theme,
            activite=l.activite,
            part=Decimal(l.part),
            situation=l.situation,
            beneficiaire=l.beneficiaire,
            modifie_par=utilisateur,
        )
        for (cle, norme), lignes in regles.items()
        for l in lignes
    )
    _evenement(organisation, utilisateur, "masse_salariale.regles_import", regles=len(regles))
    return len(regles)


def lignes_export(organisation: Organisation) -> list[list[str]]:
    """Every rule line in §9's columns, header first: what the import reads back."""
    rows = [list(correspondance.COLONNES)]
    for r in RegleCorrespondance.objects.filter(organisation=organisation):
        part = format(r.part.normalize(), "f")
        rows.append([r.cle, r.valeur, r.theme, r.activite, part, r.situation, r.beneficiaire])
    return rows


def export_csv(organisation: Organisation) -> bytes:
    """The rules as CSV; a value a spreadsheet would take for a formula is written after an apostrophe,
    which the import removes (formats/ecriture.py)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(
        [texte_csv(v) for v in row] for row in lignes_export(organisation)
    )
    return out.getvalue().encode("utf-8")


def export_xlsx(organisation: Organisation) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "correspondances"
    for row in lignes_export(organisation):
        ajouter_ligne(ws, row)  # text stays text: codes keep their zeros, nothing becomes a formula
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    mettre_en_page_xlsx(wb, f"Correspondance de {organisation.nom}")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- Suggestions --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """A placement proposed for a libellé, and why; applied only by the user's click."""

    ligne: LignePlacement
    libelle: str  # « Ressources humaines · Paie »
    raison: str


MOTS_VIDES = {"de", "des", "du", "la", "le", "les", "et", "en", "au", "aux", "l", "d", "a", "un", "une", "pour"}


def _mots(texte: str) -> set[str]:
    return {m for m in correspondance.normaliser(texte).replace("'", " ").replace("-", " ").split()} - MOTS_VIDES


def _ressemblance(a: str, b: str) -> float:
    ma, mb = _mots(a), _mots(b)
    return len(ma & mb) / len(ma | mb) if ma and mb else 0.0


class Suggesteur:
    """What the suggestions of a reading's page read, once for every libellé of the page: the employer's
    single-line rules (a rule with parts across themes is no placement for a whole libellé), last year's
    reading, the referential's activities."""

    def __init__(self, organisation: Organisation, annee: int):
        self.organisation = organisation
        regles: dict[tuple[str, str], list[RegleCorrespondance]] = {}
        for r in RegleCorrespondance.objects.filter(organisation=organisation):
            regles.setdefault((r.cle, r.valeur_normalisee), []).append(r)
        self.regles = {cle: lignes[0] for cle, lignes in regles.items() if len(lignes) == 1}
        self.precedente = (
            LectureDSN.objects.filter(organisation=organisation, annee__lt=annee, statut=StatutLecture.PREPAREE)
            .order_by("-annee", "-importe_le")
            .first()
        )
        self.activites = list(organisation.territoire.activites.all())
        self.noms = {a.code: a.libelle for a in self.activites}

    def pour(self, libelle: str, matricules: list[str]) -> list[Suggestion]:
        """At most three placements for a group of unplaced agents: where last year's reading placed these
        same agents, the employer's emploi rules of a similar libellé, the activities of a similar name."""
        trouvees: list[Suggestion] = []

        def proposer(r, raison):
            ligne = LignePlacement(r.theme, r.activite, Decimal(1), r.situation, r.beneficiaire)
            if len(trouvees) < 3 and ligne not in [s.ligne for s in trouvees]:
                theme = THEME_BY_CODE[r.theme].label if r.theme in THEME_BY_CODE else "Hors des neuf thèmes"
                nom = f"{theme} · {self.noms[r.activite]}" if r.activite in self.noms else theme
                trouvees.append(Suggestion(ligne, nom, raison))

        if self.precedente is not None and matricules:
            comptes: dict[tuple[str, str], int] = {}
            for m in matricules:
                cle = self.precedente.historique.get(pseudonymiser(self.organisation.code, m))
                if cle is not None and tuple(cle) in self.regles:
                    comptes[tuple(cle)] = comptes.get(tuple(cle), 0) + 1
            for cle, n in sorted(comptes.items(), key=lambda kv: -kv[1])[:1]:
                r = self.regles[cle]
                quoi = "la règle par défaut" if cle[0] == "defaut" else f"la règle {cle[0]} « {r.valeur} »"
                annee = self.precedente.annee
                proposer(r, f"en {annee}, {n} de ces {len(matricules)} agents étaient placés par {quoi}")
        proches = sorted(
            ((_ressemblance(libelle, r.valeur), r) for (cle, _), r in self.regles.items() if cle == CleRegle.EMPLOI),
            key=lambda x: -x[0],
        )
        for score, r in proches[:2]:
            if score >= 0.5:
                proposer(r, f"libellé proche déjà placé : « {r.valeur} »")
        activites = sorted(
            ((_ressemblance(libelle, a.libelle), a) for a in self.activites), key=lambda x: (-x[0], x[1].ordre)
        )
        for score, a in activites[:3]:
            if score > 0:
                proposer(
                    RegleCorrespondance(theme=a.theme, activite=a.code),
                    f"activité du référentiel au nom proche : « {a.libelle} »",
                )
        return trouvees
