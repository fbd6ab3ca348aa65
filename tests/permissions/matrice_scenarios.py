"""Rows of the scenarios (docs/permissions.md, « Aide à la décision »): every member reads them; the
project team, the consultants and the EPCI's DGS build them (`peut_scenariser`). A POST carries no data:
a refused form is 400. The object: a scenario with one action on Bordeaux's payroll."""

from tests.permissions.commun import members

ECRIVAINS = {"equipe_projet", "consultant", "dgs_metropole"}


def writers(ok, refused=403):
    return members(refused, **{r: ok for r in ECRIVAINS})


MATRIX = {
    ("scenarios:liste", "get"): members(200),
    ("scenarios:liste", "post"): writers(400),
    ("scenarios:comparer", "get"): members(200),
    ("scenarios:comparer", "post"): members(405),
    ("scenarios:optimiser", "get"): writers(200),
    ("scenarios:optimiser", "post"): writers(400),
    ("scenarios:scenario", "get"): members(200),
    ("scenarios:scenario", "post"): members(405),
    ("scenarios:export", "get"): members(200),
    ("scenarios:export", "post"): members(405),
    ("scenarios:impact", "get"): members(200),
    ("scenarios:impact", "post"): members(405),
    ("scenarios:modifier", "get"): writers(405),
    ("scenarios:modifier", "post"): writers(400),
    ("scenarios:supprimer", "get"): writers(405),
    ("scenarios:supprimer", "post"): writers(302),
    ("scenarios:dupliquer", "get"): writers(405),
    ("scenarios:dupliquer", "post"): writers(302),
    ("scenarios:action_ajouter", "get"): writers(405),
    ("scenarios:action_ajouter", "post"): writers(400),
    ("scenarios:depuis_gt3", "get"): writers(405),
    ("scenarios:depuis_gt3", "post"): writers(400),
    ("scenarios:action_modifier", "get"): writers(200),
    ("scenarios:action_modifier", "post"): writers(400),
    ("scenarios:action_supprimer", "get"): writers(405),
    ("scenarios:action_supprimer", "post"): writers(302),
}


def cas(cast, territoire) -> dict[str, dict]:
    from scenarios import actions, calcul

    schema = territoire.schemas.get()
    scenario = actions.do_creer(schema, cast["equipe_projet"], "Paie")
    bordeaux = territoire.organisations.get(code="33063")
    [action] = actions.do_ajouter_actions(
        calcul.contexte(territoire),
        scenario,
        cast["equipe_projet"],
        [
            (
                {
                    "theme": "RH",
                    "activite": "RH-PAIE",
                    "toutes": False,
                    "modalite": "service_commun",
                    "part": 1,
                    "gain": 0,
                    "annee": 2027,
                },
                [bordeaux],
                None,
            )
        ],
    )
    un = {"pk": scenario.pk}
    return {
        "scenarios:liste": {},
        "scenarios:comparer": {},
        "scenarios:optimiser": {},
        "scenarios:scenario": un,
        "scenarios:export": un,
        "scenarios:impact": un,
        "scenarios:modifier": un,
        "scenarios:supprimer": un,
        "scenarios:dupliquer": un,
        "scenarios:action_ajouter": un,
        "scenarios:depuis_gt3": un,
        "scenarios:action_modifier": {"pk": scenario.pk, "action": action.pk},
        "scenarios:action_supprimer": {"pk": scenario.pk, "action": action.pk},
    }
