"""Writes of a territory's referential: the default copy, an activity's edit or deletion, the import.

Every write but the initial copy is recorded in the territory's audit trail (`Evenement`). Nothing else
holds a foreign key to an activity: payroll lines and aggregates quote activity codes as plain text, so
replacing the referential never loses payroll data (a line whose code disappears is reported as an unknown
activity by the next payroll import, and still counts for its theme).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from referentiel import defaut
from referentiel.models import Activite, SousActivite
from territoire.models import Evenement


@transaction.atomic
def do_copier_referentiel_defaut(territoire) -> int:
    """Give the territory its own editable copy of the default referential. Returns the number of activities."""
    return len(_creer(territoire, defaut.DEFAULT_REFERENTIAL))


def _creer(territoire, valeurs: Iterable[defaut.Activite], debut: int = 0) -> list[Activite]:
    valeurs = list(valeurs)
    activites = Activite.objects.bulk_create(
        Activite(
            territoire=territoire,
            theme=a.theme,
            code=a.code,
            libelle=a.libelle,
            description=a.description,
            reserve_cdg=a.reserve_cdg,
            ordre=debut + i,
        )
        for i, a in enumerate(valeurs)
    )
    SousActivite.objects.bulk_create(
        SousActivite(activite=activite, code=s.code, libelle=s.libelle, reserve_cdg=s.reserve_cdg, ordre=j)
        for activite, source in zip(activites, valeurs, strict=True)
        for j, s in enumerate(source.sous_activites)
    )
    return activites


# --- reading the stored referential as plain values --------------------------------------------------


def valeur(activite: Activite) -> defaut.Activite:
    """An activity (its sub-activities prefetched or not) as the plain value the export and diffs use."""
    return defaut.Activite(
        code=activite.code,
        theme=activite.theme,
        libelle=activite.libelle,
        description=activite.description,
        reserve_cdg=activite.reserve_cdg,
        sous_activites=tuple(
            defaut.SousActivite(s.code, s.libelle, s.reserve_cdg) for s in activite.sous_activites.all()
        ),
    )


def referentiel_actuel(territoire) -> list[defaut.Activite]:
    """The territory's activities in display order: by theme (the nine in their order), then `ordre`."""
    from engine.themes import THEME_CODES

    rang = {code: i for i, code in enumerate(THEME_CODES)}
    activites = sorted(
        territoire.activites.prefetch_related("sous_activites"),
        key=lambda a: (rang.get(a.theme, len(rang)), a.ordre, a.code),
    )
    return [valeur(a) for a in activites]


# --- one activity ---------------------------------------------------------------------------------


@transaction.atomic
def do_enregistrer_activite(territoire, activite: Activite | None, nouvelle: defaut.Activite, utilisateur) -> Activite:
    """Create (`activite` None) or update an activity and replace its sub-activities with `nouvelle`'s.

    `nouvelle` has been validated by the form (codes unique in the territory, prefixes). Sub-activities
    are rewritten rather than matched: nothing refers to them but their code.
    """
    # Read back from the database: the form has already copied its values onto `activite`.
    avant = valeur(Activite.objects.get(pk=activite.pk)) if activite is not None else None
    if activite is None:
        plus_grand = territoire.activites.aggregate(m=Max("ordre"))["m"]
        activite = Activite(territoire=territoire, ordre=0 if plus_grand is None else plus_grand + 1)
    activite.theme, activite.code, activite.libelle = nouvelle.theme, nouvelle.code, nouvelle.libelle
    activite.description, activite.reserve_cdg = nouvelle.description, nouvelle.reserve_cdg
    activite.save()
    activite.sous_activites.all().delete()
    SousActivite.objects.bulk_create(
        SousActivite(activite=activite, code=s.code, libelle=s.libelle, reserve_cdg=s.reserve_cdg, ordre=j)
        for j, s in enumerate(nouvelle.sous_activites)
    )
    if avant is None:
        Evenement.objects.create(
            territoire=territoire,
            utilisateur=utilisateur,
            action="referentiel.ajout",
            objet=nouvelle.code,
            details={
                "theme": nouvelle.theme,
                "libelle": nouvelle.libelle,
                "sous_activites": [s.code for s in nouvelle.sous_activites],
            },
        )
    else:
        changements = differences(avant, nouvelle)
        if changements:
            Evenement.objects.create(
                territoire=territoire,
                utilisateur=utilisateur,
                action="referentiel.modification",
                objet=nouvelle.code,
                details=changements,
            )
    return activite


@transaction.atomic
def do_supprimer_activite(territoire, activite: Activite, utilisateur) -> None:
    avant = valeur(activite)
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=utilisateur,
        action="referentiel.suppression",
        objet=avant.code,
        details={
            "theme": avant.theme,
            "libelle": avant.libelle,
            "sous_activites": [s.code for s in avant.sous_activites],
        },
    )
    activite.delete()


def differences(avant: defaut.Activite, apres: defaut.Activite) -> dict:
    """What changed in one activity, for the audit trail: `{champ: [avant, après]}` and the codes of the
    sub-activities added, removed or changed. Empty when nothing changed."""
    changes: dict = {}
    for champ in ("code", "theme", "libelle", "description", "reserve_cdg"):
        a, b = getattr(avant, champ), getattr(apres, champ)
        if a != b:
            changes[champ] = [a, b]
    sous_avant = {s.code: s for s in avant.sous_activites}
    sous_apres = {s.code: s for s in apres.sous_activites}
    ajoutees = [c for c in sous_apres if c not in sous_avant]
    supprimees = [c for c in sous_avant if c not in sous_apres]
    modifiees = [c for c in sous_apres if c in sous_avant and sous_avant[c] != sous_apres[c]]
    for nom, codes in (
        ("sous_activites_ajoutees", ajoutees),
        ("sous_activites_supprimees", supprimees),
        ("sous_activites_modifiees", modifiees),
    ):
        if codes:
            changes[nom] = codes
    if not changes and [s.code for s in avant.sous_activites] != [s.code for s in apres.sous_activites]:
        changes["ordre_des_sous_activites"] = [s.code for s in apres.sous_activites]
    return changes


# --- the whole referential ------------------------------------------------------------------------


@transaction.atomic
def do_remplacer_referentiel(territoire, activites: Iterable[defaut.Activite], utilisateur, fichier: str) -> dict:
    """Replace the territory's referential with a validated file's activities, all or nothing.

    Returns the summary recorded in the audit trail: counts, and the activity codes added, removed and
    changed."""
    activites = list(activites)
    avant = {a.code: a for a in referentiel_actuel(territoire)}
    apres = {a.code: a for a in activites}
    resume = {
        "fichier": fichier,
        "activites": len(activites),
        "sous_activites": sum(len(a.sous_activites) for a in activites),
        "ajoutees": [c for c in apres if c not in avant],
        "supprimees": [c for c in avant if c not in apres],
        "modifiees": [c for c in apres if c in avant and avant[c] != apres[c]],
    }
    # Sub-activities go with their activities (on_delete=CASCADE).
    territoire.activites.all().delete()
    _creer(territoire, activites)
    Evenement.objects.create(
        territoire=territoire, utilisateur=utilisateur, action="referentiel.import", objet=fichier[:200], details=resume
    )
    return resume
