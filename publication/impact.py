"""The impact table of a published document (docs/publication.md): the legal table « impact prévisionnel
sur les effectifs et les dépenses de fonctionnement » of one version of the schéma, read from the one
figures object (scenarios/figures.py through parcours/versions.py), then presented for readers outside
every employer.

A row is *flagged* when what the scenario moves for that body is not diffusible under the one rule
(engine/confidentialite.py: fewer than 5 moved agents, or one agent over 80 % of the amount). For each
flagged row the project team chooses (ChoixPublication, recorded with the version):

- « coût moyen par catégorie » (the default): the body's moved ETP of each category A, B, C valued at
  the territory's average loaded cost of that category; every money figure of the row is then the
  engine's own, run again with those valued bases, rounded to the thousand euros; nobody's pay appears;
- « regrouper »: the flagged communes so chosen make one row « autres communes », shown at their real
  sum, which must cover at least two communes and be diffusible itself;
- « montrer »: the real row, only with the recorded consent of that body's DGS (who, when).

The EPCI's row adds up what every commune moves: when the communes valued at the average cost are not
diffusible together, the EPCI's real row would give them back by difference, so it is valued too."""

from dataclasses import dataclass, field, replace

import polars as pl

from commun.formatage import date as date_fr
from commun.tri import cle_francaise
from engine import confidentialite as regle
from engine.vocabulaire import MAD
from masse_salariale.confidentialite import REDACTION, lecture
from parcours import versions
from publication.enums import Presentation
from scenarios import calcul

CATEGORIES = ("A", "B", "C")
REEL = "reel"  # a diffusible row, shown as the scenario page shows it
GROUPE = "groupe"  # the row « autres communes »
ARRONDI_ESTIMATION = 1000
RAISON_EPCI = (
    "sa ligne additionne ce que déplacent les communes valorisées au coût moyen : au réel, elle les "
    "retrouverait par différence"
)
CHAMPS = ("net", "ac", "d_cost", "remboursement", "charges", "savings")


@dataclass
class Ligne:
    code: str
    nom: str
    epci: bool
    d_fte: float
    montants: dict[str, float | None]  # CHAMPS -> the figure presented (None: no AC column)
    presentation: str = REEL  # REEL, GROUPE or a Presentation value
    raison: str = ""  # why the row is flagged ("": diffusible)
    consentement: str = ""  # « montrer »: whose consent, and when
    communes: list[str] = field(default_factory=list)  # GROUPE: the communes it adds up

    @property
    def estimee(self) -> bool:
        return self.presentation == Presentation.COUT_MOYEN

    @property
    def libelle_presentation(self) -> str:
        if self.presentation == REEL:
            return "montants réels"
        if self.presentation == GROUPE:
            return "somme réelle des communes regroupées"
        if self.estimee:
            return "estimation au coût moyen par catégorie"
        return "montants réels, avec l'accord du DGS"


@dataclass
class Valorisation:
    """The annex of one row valued at the average cost: its moved ETP per category and their value."""

    nom: str
    etp: dict[str, float]
    montant: int  # rounded to the thousand euros


@dataclass
class Signalement:
    """A flagged row, as the project team sees it before generating the document."""

    code: str
    nom: str
    raison: str
    presentation: str
    choix_possibles: list[str]
    consentement: str = ""


@dataclass
class TableauPublie:
    lignes: list[Ligne]
    totaux: dict[str, float | None]
    d_fte_total: float
    fpu: bool
    couts_moyens: dict[str, float]  # category -> average loaded cost per ETP over the territory
    valorisations: list[Valorisation]
    signalements: list[Signalement]
    erreurs: list[str]  # choices that cannot be honoured (the document is then refused)
    trajectoire: dict[int, dict] = field(default_factory=dict)  # year -> coefficient (None: not shown), fte
    figures: object = None  # the version's parcours.versions.FiguresVersion, read by the writer

    @property
    def avec_estimations(self) -> bool:
        return any(l.estimee for l in self.lignes)


# --- the category valuation ----------------------------------------------------------------------------


def _etp_par_categorie(agregats: pl.DataFrame) -> pl.DataFrame:
    """ETP of the bases (lines that are not `mad`) per employer, theme, activity and category."""
    return (
        agregats.filter(pl.col("situation") != MAD)
        .with_columns(pl.col("activite").fill_null(""), pl.col("categorie").fill_null(""))
        .group_by("employeur", "theme", "activite", "categorie")
        .agg(pl.col("etp_ligne").sum().alias("etp"))
    )


def couts_moyens(agregats: pl.DataFrame) -> dict[str, float]:
    """The territory's average loaded cost of one ETP per category A, B, C over every line of the payroll
    year (the other lines, category not given, at the average of all); '' holds that average of all."""
    frame = agregats.with_columns(pl.col("categorie").fill_null(""))
    total_etp = frame["etp_ligne"].sum()
    tous = frame["montant"].sum() / total_etp if total_etp else 0.0
    out = {"": tous}
    for row in frame.group_by("categorie").agg(pl.col("montant").sum(), pl.col("etp_ligne").sum()).iter_rows():
        categorie, montant, etp = row
        if categorie in CATEGORIES and etp:
            out[categorie] = montant / etp
    return out


def _categorie(c: str) -> str:
    return c if c in CATEGORIES else ""


class Bareme:
    """The ETP of each base per category, and their value at the average costs."""

    def __init__(self, agregats: pl.DataFrame, couts: dict[str, float]):
        self.couts = couts
        self._etp: dict[tuple, dict[str, float]] = {}
        for employeur, theme, activite, categorie, etp in _etp_par_categorie(agregats).iter_rows():
            for cle in ((employeur, theme, activite), (employeur, theme, "")):
                par_cat = self._etp.setdefault(cle, {})
                par_cat[_categorie(categorie)] = par_cat.get(_categorie(categorie), 0.0) + etp

    def etp(self, commune: str, theme: str, activite: str | None) -> dict[str, float]:
        return self._etp.get((commune, theme, activite or ""), {})

    def valeur(self, commune: str, theme: str, activite: str | None) -> float:
        return sum(e * self.couts.get(c, self.couts[""]) for c, e in self.etp(commune, theme, activite).items())

    def bases(self, bases, communes: set[str]):
        """The engine's bases with those of `communes` valued at the average costs (their ETP unchanged)."""
        by_theme = {
            k: ((self.valeur(k[0], k[1], None), v[1]) if k[0] in communes else v) for k, v in bases.by_theme.items()
        }
        by_activity = {k: ((self.valeur(*k), v[1]) if k[0] in communes else v) for k, v in bases.by_activity.items()}
        return replace(bases, by_theme=by_theme, by_activity=by_activity)


def _arrondi_mille(x: float) -> float:
    return float(round(x / ARRONDI_ESTIMATION) * ARRONDI_ESTIMATION)


# --- the table -------------------------------------------------------------------------------------------


def _montants(r: dict, fpu: bool) -> dict[str, float | None]:
    return {
        "net": r["net"].valeur,
        "ac": r["ac"].valeur if fpu and r["ac"] is not None else (0.0 if fpu else None),
        "d_cost": r["d_cost"].valeur,
        "remboursement": r["remboursement"].valeur,
        "charges": r["o"].charges,
        "savings": r["o"].savings,
    }


def _consentement(choix) -> str:
    if choix is None or choix.consentement_de is None or choix.consentement_le is None:
        return ""
    return f"accord de {choix.consentement_de}, DGS, le {date_fr(choix.consentement_le)}"


def trajectoire_publiee(fv, actions, lec) -> dict[int, dict]:
    """The coefficient of each year of the mandate as a published document may show it. The difference of
    two shown coefficients gives back what the actions taking effect between them move: a year is shown
    when what moved since the last year shown is diffusible (docs/publication.md)."""
    par_annee: dict[int, list[dict]] = {}
    for a in actions:
        for c in a.communes_de(fv.ctx.moteur):
            par_annee.setdefault(a.annee, []).append(lec.contributions_base(c, a.theme, a.activite))
    out, attente = {}, []
    for annee, y in fv.chiffres["trajectoire"].items():
        attente += par_annee.get(annee, [])
        ensemble = regle.union(attente)
        montre = not ensemble or regle.diffusible(ensemble)
        if montre:
            attente = []
        out[annee] = {"coefficient": y["coefficient"].valeur if montre else None, "fte": y["fte"]}
    return out


def tableau_publie(version, choix: dict | None = None) -> TableauPublie:
    """The impact table of `version` as a published document presents it. `choix`: organisation code ->
    ChoixPublication (by default those recorded with the version)."""
    if choix is None:
        recorded = version.choix_publication.select_related("organisation", "consentement_de")
        choix = {c.organisation.code: c for c in recorded}
    fv = versions.figures_version(version, REDACTION)
    ctx, chiffres = fv.ctx, fv.chiffres
    fpu = ctx.moteur.fpu
    epci = ctx.moteur.epci
    lec = lecture(ctx.territoire, ctx.paie, REDACTION)
    actions = [a for a in calcul.scenario_moteur(version.scenario, fv.lignes).actions if a.moves_staff]
    deplaces: dict[str, dict] = {}
    for a in actions:
        for c in a.communes_de(ctx.moteur):
            deplaces[c] = regle.union([deplaces.get(c, {}), lec.contributions_base(c, a.theme, a.activite)])
    deplaces[epci] = regle.union(deplaces.values())

    lignes, signalements, erreurs = [], [], []
    for r in chiffres.get("impact_touchees", []):
        ligne = Ligne(r["code"], r["nom"], r["epci"], r["d_fte"], _montants(r, fpu))
        contributions = deplaces.get(r["code"], {})
        ligne.raison = (contributions and regle.raison(contributions)) or ""
        if ligne.raison:
            c = choix.get(r["code"])
            ligne.presentation = c.presentation if c is not None else Presentation.COUT_MOYEN
            if ligne.presentation == Presentation.MONTRER:
                ligne.consentement = _consentement(c)
                if not ligne.consentement:
                    erreurs.append(f"{ligne.nom} : « montrer » sans l'accord enregistré de son DGS")
            if ligne.presentation == Presentation.REGROUPER and ligne.epci:
                erreurs.append(f"{ligne.nom} : la ligne de l'EPCI ne se regroupe pas avec les communes")
        lignes.append(ligne)

    groupees = [l for l in lignes if l.presentation == Presentation.REGROUPER and not l.epci]
    if groupees:
        union_groupe = regle.union(deplaces.get(l.code, {}) for l in groupees)
        if len(groupees) < 2:
            erreurs.append(
                f"{groupees[0].nom} : une ligne regroupée seule se lirait telle quelle ; regroupez-en au moins "
                "deux ou choisissez le coût moyen"
            )
        elif regle.raison(union_groupe):
            erreurs.append(
                "les communes regroupées ne sont pas diffusibles ensemble ("
                + regle.raison(union_groupe)
                + ") : ajoutez-en ou choisissez le coût moyen"
            )
    estimees = {l.code for l in lignes if l.estimee and not l.epci}
    ligne_epci = next((l for l in lignes if l.epci), None)
    complement = regle.union(deplaces.get(c, {}) for c in estimees)
    if ligne_epci is not None and complement and regle.raison(complement) and not ligne_epci.estimee:
        ligne_epci.raison = ligne_epci.raison or RAISON_EPCI
        if ligne_epci.presentation == Presentation.MONTRER:
            erreurs.append(f"{ligne_epci.nom} : « montrer » retrouverait par différence les communes au coût moyen")
        ligne_epci.presentation = Presentation.COUT_MOYEN

    bareme = Bareme(ctx.paie.agregats, couts_moyens(ctx.paie.agregats))
    valorisations = _estimer(version, fv, ctx, bareme, lignes, actions, epci)
    lignes = _regrouper(lignes, groupees)
    for l in lignes:
        if l.raison:
            signalements.append(
                Signalement(
                    l.code,
                    l.nom,
                    l.raison,
                    l.presentation,
                    [Presentation.COUT_MOYEN, Presentation.MONTRER]
                    if l.epci
                    else [Presentation.COUT_MOYEN, Presentation.REGROUPER, Presentation.MONTRER],
                    l.consentement,
                )
            )
    signalements += [Signalement(g.code, g.nom, g.raison, Presentation.REGROUPER, list(Presentation)) for g in groupees]
    signalements.sort(key=lambda s: (s.code != epci, cle_francaise(s.nom)))
    totaux = _sommes(lignes)
    return TableauPublie(
        lignes,
        totaux,
        sum(l.d_fte for l in lignes),
        fpu,
        {c: v for c, v in bareme.couts.items()},
        valorisations,
        signalements,
        erreurs,
        trajectoire_publiee(fv, actions, lec),
        fv,
    )


def _estimer(version, fv, ctx, bareme: Bareme, lignes: list[Ligne], actions, epci: str) -> list[Valorisation]:
    """Every money figure of the rows valued at the average cost, from the engine run again with their
    bases valued (the EPCI's row: every commune's), rounded to the thousand euros; and the annex."""
    estimees = [l for l in lignes if l.estimee]
    if not estimees:
        return []
    touchees = {c for a in actions for c in a.communes_de(ctx.moteur)}
    valorisees = touchees if any(l.epci for l in estimees) else {l.code for l in estimees}
    valorise = replace(ctx, bases=bareme.bases(ctx.bases, valorisees))
    sim = calcul.simuler(valorise, version.scenario, fv.lignes).simulation
    rows = {r.code: r for r in sim.impact.rows}
    out = []
    for l in estimees:
        r = rows[l.code]
        l.montants = {
            "net": _arrondi_mille(r.net_effect),
            "ac": None if l.montants["ac"] is None else _arrondi_mille(r.org.ac_adjustment or 0),
            "d_cost": _arrondi_mille(r.d_cost),
            "remboursement": _arrondi_mille(r.org.reimbursement),
            "charges": r.org.charges,
            "savings": r.org.savings,
        }
        etp: dict[str, float] = {}
        for a in actions:
            for c in a.communes_de(ctx.moteur):
                if l.epci or c == l.code:
                    for categorie, e in bareme.etp(c, a.theme, a.activite).items():
                        etp[categorie] = etp.get(categorie, 0.0) + a.part * e
        valeur = sum(e * bareme.couts.get(c, bareme.couts[""]) for c, e in etp.items())
        out.append(Valorisation(l.nom, etp, int(_arrondi_mille(valeur))))
    return out


def _regrouper(lignes: list[Ligne], groupees: list[Ligne]) -> list[Ligne]:
    """The rows chosen « regrouper » replaced by one row « autres communes », their real sum, last."""
    if not groupees:
        return lignes
    codes = {l.code for l in groupees}
    montants = _sommes(groupees)
    groupe = Ligne(
        "autres",
        f"Autres communes ({len(groupees)})",
        False,
        sum(l.d_fte for l in groupees),
        montants,
        presentation=GROUPE,
        communes=sorted((l.nom for l in groupees), key=cle_francaise),
    )
    return [l for l in lignes if l.code not in codes] + [groupe]


def _sommes(lignes: list[Ligne]) -> dict[str, float | None]:
    out = {}
    for k in CHAMPS:
        valeurs = [l.montants[k] for l in lignes]
        out[k] = None if None in valeurs else sum(valeurs)
    return out
