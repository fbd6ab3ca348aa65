"""Payroll from an employer's DSN files (docs/contrats/9-dsn.md), on the web: read the files of one year
(several, or a zip), keep the agents' year until every agent is placed by the employer's correspondence,
then prepare the batch through §3's validation (masse_salariale/actions.py), exactly as an imported file.

What is kept: the correspondence rules (by employer, from year to year), the rates (by employer and
year), and of each reading its summary (files' names, sizes and fingerprints, months, monthly gross
totals, rules applied). The files themselves are kept only until the worker of the queue `imports` has read
them, as a stream (masse_salariale/imports.py), then deleted. The agents' year (matricule, cost, ETP, statut,
libellé) is kept only while the reading waits to be placed."""

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.db import transaction

from commun.erreurs import ActionRefusee
from commun.formatage import nombre
from formats import correspondance, dsn
from formats.errors import InvalidFile
from masse_salariale.actions import check_annee, do_preparer_lot
from masse_salariale.enums import CleRegle, StatutLecture
from masse_salariale.models import AgentDSN, LectureDSN, RegleCorrespondance, TauxCharges
from masse_salariale.pseudonymes import pseudonymiser
from territoire.models import Evenement, Organisation

ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FichierDSN:
    """One DSN file of an upload: its name, size, fingerprint, and how to open it again (as a stream)."""

    nom: str
    taille: int
    empreinte: str
    ouvrir: Callable[[], IO[bytes]]


def fichiers_envoyes(envois: Iterable) -> list[FichierDSN]:
    """The DSN files of an upload, in the order given: each uploaded file, or the members of a zip (in the
    zip's order, folders skipped). The total uncompressed size is bounded by `DSN_UPLOAD_MAX_BYTES` before
    anything is read, so that a small zip cannot expand without limit."""
    fichiers: list[FichierDSN] = []
    for envoi in envois:
        envoi.seek(0)
        debut = envoi.read(4)
        envoi.seek(0)
        if debut == ZIP:
            fichiers += _membres(envoi)
        else:
            fichiers.append(FichierDSN(envoi.name, envoi.size, empreinte_envoi(envoi), _rouvrir(envoi)))
    total = sum(f.taille for f in fichiers)
    if total > settings.DSN_UPLOAD_MAX_BYTES:
        raise ActionRefusee(
            [
                f"fichiers : {nombre(total / 1_048_576, 1)} Mo de DSN une fois décompressés, au-delà de la limite "
                f"de {nombre(settings.DSN_UPLOAD_MAX_BYTES / 1_048_576)} Mo"
            ]
        )
    if not fichiers:
        raise ActionRefusee(["fichiers : aucun fichier DSN reçu"])
    return fichiers


def _rouvrir(envoi):
    def ouvrir():
        envoi.seek(0)
        return _SansFermer(envoi)

    return ouvrir


class _SansFermer:
    """The upload as a context manager that leaves it open (the view closes it, which deletes it)."""

    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self.f

    def __exit__(self, *exc):
        return False


def _membres(envoi) -> list[FichierDSN]:
    """The DSN files of a zip, in its order: folders and the metadata macOS adds (`__MACOSX/`, `._*`)
    skipped; a member that cannot be read (encrypted, corrupt, an unknown compression) refuses the zip."""
    try:
        archive = zipfile.ZipFile(envoi)
        infos = [i for i in archive.infolist() if not i.is_dir() and not _metadonnees(i.filename)]
    except zipfile.BadZipFile as exc:
        raise ActionRefusee([f"fichier {envoi.name} : archive zip illisible ({exc})"]) from exc
    if sum(i.file_size for i in infos) > settings.DSN_UPLOAD_MAX_BYTES:
        return [FichierDSN(i.filename, i.file_size, "", lambda: None) for i in infos]  # refused by the caller
    membres = []
    for i in infos:
        try:
            empreinte = _empreinte(lambda i=i: archive.open(i))
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, zlib.error, EOFError) as exc:
            raise ActionRefusee(
                [f"fichier {envoi.name} : « {i.filename} » illisible dans l'archive (chiffré ou abîmé : {exc})"]
            ) from exc
        membres.append(FichierDSN(i.filename, i.file_size, empreinte, lambda i=i: archive.open(i)))
    return membres


def _metadonnees(nom: str) -> bool:
    return nom.startswith("__MACOSX/") or nom.rsplit("/", 1)[-1].startswith("._")


def empreinte_envoi(envoi) -> str:
    """The SHA-256 of an uploaded file, read as a stream."""
    return _empreinte(_rouvrir(envoi))


def _empreinte(ouvrir) -> str:
    h = hashlib.sha256()
    with ouvrir() as f:
        while bloc := f.read(1 << 20):
            h.update(bloc)
    return h.hexdigest()


def taux_proposes(organisation: Organisation, annee: int) -> tuple[TauxCharges | None, TauxCharges | None]:
    """The rates set for this year, and else the latest earlier year's (proposed, never applied unasked)."""
    cette_annee = TauxCharges.objects.filter(organisation=organisation, annee=annee).first()
    precedents = TauxCharges.objects.filter(organisation=organisation, annee__lt=annee).order_by("-annee").first()
    return cette_annee, None if cette_annee else precedents


def regles_de(organisation: Organisation) -> dict[tuple[str, str], list[correspondance.LigneRegle]]:
    """The employer's correspondence, as formats/correspondance.py applies it."""
    regles: dict[tuple[str, str], list[correspondance.LigneRegle]] = {}
    for r in RegleCorrespondance.objects.filter(organisation=organisation).order_by("pk"):
        regles.setdefault((r.cle, r.valeur_normalisee), []).append(
            correspondance.LigneRegle(r.pk, r.valeur, r.theme, r.activite, _part(r.part), r.situation, r.beneficiaire)
        )
    return regles


def _part(part: Decimal) -> str:
    return format(part.normalize(), "f")


def agents_de(lecture: LectureDSN) -> list[tuple[dsn.AgentAnnuel, str]]:
    """The agents' year kept by a reading waiting to be placed, with their service code."""
    return [
        (dsn.AgentAnnuel(a.matricule, a.cout, a.etp, a.statut, a.libelle), a.service)
        for a in lecture.agents.order_by("matricule")
    ]


def lire_dsn(
    organisation: Organisation,
    annee: int,
    fichiers: list[FichierDSN],
    taux: dict[str, Decimal],
    mois_manquants: bool = False,
) -> dsn.Annee:
    """Read an employer's DSN files for a year; nothing is written (the worker's progress is, meanwhile, and
    read by the page: masse_salariale/imports.py). Raises InvalidFile (every error of the files at once) or
    ActionRefusee."""
    check_annee(annee)
    lue = dsn.lire_annee([(f.nom, f.ouvrir) for f in fichiers], annee, taux, organisation.siren or None, mois_manquants)
    if not lue.agents:
        raise ActionRefusee(["fichiers : aucun agent rémunéré dans ces DSN"])
    return lue


@transaction.atomic
def do_enregistrer_lecture(
    organisation: Organisation,
    annee: int,
    fichiers: list[FichierDSN],
    taux: dict[str, Decimal],
    utilisateur,
    lue: dsn.Annee,
    services: dict[str, str] | None = None,
    chapitre_012: Decimal | None = None,
) -> LectureDSN:
    """Keep what the placing needs of a year read (`lire_dsn`), and the rates the employer set for it."""
    TauxCharges.objects.update_or_create(
        organisation=organisation,
        annee=annee,
        defaults={
            "cnracl": taux.get(dsn.CNRACL),
            "general": taux.get(dsn.GENERAL),
            "chapitre_012": chapitre_012,
            "fixe_par": utilisateur,
        },
    )
    services = services or {}
    avertissements = list(lue.avertissements)
    if services:
        connus = sum(1 for a in lue.agents if a.matricule in services)
        if connus < len(lue.agents):
            avertissements.append(
                f"fichier des agents : {connus} des {len(lue.agents)} agents des DSN y figurent ; les autres ne "
                "peuvent pas être placés par leur service"
            )
    lecture = LectureDSN.objects.create(
        territoire=organisation.territoire,
        organisation=organisation,
        annee=annee,
        fichiers=[{"nom": f.nom, "taille": f.taille, "empreinte": f.empreinte} for f in fichiers],
        mois=lue.mois,
        bruts={str(m): str(v) for m, v in lue.bruts.items()},
        contrats=lue.contrats,
        nb_agents=len(lue.agents),
        cout_total=sum((a.cout for a in lue.agents), Decimal(0)),
        taux={k: str(v) for k, v in sorted(taux.items())},
        chapitre_012=chapitre_012,
        avec_services=bool(services),
        avertissements=avertissements,
        importe_par=utilisateur,
    )
    AgentDSN.objects.bulk_create(
        AgentDSN(
            lecture=lecture,
            matricule=a.matricule[:60],
            cout=a.cout,
            etp=a.etp,
            statut=a.statut,
            libelle=a.libelle[:200],
            service=services.get(a.matricule, "")[:200],
        )
        for a in lue.agents
    )
    Evenement.objects.create(
        territoire=organisation.territoire,
        utilisateur=utilisateur,
        action="masse_salariale.dsn",
        objet=f"DSN {annee} de {organisation.nom}",
        details={
            "lecture": lecture.pk,
            "fichiers": len(fichiers),
            "mois": lue.mois,
            "agents": len(lue.agents),
            "empreintes": [f.empreinte for f in fichiers],
        },
    )
    return lecture


@dataclass
class Groupe:
    """Agents no rule places, sharing one libellé de l'emploi."""

    libelle: str
    matricules: list[str]
    etp: Decimal

    @property
    def nombre(self) -> int:
        return len(self.matricules)


def a_placer(lecture: LectureDSN) -> list[Groupe]:
    """The agents of a reading that the employer's rules do not place yet, grouped by libellé (largest
    group first)."""
    regles = regles_de(lecture.organisation)
    groupes: dict[str, Groupe] = {}
    for agent, service in agents_de(lecture):
        if correspondance.regle_de(agent, regles, {agent.matricule: service} if service else {}) is None:
            g = groupes.setdefault(agent.libelle, Groupe(agent.libelle, [], Decimal(0)))
            g.matricules.append(agent.matricule)
            g.etp += agent.etp
    return sorted(groupes.values(), key=lambda g: (-g.nombre, correspondance.normaliser(g.libelle)))


@transaction.atomic
def do_preparer_depuis_dsn(lecture: LectureDSN, utilisateur, acces=None):
    """Turn a reading whose agents are all placed into a staged batch (§3's validation, then the usual
    confirmation page); the agents' year is deleted, what placed each agent is kept for next year's
    suggestions. Raises ActionRefusee while an agent is unplaced, InvalidFile when §3 refuses a line."""
    lecture = LectureDSN.objects.select_for_update().get(pk=lecture.pk)
    if lecture.statut != StatutLecture.A_PLACER:
        raise ActionRefusee([f"lecture : cette lecture est déjà au statut « {lecture.get_statut_display()} »"])
    organisation = lecture.organisation
    regles = regles_de(organisation)
    agents = agents_de(lecture)
    services = {a.matricule: s for a, s in agents if s}
    orphelins = [a for a, _ in agents if correspondance.regle_de(a, regles, services) is None]
    if orphelins:
        raise ActionRefusee(correspondance.non_places(orphelins))
    lignes = correspondance.affecter([a for a, _ in agents], regles, services, organisation.code)
    texte = correspondance.ecrire_csv(lignes)
    nom = f"DSN {lecture.annee} – {organisation.nom} ({len(lecture.fichiers)} fichiers)"
    try:
        lot = do_preparer_lot(lecture.territoire, texte.encode(), nom, lecture.annee, utilisateur, acces)
    except InvalidFile as exc:  # a line of the file written here is nothing the user saw: name its agent
        raise InvalidFile(_par_agent(exc.errors, lignes), _par_agent(exc.warnings, lignes)) from None
    lot.avertissements = [*lecture.avertissements, *lot.avertissements]
    lot.save(update_fields=["avertissements"])
    placements: dict[str, int] = {}
    historique: dict[str, list[str]] = {}
    for a, _ in agents:
        cle, valeur = correspondance.regle_de(a, regles, services)
        nom_regle = f"{cle}|{regles[(cle, valeur)][0].valeur if cle != 'defaut' else ''}"
        placements[nom_regle] = placements.get(nom_regle, 0) + 1
        historique[pseudonymiser(organisation.code, a.matricule)] = [cle, valeur]
    lecture.lot = lot
    lecture.statut = StatutLecture.PREPAREE
    lecture.placements = dict(sorted(placements.items()))
    lecture.historique = historique
    lecture.save(update_fields=["lot", "statut", "placements", "historique"])
    lecture.agents.all().delete()
    return lot


def _par_agent(messages: list[str], lignes: list[dict]) -> list[str]:
    """« ligne 7 : etp … » of the payroll file written from the DSN becomes « agent M0042 : etp … »."""

    def agent(m):
        n = int(m.group(1))
        return f"agent {lignes[n - 2]['agent']} : " if 2 <= n <= len(lignes) + 1 else m.group(0)

    return [re.sub(r"^ligne (\d+) : ", agent, message) for message in messages]


@transaction.atomic
def do_abandonner_lecture(lecture: LectureDSN, utilisateur) -> None:
    lecture = LectureDSN.objects.select_for_update().get(pk=lecture.pk)
    if lecture.statut != StatutLecture.A_PLACER:
        raise ActionRefusee(["lecture : seule une lecture dont les agents restent à placer peut être abandonnée"])
    lecture.statut = StatutLecture.ABANDONNEE
    lecture.save(update_fields=["statut"])
    lecture.agents.all().delete()  # personal data with no further use
    Evenement.objects.create(
        territoire=lecture.territoire,
        utilisateur=utilisateur,
        action="masse_salariale.dsn_abandon",
        objet=f"DSN {lecture.annee} de {lecture.organisation.nom}",
        details={"lecture": lecture.pk},
    )


@dataclass
class Rapport:
    """The DSN part of a batch's import report: what was read, how the agents were placed, and the checks
    the DGS makes against her payroll ledger (monthly gross) and her accounts (chapter 012)."""

    lecture: LectureDSN
    bruts: list[tuple[str, Decimal]]  # (« janvier 2025 », gross pay read)
    brut_total: Decimal
    regles: list[tuple[str, list[tuple[str, int]]]]  # (rule key's label, [(value, agents placed)])
    ecart_012: Decimal | None  # computed costs − chapter 012
    taux: list[tuple[str, Decimal]]

    @property
    def part_012(self) -> Decimal | None:
        c = self.lecture.chapitre_012
        return None if not c else self.lecture.cout_total / c


def rapport(lecture: LectureDSN) -> Rapport:
    bruts = [(dsn.nom_mois(lecture.annee, int(m)), Decimal(v)) for m, v in lecture.bruts.items()]
    bruts.sort(key=lambda mv: dsn.MOIS.index(mv[0].split()[0]))
    par_cle: dict[str, list[tuple[str, int]]] = {}
    for nom, n in lecture.placements.items():
        cle, valeur = nom.split("|", 1)
        par_cle.setdefault(cle, []).append((valeur, n))
    regles = [(c.label, par_cle[c.value]) for c in CleRegle if c.value in par_cle]
    ecart = None if lecture.chapitre_012 is None else lecture.cout_total - lecture.chapitre_012
    taux = [(dsn.REGIMES[k], Decimal(v)) for k, v in lecture.taux.items()]
    return Rapport(lecture, bruts, sum((b for _, b in bruts), Decimal(0)), regles, ecart, taux)


LECTURE_EN_ATTENTE = timedelta(days=30)  # a reading left unplaced longer is abandoned by the daily work


@transaction.atomic
def do_expirer_lectures(maintenant) -> int:
    """Abandon the readings left waiting more than `LECTURE_EN_ATTENTE`: their agents' year is personal
    data with no use once forgotten (the rules stay). How many were abandoned."""
    vieilles = list(
        LectureDSN.objects.select_for_update()
        .filter(statut=StatutLecture.A_PLACER, importe_le__lt=maintenant - LECTURE_EN_ATTENTE)
        .select_related("organisation")
    )
    for lecture in vieilles:
        lecture.statut = StatutLecture.ABANDONNEE
        lecture.save(update_fields=["statut"])
        lecture.agents.all().delete()
        Evenement.objects.create(
            territoire=lecture.territoire,
            utilisateur=None,
            action="masse_salariale.dsn_expiree",
            objet=f"DSN {lecture.annee} de {lecture.organisation.nom}",
            details={"lecture": lecture.pk},
        )
    return len(vieilles)
