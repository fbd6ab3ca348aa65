"""Rows of the meetings and minutes of the working groups (docs/permissions.md, « Séances et comptes
rendus »). The objects are the RH group's: a meeting to come, and three held yesterday whose minutes
are a draft, submitted (two versions) and published. A POST carries no data: a refused form is 400."""

from tests.permissions.commun import members, team_only

PLANIFICATEURS = {"equipe_projet", "copilote_rh_commune", "copilote_rh_epci", "consultant"}
REDACTEURS = PLANIFICATEURS | {"membre_rh"}  # peut_rediger = voit_brouillons
COPILOTES = {"copilote_rh_commune", "copilote_rh_epci"}


def only(roles, ok, refused=403):
    return members(refused, **{r: ok for r in roles})


MATRIX = {
    ("seances:trames", "get"): team_only(200),
    ("seances:trames", "post"): team_only(400),
    ("seances:liste", "get"): members(200),
    ("seances:creer", "get"): only(PLANIFICATEURS, 200),
    ("seances:creer", "post"): only(PLANIFICATEURS, 400),
    ("seances:seance", "get"): members(200),
    ("seances:ics", "get"): members(200),
    ("seances:modifier", "get"): only(PLANIFICATEURS, 200),
    ("seances:modifier", "post"): only(PLANIFICATEURS, 400),
    ("seances:annuler", "get"): only(PLANIFICATEURS, 200),
    ("seances:annuler", "post"): only(PLANIFICATEURS, 302),
    ("seances:inviter", "get"): only(PLANIFICATEURS, 405),
    ("seances:inviter", "post"): only(PLANIFICATEURS, 302),
    ("seances:presences", "get"): only(PLANIFICATEURS, 200),
    ("seances:presences", "post"): only(PLANIFICATEURS, 400),
    ("seances:compte_rendu", "get"): only(REDACTEURS, 200),
    ("seances:compte_rendu", "post"): only(REDACTEURS, 400),
    ("seances:soumettre", "get"): only(REDACTEURS, 405),
    ("seances:soumettre", "post"): only(REDACTEURS, 302),
    ("seances:viser", "get"): only(COPILOTES, 405),
    ("seances:viser", "post"): only(COPILOTES, 302),
    ("seances:renvoyer", "get"): only(COPILOTES, 405),
    ("seances:renvoyer", "post"): only(COPILOTES, 400),
    ("seances:rouvrir", "get"): team_only(405),
    ("seances:rouvrir", "post"): team_only(400),
    ("seances:version", "get"): only(REDACTEURS, 200),
    ("seances:restaurer", "get"): only(REDACTEURS, 405),
    ("seances:restaurer", "post"): only(REDACTEURS, 302),
}


def cas(cast, territoire) -> dict[str, dict]:
    import datetime as dt

    from django.utils import timezone

    from seances import actions

    groupe = territoire.schemas.get().groupes.get(theme="RH")
    equipe, membre = cast["equipe_projet"], cast["membre_rh"]

    def seance(debut):
        return actions.do_planifier_seance(
            groupe,
            equipe,
            {
                "etape": "GT1",
                "titre": "",
                "debut": debut,
                "fin": debut + dt.timedelta(hours=2),
                "lieu": "Pessac",
                "lien_visio": "",
                "ordre_du_jour": "1. Tour de table",
            },
        )

    hier = timezone.now() - dt.timedelta(days=1)
    a_venir = seance(timezone.now() + dt.timedelta(days=30))
    brouillon, soumise, publiee = seance(hier), seance(hier), seance(hier)
    actions.do_ecrire_compte_rendu(brouillon, membre, "Brouillon", "")
    cr, _ = actions.do_ecrire_compte_rendu(soumise, membre, "Version 1", "")
    actions.do_ecrire_compte_rendu(soumise, membre, "Version 2", "")
    actions.do_soumettre_compte_rendu(cr, membre)
    cr, _ = actions.do_ecrire_compte_rendu(publiee, membre, "Publié", "")
    actions.do_soumettre_compte_rendu(cr, membre)
    actions.do_valider_compte_rendu(cr, cast["copilote_rh_commune"])
    actions.do_valider_compte_rendu(cr, cast["copilote_rh_epci"])

    def kw(s, **autres):
        return {"theme": "RH", "pk": s.pk, **autres}

    return {
        "seances:liste": {"theme": "RH"},
        "seances:creer": {"theme": "RH"},
        "seances:seance": kw(soumise),
        "seances:ics": kw(a_venir),
        "seances:modifier": kw(a_venir),
        "seances:annuler": kw(a_venir),
        "seances:inviter": kw(a_venir),
        "seances:presences": kw(brouillon),
        "seances:compte_rendu": kw(soumise),
        "seances:soumettre": kw(brouillon),
        "seances:viser": kw(soumise),
        "seances:renvoyer": kw(soumise),
        "seances:rouvrir": kw(publiee),
        "seances:version": kw(soumise, numero=1),
        "seances:restaurer": kw(soumise, numero=1),
    }
