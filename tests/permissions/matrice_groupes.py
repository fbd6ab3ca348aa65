"""Rows of the working groups: every member reads the répartition and the group pages; the project team
chooses co-pilots, consultant and members; the project team and the group's co-pilots edit its périmètre
and sub-groups (docs/permissions.md, « Groupes de travail »). The group is RH, whose co-pilots are in the
cast; other groups' co-pilots are refused (tests/groupes)."""

from tests.permissions.commun import members, team_only


def coordinators(ok, refused=403):
    """The project team and the RH group's two co-pilots."""
    return members(refused, equipe_projet=ok, copilote_rh_commune=ok, copilote_rh_epci=ok)


# (url name, method) -> expected status per role. Empty POSTs: a form error (400) or, where every field
# may be empty, the change itself (302).
MATRIX = {
    ("groupes:liste", "get"): members(200),
    ("groupes:groupe", "get"): members(200),
    ("groupes:repartition", "get"): team_only(200),
    ("groupes:repartition", "post"): team_only(302),
    ("groupes:perimetre", "get"): coordinators(200),
    ("groupes:perimetre", "post"): coordinators(302),
    ("groupes:ajouter_membre", "get"): team_only(405),
    ("groupes:ajouter_membre", "post"): team_only(400),
    ("groupes:retirer_membre", "get"): team_only(405),
    ("groupes:retirer_membre", "post"): team_only(302),
    ("groupes:ajouter_sous_groupe", "get"): coordinators(200),
    ("groupes:ajouter_sous_groupe", "post"): coordinators(400),
    ("groupes:modifier_sous_groupe", "get"): coordinators(200),
    ("groupes:modifier_sous_groupe", "post"): coordinators(400),
    ("groupes:supprimer_sous_groupe", "get"): coordinators(200),
    ("groupes:supprimer_sous_groupe", "post"): coordinators(302),
}


def cas(cast, territoire) -> dict[str, dict]:
    """Extra URL kwargs (besides the territory code): the RH group, its member, a sub-group of it."""
    from groupes.actions import do_creer_sous_groupe

    groupe = territoire.schemas.get().groupes.get(theme="RH")
    sous_groupe = do_creer_sous_groupe(groupe, nom="Paie", membres=[cast["membre_rh"]], auteur=cast["equipe_projet"])
    rh = {"theme": "RH"}
    return {
        **{
            name: rh
            for name in (
                "groupes:groupe",
                "groupes:repartition",
                "groupes:perimetre",
                "groupes:ajouter_membre",
                "groupes:ajouter_sous_groupe",
            )
        },
        "groupes:retirer_membre": {**rh, "pk": cast["membre_rh"].pk},
        **{
            name: {**rh, "pk": sous_groupe.pk}
            for name in ("groupes:modifier_sous_groupe", "groupes:supprimer_sous_groupe")
        },
    }
