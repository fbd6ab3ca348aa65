"""Names and builders shared by the tests (fixtures live in conftest.py)."""

EPCI = "243300316"
BORDEAUX, MERIGNAC, PESSAC, TALENCE = "33063", "33281", "33318", "33522"
MOT_DE_PASSE = "mot-de-passe-de-test"

HEADER = "employeur;agent;theme;cout_annuel;quotite;etp;situation;beneficiaire;activite;categorie"


def creer_territoire(code=EPCI, nom="Bordeaux Métropole", communes=None, fiscalite="FPU"):
    from mutualis.installation import do_installer_territoire
    from territoire.actions import DescriptionTerritoire, Membre

    communes = communes or [
        (BORDEAUX, "Bordeaux", 267991),
        (MERIGNAC, "Mérignac", 73000),
        (PESSAC, "Pessac", 66000),
        (TALENCE, "Talence", 44000),
    ]
    desc = DescriptionTerritoire(
        code=code,
        nom=nom,
        nature="METRO",
        fiscalite=fiscalite,
        population=None,
        communes=tuple(Membre(*c) for c in communes),
    )
    return do_installer_territoire(desc)[0]


def creer_utilisateur(territoire, login, role, org_code=None, theme=None):
    from comptes.models import Habilitation, Utilisateur

    org = territoire.organisations.get(code=org_code) if org_code else None
    user = Utilisateur.objects.create_user(
        username=login, password=MOT_DE_PASSE, organisation=org, email=f"{login}@exemple.fr"
    )
    groupe = territoire.schemas.get().groupes.get(theme=theme) if theme else None
    Habilitation.objects.create(utilisateur=user, territoire=territoire, role=role, organisation=org, groupe=groupe)
    return user


def payroll_csv(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def payroll_rows_small() -> list[str]:
    """A readable payroll: 3+ agents per functional cell where it matters, some mad and transfers."""
    rows = []
    for i in range(4):
        rows.append(f"{EPCI};E{i};FIN;50000;1;1;propre;;FIN-BUDG;A")
    rows.append(f"{EPCI};E9;RH;45000;1;1;transfere;;RH-PAIE;B")
    for i in range(5):
        rows.append(f"{BORDEAUX};B{i};FIN;40000;1;1;propre;;FIN-BUDG;B")
    for i in range(3):
        rows.append(f"{BORDEAUX};R{i};RH;42000;1;1;propre;;RH-PAIE;C")
    rows.append(f"{MERIGNAC};M1;RH;44000;0,5;1;mad;{EPCI};RH-PAIE;B")
    rows.append(f"{MERIGNAC};M1;AUTRE;44000;0,5;1;propre;;;B")
    rows.append(f"{MERIGNAC};M2;RH;38000;1;0,8;propre;;RH-FORM;C")
    rows.append(f"{PESSAC};P1;BML;36000;1;1;mad;{TALENCE};;C")
    return rows


def run_command(capsys, *args):
    """Run a `mutualis` command in-process; returns (exit status, stdout, stderr)."""
    from django.core.management import call_command

    try:
        call_command(*args)
        status = 0
    except SystemExit as exc:
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err
