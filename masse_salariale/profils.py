"""Payroll exports read through a mapping of their columns (issue 15, point 4): the profiles that keep an
employer's mapping from year to year, and the import that turns an export into a payroll file of §3 and
stages it as any uploaded file (masse_salariale.actions.do_preparer_lot: same validation, same batch page,
same confirmation). The mapping itself is pure (formats/export_paie.py)."""

import hashlib
from dataclasses import dataclass

from django.db import transaction

from commun.erreurs import ActionRefusee
from formats.errors import InvalidFile
from formats.export_paie import Colonne, Correspondance, cle_valeur, colonnes, convertir, situer
from formats.lecture import read_table
from formats.payroll import SHEET
from masse_salariale.actions import do_preparer_lot
from masse_salariale.models import Lot, ProfilColonnes
from territoire.models import Evenement, Organisation, Territoire


def profils_visibles(acces):
    """The profiles of the employers this user may import for: no one else sees or uses them."""
    return ProfilColonnes.objects.filter(organisation__in=acces.organisations_importables()).select_related(
        "organisation"
    )


def peut_importer_pour(acces, organisation: Organisation) -> bool:
    return acces.organisations_importables().filter(pk=organisation.pk).exists()


def activites(territoire: Territoire) -> dict[str, str]:
    """The referential's activities: code -> theme code."""
    return dict(territoire.activites.values_list("code", "theme"))


def lire_export(data: bytes, fichier: str):
    """The export's table and its columns (InvalidFile when it cannot be read, or a header is doubled)."""
    table = read_table(data, fichier, SHEET)
    return table, colonnes(table)


def nom_du_lot(fichier: str) -> str:
    """The batch's file name: the export's, said converted (and never read as a workbook's extension)."""
    return f"{fichier[:230]} (export converti)"


@dataclass
class ImportExport:
    lot: Lot
    profil: ProfilColonnes | None


@transaction.atomic
def do_importer_export(
    territoire: Territoire,
    data: bytes,
    fichier: str,
    organisation: Organisation,
    annee: int,
    correspondance: Correspondance,
    utilisateur,
    acces,
    nom_profil: str = "",
) -> ImportExport:
    """Convert the export through the mapping, stage the payroll file it gives (status « à confirmer ») and,
    when named, save the mapping as the employer's profile: all or nothing. Raises InvalidFile (messages
    naming the export's lines and columns) or ActionRefusee."""
    if not peut_importer_pour(acces, organisation):
        raise ActionRefusee([f"employeur : vous ne pouvez pas importer la masse salariale de {organisation.nom}"])
    table, cols = lire_export(data, fichier)
    correspondance.employeur = organisation.code
    conversion = convertir(table, correspondance, activites(territoire))
    try:
        lot = do_preparer_lot(territoire, conversion.contenu.encode(), nom_du_lot(fichier), annee, utilisateur, acces)
    except InvalidFile as exc:
        raise InvalidFile(
            situer(exc.errors, correspondance, cols),
            situer(conversion.avertissements + exc.warnings, correspondance, cols),
        ) from None
    # The batch's warnings (shown on its page) in the export's words, with those of the mapping.
    lot.avertissements = situer(conversion.avertissements + lot.avertissements, correspondance, cols)
    lot.save(update_fields=["avertissements"])
    profil = None
    if nom_profil.strip():
        profil = do_enregistrer_profil(organisation, nom_profil, correspondance, cols, utilisateur, lot)
    return ImportExport(lot, profil)


@transaction.atomic
def do_enregistrer_profil(
    organisation: Organisation,
    nom: str,
    correspondance: Correspondance,
    cols: list[Colonne],
    utilisateur,
    lot: Lot | None = None,
) -> ProfilColonnes:
    """Save the mapping of these columns as the employer's profile `nom` (created, or updated when it
    exists). Value mappings add to the profile's: a service of last year absent this year keeps its theme."""
    nom = nom.strip()[:100]
    profil, cree = ProfilColonnes.objects.select_for_update().get_or_create(organisation=organisation, nom=nom)
    valeurs = {}
    for champ in sorted(set(profil.valeurs) | set(correspondance.valeurs)):
        nouvelles = {k: v for k, v in correspondance.valeurs.get(champ, {}).items() if v}
        cles = {cle_valeur(k) for k in nouvelles}
        anciennes = {k: v for k, v in profil.valeurs.get(champ, {}).items() if cle_valeur(k) not in cles}
        valeurs[champ] = anciennes | nouvelles
    profil.colonnes = {c.entete: correspondance.champ(c) for c in cols}
    profil.valeurs = valeurs
    profil.modifie_par = utilisateur
    profil.save()
    Evenement.objects.create(
        territoire=organisation.territoire,
        utilisateur=utilisateur,
        action="masse_salariale.profil",
        objet=f"Profil « {nom} » ({organisation.nom})",
        details={
            "employeur": organisation.code,
            "cree": cree,
            "colonnes": len(profil.colonnes),
            "lot": lot.pk if lot else None,
        },
    )
    return profil


@transaction.atomic
def do_supprimer_profil(profil: ProfilColonnes, utilisateur, acces) -> None:
    if not peut_importer_pour(acces, profil.organisation):
        raise ActionRefusee([f"profil : ce profil est celui de {profil.organisation.nom}"])
    Evenement.objects.create(
        territoire=profil.organisation.territoire,
        utilisateur=utilisateur,
        action="masse_salariale.profil_suppression",
        objet=f"Profil « {profil.nom} » ({profil.organisation.nom})",
        details={"employeur": profil.organisation.code},
    )
    profil.delete()


def noter_refus(territoire: Territoire, utilisateur, fichier: str, data: bytes, erreurs: int) -> None:
    """A refused export, in the journal as a refused payroll file (hidden from the home page's activity)."""
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=utilisateur,
        action="masse_salariale.refus",
        objet=fichier[:200],
        details={"erreurs": erreurs, "empreinte": hashlib.sha256(data).hexdigest(), "export": True},
    )
