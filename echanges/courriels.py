"""The e-mails of the notifications: one per notification, or the daily digest. Plain text only."""

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string

from echanges import cibles, mentions


def _ligne(notif) -> dict:
    if notif.tache:
        return {
            "notification": notif,
            "auteur": "Mutualis",
            "motif": notif.get_motif_display(),
            "sujet": notif.libelle,
            "texte": "",
            "url": settings.SITE_URL.rstrip("/") + notif.url,
        }
    commentaire = notif.commentaire
    objet = commentaire.cible
    auteur = mentions.nom(commentaire.auteur) if commentaire.auteur else "Un utilisateur supprimé"
    return {
        "notification": notif,
        "auteur": auteur,
        "motif": notif.get_motif_display(),
        "sujet": cibles.libelle(objet, commentaire.groupe) if objet is not None else "objet supprimé",
        "texte": commentaire.texte,
        "url": settings.SITE_URL.rstrip("/")
        + (cibles.url_de(objet, notif.territoire, commentaire.groupe) if objet is not None else ""),
    }


def notification(notif) -> mail.EmailMessage:
    ligne = _ligne(notif)
    if notif.tache:
        sujet = f"Une action vous attend : {notif.libelle} – {notif.territoire.nom}"
    else:
        sujet = f"{ligne['auteur']} {ligne['motif']} – {notif.territoire.nom}"
    corps = render_to_string("echanges/email_notification.txt", {**ligne, "territoire": notif.territoire})
    # A subject is one line: a name or a title typed with a line break must not fail the sending.
    sujet = " ".join(sujet.split())
    return mail.EmailMessage(sujet[:200], corps, settings.DEFAULT_FROM_EMAIL, [notif.destinataire.email])


def resume(user, notifications) -> mail.EmailMessage:
    lignes = [_ligne(n) for n in notifications]
    n = len(lignes)
    sujet = f"Mutualis : résumé du jour, {n} notification{'s' if n > 1 else ''} non lue{'s' if n > 1 else ''}"
    corps = render_to_string("echanges/email_resume.txt", {"utilisateur": user, "lignes": lignes, "nombre": n})
    return mail.EmailMessage(sujet, corps, settings.DEFAULT_FROM_EMAIL, [user.email])
