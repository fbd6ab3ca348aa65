"""Writes of the exchanges: post a comment (with its mentions and notifications), mark notifications
read, set the e-mail preference. Each `do_*` runs in a transaction and writes a territoire.Evenement."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from commun.erreurs import ActionRefusee
from commun.tri import cle_francaise
from comptes.courriels import envoyer as envoyer_courriels
from comptes.perms import Acces
from echanges import cibles, courriels, mentions
from echanges.enums import Frequence, Motif
from echanges.models import TEXTE_MAX, Commentaire, Notification, PreferenceCourriel
from territoire.models import Evenement


def fil_de(objet, groupe=None):
    """The top-level comments of a target (of an activity: within the group, or outside any group)."""
    return Commentaire.objects.filter(
        content_type=ContentType.objects.get_for_model(objet),
        object_id=objet.pk,
        groupe=groupe if cibles.type_de(objet).slug == "activite" else None,
    )


def do_commenter(
    territoire, user, objet, texte: str, *, groupe=None, parent: Commentaire | None = None, envoyer=True
) -> Commentaire:
    """Post a comment (or a reply to a top-level comment of the same thread). The caller has checked that
    the user may read the target. Notifies the mentioned users and, for a reply, the thread's authors,
    each only if she may read the target; then e-mails those who want each notification."""
    texte = (texte or "").strip()
    if not texte:
        raise ActionRefusee(["commentaire : le texte est obligatoire"])
    if len(texte) > TEXTE_MAX:
        raise ActionRefusee([f"commentaire : {len(texte)} caractères, au plus {TEXTE_MAX}"])
    groupe_stocke = groupe if cibles.type_de(objet).slug == "activite" else None
    if parent is not None:
        if not fil_de(objet, groupe_stocke).filter(pk=parent.pk).exists():
            raise ActionRefusee(["réponse : le commentaire auquel vous répondez n'est pas de cette discussion"])
        parent = parent.racine
    with transaction.atomic():
        commentaire = Commentaire.objects.create(
            territoire=territoire,
            content_type=ContentType.objects.get_for_model(objet),
            object_id=objet.pk,
            groupe=groupe_stocke,
            parent=parent,
            auteur=user,
            texte=texte,
        )
        mentionnes = mentions.resoudre(texte, territoire)
        commentaire.mentionnes.set(mentionnes)
        destinataires = {u.pk: (u, Motif.MENTION) for u in mentionnes}
        if parent is not None:
            auteurs = [parent.auteur, *(r.auteur for r in parent.reponses.select_related("auteur"))]
            for auteur in auteurs:
                if auteur is not None and auteur.pk not in destinataires:
                    destinataires[auteur.pk] = (auteur, Motif.REPONSE)
        destinataires.pop(user.pk, None)
        notifications = [
            Notification(destinataire=u, territoire=territoire, commentaire=commentaire, motif=motif)
            for u, motif in destinataires.values()
            if u.is_active and cibles.peut_lire(Acces(u, territoire), objet, groupe)
        ]
        Notification.objects.bulk_create(notifications)
        Evenement.objects.create(
            territoire=territoire,
            utilisateur=user,
            action="echanges.commentaire",
            objet=str(objet)[:200],
            details={
                "type": cibles.type_de(objet).slug,
                "id": objet.pk,
                "commentaire": commentaire.pk,
                "notifications": len(notifications),
            },
        )
    if envoyer:
        envoyer_immediats(notifications)
    return commentaire


def envoyer_immediats(notifications) -> int:
    """E-mail each notification to the recipients who want every one (no preference = every one). The
    e-mail is queued (comptes/courriels.py: its worker sends it, and tries again a failing server);
    `envoyee_le` is when it was handed over, so that the daily digest does not repeat it."""
    if not notifications:
        return 0
    ids = [n.destinataire_id for n in notifications]
    prefs = dict(PreferenceCourriel.objects.filter(utilisateur_id__in=ids).values_list("utilisateur_id", "frequence"))
    envoyees = 0
    for notif in notifications:
        if prefs.get(notif.destinataire_id, Frequence.IMMEDIAT) != Frequence.IMMEDIAT or not notif.destinataire.email:
            continue
        quoi = f"courriel de notification {notif.pk}"
        envoyer_courriels([courriels.notification(notif)], quoi=quoi, territoire=notif.territoire_id)
        Notification.objects.filter(pk=notif.pk).update(envoyee_le=timezone.now())
        envoyees += 1
    return envoyees


def do_tout_marquer_lu(territoire, user) -> int:
    return Notification.objects.filter(destinataire=user, territoire=territoire, lue_le__isnull=True).update(
        lue_le=timezone.now()
    )


def do_choisir_frequence(user, frequence: str) -> PreferenceCourriel:
    if frequence not in Frequence.values:
        raise ActionRefusee([f"courriels : choix « {frequence} » inconnu"])
    pref, _ = PreferenceCourriel.objects.update_or_create(utilisateur=user, defaults={"frequence": frequence})
    return pref


def preference(user) -> str:
    pref = PreferenceCourriel.objects.filter(utilisateur=user).first()
    return pref.frequence if pref else Frequence.IMMEDIAT


def do_envoyer_resumes(now=None) -> int:
    """The daily digest: each user who chose it gets one e-mail of her unread notifications not yet
    e-mailed; at most one digest per user and (local) day, so a second run the same day sends nothing."""
    now = now or timezone.now()
    aujourdhui = timezone.localdate(now)
    envoyes = 0
    for pref in PreferenceCourriel.objects.filter(frequence=Frequence.QUOTIDIEN).select_related("utilisateur"):
        user = pref.utilisateur
        if not user.is_active or not user.email:
            continue
        if pref.dernier_resume is not None and timezone.localdate(pref.dernier_resume) >= aujourdhui:
            continue
        notifs = sorted(  # by territory (French order of names), then by date
            Notification.objects.filter(destinataire=user, lue_le__isnull=True, envoyee_le__isnull=True)
            .select_related("territoire", "commentaire__auteur", "commentaire__content_type", "commentaire__groupe")
            .order_by("creee_le", "id"),
            key=lambda n: (cle_francaise(n.territoire.nom), n.territoire_id),
        )
        if not notifs:
            continue
        with transaction.atomic():
            envoyer_courriels([courriels.resume(user, notifs)], quoi="résumé quotidien des notifications")
            Notification.objects.filter(pk__in=[n.pk for n in notifs]).update(envoyee_le=now)
            pref.dernier_resume = now
            pref.save(update_fields=["dernier_resume"])
        envoyes += 1
    return envoyes
