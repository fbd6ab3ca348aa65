"""Writes of GT1: a commune's inventory. One transaction: the rows change (their `version` bumped,
`modifie_par` set), then validation.do_versionner records one new version of the deliverable; a locked
deliverable refuses the whole change (ActionRefusee, nothing written). Who may fill which commune's list
is decided by the views through comptes.perms (`peut_remplir_inventaire`)."""

from decimal import Decimal

from django.db import transaction

from commun import concurrence
from commun.formatage import nombre
from livrables.actions import evenement, verifier_modifiable
from livrables.models import LigneInventaire
from validation import actions as validation

REFUS_REMPLIR = (
    "Seuls le DGS de la commune, ses délégués dans le groupe et l'équipe projet remplissent "
    "la liste des activités de cette commune."
)
CHAMPS_INVENTAIRE = ("exerce", "etp", "sous_activites", "specificites")


def _normaliser(champ, valeur):
    if champ == "etp" and valeur is not None:
        return Decimal(valeur).quantize(Decimal("0.01"))
    if champ in ("sous_activites", "specificites"):
        return (valeur or "").strip()
    return valeur


def _lignes(livrable, commune) -> list[LigneInventaire]:
    return list(
        livrable.inventaire.filter(commune=commune).select_related("activite", "modifie_par").order_by("activite__code")
    )


def _valeurs(lignes) -> dict:
    return {l.activite.code: [getattr(l, c) for c in CHAMPS_INVENTAIRE] for l in lignes}


def empreinte(livrable, commune) -> str:
    """The fingerprint of the commune's list as the page shows it (commun/concurrence.py)."""
    return concurrence.empreinte(_valeurs(_lignes(livrable, commune)))


def _texte(ligne) -> str:
    exerce = {True: "exerce l'activité", False: "n'exerce pas l'activité", None: "non renseigné"}[ligne.exerce]
    morceaux = [exerce]
    if ligne.etp is not None:
        morceaux.append(f"{nombre(ligne.etp, 2)} ETP")
    if ligne.sous_activites:
        morceaux.append("sous-activités : " + " ; ".join(ligne.sous_activites.splitlines()))
    if ligne.specificites:
        morceaux.append(f"spécificités : {ligne.specificites}")
    return " · ".join(morceaux)


@transaction.atomic
def do_enregistrer_inventaire(
    livrable, commune, user, valeurs: dict, etp_paie: dict | None = None, empreinte_lue: str | None = None
) -> int:
    """Write a commune's GT1 rows: `valeurs` is {activity id: {exerce, etp, sous_activites, specificites}}.
    Each changed row gets its version bumped; one new version of the deliverable records the whole
    change. Returns how many rows changed (0: nothing written, no version). Refused when locked, and when
    the commune's list changed since the page showed it (`empreinte_lue`, commun/concurrence.py; None
    for a writer that is no page)."""
    verifier_modifiable(livrable)
    lignes = _lignes(livrable, commune)
    if empreinte_lue is not None:
        derniere = max(lignes, key=lambda l: l.modifie_le, default=None)
        concurrence.verifier(
            f"La liste des activités de {commune.nom}",
            _valeurs(lignes),
            {f"{l.activite.libelle} ({l.activite.code})": _texte(l) for l in lignes},
            empreinte_lue,
            qui=derniere.modifie_par if derniere is not None and derniere.modifie_par_id else "",
            accord="e",
        )
    etp_paie = etp_paie or {}
    existantes = {l.activite_id: l for l in lignes}
    changees = []
    for activite_id, data in valeurs.items():
        data = {c: _normaliser(c, data.get(c)) for c in CHAMPS_INVENTAIRE}
        ligne = existantes.get(activite_id)
        if ligne is None:
            if (
                data["exerce"] is None
                and data["etp"] is None
                and not data["sous_activites"]
                and not data["specificites"]
            ):
                continue  # nothing said about this activity
            ligne = LigneInventaire(
                livrable=livrable,
                commune=commune,
                activite_id=activite_id,
                version=0,
                etp_paie=etp_paie.get(activite_id),
            )
        elif all(getattr(ligne, c) == v for c, v in data.items()):
            continue
        for champ, valeur in data.items():
            setattr(ligne, champ, valeur)
        ligne.version += 1
        ligne.modifie_par = user
        if ligne.etp_paie is None and activite_id in etp_paie:
            ligne.etp_paie = etp_paie[activite_id]
        ligne.save()
        changees.append(ligne)
    if not changees:
        return 0
    n = len(changees)
    validation.do_versionner(
        livrable,
        user,
        f"Inventaire de {commune.nom} : {n} activité{'s' if n > 1 else ''} modifiée{'s' if n > 1 else ''}",
    )
    evenement(livrable, user, "livrables.inventaire", commune=commune.code, lignes=n)
    return n
