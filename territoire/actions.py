"""Creating and updating a territory (from the official files or a territory file) and its schéma. What
the other apps set up for a new territory (working groups, referential copy) is their own action, called
together by mutualis/installation.py."""

from dataclasses import dataclass

from django.db import transaction

from engine.themes import DEFAULT_FUNCTIONAL
from territoire.enums import TypeOrganisation
from territoire.models import DEFAULT_MANDAT, Evenement, Organisation, Schema, Territoire


@dataclass(frozen=True)
class Membre:
    code: str
    nom: str
    population: int | None
    # The commune's own SIREN: a string (possibly empty) from the official files, which replaces the stored one;
    # None when the source does not give it (a territory file), and the stored one is kept.
    siren: str | None = None


@dataclass(frozen=True)
class DescriptionTerritoire:
    """What both the official files and a territory file say of a territory."""

    code: str
    nom: str
    nature: str
    fiscalite: str
    population: int | None
    communes: tuple[Membre, ...]


def description_officielle(siren: str) -> DescriptionTerritoire:
    from territoire.officiel import lookup_epci

    epci = lookup_epci(siren)
    return DescriptionTerritoire(
        code=epci.code,
        nom=epci.nom,
        nature=epci.nature,
        fiscalite=epci.fiscalite,
        population=epci.population,
        communes=tuple(Membre(c.code, c.nom, c.population, c.siren) for c in epci.communes),
    )


def description_fichier(territory_file) -> DescriptionTerritoire:
    epci = territory_file.epci
    return DescriptionTerritoire(
        code=epci.code,
        nom=epci.nom,
        nature="",
        fiscalite=epci.fiscalite or "FPU",
        population=epci.population,
        communes=tuple(Membre(c.code, c.nom, c.population) for c in territory_file.communes),
    )


def a_des_donnees(org: Organisation) -> bool:
    return org.lots.exists() or org.utilisateurs.exists() or org.habilitations.exists()


@transaction.atomic
def do_creer_ou_mettre_a_jour(desc: DescriptionTerritoire, utilisateur=None) -> tuple[Territoire, bool, list[str]]:
    """Create the territory, or update it: rename, repopulate, add communes; a commune that left the
    territory is deleted unless it has data (then kept as a former member, with a warning).
    Returns (territory, created, warnings)."""
    warnings: list[str] = []
    territoire, created = Territoire.objects.get_or_create(
        code=desc.code,
        defaults={
            "nom": desc.nom,
            "nature": desc.nature,
            "fiscalite": desc.fiscalite,
            "fonctionnels": list(DEFAULT_FUNCTIONAL),
        },
    )
    if not created:
        territoire.nom, territoire.fiscalite = desc.nom, desc.fiscalite
        territoire.nature = desc.nature or territoire.nature
        territoire.save(update_fields=["nom", "nature", "fiscalite", "modifie_le"])

    population = desc.population
    if population is None:
        known = [c.population for c in desc.communes if c.population is not None]
        population = sum(known) if known else None
    Organisation.objects.update_or_create(
        territoire=territoire,
        code=desc.code,
        defaults={
            "nom": desc.nom,
            "type": TypeOrganisation.EPCI,
            "population": population,
            "siren": desc.code,
            "membre": True,
        },
    )
    wanted = {c.code for c in desc.communes}
    for commune in desc.communes:
        defaults = {
            "nom": commune.nom,
            "type": TypeOrganisation.COMMUNE,
            "population": commune.population,
            "membre": True,
        }
        if commune.siren is not None:
            defaults["siren"] = commune.siren
        Organisation.objects.update_or_create(territoire=territoire, code=commune.code, defaults=defaults)
    for old in territoire.organisations.communes().exclude(code__in=wanted):
        if a_des_donnees(old):
            if old.membre:
                old.membre = False
                old.save(update_fields=["membre"])
            warnings.append(
                f"la commune {old.nom} ({old.code}) ne figure plus dans le territoire mais a des données : "
                "elle est conservée comme ancienne membre"
            )
        else:
            old.delete()

    if created:
        do_creer_schema(territoire, DEFAULT_MANDAT)
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=utilisateur,
        action="territoire.creation" if created else "territoire.mise_a_jour",
        objet=territoire.nom,
        details={"communes": len(wanted), "avertissements": warnings},
    )
    return territoire, created, warnings


def do_creer_schema(territoire: Territoire, mandat: str) -> Schema:
    """A schéma for a mandate (its working groups: groupes.actions.do_creer_groupes)."""
    schema, _ = Schema.objects.get_or_create(territoire=territoire, mandat=mandat)
    return schema


@transaction.atomic
def do_changer_fonctionnels(territoire: Territoire, themes, utilisateur) -> None:
    """Change the functional list of the coefficient; every result then states the list it used."""
    from engine.coefficient import check_functional

    avant = list(territoire.themes_fonctionnels)
    territoire.fonctionnels = list(check_functional(themes))
    territoire.save(update_fields=["fonctionnels", "modifie_le"])
    Evenement.objects.create(
        territoire=territoire,
        utilisateur=utilisateur,
        action="territoire.fonctionnels",
        objet=territoire.nom,
        details={"avant": avant, "apres": territoire.fonctionnels},
    )


@transaction.atomic
def do_changer_sirets(territoire: Territoire, sirets: dict[str, str], utilisateur) -> int:
    """The SIRETs of the territory's organisations (code → 14 digits or empty), each checked; returns how
    many changed."""
    changes = 0
    for org in territoire.organisations.filter(code__in=sirets):
        if org.siret != sirets[org.code]:
            org.siret = sirets[org.code]
            org.full_clean(validate_unique=False, validate_constraints=False)
            org.save(update_fields=["siret"])
            changes += 1
    if changes:
        Evenement.objects.create(
            territoire=territoire,
            utilisateur=utilisateur,
            action="territoire.sirets",
            objet=territoire.nom,
            details={"n": changes},
        )
    return changes
