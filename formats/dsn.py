"""Reading the DSN files of one employer for one reference year (docs/contrats/9-dsn.md): one rubrique a line,
read as a stream (a large employer's year is hundreds of megabytes); only the rubriques of the table of
§9 are kept, every other one (the NIR first) is skipped without being stored. Declarations are keyed by
(SIRET, month, fraction) and applied in the order of the files; then each agent's year is reduced to one
record: its cost « toutes charges comprises » (gross pay × (1 + the rate of its pension regime)), its ETP
and the statut and libellé of its main contract. No Django here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from formats.errors import InvalidFile, nombre

LIGNE = re.compile(r"^(S\d{2}\.G\d{2}\.\d{2}\.\d{3}),'((?:[^']|'')*)'$")
MOIS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre"]  # fmt: skip

NATURE_MENSUELLE = "01"
NORMALES, REMPLACE, ANNULE = ("01", "02"), ("03", "05"), "04"
IGNORES = {"80": "mandat d'élu", "81": "mandat d'élu", "29": "stage", "89": "service civique"}
TITULAIRE, CONTRACTUEL = ("50", "20", "21"), ("09", "10")
CNRACL, GENERAL = "cnracl", "general"
REGIMES = {CNRACL: "CNRACL", GENERAL: "régime général"}  # how pages and messages name them
BRUT = "001"  # rémunération brute non plafonnée

# The rubriques kept, by code: the only values ever read.
LUES = {
    "S20.G00.05.001": "nature",
    "S20.G00.05.002": "type",
    "S20.G00.05.003": "fraction",
    "S20.G00.05.005": "mois",
    "S21.G00.06.001": "siren",
    "S21.G00.11.001": "nic",
    "S21.G00.30.019": "matricule",
    "S21.G00.40.006": "libelle",
    "S21.G00.40.007": "nature",
    "S21.G00.40.009": "numero",
    "S21.G00.40.011": "unite",
    "S21.G00.40.012": "quotite_reference",
    "S21.G00.40.013": "quotite",
    "S21.G00.40.020": "regime",
    "S21.G00.51.010": "contrat",
    "S21.G00.51.011": "type_remuneration",
    "S21.G00.51.013": "montant",
}
# The block each rubrique read belongs to.
BLOC_DE = {
    code: "declaration"
    if code < "S21.G00.30"
    else "individu"
    if code < "S21.G00.40"
    else "contrat"
    if code < "S21.G00.51"
    else "remuneration"
    for code in LUES
}
# Rubriques that open a block (their value is never read: S21.G00.30.001 is the NIR).
DEBUT_DECLARATION, DEBUT_INDIVIDU = "S20.G00.05.001", "S21.G00.30.001"
DEBUT_CONTRAT, DEBUT_REMUNERATION = "S21.G00.40.001", "S21.G00.51.001"


def nom_mois(annee: int, mois: int) -> str:
    return f"{MOIS[mois - 1]} {annee}"


@dataclass
class Contrat:
    numero: str
    libelle: str = ""
    nature: str = ""
    regime: str = ""
    unite: str = ""
    quotite_reference: str = ""
    quotite: str = ""

    @property
    def statut(self) -> str:
        return "titulaire" if self.nature in TITULAIRE else "contractuel" if self.nature in CONTRACTUEL else "autre"

    @property
    def regime_retraite(self) -> str:
        return CNRACL if self.regime == "120" else GENERAL

    def etp(self) -> Decimal | None:
        """The contract's monthly ETP (.013 / .012); None when it cannot be computed (unit 99, a quotité
        missing, not a positive number, or a reference of 0)."""
        if self.unite == "99" or not (QUOTITE.fullmatch(self.quotite_reference) and QUOTITE.fullmatch(self.quotite)):
            return None
        reference = Decimal(self.quotite_reference)
        return None if reference == 0 else Decimal(self.quotite) / reference


@dataclass
class Individu:
    matricule: str
    ligne: int
    contrats: dict[str, Contrat] = field(default_factory=dict)
    bruts: dict[str, Decimal] = field(default_factory=dict)  # contract number -> gross pay of the month


@dataclass
class Declaration:
    fichier: str
    ligne: int
    nature: str = ""
    type: str = ""
    fraction: str = "11"
    mois: tuple[int, int] | None = None
    siren: str = ""
    nic: str = ""
    individus: list[Individu] = field(default_factory=list)

    @property
    def siret(self) -> str:
        return self.siren + self.nic

    @property
    def cle(self) -> tuple:
        return (self.siret, self.mois, self.fraction)


def _trie(mots: list[str]) -> str:
    """A regular expression matching exactly these words, factored by their common prefixes: the engine then
    rejects a line at its first differing character instead of trying every word."""
    if mots == [""]:
        return ""
    suites: dict[str, list[str]] = {}
    for mot in mots:
        suites.setdefault(mot[:1], []).append(mot[1:])
    branches = [re.escape(c) + _trie(reste) for c, reste in sorted(suites.items())]
    return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"


_CODE = r"S\d\d\.G\d\d\.\d\d\.\d\d\d"
_VALEUR = r"[^'\r\n]*+(?:''[^'\r\n]*+)*+"  # a quote inside a value is doubled
# In a block prefixed by "\n": a line that is neither blank nor a rubrique (the slow path then names it).
ILLISIBLE = re.compile(rf"\n(?!{_CODE},'{_VALEUR}'\r?\n|[^\S\n]*\n|$)")
# The only lines ever looked at: the rubriques read, and the first rubrique of a block (its value unread).
UTILES = re.compile(
    rf"\n(?:(?P<debut>{_trie([DEBUT_INDIVIDU, DEBUT_CONTRAT, DEBUT_REMUNERATION])}),'{_VALEUR}'"
    rf"|(?P<code>{_trie(sorted(LUES))}),'(?P<valeur>{_VALEUR})')\r?(?=\n)"
)
MONTANT = re.compile(r"-?\d{1,10}(?:\.\d{1,2})?")  # an amount of the norm: a point, two decimals at most
COUT_MAX = Decimal(10_000_000)  # an agent's year beyond is a typo in an amount, not a cost
QUOTITE = re.compile(r"\d{1,6}(?:\.\d{1,4})?")
BLOC = 1 << 22  # bytes read at a time
LIGNE_MAX = 10_000  # bytes: a DSN line is a code and a short value; longer, the file is no DSN
ERREURS_MAX = 100  # errors of one file: beyond, its reading stops (a wrong file would list millions)


class _Rubriques:
    """The rubriques read and the blocks' first rubriques of one file, in order, read a few megabytes at a
    time: every other line is skipped by the regular expressions, in C, and never decoded into a value. A
    block with an illegible line is read again line by line to name it. Line numbers are counted only when
    asked (`ligne`), forward from the last one asked."""

    def __init__(self, nom: str, f: IO[bytes], encodage: str, erreurs: list[str]):
        self.nom, self.f, self.encodage, self.erreurs = nom, f, encodage, erreurs
        self.texte, self.base, self._pos, self._ligne = "", 0, 1, 1
        self._avant, self.fini = len(erreurs), False

    def arreter(self, raison: str) -> None:
        """Stop reading this file, saying why (its rubriques stop there)."""
        self.erreurs.append(f"fichier {self.nom}, {raison} : ce fichier n'est pas lu plus loin")
        self.fini = True

    def ligne(self, pos: int) -> int:
        """The line in the file of the rubrique found at `pos` of the current block."""
        self._ligne += self.texte.count("\n", self._pos, pos + 1)
        self._pos = pos + 1
        return self.base + self._ligne

    def __iter__(self) -> Iterator[tuple[int, str, str | None]]:
        """(position, code, value): value None for a block's first rubrique (the NIR is one)."""
        reste, premier = b"", True
        while True:
            morceau = self.f.read(BLOC)
            donnees = reste + morceau
            coupe = len(donnees) if not morceau else donnees.rfind(b"\n") + 1
            if morceau and coupe == 0:
                if len(donnees) > LIGNE_MAX:
                    self.arreter(f"plus de {nombre(LIGNE_MAX)} octets sans fin de ligne")
                    return
                reste = donnees
                continue
            texte, reste = donnees[:coupe].decode(self.encodage), donnees[coupe:]
            if premier:
                texte, premier = texte.removeprefix("\ufeff"), False
            if texte and not texte.endswith("\n"):
                texte += "\n"
            self.base += self.texte.count("\n") - 1 if self.texte else 0
            self.texte, self._pos, self._ligne = "\n" + texte, 1, 1
            if ILLISIBLE.search(self.texte):
                for n, ligne in enumerate(self.texte.split("\n")[1:-1], start=self.base + 1):
                    if ligne.strip() and LIGNE.match(ligne.rstrip("\r")) is None:
                        if len(self.erreurs) - self._avant >= ERREURS_MAX:
                            self.arreter(f"ligne {n} : {ERREURS_MAX} erreurs")
                            return
                        self.erreurs.append(
                            f"fichier {self.nom}, ligne {n} : ligne illisible : attendu une rubrique de la forme "
                            "S21.G00.30.019,'valeur'"
                        )
            for m in UTILES.finditer(self.texte):
                if self.fini:
                    return
                debut = m["debut"]
                yield (m.start(), debut, None) if debut else (m.start(), m["code"], m["valeur"])
            if not morceau:
                return


def lire_fichier(nom: str, ouvrir: Callable[[], IO[bytes]]) -> tuple[list[Declaration], list[str]]:
    """The declarations of one file (`ouvrir()` opens it, as binary), and its errors `fichier NOM, ligne N :
    …`. Read as a stream in UTF-8; a file that is not valid UTF-8 is read again in Windows-1252; a file
    that is neither (a binary, a PDF, a zip inside the zip) is no DSN."""
    for encodage in ("utf-8", "cp1252"):
        try:
            with ouvrir() as f:
                return _lire(nom, f, encodage)
        except UnicodeDecodeError:
            continue
    return [], [f"fichier {nom} : ni texte UTF-8 ni texte Windows-1252 : ce n'est pas un fichier DSN"]


def _lire(nom: str, f: IO[bytes], encodage: str) -> tuple[list[Declaration], list[str]]:
    declarations: list[Declaration] = []
    erreurs: list[str] = []
    rubriques = _Rubriques(nom, f, encodage, erreurs)

    def erreur(pos, texte):
        if len(erreurs) >= ERREURS_MAX:
            rubriques.arreter(f"ligne {rubriques.ligne(pos)} : {ERREURS_MAX} erreurs")
        else:
            erreurs.append(f"fichier {nom}, ligne {rubriques.ligne(pos)} : {texte}")

    _appliquer(rubriques, declarations, erreur)
    return declarations, erreurs


def _appliquer(rubriques, declarations, erreur) -> None:
    """The rubriques of one file into its declarations, block by block."""
    nom = rubriques.nom
    d = individu = contrat = remuneration = None
    for pos, code, brute in rubriques:
        if brute is None:  # the first rubrique of a block: its value (the NIR for an individual) is never read
            if d is None:
                continue
            if code == DEBUT_INDIVIDU:
                individu = Individu("", rubriques.ligne(pos))
                d.individus.append(individu)
                contrat = remuneration = None
            elif individu is None:
                continue
            elif code == DEBUT_CONTRAT:
                contrat, remuneration = Contrat(""), None
            else:
                remuneration, contrat = {"contrat": "", "type_remuneration": "", "montant": None}, None
            continue
        if code == DEBUT_DECLARATION:
            d = Declaration(nom, rubriques.ligne(pos))
            declarations.append(d)
            individu = contrat = remuneration = None
        champ, bloc = LUES[code], BLOC_DE[code]
        valeur = brute.replace("''", "'")
        if d is None:
            erreur(pos, f"rubrique {code} avant le début d'une déclaration ({DEBUT_DECLARATION})")
        elif bloc == "declaration":
            if champ != "mois":
                setattr(d, champ, valeur)
            elif re.fullmatch(r"01(0[1-9]|1[0-2])\d{4}", valeur):
                d.mois = (int(valeur[4:]), int(valeur[2:4]))
            else:
                erreur(pos, f"mois déclaré « {valeur} » : attendu 01MMAAAA")
        elif bloc == "individu":
            if individu is None:
                erreur(pos, "matricule hors d'un bloc individu")
            else:
                individu.matricule = valeur.strip()
        elif bloc == "contrat":
            if individu is None or contrat is None:
                erreur(pos, f"rubrique {code} hors d'un bloc contrat")
                continue
            setattr(contrat, champ, valeur.strip())
            if champ == "numero":
                individu.contrats[contrat.numero] = contrat
        elif remuneration is None:
            erreur(pos, f"rubrique {code} hors d'un bloc rémunération")
        else:
            remuneration[champ] = valeur.strip()
            if remuneration["type_remuneration"] == BRUT and remuneration["montant"] is not None:
                brut, remuneration["montant"], remuneration["type_remuneration"] = remuneration["montant"], None, ""
                if not MONTANT.fullmatch(brut):  # counted once: the block is emptied
                    erreur(pos, f"montant « {brut} » : attendu un nombre à point décimal, par exemple 2150.37")
                    continue
                montant = Decimal(brut)
                numero = remuneration["contrat"]
                individu.bruts[numero] = individu.bruts.get(numero, Decimal(0)) + montant


# --- the year: declarations applied, one record per agent ---------------------------------------------


@dataclass
class AgentAnnuel:
    matricule: str
    cout: Decimal  # rounded once, half up, to the cent
    etp: Decimal  # rounded to 4 decimals
    statut: str
    libelle: str


@dataclass
class Annee:
    agents: list[AgentAnnuel]
    avertissements: list[str]
    contrats: int  # contract-months read
    mois: list[int] = field(default_factory=list)  # the months with a declaration, 1-12
    bruts: dict[int, Decimal] = field(default_factory=dict)  # month -> gross pay read (001), for the ledger check


def _euros(montant: Decimal) -> str:
    return f"{nombre(montant, 2)} €"


def _numero(n: str):
    return (0, int(n)) if n.isdigit() else (1, n)


def appliquer(declarations: list[Declaration], annee: int, siren: str | None, erreurs: list[str], avertis: list[str]):
    """The declarations that stand once the files are applied in order, by (SIRET, month, fraction)."""
    retenues: dict[tuple, Declaration] = {}
    for d in declarations:
        ou = f"fichier {d.fichier}, ligne {d.ligne} : "
        if d.nature != NATURE_MENSUELLE:
            avertis.append(f"{ou}déclaration de nature « {d.nature} » ignorée (seule la DSN mensuelle, 01, est lue)")
            continue
        if d.mois is None:
            erreurs.append(f"{ou}déclaration sans mois déclaré (S20.G00.05.005)")
            continue
        if d.mois[0] != annee:
            erreurs.append(f"{ou}mois déclaré {nom_mois(*d.mois)} hors de l'année {annee}")
            continue
        if siren and d.siren != siren:
            erreurs.append(f"{ou}SIREN {d.siren or '(absent)'} : ce fichier n'est pas une DSN de l'employeur {siren}")
            continue
        if not re.fullmatch(r"[1-9][1-9]", d.fraction) or d.fraction[0] > d.fraction[1]:
            erreurs.append(f"{ou}fraction « {d.fraction} » illisible (11, 12, 22…)")
            continue
        if d.type in NORMALES:
            if d.cle in retenues:
                deja = retenues[d.cle]
                erreurs.append(
                    f"{ou}déclaration en double pour {nom_mois(*d.mois)} (SIRET {d.siret}, fraction "
                    f"{d.fraction}) : déjà dans le fichier {deja.fichier}, ligne {deja.ligne}"
                )
                continue
            retenues[d.cle] = d
        elif d.type in REMPLACE:
            retenues[d.cle] = d
        elif d.type == ANNULE:
            retenues.pop(d.cle, None)
        else:
            erreurs.append(f"{ou}type de déclaration « {d.type} » inconnu (01 à 05)")
    return retenues


def lire_annee(
    fichiers: list[tuple[str, Callable[[], IO[bytes]]]],
    annee: int,
    taux: Mapping[str, Decimal],
    siren: str | None = None,
    mois_manquants: bool = False,
) -> Annee:
    """One employer's year from its DSN files, in the order given; InvalidFile with every error at once."""
    erreurs: list[str] = []
    avertis: list[str] = []
    declarations: list[Declaration] = []
    for nom, ouvrir in fichiers:
        lues, fautes = lire_fichier(nom, ouvrir)
        declarations += lues
        erreurs += fautes
    retenues = appliquer(declarations, annee, siren, erreurs, avertis)
    par_mois: dict[tuple[str, int], list[Declaration]] = {}
    for (siret, mois, _), d in retenues.items():
        par_mois.setdefault((siret, mois[1]), []).append(d)
    for (siret, mois), ds in sorted(par_mois.items()):
        total = int(ds[0].fraction[1])
        presentes = {int(d.fraction[0]) for d in ds}
        for k in range(1, total + 1):
            if k not in presentes:
                erreurs.append(f"SIRET {siret}, {nom_mois(annee, mois)} : fraction {k} sur {total} manquante")
    for siret in sorted({s for s, _ in par_mois}):
        for mois in range(1, 13):
            if (siret, mois) not in par_mois:
                message = f"mois manquant : {nom_mois(annee, mois)} (SIRET {siret})"
                (avertis if mois_manquants else erreurs).append(message)
    # Per agent and month: its contracts and its gross pay per contract, across fractions and SIRETs.
    mois_agents: dict[str, dict[int, Individu]] = {}
    ignores = 0
    contrats_lus = 0
    bruts: dict[int, Decimal] = {}
    seulement_ignores: set[str] = set()
    for (_, mois), ds in par_mois.items():
        for d in ds:
            for ind in d.individus:
                if not ind.matricule:
                    erreurs.append(
                        f"fichier {d.fichier}, ligne {ind.ligne} : individu sans matricule (S21.G00.30.019) : "
                        "le NIR n'est jamais lu à sa place"
                    )
                    continue
                cumul = mois_agents.setdefault(ind.matricule, {}).setdefault(mois, Individu(ind.matricule, ind.ligne))
                for numero, c in ind.contrats.items():
                    if c.nature in IGNORES:
                        ignores += 1
                        seulement_ignores.add(ind.matricule)
                        continue
                    cumul.contrats[(d.siret, numero)] = c  # a contract number is the establishment's
                    contrats_lus += 1
                for numero, montant in ind.bruts.items():
                    if ind.contrats.get(numero) is not None and ind.contrats[numero].nature in IGNORES:
                        continue
                    cle = (d.siret, numero)
                    cumul.bruts[cle] = cumul.bruts.get(cle, Decimal(0)) + montant
                    bruts[mois] = bruts.get(mois, Decimal(0)) + montant
    if ignores:
        avertis.append(f"{ignores} contrat{'s' if ignores > 1 else ''}-mois ignoré{'s' if ignores > 1 else ''} "
                       "(mandats d'élus, stages, services civiques) et leur rémunération")  # fmt: skip
    regimes = {c.regime_retraite for mois in mois_agents.values() for i in mois.values() for c in i.contrats.values()}
    for regime in sorted(regimes - set(taux)):
        erreurs.append(
            f"taux de charges : le taux « {REGIMES[regime]} » ({regime}) manque : des contrats de ces DSN en relèvent"
        )
    if erreurs:
        raise InvalidFile(erreurs, avertis)
    agents = []
    for matricule in sorted(mois_agents):
        if matricule in seulement_ignores and not any(i.contrats for i in mois_agents[matricule].values()):
            continue  # an élu or an intern only: counted in the warning above, not an agent of the payroll
        agent = _agent(matricule, mois_agents[matricule], taux, annee, avertis, erreurs)
        if agent is not None:
            agents.append(agent)
    if erreurs:
        raise InvalidFile(erreurs, avertis)
    return Annee(agents, avertis, contrats_lus, sorted({m for _, m in par_mois}), dict(sorted(bruts.items())))


def _agent(matricule, mois_agent: dict[int, Individu], taux, annee, avertis, erreurs) -> AgentAnnuel | None:
    """One agent's year from its months; contracts and pay are keyed by (SIRET, contract number)."""
    connus: dict[tuple[str, str], Contrat] = {}
    for mois in sorted(mois_agent):
        connus.update(mois_agent[mois].contrats)
    etp_total, cout = Decimal(0), Decimal(0)
    sans_quotite = False
    dernier = None
    for mois in sorted(mois_agent):
        ind = mois_agent[mois]
        comptes = [n for n, montant in ind.bruts.items() if montant > 0 and n in ind.contrats]
        etps = {}
        for n in comptes:
            e = ind.contrats[n].etp()
            if e is None:
                sans_quotite = True
                e = Decimal(0)
            etps[n] = e
        etp_total += min(Decimal(1), sum(etps.values(), Decimal(0)))
        if comptes:
            dernier = etps
        for n, montant in ind.bruts.items():
            contrat = ind.contrats.get(n) or connus.get(n)
            if contrat is None:
                erreurs.append(
                    f"agent {matricule} : rémunération de {nom_mois(annee, mois)} liée au contrat « {n[1]} », "
                    "qui n'est déclaré dans aucun mois"
                )
                continue
            cout += montant * (1 + taux[contrat.regime_retraite])
    if sans_quotite:
        avertis.append(f"agent {matricule} : contrat sans quotité utilisable (unité 99 ou quotité absente) : 0 ETP")
    cout = cout.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    etp = (etp_total / 12).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    if cout >= COUT_MAX:
        erreurs.append(
            f"agent {matricule} : coût de l'année de {_euros(cout)} : au-delà de {_euros(COUT_MAX)}, vérifiez les "
            "montants de ses rémunérations"
        )
        return None
    if cout <= 0 or etp == 0:
        avertis.append(f"agent {matricule} : coût négatif ou nul, ou ETP nul sur l'année : écarté")
        return None
    principal = min(dernier, key=lambda n: (-dernier[n], _numero(n[1]), n[0]))
    contrat = connus[principal]
    return AgentAnnuel(matricule, cout, etp, contrat.statut, contrat.libelle)
