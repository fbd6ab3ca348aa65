"""Rows of the exchanges (issue 4, point 6). The commented object is a draft of the RH group's minutes
(readable by the group's participants and the project team: `voit_brouillons`). A POST carries no
data: a refused form is 400."""

from tests.permissions.commun import members

REDACTEURS = {"equipe_projet", "copilote_rh_commune", "copilote_rh_epci", "consultant", "membre_rh"}


def only(roles, ok, refused=403):
    return members(refused, **{r: ok for r in roles})


MATRIX = {
    ("echanges:notifications", "get"): members(200),
    ("echanges:notifications", "post"): members(405),
    ("echanges:tout_lire", "get"): members(405),
    ("echanges:tout_lire", "post"): members(302),
    ("echanges:preferences", "get"): members(405),
    ("echanges:preferences", "post"): members(400),
    ("echanges:commenter", "get"): only(REDACTEURS, 405),
    ("echanges:commenter", "post"): only(REDACTEURS, 400),
}


def cas(cast, territoire) -> dict[str, dict]:
    import datetime as dt

    from django.utils import timezone

    from seances import actions

    groupe = territoire.schemas.get().groupes.get(theme="RH")
    hier = timezone.now() - dt.timedelta(days=1)
    seance = actions.do_planifier_seance(
        groupe,
        cast["equipe_projet"],
        {
            "etape": "GT1",
            "titre": "",
            "debut": hier,
            "fin": hier + dt.timedelta(hours=2),
            "lieu": "Pessac",
            "lien_visio": "",
            "ordre_du_jour": "1. Tour de table",
        },
    )
    cr, _ = actions.do_ecrire_compte_rendu(seance, cast["membre_rh"], "Brouillon", "")
    return {"echanges:commenter": {"type": "compte-rendu", "pk": cr.pk}}
