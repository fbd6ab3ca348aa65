from echanges.models import Notification


def espace(request):
    """The unread notifications of the signed-in user in the territory of the page (header badge):
    one query, and only when a page shows the badge."""
    match = getattr(request, "resolver_match", None)
    code = match.kwargs.get("code") if match else None
    if not code or not request.user.is_authenticated:
        return {}

    def count():
        return Notification.objects.filter(
            destinataire=request.user, territoire__code=code, lue_le__isnull=True
        ).count()

    return {"notifications_non_lues": count}  # a callable: the template calls it only where it is shown
