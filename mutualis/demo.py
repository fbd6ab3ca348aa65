"""The demo territory: Bordeaux Métropole from the official files, a deterministic synthetic payroll
(masse_salariale/generateur.py) for two reference years, and the demo accounts of docs/contrats §8."""

import io

from django.contrib.auth.hashers import make_password
from django.db import transaction

from comptes.enums import Role
from comptes.models import Habilitation, Utilisateur

SIREN = "243300316"
MOT_DE_PASSE = "mutualis-demo"
SEED = 2026
ANNEES = ((2024, SEED - 1, 0.97), (2025, SEED, 1.0))

# login, first name, last name, organisation code (None: none; "EPCI": the EPCI), role, group theme
COMPTES = (
    (
        "equipe-projet",
        "Camille",
        "Durand",
        "EPCI",
        Role.EQUIPE_PROJET,
        None,
        "l'équipe projet de l'EPCI : administre le schéma",
    ),
    ("dgs-metropole", "Hélène", "Martin", "EPCI", Role.DGS, None, "DGS de Bordeaux Métropole"),
    ("dgs-bordeaux", "Marc", "Lefèvre", "33063", Role.DGS, None, "DGS de Bordeaux"),
    ("dgs-merignac", "Sophie", "Bernard", "33281", Role.DGS, None, "DGS de Mérignac"),
    (
        "copilote-rh-commune",
        "Julien",
        "Petit",
        "33318",
        Role.COPILOTE_COMMUNE,
        "RH",
        "co-pilote du groupe RH pour les communes (Pessac)",
    ),
    ("copilote-rh-epci", "Nadia", "Roux", "EPCI", Role.COPILOTE_EPCI, "RH", "co-pilote du groupe RH pour l'EPCI"),
    (
        "consultant",
        "Paul",
        "Moreau",
        None,
        Role.CONSULTANT,
        None,
        "consultant accompagnant les groupes (sans organisation)",
    ),
    ("elu-copil", "Anne", "Girard", "EPCI", Role.ELU, None, "élue, membre du comité de pilotage"),
)


def base_vide() -> bool:
    from territoire.models import Territoire

    return not Territoire.objects.exists() and not Utilisateur.objects.exists()


MERIGNAC = "33281"
NIC_MERIGNAC = "00017"


def paie_demo(annee: int = ANNEES[-1][0]):
    """The demo's payroll of `annee` (the latest by default), the frame charger_demo loads, built from the
    official description of the territory without the database (tests, DSN files)."""
    from masse_salariale.generateur import generate_payroll
    from territoire.officiel import lookup_epci

    seed, scale = next((s, k) for a, s, k in ANNEES if a == annee)
    epci = lookup_epci(SIREN)
    communes = [(c.code, c.nom, c.population) for c in epci.communes]
    return generate_payroll((epci.code, epci.nom, epci.population), communes, seed=seed, scale=scale)


def ecrire_dsn_demo(dossier) -> list:
    """Mérignac's twelve DSN files of the latest demo year and their correspondence file, in `dossier`, for
    a person trying the DSN reading (masse_salariale/generateur_dsn.py); returns their paths."""
    import polars as pl

    from masse_salariale.generateur_dsn import ecrire_dossier, siren_commune

    annee = ANNEES[-1][0]
    lignes = paie_demo(annee).filter(pl.col("employeur") == MERIGNAC)
    return ecrire_dossier(lignes, dossier, annee, siren_commune(MERIGNAC), NIC_MERIGNAC, nom="COMMUNE DE MERIGNAC")


def payroll_csv(territoire, seed: int, scale: float) -> bytes:
    from masse_salariale.generateur import generate_payroll, write_payroll_csv

    orgs = list(territoire.organisations.all())
    epci = next(o for o in orgs if o.est_epci)
    frame = generate_payroll(
        (epci.code, epci.nom, epci.population),
        [(o.code, o.nom, o.population) for o in orgs if not o.est_epci],
        seed=seed,
        scale=scale,
    )
    buffer = io.BytesIO()
    write_payroll_csv(frame, buffer)
    return buffer.getvalue()


def charger_demo() -> None:
    from django.test.utils import override_settings

    # The demo's invitations, submissions and notifications are recorded as sent, but go nowhere: the
    # e-mails leave after the commit, so the whole transaction is inside.
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
        _charger()


@transaction.atomic
def _charger() -> None:
    from masse_salariale.actions import do_confirmer_lot, do_preparer_lot
    from mutualis.installation import do_installer_territoire
    from territoire.actions import description_officielle

    territoire, _, _ = do_installer_territoire(description_officielle(SIREN))
    schema = territoire.schemas.get()
    orgs = {o.code: o for o in territoire.organisations.all()}
    users = {}
    hashed = make_password(MOT_DE_PASSE)  # one hash for the eight demo accounts: loading stays quick
    for login, first, last, org_code, role, theme, _ in COMPTES:
        org = orgs[SIREN] if org_code == "EPCI" else orgs.get(org_code)
        user = Utilisateur.objects.create(
            username=login,
            password=hashed,
            first_name=first,
            last_name=last,
            email=f"{login}@demo.mutualis.localhost",
            organisation=org,
        )
        Habilitation.objects.create(
            utilisateur=user,
            territoire=territoire,
            role=role,
            organisation=org,
            groupe=schema.groupes.get(theme=theme) if theme else None,
        )
        users[login] = user
    for annee, seed, scale in ANNEES:
        data = payroll_csv(territoire, seed, scale)
        lot = do_preparer_lot(
            territoire, data, f"masse_salariale_{annee}_bordeaux_metropole.csv", annee, users["equipe-projet"]
        )
        do_confirmer_lot(lot, users["equipe-projet"])

    from mutualis.demo_espace import charger_espace
    from mutualis.demo_suivi import charger_suivi

    charger_espace(territoire, users)
    charger_suivi(hashed)


def texte_logins(url: str) -> str:
    from mutualis.demo_suivi import LOGIN, QUI

    lines = [f"Mutualis est servi sur {url}", f"Comptes de démonstration (mot de passe : {MOT_DE_PASSE}) :"]
    comptes = [(login, who) for login, *_, who in COMPTES] + [(LOGIN, QUI)]
    width = max(len(login) for login, _ in comptes)
    lines += [f"  {login.ljust(width)}  {who}" for login, who in comptes]
    return "\n".join(lines)
