"""Synthetic DSN files for the demo and the tests: one employer's payroll lines (docs/contrats §3, as
masse_salariale/generateur.py writes them) turned into its twelve monthly DSN of a year in the norm's
syntax (docs/contrats/9-dsn.md), and the correspondence file that places its agents back on their lines.
Read back by formats/dsn.py and formats/correspondance.py, they give the same payroll lines: the same
cost to the cent, the same ETP, theme, activity, quotité, situation and beneficiary.

What is written, per monthly file (UTF-8, LF, one rubrique a line, `CODE,'valeur'`):

- **Read by Mutualis** (§9's table): the declaration `S20.G00.05.001` (nature `01`), `.002` (type `01`),
  `.003` (fraction `11`), `.005` (`01MMAAAA`); the SIREN `S21.G00.06.001` and the NIC `S21.G00.11.001`;
  per agent its matricule `S21.G00.30.019` (the frame's `agent`), one contract `S21.G00.40.*`: `.006`
  libellé de l'emploi (below), `.007` nature (`50` titulaire, `10` contractuel), `.009` number, `.011`
  unit `10` (hours), `.012` reference quotité `35`, `.013` quotité `35 × etp`, `.020` regime (`120`
  CNRACL for a titulaire, `200` régime général for a contractuel); the pay blocks `S21.G00.51.*`
  (`.010` contract, `.011` type, `.013` amount) with type `001`, the gross.
- **Written but never read** (for reading speed on real-sized files, and to check they stay out of the
  result): pay blocks of types `002` (brut chômage), `003` (salaire rétabli) and `010` (salaire de base),
  with `.001`, `.002` (period) and `.012` (hours); the sender `S10.G00.00` (software), `S10.G00.01`
  (émetteur), `S10.G00.02` (contact); `S20.G00.05.004`, `.007`, `.008`, `.010`; `S20.G00.07` (contact);
  the other `S21.G00.06` and `S21.G00.11` rubriques (APE, address, headcount); the payments to the
  organisms `S21.G00.20`, `S21.G00.22` and the aggregated contributions `S21.G00.23`; per individual the
  NIR `S21.G00.30.001` (13 digits of the right shape, département `00`: no real person has it), names
  `.002` and `.004`, sex `.005`, birth date `.006`, birth place `.007`, address `.008` to `.010`; the
  contract's `S21.G00.40.001` (start), `.002`, `.003`, `.004`, `.014`, `.017`, `.018`, `.019`, `.024`,
  `.026`; sick leave `S21.G00.60` (for about 6 % of agents, one month) and another suspension
  `S21.G00.65` (about 1 %); the payment `S21.G00.50` (date, net amounts, income tax withheld), primes
  `S21.G00.52`, bases `S21.G00.78` (codes `02`, `03`, `04`, `07`) and individual contributions
  `S21.G00.81` (codes and rates indicative, never read); the end `S90.G00.90` (rubrique count, 1 DSN).
- **Élus** (`elus`, 6 by default): matricules `ELU001`…, a mandate (nature `80`, régime général, unit
  `99`) paid every month: formats/dsn.py ignores them with a warning.

**Amounts.** Each agent's cost C (cents) must be round_half_up(G × (1 + rate)) for an integer gross G in
cents, with the rate of its statut's regime (masse_salariale/generateur.py: `REGIME_DEMO`, `taux`); G is
found back exactly (`gross_from_cost`), and a cost that no gross gives is a ValueError. G is split over
the twelve months in whole cents, the remainder on December: the months add up to G exactly, so the
reading's cost is C.

**Libellés and correspondence.** An agent's libellé comes from its first line: a prefix by category (A
« Responsable », B « Gestionnaire », C « Agent ») and, after « – », the activity's label in
referentiel/defaut.py, else the theme's label, or for `AUTRE` its service (« Agent des services à la
population » without one). An agent with one `propre` line whose libellé designates a single (theme,
activity) is placed by an `emploi` rule; every other agent (several lines, `mad` or `transfere`, or a
libellé shared by two targets) by a `matricule` rule whose lines are its lines (part = quotité,
situation, beneficiary). The correspondence is CSV text with §9's columns.

Pure Python: no Django import. Same arguments, same bytes.
"""

from __future__ import annotations

import calendar
import csv
import io
from collections.abc import Mapping
from decimal import Decimal
from os import PathLike
from pathlib import Path

import numpy as np
import polars as pl

from engine.themes import AUTRE, THEMES
from formats.correspondance import COLONNES, normaliser
from masse_salariale.generateur import (
    REGIME_DEMO,
    TAUX_CHARGES_DEMO,
    charge_factors,
    cost_from_gross,
    gross_from_cost,
)
from referentiel.defaut import activities_by_theme

NATURE = {"titulaire": "50", "contractuel": "10"}
REGIME = {"cnracl": "120", "general": "200"}
HEURES_REFERENCE = Decimal(35)
PREFIXES = {"A": "Responsable", "B": "Gestionnaire", "C": "Agent"}
SANS_SERVICE = "Agent des services à la population"
NUMERO_CONTRAT = "00001"
ELUS = 6
# Monthly gross of an élu's indemnité de fonction, in cents, by rank (the first is the maire or président).
_INDEMNITES_COMMUNE = (("Maire", 456_000), ("Adjoint au maire", 182_400), ("Conseiller municipal délégué", 68_400))
_INDEMNITES_EPCI = (("Président", 566_000), ("Vice-président", 226_400), ("Conseiller communautaire délégué", 85_000))

_ACTIVITES = {a.code: a.libelle for acts in activities_by_theme().values() for a in acts}
_THEMES = {t.code: t.label for t in THEMES}
_NOMS = ("MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT",
         "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER")  # fmt: skip
_PRENOMS = (("Jean", "Pierre", "Nicolas", "Thomas", "Karim", "Julien", "Antoine", "Mathieu"),
            ("Marie", "Nathalie", "Isabelle", "Sophie", "Camille", "Fatima", "Julie", "Céline"))  # fmt: skip
_VOIES = ("RUE DES ÉCOLES", "AVENUE DE LA RÉPUBLIQUE", "ALLÉE DES PINS", "CHEMIN DU MOULIN", "RUE DE L'ÉGLISE")
# Individual contributions written under the gross base (code, rate in basis points), per regime: indicative.
_COTISATIONS = {
    "cnracl": (("065", 2772), ("066", 988), ("067", 345), ("068", 50), ("069", 30), ("081", 200)),
    "general": (("075", 855), ("076", 202), ("077", 420), ("078", 700), ("079", 345), ("080", 405)),
}
_ARRET, _SUSPENSION = 0.06, 0.01

COLONNES_PAIE = ("employeur", "agent", "theme", "activite", "cout_annuel", "quotite", "etp", "situation",
                 "beneficiaire", "statut")  # fmt: skip


def siren_commune(insee: str) -> str:
    """A commune's SIREN as the INSEE numbers them: 21, the département, 0, the commune's 3 digits, and the
    Luhn key (Bordeaux 33063 → 213300635; Corsica's 2A and 2B as 20). Good enough for synthetic files."""
    corps = f"21{insee[:2].upper().replace('2A', '20').replace('2B', '20')}0{insee[2:]}"
    if len(insee) != 5 or not corps.isdigit():
        raise ValueError(f"code INSEE « {insee} » : attendu 5 caractères")
    return next(corps + cle for cle in "0123456789" if _luhn(corps + cle))


def _luhn(chiffres: str) -> bool:
    total = 0
    for k, c in enumerate(reversed(chiffres)):
        d = int(c) * (2 if k % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _r(code: str, valeur: object) -> str:
    return f"{code},'{str(valeur).replace(chr(39), chr(39) * 2)}'\n"


def _euros(centimes: int) -> str:
    return f"{centimes // 100}.{centimes % 100:02d}"


def _decimal(x: float) -> Decimal:
    """A float of the frame as the decimal it was written from (0.3, not 0.299999…)."""
    return Decimal(repr(float(x)))


def _quotite(etp: float) -> str:
    """The contract's quotité in hours, 35 × etp, exact (17.50 for 0.5; 11.6655 for 0.3333)."""
    heures = HEURES_REFERENCE * _decimal(etp)
    centiemes = heures.quantize(Decimal("0.01"))
    return f"{centiemes}" if centiemes == heures else f"{heures:f}"


def _libelle(theme: str, activite: str | None, service: str | None, categorie: str | None) -> str:
    prefixe = PREFIXES.get(categorie or "", "Gestionnaire")
    if theme == AUTRE:
        return f"{prefixe} – {service}" if service else SANS_SERVICE
    return f"{prefixe} – {_ACTIVITES.get(activite or '') or _THEMES.get(theme, theme)}"


def _agents(lignes: pl.DataFrame) -> pl.DataFrame:
    """One row per agent, in the frame's order: its first line's attributes and all its lines."""
    manquantes = [c for c in COLONNES_PAIE if c not in lignes.columns]
    if manquantes:
        raise ValueError(f"colonnes manquantes : {', '.join(manquantes)}")
    employeurs = lignes["employeur"].unique().to_list()
    if len(employeurs) != 1:
        raise ValueError(f"les lignes d'un seul employeur sont attendues, pas de {len(employeurs)}")
    f = lignes.with_columns(
        *(pl.lit(None, dtype=pl.String).alias(c) for c in ("service", "categorie") if c not in lignes.columns)
    )
    agents = f.group_by("agent", maintain_order=True).agg(
        pl.col("cout_annuel", "etp", "statut", "theme", "activite", "service", "categorie").first(),
        lignes=pl.struct("theme", "activite", "quotite", "situation", "beneficiaire"),
    )
    libelles = [
        _libelle(t, a, s, c)
        for t, a, s, c in zip(agents["theme"], agents["activite"], agents["service"], agents["categorie"], strict=True)
    ]
    return agents.with_columns(libelle=pl.Series(libelles, dtype=pl.String))


def _bruts(agents: pl.DataFrame, taux: Mapping[str, Decimal]) -> np.ndarray:
    """Each agent's yearly gross in cents, from its cost; ValueError when a cost is not round(G × (1+rate))."""
    couts = np.rint(agents["cout_annuel"].to_numpy() * 100).astype(np.int64)
    numerateur, denominateur = charge_factors(agents["statut"].to_list(), taux)
    bruts = gross_from_cost(couts, numerateur, denominateur)
    faux = np.flatnonzero(cost_from_gross(bruts, numerateur, denominateur) != couts)
    if len(faux):
        exemples = ", ".join(agents["agent"][int(k)] for k in faux[:5])
        raise ValueError(
            f"{len(faux)} coût(s) qu'aucun brut ne donne au taux de leur régime (brut × (1 + taux), arrondi au "
            f"centime) : {exemples}"
        )
    return bruts


class _Employeur:
    """What the files need to know of the employer, and a deterministic source of fake identities."""

    def __init__(self, code: str, siren: str, nic: str, nom: str | None, graine: int):
        self.code, self.siren, self.nic = code, siren, nic
        self.epci = len(code) == 9
        self.nom = nom or f"{'EPCI' if self.epci else 'COMMUNE'} {code}"
        self.postal = f"{siren[2:4]}000" if siren[2:4].isdigit() else "75000"
        self.rng = np.random.default_rng([graine, int(siren) if siren.isdigit() else 0])


def _individu(e: _Employeur, k: int, matricule: str) -> str:
    """The individual's block: fake identity (the NIR's département is 00), then its matricule."""
    rng = e.rng
    sexe = int(rng.integers(1, 3))
    annee, mois, jour = int(rng.integers(1962, 2004)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
    nir = f"{sexe}{annee % 100:02d}{mois:02d}00{k:06d}"
    return (
        _r("S21.G00.30.001", nir)
        + _r("S21.G00.30.002", _NOMS[int(rng.integers(len(_NOMS)))])
        + _r("S21.G00.30.004", _PRENOMS[sexe - 1][int(rng.integers(8))])
        + _r("S21.G00.30.005", f"0{sexe}")
        + _r("S21.G00.30.006", f"{jour:02d}{mois:02d}{annee}")
        + _r("S21.G00.30.007", "VILLE FICTIVE")
        + _r("S21.G00.30.008", f"{int(rng.integers(1, 200))} {_VOIES[int(rng.integers(len(_VOIES)))]}")
        + _r("S21.G00.30.009", e.postal)
        + _r("S21.G00.30.010", "LOCALITE FICTIVE")
        + _r("S21.G00.30.019", matricule)
    )


def _contrat(e: _Employeur, libelle: str, nature: str, regime: str, unite: str, quotite: str | None) -> str:
    rng = e.rng
    debut = f"01{int(rng.integers(1, 13)):02d}{int(rng.integers(1990, 2024))}"
    texte = (
        _r("S21.G00.40.001", debut)
        + _r("S21.G00.40.002", "02" if nature == "80" else "04")
        + _r("S21.G00.40.003", "04")
        + _r("S21.G00.40.004", "524a")
        + _r("S21.G00.40.006", libelle)
        + _r("S21.G00.40.007", nature)
        + _r("S21.G00.40.009", NUMERO_CONTRAT)
        + _r("S21.G00.40.011", unite)
    )
    if quotite is not None:
        texte += _r("S21.G00.40.012", HEURES_REFERENCE) + _r("S21.G00.40.013", quotite)
    return texte + (
        _r("S21.G00.40.014", "10")
        + _r("S21.G00.40.017", "9999")
        + _r("S21.G00.40.018", "200")
        + _r("S21.G00.40.019", e.siren + e.nic)
        + _r("S21.G00.40.020", regime)
        + _r("S21.G00.40.024", "99")
        + _r("S21.G00.40.026", "01" if nature == "50" else "02")
    )


def _absences(e: _Employeur) -> tuple[int, str]:
    """(month, blocks) of a sick leave or another suspension for some agents; (0, '') for most."""
    tirage = e.rng.random()
    mois = int(e.rng.integers(1, 13))
    if tirage < _ARRET:
        return mois, (
            _r("S21.G00.60.001", "01")
            + _r("S21.G00.60.002", "\x00J1\x00")
            + _r("S21.G00.60.003", "\x00J2\x00")
            + _r("S21.G00.60.010", "01")
        )
    if tirage < _ARRET + _SUSPENSION:
        return mois, (
            _r("S21.G00.65.001", "501") + _r("S21.G00.65.002", "\x00J1\x00") + _r("S21.G00.65.003", "\x00J2\x00")
        )
    return 0, ""


def _paie(centimes: int, regime: str, heures: str | None, k: int) -> str:
    """A month's payment, pay, bases and contributions for `centimes` of gross; dates as placeholders
    (\\x00D1\\x00 first day, \\x00D2\\x00 last day, \\x00DV\\x00 payment date)."""
    base = centimes * 8 // 10  # traitement; the rest is primes
    net = centimes * 78 // 100
    pas = net * 45 // 1000
    texte = (
        _r("S21.G00.50.001", "\x00DV\x00")
        + _r("S21.G00.50.002", _euros(net + centimes // 50))
        + _r("S21.G00.50.003", f"{k:06d}")
        + _r("S21.G00.50.004", _euros(net - pas))
        + _r("S21.G00.50.006", "4.50")
        + _r("S21.G00.50.007", "01")
        + _r("S21.G00.50.009", _euros(pas))
        + _r("S21.G00.50.013", _euros(net + centimes // 50))
    )
    for type_, montant in (("001", centimes), ("002", centimes), ("003", centimes), ("010", base)):
        texte += _r("S21.G00.51.001", "\x00D1\x00") + _r("S21.G00.51.002", "\x00D2\x00")
        texte += _r("S21.G00.51.010", NUMERO_CONTRAT) + _r("S21.G00.51.011", type_)
        if heures is not None and type_ == "010":
            texte += _r("S21.G00.51.012", heures)
        texte += _r("S21.G00.51.013", _euros(montant))
    if centimes > base:
        texte += (
            _r("S21.G00.52.001", "026")
            + _r("S21.G00.52.002", _euros(centimes - base))
            + _r("S21.G00.52.003", "\x00D1\x00")
            + _r("S21.G00.52.004", "\x00D2\x00")
            + _r("S21.G00.52.006", NUMERO_CONTRAT)
        )
    for code, assiette in (("02", min(centimes, 392_500)), ("03", centimes), ("04", centimes * 9825 // 10000),
                           ("07", centimes)):  # fmt: skip
        texte += (
            _r("S21.G00.78.001", code)
            + _r("S21.G00.78.002", "\x00D1\x00")
            + _r("S21.G00.78.003", "\x00D2\x00")
            + _r("S21.G00.78.004", _euros(assiette))
        )
        if code == "03":
            for cotisation, points in _COTISATIONS[regime]:
                texte += (
                    _r("S21.G00.81.001", cotisation)
                    + _r("S21.G00.81.002", "DGFIP" if regime == "cnracl" else "78861779300013")
                    + _r("S21.G00.81.003", _euros(assiette))
                    + _r("S21.G00.81.004", _euros(assiette * points // 10_000))
                )
    return texte


def _entete(e: _Employeur, annee: int, mois: int, masse: int, cotisations: int, effectif: int) -> str:
    dernier = calendar.monthrange(annee, mois)[1]
    return (
        _r("S10.G00.00.001", "GENERATEUR MUTUALIS")
        + _r("S10.G00.00.002", "MUTUALIS")
        + _r("S10.G00.00.003", "1.0")
        + _r("S10.G00.00.005", "02")
        + _r("S10.G00.00.006", f"P{annee % 100:02d}V01")
        + _r("S10.G00.00.008", "01")
        + _r("S10.G00.01.001", e.siren)
        + _r("S10.G00.01.002", e.nic)
        + _r("S10.G00.01.003", e.nom)
        + _r("S10.G00.01.004", "1 PLACE DE LA MAIRIE")
        + _r("S10.G00.01.005", e.postal)
        + _r("S10.G00.01.006", "LOCALITE FICTIVE")
        + _r("S10.G00.02.001", "01")
        + _r("S10.G00.02.002", "SERVICE PAIE")
        + _r("S10.G00.02.004", "paie@exemple.invalid")
        + _r("S10.G00.02.005", "0500000000")
        + _r("S20.G00.05.001", "01")
        + _r("S20.G00.05.002", "01")
        + _r("S20.G00.05.003", "11")
        + _r("S20.G00.05.004", f"{mois:02d}")
        + _r("S20.G00.05.005", f"01{mois:02d}{annee}")
        + _r("S20.G00.05.007", f"05{mois % 12 + 1:02d}{annee + (mois == 12)}")
        + _r("S20.G00.05.008", "01")
        + _r("S20.G00.05.010", "01")
        + _r("S20.G00.07.001", "SERVICE PAIE")
        + _r("S20.G00.07.002", "0500000000")
        + _r("S20.G00.07.003", "paie@exemple.invalid")
        + _r("S20.G00.07.004", "01")
        + _r("S21.G00.06.001", e.siren)
        + _r("S21.G00.06.002", e.nic)
        + _r("S21.G00.06.003", "8411Z")
        + _r("S21.G00.06.004", "1 PLACE DE LA MAIRIE")
        + _r("S21.G00.06.005", e.postal)
        + _r("S21.G00.06.006", "LOCALITE FICTIVE")
        + _r("S21.G00.06.009", str(effectif))
        + _r("S21.G00.11.001", e.nic)
        + _r("S21.G00.11.002", "8411Z")
        + _r("S21.G00.11.003", "1 PLACE DE LA MAIRIE")
        + _r("S21.G00.11.004", e.postal)
        + _r("S21.G00.11.005", "LOCALITE FICTIVE")
        + _r("S21.G00.11.008", str(effectif))
        + _r("S21.G00.20.001", "78861779300013")
        + _r("S21.G00.20.005", _euros(cotisations))
        + _r("S21.G00.20.010", "05")
        + _r("S21.G00.22.001", "78861779300013")
        + _r("S21.G00.22.003", f"01{mois:02d}{annee}")
        + _r("S21.G00.22.004", f"{dernier}{mois:02d}{annee}")
        + _r("S21.G00.22.005", _euros(cotisations))
        + _r("S21.G00.23.001", "100")
        + _r("S21.G00.23.002", "920")
        + _r("S21.G00.23.004", _euros(masse))
        + _r("S21.G00.23.005", _euros(cotisations))
    )


def ecrire_dsn(
    lignes: pl.DataFrame,
    annee: int,
    siren: str,
    nic: str,
    taux: Mapping[str, Decimal] = TAUX_CHARGES_DEMO,
    *,
    elus: int = ELUS,
    nom: str | None = None,
    graine: int = 0,
) -> dict[str, bytes]:
    """The twelve monthly DSN of one employer's payroll lines for `annee`: file name → content.

    `lignes`: the §3 lines of ONE employer (columns as generate_payroll returns them; `service` and
    `categorie` optional); `taux`: the rate of each regime the costs were computed with (regime of a statut:
    REGIME_DEMO). `elus`: how many élus' mandates to add; `nom`: the employer's name in the files; `graine`
    seeds the fake identities. File names: `dsn-<employeur>-<annee>-<MM>.dsn`.
    """
    agents = _agents(lignes)
    code = lignes["employeur"][0]
    bruts = _bruts(agents, taux)
    e = _Employeur(code, siren, nic, nom, graine)
    mensuels = bruts // 12
    decembre = bruts - 11 * mensuels
    tetes, paies, absences = [], [], []
    for k, row in enumerate(agents.iter_rows(named=True)):
        regime = REGIME_DEMO[row["statut"]]
        heures = _quotite(row["etp"])
        tete = _individu(e, k, row["agent"]) + _contrat(
            e, row["libelle"], NATURE[row["statut"]], REGIME[regime], "10", heures
        )
        tetes.append(tete)
        paies.append((_paie(int(mensuels[k]), regime, heures, k), _paie(int(decembre[k]), regime, heures, k)))
        absences.append(_absences(e))
    indemnites = _INDEMNITES_EPCI if e.epci else _INDEMNITES_COMMUNE
    for j in range(elus):
        libelle, montant = indemnites[0 if j == 0 else 1 if j <= elus // 2 else 2]
        k = len(tetes)
        tetes.append(_individu(e, k, f"ELU{j + 1:03d}") + _contrat(e, libelle, "80", "200", "99", None))
        texte = _paie(montant, "general", None, k)
        paies.append((texte, texte))
        absences.append((0, ""))
    masses = [int(mensuels.sum()), int(decembre.sum())]
    fichiers = {}
    for mois in range(1, 13):
        dernier = calendar.monthrange(annee, mois)[1]
        decembre_ = mois == 12
        masse = masses[decembre_]
        corps = "".join(
            tete + (bloc if m == mois else "") + paie[decembre_]
            for tete, (m, bloc), paie in zip(tetes, absences, paies, strict=True)
        )
        texte = _entete(e, annee, mois, masse, masse * 45 // 100, len(tetes)) + corps
        for marque, valeur in (
            ("\x00D1\x00", f"01{mois:02d}{annee}"),
            ("\x00D2\x00", f"{dernier}{mois:02d}{annee}"),
            ("\x00DV\x00", f"{min(25, dernier)}{mois:02d}{annee}"),
            ("\x00J1\x00", f"02{mois:02d}{annee}"),
            ("\x00J2\x00", f"{min(20, dernier)}{mois:02d}{annee}"),
        ):
            texte = texte.replace(marque, valeur)
        rubriques = texte.count("\n") + 2
        texte += _r("S90.G00.90.001", rubriques) + _r("S90.G00.90.002", 1)
        fichiers[f"dsn-{code}-{annee}-{mois:02d}.dsn"] = texte.encode("utf-8")
    return fichiers


def correspondance_csv(lignes: pl.DataFrame) -> str:
    """The correspondence that places the agents of `lignes` (one employer) back on their lines: one
    `emploi` rule per libellé of the agents with a single `propre` line, a `matricule` rule for each other
    agent; CSV with §9's columns, `;`, LF, emploi rules first (by libellé), then matricule rules."""
    agents = _agents(lignes)
    cibles: dict[str, set] = {}
    libelles: dict[str, str] = {}
    for row in agents.iter_rows(named=True):
        if _simple(row["lignes"]):
            cle = normaliser(row["libelle"])
            cibles.setdefault(cle, set()).add((row["lignes"][0]["theme"], row["lignes"][0]["activite"] or ""))
            libelles.setdefault(cle, row["libelle"])
    sortie = io.StringIO()
    w = csv.writer(sortie, delimiter=";", lineterminator="\n")
    w.writerow(COLONNES)
    for cle in sorted(libelles, key=lambda c: libelles[c]):
        if len(cibles[cle]) == 1:
            theme, activite = next(iter(cibles[cle]))
            w.writerow(["emploi", libelles[cle], theme, activite, "1", "", ""])
    for row in agents.iter_rows(named=True):
        if _simple(row["lignes"]) and len(cibles[normaliser(row["libelle"])]) == 1:
            continue
        parts = [_decimal(l["quotite"]) for l in row["lignes"]]
        if sum(parts) != 1:
            raise ValueError(f"agent {row['agent']} : ses quotités font {sum(parts)} et non 1")
        for l, part in zip(row["lignes"], parts, strict=True):
            situation = "" if l["situation"] in (None, "", "propre") else l["situation"]
            w.writerow(["matricule", row["agent"], l["theme"], l["activite"] or "", f"{part.normalize():f}",
                        situation, l["beneficiaire"] or ""])  # fmt: skip
    return sortie.getvalue()


def _simple(lignes: list[dict]) -> bool:
    return len(lignes) == 1 and lignes[0]["situation"] in (None, "", "propre")


def ecrire_dossier(
    lignes: pl.DataFrame,
    dossier: str | PathLike[str],
    annee: int,
    siren: str,
    nic: str,
    taux: Mapping[str, Decimal] = TAUX_CHARGES_DEMO,
    **options,
) -> list[Path]:
    """Write the twelve DSN files and `correspondance-<employeur>-<annee>.csv` into `dossier` (created if
    needed); return their paths, DSN files first. `options`: those of ecrire_dsn."""
    dossier = Path(dossier)
    dossier.mkdir(parents=True, exist_ok=True)
    chemins = []
    for nom, contenu in ecrire_dsn(lignes, annee, siren, nic, taux, **options).items():
        (dossier / nom).write_bytes(contenu)
        chemins.append(dossier / nom)
    chemin = dossier / f"correspondance-{lignes['employeur'][0]}-{annee}.csv"
    chemin.write_text(correspondance_csv(lignes), encoding="utf-8", newline="\n")
    return [*chemins, chemin]
