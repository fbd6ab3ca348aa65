"""E-mail to the co-pilots when a deliverable is submitted: their two visas are awaited. Plain text,
one message per co-pilot (not the submitter), sent after the transaction commits; a mail server that
fails does not undo the submission (the home page's « à faire » shows the visa to give anyway)."""

import logging

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse

log = logging.getLogger(__name__)


def demande_de_visa(livrable, auteur) -> list[mail.EmailMessage]:
    groupe = livrable.groupe
    territoire = groupe.schema.territoire
    url = settings.SITE_URL.rstrip("/") + reverse(
        "livrables:circuit", kwargs={"code": territoire.code, "theme": groupe.theme, "type": livrable.type}
    )
    destinataires = {
        u.pk: u
        for users in livrable.copilotes().values()
        for u in users
        if u.pk != getattr(auteur, "pk", None) and u.email and u.is_active
    }
    sujet = f"[{territoire.nom}] {livrable.get_type_display()} du groupe {groupe.libelle} soumis à votre visa"
    corps = render_to_string(
        "livrables/courriel_soumission.txt",
        {
            "livrable": livrable,
            "groupe": groupe,
            "territoire": territoire,
            "url": url,
            "auteur": str(auteur) if auteur else "Un utilisateur",
            "version": livrable.version,
        },
    )
    return [
        mail.EmailMessage(sujet[:200], corps, settings.DEFAULT_FROM_EMAIL, [u.email]) for u in destinataires.values()
    ]


def envoyer_apres_validation(messages: list[mail.EmailMessage]) -> None:
    def envoyer():
        try:
            mail.mailers.default.send_messages(messages)
        except Exception:  # noqa: BLE001 — the submission stands; the visa shows on the home page
            log.exception("courriel de demande de visa non envoyé")

    if messages:
        from django.db import transaction

        transaction.on_commit(envoyer)
