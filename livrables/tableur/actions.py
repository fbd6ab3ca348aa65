"""Writes of the spreadsheet round trips: a merged import applied in one transaction, one version of the
deliverable and one audit row for the whole file (GT1 writes through the commune page's own action, so
its row of the commune's inventory is there too). The views merge under the deliverable's lock and call
these with the merged values only (livrables/tableur/views.py)."""

from django.db import transaction

from commun.erreurs import ActionRefusee
from livrables.actions import evenement, verifier_modifiable
from livrables.gt1.actions import do_enregistrer_inventaire
from livrables.models import ElementAfor, LigneMutualisable
from livrables.tableur.disposition import RangImport
from livrables.tableur.gt2 import REFUS_REFORMULER
from livrables.tableur.gt3 import vers_modele
from validation import actions as validation


def _compte(n: int, nom: str) -> str:
    return f"{n} {nom}{'s' if n > 1 else ''}"


@transaction.atomic
def do_importer_inventaire(livrable, commune, user, valeurs: dict, etp_paie: dict, conflits: int) -> int:
    """Write a commune's merged GT1 workbook (`valeurs` as `do_enregistrer_inventaire` takes them,
    `conflits`: how many cells were in conflict). Returns how many rows changed (0: nothing written)."""
    n = do_enregistrer_inventaire(livrable, commune, user, valeurs, etp_paie) if valeurs else 0
    if n:
        evenement(livrable, user, "livrables.import_tableur", commune=commune.code, lignes=n, conflits=conflits)
    return n


@transaction.atomic
def do_importer_afor(
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
    verifier_modifiable(livrable)
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
        evenement(livrable, user, "livrables.afor_import", ajouts=ajouts, reformulations=reformulations)
    return ajouts, reformulations


@transaction.atomic
def do_importer_mutualisables(
    livrable, user, rangs: list[RangImport], valeurs: dict[str, dict[str, str]], activites: dict, communes: dict
) -> tuple[int, int]:
    """Write the merged list: new lines and changed cells, then one version of the deliverable. Returns
    (lines added, lines changed); (0, 0): nothing written, no version."""
    verifier_modifiable(livrable)
    ajouts, modifiees = 0, 0
    for r in rangs:
        if r.cle not in valeurs:
            continue
        v = vers_modele(valeurs[r.cle], communes)
        liste = v.pop("communes")
        if r.est_ajout:
            ligne = LigneMutualisable.objects.create(
                livrable=livrable, activite=activites[r.activite_code], version=1, modifie_par=user, **v
            )
            ligne.communes.set(liste)
            ajouts += 1
            continue
        ligne = LigneMutualisable.objects.select_for_update().get(pk=int(r.identifiant[1:]), livrable=livrable)
        for champ, valeur in v.items():
            setattr(ligne, champ, valeur)
        ligne.version += 1
        ligne.modifie_par = user
        ligne.save()
        ligne.communes.set(liste)
        modifiees += 1
    if ajouts or modifiees:
        validation.do_versionner(
            livrable,
            user,
            f"import d'un classeur : {ajouts} ligne{'s' if ajouts > 1 else ''} "
            f"ajoutée{'s' if ajouts > 1 else ''}, {modifiees} "
            f"modifiée{'s' if modifiees > 1 else ''}",
        )
        evenement(livrable, user, "livrables.gt3_import", ajouts=ajouts, modifications=modifiees)
    return ajouts, modifiees
