"""The unread count the header may show: `{{ ... }}` from `non_lues(request.user, territoire)`."""

from echanges.models import Notification


def non_lues(user, territoire) -> int:
    if user is None or not user.is_authenticated or territoire is None:
        return 0
    return Notification.objects.filter(destinataire=user, territoire=territoire, lue_le__isnull=True).count()


def mes_notifications(user, territoire):
    return Notification.objects.filter(destinataire=user, territoire=territoire).select_related(
        "commentaire__auteur", "commentaire__content_type", "commentaire__groupe__schema", "territoire"
    )
