"""The correspondence of a DSN reading (docs/contrats/9-dsn.md): the rules that place each agent on themes and
activities (by matricule, by service code from the HR software's agents file, by libellé de l'emploi, or
by default), validated as a file of their own, then applied to the agents of formats/dsn.py to write the
payroll lines of §3. No Django here."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from engine.themes import AUTRE, THEME_CODES
from engine.vocabulaire import MAD, SITUATIONS
from formats.dsn import AgentAnnuel
from formats.ecriture import sans_apostrophe
from formats.errors import InvalidFile, shown
from formats.lecture import read_table
from formats.tabular import normalize_header

CLES = ("matricule", "service", "emploi", "defaut")
COLONNES = ("cle", "valeur", "theme", "activite", "part", "situation", "beneficiaire")
REQUISES = ("cle", "theme")
ENTETE_PAIE = "employeur;agent;theme;activite;cout_annuel;quotite;etp;situation;beneficiaire;statut"


def normaliser(texte: str) -> str:
    """A value as rules match it: trimmed, case- and accent-insensitive, inner spaces collapsed."""
    sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.lower().split())


@dataclass(frozen=True)
class LigneRegle:
    ligne: int
    valeur: str  # as written (the rule's key is its normalised form)
    theme: str
    activite: str
    part: str  # as written: the payroll line's quotite
    situation: str
    beneficiaire: str


def _colonnes(table, nom: str, attendues: tuple[str, ...], requises: tuple[str, ...]) -> dict[str, int]:
    positions = {normalize_header(h): k for k, h in enumerate(table.headers)}
    manquantes = [c for c in requises if c not in positions]
    if manquantes:
        s_ = "s" if len(manquantes) > 1 else ""
        raise InvalidFile([f"fichier {nom} : colonne{s_} manquante{s_} : {', '.join(manquantes)}"])
    return {c: positions[c] for c in attendues if c in positions}


def lire_correspondances(
    data: bytes, nom: str, activites: Collection[str] | None = None, organisations: Collection[str] | None = None
) -> dict[tuple[str, str], list[LigneRegle]]:
    """The rules of a correspondence file: (cle, normalised valeur) -> its lines. Every error at once."""
    table = read_table(data, nom, "correspondances", expected=COLONNES)
    cols = _colonnes(table, nom, COLONNES, REQUISES)
    regles: dict[tuple[str, str], list[LigneRegle]] = {}
    erreurs: list[str] = []
    for row in table.frame.iter_rows(named=True):
        n = row["ligne"]

        def val(c, row=row):
            return row[table.column(cols[c])].strip() if c in cols else ""

        cle, valeur, theme = val("cle").lower(), sans_apostrophe(val("valeur")), val("theme").upper()
        activite, part, situation = val("activite").upper(), val("part") or "1", val("situation").lower()
        beneficiaire = val("beneficiaire")
        fautes = []
        if cle not in CLES:
            fautes.append(f"cle « {shown(val('cle'))} » : attendu matricule, service, emploi ou defaut")
        if cle != "defaut" and not valeur:
            fautes.append("valeur : obligatoire pour une règle par matricule, service ou emploi")
        if theme not in (*THEME_CODES, AUTRE):
            fautes.append(f"theme « {shown(val('theme'))} » : thème inconnu (le code d'un des neuf thèmes, ou {AUTRE})")
        if activite and activites is not None and activite not in activites:
            fautes.append(f"activite « {shown(activite)} » : activité inconnue du référentiel du territoire")
        try:
            p = Decimal(part.replace(",", "."))
            if not 0 < p <= 1 or p.as_tuple().exponent < -4:
                raise InvalidOperation
        except InvalidOperation:
            fautes.append(f"part « {shown(part)} » : attendu un nombre entre 0 (exclu) et 1, à 4 décimales au plus")
            p = None
        if situation and situation not in SITUATIONS:
            fautes.append(f"situation « {shown(situation)} » : attendu {', '.join(SITUATIONS)}")
        if situation == MAD and not beneficiaire:
            fautes.append("beneficiaire : obligatoire pour un agent mis à disposition (mad)")
        if beneficiaire and organisations is not None and beneficiaire not in organisations:
            fautes.append(f"beneficiaire « {shown(beneficiaire)} » : organisation inconnue du territoire")
        if fautes:
            erreurs += [f"fichier {nom}, ligne {n} : {f}" for f in fautes]
            continue
        cle_regle = (cle, "" if cle == "defaut" else normaliser(valeur))
        regles.setdefault(cle_regle, []).append(
            LigneRegle(n, valeur, theme, activite, part.replace(",", "."), situation or "propre", beneficiaire)
        )
    for (cle, valeur), lignes in regles.items():
        total = sum(Decimal(l.part) for l in lignes)
        if total != 1:
            quoi = "la règle par défaut" if cle == "defaut" else f"la règle {cle} « {valeur} »"
            erreurs.append(
                f"fichier {nom}, lignes {', '.join(str(l.ligne) for l in lignes)} : les parts de {quoi} font "
                f"{str(total).replace('.', ',')} au lieu de 1"
            )
    if erreurs:
        raise InvalidFile(erreurs, table.warnings)
    return regles


def lire_agents(data: bytes, nom: str) -> dict[str, str]:
    """The HR software's agents file: matricule -> service code (the column `service` or `code service`);
    a matricule given twice is an error naming both lines."""
    table = read_table(data, nom, "agents", expected=("matricule", "service", "code_service"))
    positions = {normalize_header(h): k for k, h in enumerate(table.headers)}
    if "service" not in positions and "code_service" in positions:
        positions["service"] = positions["code_service"]
    manquantes = [c for c in ("matricule", "service") if c not in positions]
    if manquantes:
        raise InvalidFile([f"fichier {nom} : colonne manquante : {', '.join(manquantes)}"])
    cols = {c: positions[c] for c in ("matricule", "service")}
    services: dict[str, str] = {}
    lignes: dict[str, int] = {}
    erreurs = []
    for row in table.frame.iter_rows(named=True):
        matricule = row[table.column(cols["matricule"])].strip()
        if matricule in lignes:
            erreurs.append(
                f"fichier {nom}, ligne {row['ligne']} : matricule « {shown(matricule)} » déjà à la ligne "
                f"{lignes[matricule]}"
            )
            continue
        lignes[matricule] = row["ligne"]
        services[matricule] = row[table.column(cols["service"])].strip()
    if erreurs:
        raise InvalidFile(erreurs, table.warnings)
    return services


def regle_de(
    agent: AgentAnnuel, regles: Mapping[tuple[str, str], list[LigneRegle]], services: Mapping[str, str]
) -> tuple[str, str] | None:
    """The key of the rule that places an agent: its matricule's, else its service's, else its libellé's,
    else the default rule; None when no rule does."""
    service = services.get(agent.matricule)
    candidates = [
        ("matricule", normaliser(agent.matricule)),
        *([("service", normaliser(service))] if service else []),
        ("emploi", normaliser(agent.libelle)),
        ("defaut", ""),
    ]
    return next((c for c in candidates if c in regles), None)


def non_places(agents: list[AgentAnnuel]) -> list[str]:
    """The error of each libellé whose agents no rule places, with their count."""
    par_libelle: dict[str, int] = {}
    for a in agents:
        par_libelle[a.libelle] = par_libelle.get(a.libelle, 0) + 1
    return [
        f"emploi « {libelle or '(sans libellé)'} » : {n} agent{_s(n)} non affecté{_s(n)}"
        for libelle, n in sorted(par_libelle.items())
    ]


def affecter(
    agents: list[AgentAnnuel],
    regles: Mapping[tuple[str, str], list[LigneRegle]],
    services: Mapping[str, str],
    employeur: str,
) -> list[dict]:
    """Each agent's payroll lines, from the rule `regle_de` finds. The agents no rule places are one error
    per libellé, with their count."""
    lignes, orphelins = [], []
    for a in agents:
        cle = regle_de(a, regles, services)
        if cle is None:
            orphelins.append(a)
            continue
        for r in regles[cle]:
            lignes.append(
                {
                    "employeur": employeur,
                    "agent": a.matricule,
                    "theme": r.theme,
                    "activite": r.activite,
                    "cout_annuel": f"{a.cout:.2f}",
                    "quotite": r.part,
                    "etp": f"{a.etp:.4f}",
                    "situation": r.situation,
                    "beneficiaire": r.beneficiaire,
                    "statut": a.statut,
                }
            )
    if orphelins:
        raise InvalidFile(non_places(orphelins))
    return sorted(lignes, key=lambda l: (l["agent"], l["theme"], l["activite"]))


def _s(n: int) -> str:
    return "s" if n > 1 else ""


def ecrire_csv(lignes: list[dict]) -> str:
    """The payroll file of §3: `;`, UTF-8 without BOM, LF; a value holding `;` or `"` (a matricule is what
    the DSN says) quoted as CSV does, so that it stays one cell."""
    colonnes = ENTETE_PAIE.split(";")
    out = io.StringIO()
    ecrivain = csv.writer(out, delimiter=";", lineterminator="\n")
    ecrivain.writerow(colonnes)
    ecrivain.writerows([l[c] for c in colonnes] for l in lignes)
    return out.getvalue()
