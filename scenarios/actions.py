"""Writes of the scenarios. Each one, in a transaction: check the whole scenario as it would become with
the engine's rules (engine.scenario.check: ranges, codes, overlaps naming both actions), refuse with
those French messages and change nothing, or write, bump the scenario's version and leave a row in
the territory's audit trail. Who may call them is decided by the views through comptes.perms."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from commun.erreurs import ActionRefusee
from engine import scenario as moteur
from livrables.gt3.candidats import identifiant
from scenarios.calcul import CHAMPS_MOTEUR, MotsDuWeb, action_depuis_valeurs
from scenarios.enums import Origine
from scenarios.models import ActionScenario, Scenario
from territoire.models import Evenement

CHAMPS_ACTION = (*CHAMPS_MOTEUR, "ligne_gt3")  # an action's stored fields: the engine's and its GT3 line


def _evenement(scenario, user, action, **details):
    Evenement.objects.create(
        territoire_id=scenario.schema.territoire_id,
        utilisateur=user,
        action=action,
        objet=str(scenario)[:200],
        details={"scenario": scenario.pk, "version": scenario.version, **details},
    )


def _nouvelle_version(scenario, user, *champs):
    scenario.version += 1
    scenario.modifie_par = user
    scenario.save(update_fields=["version", "modifie_par", "modifie_le", *champs])


def actions_de(scenario):
    """The scenario's actions in order, with their communes and their GT3 line's group (its origin label)."""
    return list(
        scenario.actions.select_related("ligne_gt3__livrable__groupe")
        .prefetch_related("communes")
        .order_by("position", "pk")
    )


def _moteur(valeurs: dict, communes, identifiant: str) -> moteur.Action:
    return action_depuis_valeurs(valeurs, [c.code for c in communes], identifiant)


def depuis_gt3(ligne, annee: int, part=1, gain=0) -> tuple[dict, list, str]:
    """A GT3 line (its group, activity and communes loaded) as a new action: its theme, activity,
    préconisation (modalité and communes), the given year and shares; its id is the line's candidate id."""
    return (
        {
            "theme": ligne.livrable.groupe.theme,
            "activite": ligne.activite.code,
            "toutes": ligne.toutes_communes,
            "modalite": ligne.modalite,
            "part": part,
            "gain": gain,
            "annee": annee,
            "ligne_gt3": ligne,
        },
        list(ligne.communes.all()),
        identifiant(ligne.pk),
    )


def _verifier(ctx, scenario, partage, actions_moteur):
    errors = moteur.check(
        moteur.Scenario(scenario.nom, float(partage), tuple(actions_moteur)),
        ctx.moteur,
        ctx.activites,
        mots=MotsDuWeb(ctx.noms),
    )
    if errors:
        raise ActionRefusee(errors)


def _existantes(ctx, scenario, sauf=None):
    from scenarios.calcul import action_moteur

    rows = [a for a in actions_de(scenario) if a.pk != getattr(sauf, "pk", None)]
    codes = {c.pk: c.code for a in rows for c in a.communes.all()}
    return rows, [action_moteur(a, codes) for a in rows]


@transaction.atomic
def do_creer(
    schema,
    user,
    nom: str,
    description: str = "",
    partage_gains=0,
    origine=Origine.MANUEL,
    annee_paie: int | None = None,
) -> Scenario:
    try:
        with transaction.atomic():
            scenario = Scenario.objects.create(
                schema=schema,
                nom=nom,
                description=description,
                partage_gains=partage_gains,
                origine=origine,
                annee_paie=annee_paie,
                cree_par=user,
                modifie_par=user,
            )
    except IntegrityError:
        raise ActionRefusee([f"nom : un scénario « {nom} » existe déjà dans ce schéma"]) from None
    _evenement(scenario, user, "scenarios.creation")
    return scenario


@transaction.atomic
def do_modifier(
    ctx, scenario, user, nom: str, description: str, partage_gains, annee_paie: int | None = None
) -> Scenario:
    """`annee_paie`: the payroll year chosen for this scenario; None: the latest complete year."""
    _, existantes = _existantes(ctx, scenario)
    _verifier(ctx, scenario, partage_gains, existantes)
    if Scenario.objects.filter(schema=scenario.schema, nom=nom, figee=False).exclude(pk=scenario.pk).exists():
        raise ActionRefusee([f"nom : un scénario « {nom} » existe déjà dans ce schéma"])
    details = {"annee_paie": annee_paie} if annee_paie != scenario.annee_paie else {}
    scenario.nom, scenario.description, scenario.partage_gains = nom, description, partage_gains
    scenario.annee_paie = annee_paie
    scenario.save(update_fields=["nom", "description", "partage_gains", "annee_paie"])
    _nouvelle_version(scenario, user)
    _evenement(scenario, user, "scenarios.modification", **details)
    return scenario


@transaction.atomic
def do_supprimer(scenario, user) -> None:
    _evenement(scenario, user, "scenarios.suppression", nom=scenario.nom)
    scenario.delete()


@transaction.atomic
def do_dupliquer(scenario, user, nom: str) -> Scenario:
    copie = do_creer(
        scenario.schema, user, nom, scenario.description, scenario.partage_gains, scenario.origine, scenario.annee_paie
    )
    for a in actions_de(scenario):
        communes = list(a.communes.all())
        a.pk, a.scenario = None, copie
        a.save()
        a.communes.set(communes)
    _evenement(copie, user, "scenarios.duplication", depuis=scenario.pk)
    return copie


def copie_figee(scenario, annee_paie: int) -> Scenario:
    """A copy of `scenario` frozen in a version of the schéma (parcours/versions.py), its payroll year
    pinned: same name, parameters and actions; never edited again, out of the lists. Inside the caller's
    transaction, whose event (the freezing of the version) says what happened."""
    copie = Scenario.objects.create(
        schema=scenario.schema,
        nom=scenario.nom,
        description=scenario.description,
        partage_gains=scenario.partage_gains,
        origine=scenario.origine,
        annee_paie=annee_paie,
        version=scenario.version,
        figee=True,
        cree_par=scenario.cree_par,
        modifie_par=scenario.modifie_par,
    )
    for a in actions_de(scenario):
        communes = list(a.communes.all())
        a.pk, a.scenario = None, copie
        a.save()
        a.communes.set(communes)
    return copie


@transaction.atomic
def do_ajouter_actions(ctx, scenario, user, nouvelles: list[tuple[dict, list, str | None]]) -> list[ActionScenario]:
    """Add actions, each given as (field values, communes, identifiant or None for the next free one).
    The whole scenario is checked first: one broken rule and nothing is added."""
    Scenario.objects.select_for_update().filter(pk=scenario.pk).first()
    _, existantes = _existantes(ctx, scenario)
    pris = {a.id for a in existantes}
    prochaine = (scenario.actions.aggregate(m=Max("position"))["m"] or 0) + 1
    plan, n = [], len(existantes) + 1
    for valeurs, communes, ident in nouvelles:
        if not ident:
            while f"A{n}" in pris:
                n += 1
            ident = f"A{n}"
        pris.add(ident)
        plan.append((valeurs, communes, ident))
    _verifier(ctx, scenario, scenario.partage_gains, existantes + [_moteur(v, c, i) for v, c, i in plan])
    creees = []
    for k, (valeurs, communes, ident) in enumerate(plan):
        a = ActionScenario.objects.create(
            scenario=scenario,
            position=prochaine + k,
            identifiant=ident,
            **{c: valeurs[c] for c in CHAMPS_ACTION if c in valeurs},
        )
        a.communes.set([] if valeurs.get("toutes") else communes)
        creees.append(a)
    champs = []
    if scenario.origine == Origine.MANUEL and any(v.get("ligne_gt3") for v, _, _ in plan):
        # Its origin is stored when it is built: filled from GT3 lines, its label says so from now on
        # (hand-made actions added before or after are named by the label too: Scenario.provenance).
        scenario.origine = Origine.GT3
        champs.append("origine")
    _nouvelle_version(scenario, user, *champs)
    _evenement(scenario, user, "scenarios.ajout_actions", actions=[a.identifiant for a in creees])
    return creees


@transaction.atomic
def do_modifier_action(ctx, action: ActionScenario, user, valeurs: dict, communes, identifiant: str) -> ActionScenario:
    scenario = action.scenario
    rows, existantes = _existantes(ctx, scenario)
    nouvelle = _moteur(valeurs, communes, identifiant)
    ordre = [nouvelle if r.pk == action.pk else m for r, m in zip(rows, existantes, strict=True)]
    _verifier(ctx, scenario, scenario.partage_gains, ordre)
    for champ in CHAMPS_ACTION:
        if champ in valeurs:
            setattr(action, champ, valeurs[champ])
    action.identifiant = identifiant
    action.save()
    action.communes.set([] if valeurs.get("toutes") else communes)
    _nouvelle_version(scenario, user)
    _evenement(scenario, user, "scenarios.modification_action", action_id=identifiant)
    return action


@transaction.atomic
def do_supprimer_action(action: ActionScenario, user) -> None:
    scenario = action.scenario
    ident = action.identifiant
    action.delete()
    _nouvelle_version(scenario, user)
    _evenement(scenario, user, "scenarios.suppression_action", action_id=ident)
