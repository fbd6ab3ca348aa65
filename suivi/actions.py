"""Writes of the follow-up (docs/suivi.md): an item's status, progress, person responsible and milestones;
a convention; what the project team records for a year; the yearly report (created, dated, presented and
then frozen) and its documents. Each write is one transaction with its row in the audit trail; what the
state allows is decided here (ActionRefusee, French messages); who may call what, by the views."""

import datetime as dt
import hashlib
import json

from django.db import transaction

from commun.erreurs import ActionRefusee
from commun.formatage import date as date_fr
from publication.blocs import en_json
from publication.enums import FormatDocument, StatutGeneration
from publication.generation import existante
from suivi.enums import AVEC_MOTIF, EtatRapport, Jalon, StatutElement
from suivi.models import BilanAnnuel, Convention, DocumentRapport, Element, JalonElement, RapportAnnuel
from territoire.models import Evenement


def _evenement(schema, user, action, objet, **details):
    Evenement.objects.create(
        territoire_id=schema.territoire_id, utilisateur=user, action=action, objet=objet[:200], details=details
    )


@transaction.atomic
def do_modifier_element(element: Element, valeurs: dict, jalons: dict, user) -> Element:
    """Status (with its reason when abandoned or postponed, and the year it is postponed to), progress
    (None: not recorded), person responsible, milestones (genre -> date or None)."""
    element = Element.objects.select_for_update().get(pk=element.pk)
    statut = valeurs["statut"]
    erreurs = []
    if statut in AVEC_MOTIF and not valeurs["motif"].strip():
        erreurs.append(f"motif : dites pourquoi l'action est {StatutElement(statut).label.lower()}")
    if statut == StatutElement.REPORTEE and not valeurs.get("annee_reportee"):
        erreurs.append("reportée à : l'année où l'action est reportée")
    if (
        statut == StatutElement.REPORTEE
        and valeurs.get("annee_reportee")
        and valeurs["annee_reportee"] <= element.annee_prevue
    ):
        erreurs.append(f"reportée à : une année après {element.annee_prevue}, l'année prévue")
    if statut == StatutElement.REALISEE and valeurs["progression"] is not None and valeurs["progression"] < 100:
        erreurs.append("avancement : une action réalisée est avancée à 100 %")
    aujourdhui = valeurs["aujourdhui"]
    for genre, quand in jalons.items():
        if quand is not None and quand > aujourdhui:
            erreurs.append(f"{Jalon(genre).label} : le {date_fr(quand)} n'est pas encore arrivé")
    if erreurs:
        raise ActionRefusee(erreurs)
    avant = element.statut
    element.statut = statut
    element.motif = valeurs["motif"].strip() if statut in AVEC_MOTIF else ""
    element.annee_reportee = valeurs.get("annee_reportee") if statut == StatutElement.REPORTEE else None
    element.progression = 100 if statut == StatutElement.REALISEE else valeurs["progression"]
    element.responsable = valeurs["responsable"]
    element.modifie_par = user
    element.save()
    for genre, quand in jalons.items():
        if quand is None:
            JalonElement.objects.filter(element=element, genre=genre).delete()
        else:
            JalonElement.objects.update_or_create(element=element, genre=genre, defaults={"date": quand})
    _evenement(
        element.schema,
        user,
        "suivi.element",
        f"Action {element.identifiant} : {element.get_statut_display().lower()}",
        element=element.pk,
        avant=avant,
        apres=element.statut,
    )
    return element


@transaction.atomic
def do_ajouter_convention(element: Element, valeurs: dict, membres, fichier, user) -> Convention:
    erreurs = []
    if not membres:
        erreurs.append("membres : au moins une organisation signataire")
    if valeurs["fin"] is not None and valeurs["fin"] <= valeurs["debut"]:
        erreurs.append("fin : après la prise d'effet")
    if valeurs["signee_le"] > valeurs["aujourdhui"]:
        erreurs.append(f"signée le : le {date_fr(valeurs['signee_le'])} n'est pas encore arrivé")
    if erreurs:
        raise ActionRefusee(erreurs)
    c = Convention.objects.create(
        element=element,
        genre=valeurs["genre"],
        objet=valeurs["objet"],
        signee_le=valeurs["signee_le"],
        debut=valeurs["debut"],
        fin=valeurs["fin"],
        fichier=fichier or "",
        enregistree_par=user,
    )
    c.membres.set(membres)
    _evenement(element.schema, user, "suivi.convention", f"Convention : {c.objet}", element=element.pk)
    return c


@transaction.atomic
def do_enregistrer_bilan(schema, annee: int, valeurs: dict, user) -> BilanAnnuel:
    bilan, _ = BilanAnnuel.objects.update_or_create(
        schema=schema, annee=annee, defaults={**valeurs, "modifie_par": user}
    )
    _evenement(schema, user, "suivi.bilan", f"Bilan {annee} du schéma", annee=annee)
    return bilan


@transaction.atomic
def do_creer_rapport(schema, annee: int, instance: str, seance_le: dt.date, user) -> RapportAnnuel:
    if RapportAnnuel.objects.filter(schema=schema, annee=annee).exists():
        raise ActionRefusee([f"année : le rapport {annee} existe déjà"])
    if seance_le.year != annee:
        raise ActionRefusee([f"date de la séance : le débat ou le vote du budget de {annee} a lieu en {annee}"])
    r = RapportAnnuel.objects.create(schema=schema, annee=annee, instance=instance, seance_le=seance_le, cree_par=user)
    _evenement(schema, user, "suivi.rapport", f"État d'avancement {annee} du schéma", rapport=r.pk)
    return r


@transaction.atomic
def do_dater_rapport(rapport: RapportAnnuel, instance: str, seance_le: dt.date, user) -> RapportAnnuel:
    rapport = RapportAnnuel.objects.select_for_update().get(pk=rapport.pk)
    if rapport.etat == EtatRapport.PRESENTE:
        raise ActionRefusee(["le rapport a été présenté : il ne change plus"])
    if seance_le.year != rapport.annee:
        raise ActionRefusee(
            [f"date de la séance : le débat ou le vote du budget de {rapport.annee} a lieu en {rapport.annee}"]
        )
    rapport.instance, rapport.seance_le = instance, seance_le
    rapport.save(update_fields=["instance", "seance_le"])
    _evenement(
        rapport.schema, user, "suivi.rapport", f"État d'avancement {rapport.annee} : séance du {date_fr(seance_le)}"
    )
    return rapport


@transaction.atomic
def do_presenter(rapport: RapportAnnuel, document, presente_le: dt.date, user, aujourdhui: dt.date) -> RapportAnnuel:
    """The report presented at its sitting: its content (`document`, publication/blocs.Document) frozen."""
    rapport = RapportAnnuel.objects.select_for_update().get(pk=rapport.pk)
    if rapport.etat == EtatRapport.PRESENTE:
        raise ActionRefusee([f"le rapport a été présenté le {date_fr(rapport.presente_le)} : il ne change plus"])
    if presente_le > aujourdhui:
        raise ActionRefusee([f"présenté le : le {date_fr(presente_le)} n'est pas encore arrivé"])
    rapport.etat, rapport.presente_le, rapport.seance_le = EtatRapport.PRESENTE, presente_le, presente_le
    rapport.fige = en_json(document)
    rapport.save(update_fields=["etat", "presente_le", "seance_le", "fige"])
    _evenement(
        rapport.schema,
        user,
        "suivi.presentation",
        f"État d'avancement {rapport.annee} présenté le {date_fr(presente_le)}",
        rapport=rapport.pk,
    )
    return rapport


def parametres(rapport: RapportAnnuel, document) -> str:
    """What a report's document is built from: its content as it reads now (or frozen)."""
    return hashlib.sha256(json.dumps(en_json(document), sort_keys=True, default=str).encode()).hexdigest()


@transaction.atomic
def do_demander_rapport(rapport: RapportAnnuel, format: str, document, user) -> DocumentRapport:
    """Ask for the report's document in `format`: the one stored for the same content is served again; one
    under way is returned; else one is queued for the worker (publication/generation.py)."""
    from suivi.generation import generer_rapport

    if format not in FormatDocument.values:
        raise ActionRefusee([f"format « {format} » inconnu : pdf, odt ou docx"])
    rapport = RapportAnnuel.objects.select_for_update().get(pk=rapport.pk)
    empreinte = parametres(rapport, document)
    existant = existante(DocumentRapport.objects.filter(rapport=rapport), format, empreinte)
    if existant is not None:
        return existant
    demande = DocumentRapport.objects.create(
        rapport=rapport, format=format, statut=StatutGeneration.EN_ATTENTE, parametres=empreinte, demande_par=user
    )
    _evenement(
        rapport.schema, user, "suivi.demande", f"État d'avancement {rapport.annee} ({demande.get_format_display()})"
    )
    transaction.on_commit(lambda: generer_rapport.enqueue(demande.pk))
    return demande
