"""Writes of the bodies that meet in Mutualis (the comité de pilotage, the conférence des DGS): members,
meetings, agenda items linked to what they decide on, decisions with their vote, minutes published. A
decision cannot change once the minutes that record it are published. Each write is one transaction with
its row in the audit trail (parcours/journal.py)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from commun import concurrence
from commun.erreurs import ActionRefusee
from commun.formatage import date as date_fr
from comptes.enums import Role
from comptes.models import Utilisateur
from parcours import convocation, syntheses
from parcours.actions import verifier_votes
from parcours.enums import InstanceInterne
from parcours.models import Comite, CompteRenduComite, Decision, PointOrdreDuJour, SeanceComite
from seances.courriels import envoyer
from territoire.models import Evenement
from validation import actions as validation
from validation.enums import Etat

# Who a new body counts as members: the élus of the comité de pilotage, the DGS of every organisation.
MEMBRES_PAR_DEFAUT = {InstanceInterne.COPIL: Role.ELU, InstanceInterne.CDGS: Role.DGS}


def _evenement(schema, user, action, objet, **details):
    Evenement.objects.create(
        territoire_id=schema.territoire_id, utilisateur=user, action=action, objet=objet[:200], details=details
    )


def comite(schema, instance: str) -> Comite:
    """The schéma's body, created with its default members the first time it is read."""
    c, cree = Comite.objects.get_or_create(schema=schema, instance=instance)
    if cree:
        role = MEMBRES_PAR_DEFAUT[instance]
        c.membres.set(
            Utilisateur.objects.filter(
                is_active=True, habilitations__territoire=schema.territoire, habilitations__role=role
            ).distinct()
        )
    return c


def _jour(moment) -> str:
    return date_fr(timezone.localtime(moment).date())


def _titre(seance) -> str:
    return f"{seance.comite} du {_jour(seance.debut)}"


@transaction.atomic
def do_changer_membres(c: Comite, membres, user) -> None:
    c.membres.set(membres)
    _evenement(c.schema, user, "parcours.membres", f"Membres : {c}", n=len(membres))


@transaction.atomic
def do_creer_seance(c: Comite, debut, lieu: str, user) -> SeanceComite:
    seance = SeanceComite.objects.create(comite=c, debut=debut, lieu=lieu, cree_par=user)
    _evenement(c.schema, user, "parcours.seance_comite", _titre(seance), seance=seance.pk)
    return seance


def _non_publiee(seance: SeanceComite) -> None:
    if seance.publie_le is not None:
        raise ActionRefusee(
            [
                f"le compte rendu de la séance est publié depuis le {_jour(seance.publie_le)} : "
                "ses décisions ne changent plus"
            ]
        )


def _soumis(seance: SeanceComite) -> bool:
    return CompteRenduComite.objects.filter(seance=seance, etat=Etat.SOUMIS).exists()


def _pas_soumis(seance: SeanceComite) -> None:
    if _soumis(seance):
        raise ActionRefusee(
            ["le compte rendu est soumis aux co-présidents : faites-le renvoyer pour changer l'ordre du jour"]
        )


def _sans_decision(seance: SeanceComite) -> None:
    sans = [p.objet for p in seance.points.filter(decision__isnull=True)]
    if sans:
        raise ActionRefusee([f"points sans décision ({len(sans)}) : " + " ; ".join(sans)])


@transaction.atomic
def do_ajouter_point(seance: SeanceComite, valeurs: dict, user) -> PointOrdreDuJour:
    """An agenda item: its title and at most one object it decides on."""
    seance = SeanceComite.objects.select_for_update().get(pk=seance.pk)
    _non_publiee(seance)
    _pas_soumis(seance)
    lies = [k for k in ("version", "scenario", "ligne_gt3", "groupe") if valeurs.get(k)]
    if len(lies) > 1:
        raise ActionRefusee(
            ["un point de l'ordre du jour porte sur un seul objet (version, scénario, ligne GT3 ou groupe)"]
        )
    position = (seance.points.aggregate(m=Max("position"))["m"] or 0) + 1
    point = PointOrdreDuJour.objects.create(seance=seance, position=position, **valeurs)
    if point.groupe is not None:
        syntheses.figer(point.groupe, seance)  # the group's synthesis as the comité will read it
    _evenement(seance.comite.schema, user, "parcours.point", f"{_titre(seance)} : {point.objet}", seance=seance.pk)
    return point


CHAMPS_DECISION = ("issue", "presents", "pour", "contre", "abstention", "texte", "motifs")


def valeurs_decision(decision: Decision | None) -> dict:
    """A recorded decision as its form edits it (empty when the item is not decided yet)."""
    return {k: getattr(decision, k) for k in CHAMPS_DECISION} if decision is not None else {}


@transaction.atomic
def do_decider(point: PointOrdreDuJour, valeurs: dict, user, empreinte_lue: str | None = None) -> Decision:
    """Record (or correct, until the minutes are published) the decision on an agenda item.
    `empreinte_lue`: the fingerprint of the decision the page showed (commun/concurrence.py); None for a
    writer that is no page (the demo)."""
    seance = SeanceComite.objects.select_for_update().get(pk=point.seance_id)
    _non_publiee(seance)
    if empreinte_lue is not None:
        actuelle = Decision.objects.filter(point=point).select_related("enregistree_par").first()
        concurrence.verifier(
            f"La décision sur « {point.objet} »",
            valeurs_decision(actuelle),
            {
                "décision": actuelle.get_issue_display() if actuelle is not None else "",
                "relevé de décision": actuelle.texte if actuelle is not None else "",
                "motifs": actuelle.motifs if actuelle is not None else "",
            },
            empreinte_lue,
            qui=actuelle.enregistree_par if actuelle is not None else "",
            accord="e",
        )
    erreurs = verifier_votes(
        valeurs.get("presents"), valeurs.get("presents"), *(valeurs.get(k) for k in ("pour", "contre", "abstention"))
    )
    if seance.debut > timezone.now():
        erreurs.append(f"la séance du {_jour(seance.debut)} n'a pas encore eu lieu")
    if _soumis(seance):
        erreurs.append("le compte rendu est soumis aux co-présidents : faites-le renvoyer pour changer une décision")
    if erreurs:
        raise ActionRefusee(erreurs)
    decision, _ = Decision.objects.update_or_create(point=point, defaults={**valeurs, "enregistree_par": user})
    _evenement(
        seance.comite.schema,
        user,
        "parcours.decision",
        f"{_titre(seance)} : {point.objet} ({decision.get_issue_display().lower()})",
        point=point.pk,
        issue=decision.issue,
    )
    return decision


@transaction.atomic
def do_convoquer(seance: SeanceComite, user, now=None) -> int:
    """E-mail the convocation with its .ics to every member (after the commit); returns how many."""
    now = now or timezone.now()
    seance = SeanceComite.objects.select_for_update().get(pk=seance.pk)
    if seance.debut <= now:
        raise ActionRefusee(["la séance a déjà eu lieu : elle ne se convoque plus"])
    membres = list(seance.comite.membres.filter(is_active=True))
    if not membres:
        raise ActionRefusee(["le comité n'a aucun membre à convoquer"])
    liste = convocation.messages(seance, membres, user, now)
    seance.convoquee_le = now
    seance.save(update_fields=["convoquee_le"])
    _evenement(seance.comite.schema, user, "parcours.convocation", _titre(seance), seance=seance.pk, n=len(liste))
    transaction.on_commit(lambda: envoyer(liste))
    return len(liste)


@transaction.atomic
def do_saisir_presences(seance: SeanceComite, presents, user) -> SeanceComite:
    """Who attended, among the members, once the meeting has taken place."""
    seance = SeanceComite.objects.select_for_update().get(pk=seance.pk)
    _non_publiee(seance)
    if seance.debut > timezone.now():
        raise ActionRefusee([f"la séance du {_jour(seance.debut)} n'a pas encore eu lieu"])
    membres = set(seance.comite.membres.values_list("pk", flat=True))
    autres = [str(u) for u in presents if u.pk not in membres]
    if autres:
        raise ActionRefusee([f"présences : ne sont pas membres du comité : {', '.join(autres)}"])
    seance.presents.set(presents)
    seance.presences_saisies_le = timezone.now()
    seance.save(update_fields=["presences_saisies_le"])
    _evenement(seance.comite.schema, user, "parcours.presences", _titre(seance), seance=seance.pk, n=len(presents))
    return seance


def _tenue(seance: SeanceComite) -> None:
    if seance.debut > timezone.now():
        raise ActionRefusee([f"la séance du {_jour(seance.debut)} n'a pas encore eu lieu"])


@transaction.atomic
def do_copresidents(c: Comite, epci, commune, user) -> None:
    """The two co-presidents who validate the minutes, among the members (one person may hold both)."""
    membres = set(c.membres.values_list("pk", flat=True))
    autres = [str(u) for u in (epci, commune) if u is not None and u.pk not in membres]
    if autres:
        raise ActionRefusee([f"co-présidents : ne sont pas membres du comité : {', '.join(autres)}"])
    c.copresident_epci, c.copresident_commune = epci, commune
    c.save(update_fields=["copresident_epci", "copresident_commune"])
    _evenement(c.schema, user, "parcours.copresidents", f"Co-présidents : {c}")


@transaction.atomic
def do_ecrire_compte_rendu(
    seance: SeanceComite, texte: str, user, empreinte_lue: str | None = None
) -> CompteRenduComite:
    """Write the minutes (a new version of them) once the meeting has taken place. `empreinte_lue`: the
    fingerprint of the minutes the page showed (commun/concurrence.py); None for a writer that is no page."""
    seance = SeanceComite.objects.select_for_update().get(pk=seance.pk)
    _non_publiee(seance)
    _tenue(seance)
    cr = CompteRenduComite.objects.filter(seance=seance).first()
    if cr is None:
        cr = validation.do_creer(CompteRenduComite(seance=seance, texte=texte), user)
    else:
        validation.do_modifier(cr, user, {"texte": texte}, empreinte_lue)
    _evenement(seance.comite.schema, user, "parcours.compte_rendu", _titre(seance), seance=seance.pk)
    return cr


@transaction.atomic
def do_soumettre_compte_rendu(seance: SeanceComite, user) -> CompteRenduComite:
    """Submit the minutes to the co-presidents: each agenda item must have its decision."""
    cr = CompteRenduComite.objects.filter(seance=seance).first()
    if cr is None or not cr.texte.strip():
        raise ActionRefusee(["compte rendu : écrivez le compte rendu avant de le soumettre"])
    _sans_decision(seance)
    c = seance.comite
    if c.copresident_epci_id is None or c.copresident_commune_id is None:
        raise ActionRefusee(
            [f"désignez d'abord les deux co-présidents du {str(c).lower()}, qui valident le compte rendu"]
        )
    validation.do_soumettre(cr, user)
    _evenement(c.schema, user, "parcours.soumission", _titre(seance), seance=seance.pk)
    return cr


def _copresident(cr: CompteRenduComite, user) -> None:
    if not validation.roles_copilote(cr, user):
        raise ActionRefusee([f"seuls les co-présidents du {str(cr.seance.comite).lower()} valident son compte rendu"])


@transaction.atomic
def do_viser_compte_rendu(seance: SeanceComite, user) -> CompteRenduComite:
    """A co-president validates the minutes; with both visas they are published and the decisions final."""
    cr = CompteRenduComite.objects.get(seance=seance)
    _copresident(cr, user)
    _sans_decision(seance)
    validation.do_viser(cr, user)
    if cr.verrouille:
        seance.publie_le = timezone.now()
        seance.save(update_fields=["publie_le"])
        _evenement(seance.comite.schema, user, "parcours.publication", _titre(seance), seance=seance.pk)
    return cr


@transaction.atomic
def do_renvoyer_compte_rendu(seance: SeanceComite, user, commentaire: str) -> CompteRenduComite:
    cr = CompteRenduComite.objects.get(seance=seance)
    _copresident(cr, user)
    validation.do_renvoyer(cr, user, commentaire)
    _evenement(seance.comite.schema, user, "parcours.renvoi", _titre(seance), seance=seance.pk)
    return cr
