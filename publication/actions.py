"""Writes of the schéma's documents (docs/publication.md): the presentation of each flagged row of the
impact table (recorded with the version), a request to generate a document (queued for the worker), the
layout of the documents. Each write is one transaction with its row in the audit trail; what the state
of the version allows is decided here (ActionRefusee, French messages); who may call what, by the views."""

import datetime as dt
import hashlib
import json

from django.db import transaction

from commun import concurrence
from commun.erreurs import ActionRefusee
from commun.formatage import date as date_fr
from comptes.enums import Role
from comptes.models import Habilitation
from parcours.models import VersionSchema
from publication import gabarit as gabarits
from publication.contenu import CHAPITRES
from publication.enums import FormatDocument, Presentation, StatutGeneration
from publication.generation import existante, generer_document
from publication.impact import tableau_publie
from publication.models import ChoixPublication, DocumentSchema, Gabarit
from territoire.models import Evenement


def _evenement(version_ou_schema, user, action, objet, **details):
    schema = getattr(version_ou_schema, "schema", version_ou_schema)
    Evenement.objects.create(
        territoire_id=schema.territoire_id, utilisateur=user, action=action, objet=objet[:200], details=details
    )


def transmise(version) -> bool:
    """Sent to the communes: its publication choices and its documents no longer change."""
    return version.envois.exists()


def dgs_de(version, organisation):
    """The users who may consent, for `organisation`, to its row being shown: its DGS."""
    return [
        h.utilisateur
        for h in Habilitation.objects.filter(
            territoire_id=version.schema.territoire_id, role=Role.DGS, organisation=organisation
        ).select_related("utilisateur")
    ]


@transaction.atomic
def do_choisir(version, choix: dict, user, aujourdhui: dt.date) -> list[ChoixPublication]:
    """Record the presentation of the flagged rows: `choix` maps an organisation to (presentation, the DGS
    who consented or None, the date of the consent or None). Refused, leaving every choice as it was, when
    the version was sent, a « montrer » lacks its DGS's consent, or the choices cannot be honoured together
    (a group alone or not diffusible: publication/impact.py)."""
    if transmise(version):
        raise ActionRefusee(["la version a été transmise aux communes : sa présentation ne change plus"])
    erreurs, lignes = [], []
    for organisation, (presentation, qui, quand) in choix.items():
        if presentation == Presentation.MONTRER:
            if qui is None or quand is None:
                erreurs.append(f"{organisation.nom} : « montrer » demande l'accord de son DGS (qui et quand)")
                continue
            if qui not in dgs_de(version, organisation):
                erreurs.append(f"{organisation.nom} : {qui} n'est pas DGS de cette organisation dans Mutualis")
            if quand > aujourdhui:
                erreurs.append(f"{organisation.nom} : l'accord du {date_fr(quand)} n'est pas encore donné")
        else:
            qui = quand = None
        lignes.append(
            ChoixPublication(
                version=version,
                organisation=organisation,
                presentation=presentation,
                consentement_de=qui,
                consentement_le=quand,
                choisi_par=user,
            )
        )
    if erreurs:
        raise ActionRefusee(erreurs)
    tp = tableau_publie(version, {c.organisation.code: c for c in lignes})
    if tp.erreurs:
        raise ActionRefusee(tp.erreurs)
    ChoixPublication.objects.filter(version=version).delete()
    ChoixPublication.objects.bulk_create(lignes)
    _evenement(
        version,
        user,
        "publication.choix",
        f"Présentation des montants, version {version.numero}",
        version=version.pk,
        choix={c.organisation.code: c.presentation for c in lignes},
    )
    return lignes


def parametres(version) -> str:
    """A fingerprint of what a document is built from besides the frozen version: its publication choices
    and the layout. The same fingerprint, the same document: it is served as stored."""
    choix = sorted(
        (c.organisation_id, c.presentation, c.consentement_de_id, str(c.consentement_le))
        for c in version.choix_publication.all()
    )
    g = gabarits.gabarit(version.schema)
    mise = [g.couleur, g.couleur_secondaire, g.titre, g.sous_titre, g.mention, g.introductions, g.logo.name or ""]
    return hashlib.sha256(json.dumps([choix, mise], sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def do_demander(version, format: str, user) -> DocumentSchema:
    """Ask for the document of `version` in `format`. The one stored for the same choices and layout is
    served again (a sent version's is never rewritten); a request already under way is returned as it is
    (a second tab, a double click); otherwise a new one is queued for the worker, after the commit."""
    if format not in FormatDocument.values:
        raise ActionRefusee([f"format « {format} » inconnu : pdf, odt ou docx"])
    version = VersionSchema.objects.select_for_update().get(pk=version.pk)
    documents = DocumentSchema.objects.filter(version=version, format=format)
    if transmise(version):
        stocke = documents.filter(statut=StatutGeneration.PRET).order_by("demande_le").first()
        if stocke is not None:
            return stocke
    empreinte = parametres(version)
    existant = existante(documents, format, empreinte)
    if existant is not None:
        return existant
    tp = tableau_publie(version)
    if tp.erreurs:
        raise ActionRefusee(tp.erreurs)
    demande = DocumentSchema.objects.create(
        version=version, format=format, statut=StatutGeneration.EN_ATTENTE, parametres=empreinte, demande_par=user
    )
    _evenement(
        version,
        user,
        "publication.demande",
        f"Schéma, version {version.numero} ({demande.get_format_display()})",
        version=version.pk,
        format=format,
    )
    transaction.on_commit(lambda: generer_document.enqueue(demande.pk))
    return demande


def _valeurs_gabarit(g: Gabarit) -> dict:
    return {
        "couleur": g.couleur,
        "couleur_secondaire": g.couleur_secondaire,
        "titre": g.titre,
        "sous_titre": g.sous_titre,
        "mention": g.mention,
        "introductions": g.introductions or {},
        "logo": g.logo.name if g.logo else "",
    }


def empreinte_gabarit(g: Gabarit) -> str:
    """The fingerprint of the layout the editing page shows (commun/concurrence.py)."""
    return concurrence.empreinte(_valeurs_gabarit(g))


@transaction.atomic
def do_modifier_gabarit(schema, valeurs: dict, logo, user, empreinte_lue: str | None = None) -> Gabarit:
    """Save the layout: colours, cover texts, the chapters' introductions (as typed; sanitised when used),
    the logo (`logo`: an uploaded PNG or JPEG, False to remove it, None to keep it). Refused when the layout
    changed since the page showed it (`empreinte_lue`; None for a writer that is no page)."""
    Gabarit.objects.get_or_create(schema=schema)
    g = Gabarit.objects.select_for_update(of=("self",)).select_related("modifie_par").get(schema=schema)
    if empreinte_lue is not None:
        v = _valeurs_gabarit(g)
        montres = {"couverture": " · ".join(filter(None, [v["titre"], v["sous_titre"], v["mention"]]))}
        montres |= {f"introduction : {CHAPITRES[k]}": texte for k, texte in v["introductions"].items()}
        concurrence.verifier(
            "La mise en page des documents", v, montres, empreinte_lue, qui=g.modifie_par or "", accord="e"
        )
    for champ in ("couleur", "couleur_secondaire"):
        if not gabarits.COULEUR.match(valeurs[champ]):
            raise ActionRefusee([f"couleur « {valeurs[champ]} » : attendu #RRVVBB, par exemple #0b5d6b"])
    g.couleur, g.couleur_secondaire = valeurs["couleur"].lower(), valeurs["couleur_secondaire"].lower()
    g.titre, g.sous_titre, g.mention = valeurs["titre"], valeurs["sous_titre"], valeurs["mention"]
    g.introductions = {k: v.strip() for k, v in valeurs["introductions"].items() if gabarits.html_de(v)}
    if logo is False and g.logo:
        g.logo.delete(save=False)
    elif logo:
        extension = "png" if gabarits.type_logo(logo.read(8)) == "image/png" else "jpg"
        logo.seek(0)
        g.logo.save(f"logo-{schema.pk}.{extension}", logo, save=False)
    g.modifie_par = user
    g.save()
    _evenement(schema, user, "publication.gabarit", "Mise en page des documents du schéma")
    return g
