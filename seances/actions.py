"""Writes of the meetings app: agendas (trames), meetings, invitations, attendance, minutes.

Every write runs in one transaction and leaves a row in the territory's audit trail (`Evenement`,
actions `seances.*`; a change of the meeting's status or of the minutes' state records the codes `avant`
and `apres`, seances/journal.py ETATS). Who may call what is decided by the views through comptes.perms; what the state
of a meeting or of its minutes allows is decided here (ActionRefusee, French messages). Each function
takes an optional `now`, so that the demo loader can build a past already held. The minutes' workflow
and history are validation.actions': these functions add the audit trail and the meeting's rules."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from commun import concurrence
from commun.erreurs import ActionRefusee
from commun.formatage import date as date_fr
from comptes.enums import Role
from comptes.models import cle_personne
from seances import courriels
from seances.enums import Etape, Presence, StatutSeance
from seances.models import CompteRendu, Participation, Seance, TrameAnimation
from seances.trames import ORDRES_DU_JOUR
from territoire.models import Evenement
from validation import actions as validation
from validation.enums import Etat

# What a calendar shows of a meeting: a change of one of these after sending is a new revision.
CHAMPS_CALENDRIER = ("etape", "titre", "debut", "fin", "lieu", "lien_visio", "ordre_du_jour")
PRESENCES_SAISIES = (Presence.PRESENT, Presence.EXCUSE, Presence.ABSENT)


def _evenement(seance, user, action, **details):
    groupe = seance.groupe
    Evenement.objects.create(
        territoire_id=groupe.schema.territoire_id,
        utilisateur=user,
        action=action,
        objet=f"{seance} du {date_fr(timezone.localtime(seance.debut))}"[:200],
        details={"seance": seance.pk, "groupe": groupe.theme, **details},
    )


def _verrouiller(seance):
    Seance.objects.select_for_update().filter(pk=seance.pk).first()


# --- trames d'animation ----------------------------------------------------------------------------


def trames_du_schema(schema) -> dict[str, TrameAnimation]:
    """The four agendas of the schéma by stage, the default ones created when missing."""
    trames = {t.etape: t for t in schema.trames.all()}
    manquantes = [
        TrameAnimation(schema=schema, etape=etape, ordre_du_jour=ORDRES_DU_JOUR[etape])
        for etape in Etape.values
        if etape not in trames
    ]
    if manquantes:
        TrameAnimation.objects.bulk_create(manquantes, ignore_conflicts=True)
        trames = {t.etape: t for t in schema.trames.all()}
    return trames


def _textes_trames(trames) -> dict[str, str]:
    return {etape: trames[etape].ordre_du_jour for etape in Etape.values}


def empreinte_trames(schema) -> str:
    """The fingerprint of the four agendas the editing page shows (commun/concurrence.py)."""
    return concurrence.empreinte(_textes_trames(trames_du_schema(schema)))


@transaction.atomic
def do_enregistrer_trames(schema, textes: dict[str, str], user, empreinte_lue: str | None = None) -> list[str]:
    """Save the agendas `textes` ({stage: text}); returns the stages changed. Refused when they changed since
    the page showed them (`empreinte_lue`; None for a writer that is no page)."""
    trames_du_schema(schema)
    trames = {t.etape: t for t in TrameAnimation.objects.select_for_update().filter(schema=schema)}
    if empreinte_lue is not None:
        concurrence.verifier(
            "Une des trames d'animation",
            _textes_trames(trames),
            {f"ordre du jour type : {Etape(e).label}": trames[e].ordre_du_jour for e in Etape.values},
            empreinte_lue,
            accord="e",
        )
    changees = []
    for etape, texte in textes.items():
        trame = trames[etape]
        if trame.ordre_du_jour != texte:
            trame.ordre_du_jour = texte
            trame.save(update_fields=["ordre_du_jour"])
            changees.append(etape)
    if changees:
        Evenement.objects.create(
            territoire_id=schema.territoire_id,
            utilisateur=user,
            action="seances.trames",
            objet=", ".join(changees),
            details={"etapes": changees},
        )
    return changees


# --- meetings --------------------------------------------------------------------------------------


def invites_du_groupe(groupe) -> list:
    """Who is invited to the group's meetings: every habilitation in the group (co-pilots, members, the
    group's consultant) and the territory's consultants; active accounts, each once."""
    from comptes.models import Habilitation

    habilitations = (
        Habilitation.objects.filter(territoire_id=groupe.schema.territoire_id, utilisateur__is_active=True)
        .filter(Q(groupe=groupe) | Q(role=Role.CONSULTANT))
        .select_related("utilisateur__organisation")
    )
    users = {}
    for h in habilitations:
        users.setdefault(h.utilisateur_id, h.utilisateur)
    return sorted(users.values(), key=cle_personne)


def _completer_participations(seance) -> list:
    """Add a Participation for every current invitee missing one; returns the users of all of them
    (someone who left the group since keeps hers: the meeting is in her calendar)."""
    deja = set(seance.participations.values_list("utilisateur_id", flat=True))
    Participation.objects.bulk_create(
        [Participation(seance=seance, utilisateur=u) for u in invites_du_groupe(seance.groupe) if u.pk not in deja],
        ignore_conflicts=True,
    )
    return [p.utilisateur for p in seance.participations_par_nom()]


def _verifier(valeurs: dict):
    erreurs = []
    if valeurs["fin"] <= valeurs["debut"]:
        erreurs.append("horaire : la fin doit suivre le début")
    if not (valeurs.get("lieu") or valeurs.get("lien_visio")):
        erreurs.append("lieu : indiquez un lieu ou un lien de visioconférence")
    if valeurs["etape"] not in Etape.values:
        erreurs.append(f"étape : « {valeurs['etape']} » n'est pas une étape connue")
    if erreurs:
        raise ActionRefusee(erreurs)


@transaction.atomic
def do_planifier_seance(groupe, user, valeurs: dict) -> Seance:
    """Create a meeting of `groupe` from `valeurs` (the CHAMPS_CALENDRIER, aware datetimes), with a
    Participation per invitee. Nothing is sent: invitations are a separate step."""
    _verifier(valeurs)
    seance = Seance.objects.create(groupe=groupe, cree_par=user, **{k: valeurs.get(k, "") for k in CHAMPS_CALENDRIER})
    _completer_participations(seance)
    _evenement(seance, user, "seances.planification", etape=seance.etape)
    return seance


@transaction.atomic
def do_modifier_seance(seance, user, valeurs: dict, *, prevenir: bool = False, now=None) -> list[str]:
    """Change a meeting; returns the fields changed. Once invitations are sent, a change is a new
    revision (SEQUENCE + 1); with `prevenir`, the update is sent to the invitees at once."""
    _verrouiller(seance)
    if not seance.modifiable:
        raise ActionRefusee(["cette séance est annulée : elle ne peut plus être modifiée"])
    _verifier({k: valeurs.get(k, getattr(seance, k)) for k in CHAMPS_CALENDRIER})
    changes = [k for k in CHAMPS_CALENDRIER if k in valeurs and valeurs[k] != getattr(seance, k)]
    if not changes:
        return []
    for champ in changes:
        setattr(seance, champ, valeurs[champ])
    if seance.invitations_envoyees:
        seance.sequence += 1
    seance.save(update_fields=[*changes, "sequence"])
    _evenement(seance, user, "seances.modification", champs=changes)
    if prevenir and seance.invitations_envoyees and seance.peut_inviter(now or timezone.now()):
        do_envoyer_invitations(seance, user, now=now)
    return changes


@transaction.atomic
def do_envoyer_invitations(seance, user, now=None) -> int:
    """Send the invitation (or its update, when already sent) with its .ics to every invitee; returns
    the number of messages. The messages are queued inside the transaction (comptes/courriels.py): a
    refused action sends nothing, and the mail server's answer never reaches the request."""
    now = now or timezone.now()
    _verrouiller(seance)
    if not seance.peut_inviter(now):
        raise ActionRefusee(["les invitations ne s'envoient que pour une séance planifiée à venir"])
    invites = _completer_participations(seance)
    mise_a_jour = seance.invitations_envoyees
    liste = courriels.messages(seance, invites, user, now, mise_a_jour=mise_a_jour)
    if not liste:
        raise ActionRefusee(["aucun participant du groupe n'a d'adresse électronique : personne à inviter"])
    seance.invitations_envoyees_le = now
    seance.sequence_envoyee = seance.sequence
    seance.save(update_fields=["invitations_envoyees_le", "sequence_envoyee"])
    courriels.envoyer(liste)
    _evenement(
        seance,
        user,
        "seances.mise_a_jour" if mise_a_jour else "seances.invitations",
        destinataires=len(liste),
        sequence=seance.sequence,
    )
    return len(liste)


@transaction.atomic
def do_annuler_seance(seance, user, motif: str = "", now=None) -> int:
    """Cancel a planned meeting; once invitations were sent, the invitees receive the cancellation
    (METHOD:CANCEL, SEQUENCE + 1). Returns the number of messages sent."""
    now = now or timezone.now()
    _verrouiller(seance)
    if seance.statut != StatutSeance.PLANIFIEE:
        raise ActionRefusee(
            [f"seule une séance planifiée peut être annulée (statut : {seance.get_statut_display().lower()})"]
        )
    if CompteRendu.objects.filter(seance=seance).exists():
        raise ActionRefusee(["cette séance a un compte rendu : elle a eu lieu et ne peut plus être annulée"])
    avant, seance.statut = seance.statut, StatutSeance.ANNULEE
    seance.motif_annulation = motif.strip()
    champs = ["statut", "motif_annulation"]
    liste = []
    if seance.invitations_envoyees:
        seance.sequence += 1
        seance.sequence_envoyee = seance.sequence
        champs += ["sequence", "sequence_envoyee"]
        invites = [p.utilisateur for p in seance.participations.select_related("utilisateur")]
        liste = courriels.messages(seance, invites, user, now)
    seance.save(update_fields=champs)
    courriels.envoyer(liste)
    _evenement(seance, user, "seances.annulation", destinataires=len(liste), avant=avant, apres=seance.statut)
    return len(liste)


@transaction.atomic
def do_enregistrer_presences(seance, user, presences: dict[int, str], now=None) -> Seance:
    """Record attendance ({participation id: présent / excusé / absent}) and mark the meeting as held."""
    now = now or timezone.now()
    _verrouiller(seance)
    if not seance.peut_saisir_presences(now):
        raise ActionRefusee(
            ["les présences se saisissent à partir du début de la séance, jamais pour une séance annulée"]
        )
    participations = {p.pk: p for p in seance.participations.all()}
    erreurs = [
        f"présence : « {v} » n'est pas présent, excusé ou absent"
        for v in presences.values()
        if v not in PRESENCES_SAISIES
    ]
    erreurs += [
        f"participation n° {pk} : introuvable dans cette séance" for pk in presences if pk not in participations
    ]
    if erreurs:
        raise ActionRefusee(erreurs)
    changees = []
    for pk, valeur in presences.items():
        if participations[pk].presence != valeur:
            participations[pk].presence = valeur
            changees.append(participations[pk])
    Participation.objects.bulk_update(changees, ["presence"])
    avant, seance.statut = seance.statut, StatutSeance.TENUE
    seance.presences_saisies_le = now
    seance.save(update_fields=["statut", "presences_saisies_le"])
    compte = {v: sum(1 for p in participations.values() if p.presence == v) for v in PRESENCES_SAISIES}
    _evenement(seance, user, "seances.presences", **compte, avant=avant, apres=seance.statut)
    return seance


# --- minutes ---------------------------------------------------------------------------------------


def compte_rendu_de(seance) -> CompteRendu | None:
    cr = CompteRendu.objects.filter(seance=seance).first()
    if cr is not None:
        cr.seance = seance
    return cr


@transaction.atomic
def do_ecrire_compte_rendu(
    seance, user, texte: str, decisions: str, empreinte_lue: str | None = None, now=None
) -> tuple[CompteRendu, bool]:
    """Save the minutes as a new version (created on the first write). Returns (minutes, visas
    reset): an edit of submitted minutes that a co-pilot has validated voids her validation.
    `empreinte_lue`: the fingerprint of the minutes the editing page showed (commun/concurrence.py);
    None for a writer that is no page (the demo)."""
    now = now or timezone.now()
    _verrouiller(seance)
    if not seance.peut_avoir_compte_rendu(now):
        raise ActionRefusee(["le compte rendu s'écrit à partir du début de la séance, jamais pour une séance annulée"])
    cr = compte_rendu_de(seance)
    if cr is None:
        cr = validation.do_creer(CompteRendu(seance=seance, texte=texte, decisions=decisions), user)
        _evenement(seance, user, "seances.compte_rendu.redaction", version=cr.version)
        return cr, False
    version, visas = cr.version, (validation.visas_courants(cr) if cr.etat == Etat.SOUMIS else {})
    validation.do_modifier(cr, user, {"texte": texte, "decisions": decisions}, empreinte_lue)
    if cr.version != version:
        _evenement(seance, user, "seances.compte_rendu.redaction", version=cr.version)
    return cr, bool(visas) and cr.version != version


@transaction.atomic
def do_soumettre_compte_rendu(cr, user) -> CompteRendu:
    avant = cr.etat
    validation.do_soumettre(cr, user)
    _evenement(cr.seance, user, "seances.compte_rendu.soumission", version=cr.version, avant=avant, apres=cr.etat)
    return cr


@transaction.atomic
def do_valider_compte_rendu(cr, user) -> CompteRendu:
    """A co-pilot's validation; the second one publishes and locks the minutes."""
    avant = cr.etat
    validation.do_viser(cr, user)
    action = "seances.compte_rendu.publication" if cr.verrouille else "seances.compte_rendu.validation"
    _evenement(cr.seance, user, action, version=cr.version, avant=avant, apres=cr.etat)
    return cr


@transaction.atomic
def do_renvoyer_compte_rendu(cr, user, commentaire: str) -> CompteRendu:
    avant = cr.etat
    validation.do_renvoyer(cr, user, commentaire)
    _evenement(cr.seance, user, "seances.compte_rendu.renvoi", version=cr.version, avant=avant, apres=cr.etat)
    return cr


@transaction.atomic
def do_rouvrir_compte_rendu(cr, user, motif: str) -> CompteRendu:
    avant = cr.etat
    validation.do_rouvrir(cr, user, motif)
    _evenement(
        cr.seance,
        user,
        "seances.compte_rendu.reouverture",
        version=cr.version,
        motif=motif.strip(),
        avant=avant,
        apres=cr.etat,
    )
    return cr


@transaction.atomic
def do_restaurer_compte_rendu(cr, user, numero: int) -> CompteRendu:
    version = cr.version
    validation.do_restaurer(cr, user, numero)
    if cr.version != version:
        _evenement(cr.seance, user, "seances.compte_rendu.restauration", version=cr.version, restauree=numero)
    return cr
