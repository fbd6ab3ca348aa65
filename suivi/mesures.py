"""Planned versus actual for one year of payroll (docs/suivi.md): everything the follow-up page and the
yearly report show, from one reading, each amount as the reader may see it (the confidentiality rule:
masse_salariale/confidentialite.py). The planned figures are the approved version's (its frozen payroll of
year Y0, its actions in effect by the year, run by the engine: scenarios/calcul.py); the actual ones, the
current batches of the year; the measure of each item, engine/suivi.py."""

from dataclasses import dataclass, field

from commun.tri import cle_francaise
from engine import suivi as regle
from engine.coefficient import compute_coefficient
from engine.themes import THEME_BY_CODE
from engine.vocabulaire import EMPLOYER_MOVES, STAFF_MODALITES
from masse_salariale.confidentialite import lecture
from masse_salariale.lecture import paie_courante
from parcours.versions import figures_version
from scenarios import calcul, graphiques
from scenarios.confidentialite import Montants
from suivi.enums import StatutElement
from suivi.models import BilanAnnuel

PAR_MONTANT = "par la masse salariale en jeu"
PAR_ETP = "par les ETP en jeu (masse salariale non diffusée)"


@dataclass
class LigneElement:
    element: object
    mesures: list[regle.MesureCommune] = field(default_factory=list)
    phrase: str = ""
    prevu_etp: float = 0.0
    realise_etp: float | None = None
    prevu_cout: object = None  # Montant
    realise_cout: object = None  # Montant
    attendu: bool = True  # its planned year is reached


@dataclass
class Suivi:
    version: object
    annee_schema: int  # Y0
    annee: int | None  # the actual year read (None: no payroll after Y0 yet)
    annees: list[int]  # the years after Y0 with payroll
    elements: list[LigneElement]
    organisations: list[dict]
    themes: list[dict]
    coefficients: dict
    indicateurs: dict
    graphique: object
    bilan: object  # BilanAnnuel of the year or None
    manquants: list[str] = field(default_factory=list)  # employers without a payroll of the year


def _themes_fonctionnels(territoire) -> list[str]:
    return list(territoire.themes_fonctionnels)


def annees_apres(territoire, annee_schema: int) -> list[int]:
    paie = paie_courante(territoire)
    return sorted((a for a in paie.annees if a > annee_schema), reverse=True)


def lire(schema, version, elements, acces, annee: int | None = None, coefficients_publies=None) -> Suivi:
    """The follow-up for `acces`, for the year `annee` of payroll (default: the latest after Y0). The planned
    coefficients are those this reader may see on the version's page, or, for a published document,
    `coefficients_publies` (year -> coefficient or None: publication/impact.trajectoire_publiee)."""
    territoire = schema.territoire
    fv = figures_version(version, acces)  # the version's figures, and the context of its frozen payroll
    ctx0 = fv.ctx
    y0 = version.annee_paie
    annees = annees_apres(territoire, y0)
    if annee not in annees:
        annee = annees[0] if annees else None
    epci, communes = ctx0.moteur.epci, ctx0.moteur.communes
    noms = ctx0.noms
    lignes = fv.lignes
    moteur_actions = {a.id: a for a in calcul.scenario_moteur(version.scenario, lignes).actions}
    index0 = regle.Index(ctx0.paie.agregats, epci)
    lec0 = lecture(territoire, ctx0.paie, acces)
    trajectoire = fv.chiffres.get("trajectoire", {})

    paie_a = paie_courante(territoire, annee) if annee is not None else None
    index_a = regle.Index(paie_a.agregats, epci) if paie_a is not None else None
    lec_a = lecture(territoire, paie_a, acces) if paie_a is not None else None

    lignes_elements = []
    for e in elements:
        ligne = LigneElement(e, attendu=annee is not None and e.annee_prevue <= annee)
        a = moteur_actions.get(e.identifiant)
        if e.statut == StatutElement.ABANDONNEE:
            ligne.phrase = "abandonnée : pas de mesure attendue"
            lignes_elements.append(ligne)
            continue
        if e.modalite not in STAFF_MODALITES or a is None:
            ligne.phrase = "sans mesure par la paie : la modalité ne déplace pas d'agents"
            lignes_elements.append(ligne)
            continue
        prevus = {
            c: regle.Volume(*ctx0.bases.base(c, a.theme, a.activite)).fois(a.part) for c in a.communes_de(ctx0.moteur)
        }
        ligne.prevu_etp = sum(v.etp for v in prevus.values())
        sources0 = [lec0.base(c, a.theme, a.activite) for c in prevus]
        ligne.prevu_cout = lec0.derive(sum(v.cout for v in prevus.values()), sources0)
        if index_a is None:
            ligne.phrase = f"pas encore de masse salariale après {y0} : pas de mesure"
        else:
            ligne.mesures = regle.mesurer(index0, index_a, prevus, a.theme, a.activite)
            ligne.phrase = regle.phrase(ligne.mesures, annee, noms)
            if not ligne.attendu:
                deja = any(m.etat in (regle.REALISE, regle.PARTIEL) for m in ligne.mesures)
                ligne.phrase = f"prévu en {e.annee_prevue} : pas encore attendu en {annee}" + (
                    f" (déjà {ligne.phrase})" if deja else ""
                )
            faits = [m.realise for m in ligne.mesures if m.realise is not None]
            if faits:
                ligne.realise_etp = sum(v.etp for v in faits)
                sources = sources0 + [_sources_theme(lec_a, c, a.theme, a.activite, epci) for c in prevus]
                sources += [_sources_theme(lec0, c, a.theme, a.activite, epci) for c in prevus]
                ligne.realise_cout = lec_a.derive(sum(v.cout for v in faits), sources)
        lignes_elements.append(ligne)

    en_effet = [l for l in lignes if annee is not None and l.annee <= annee]
    prochaines = [l for l in lignes if annee is not None and l.annee <= annee + 1]
    sim = calcul.simuler(ctx0, version.scenario, en_effet).simulation if en_effet else None
    montants = Montants(lec0, calcul.scenario_moteur(version.scenario, en_effet).actions, ctx0.moteur)
    organisations = (
        _organisations(ctx0, version, sim, prochaines, lec0, montants, lec_a, index_a, noms) if annee else []
    )
    themes = _themes(ctx0, index0, index_a, en_effet, moteur_actions)
    fonctionnels = _themes_fonctionnels(territoire)
    reels = {}
    for autre in annees:
        p = paie_a if autre == annee else paie_courante(territoire, autre)
        if p.agregats.height:
            reels[autre] = compute_coefficient(p.agregats, epci, [epci, *communes], fonctionnels).coefficient
    if coefficients_publies is not None:
        prevus_courbe = dict(coefficients_publies)
    else:
        prevus_courbe = {
            a: (y["coefficient"].valeur if y["coefficient"].visible else None) for a, y in trajectoire.items()
        }
    coefficients = {
        "y0": fv.chiffres["simulation"].before.coefficient,
        "prevu": prevus_courbe.get(annee) if annee else None,  # None: not shown to this reader
        "prevu_suivant": prevus_courbe.get(annee + 1) if annee else None,
        "reel": reels.get(annee),
    }
    series = [("Prévu (version approuvée)", prevus_courbe)]
    if reels:
        series.append(("Réalisé (masse salariale de l'année)", {a: reels.get(a) for a in prevus_courbe}))
    graphique = graphiques.trajectoires(series, list(prevus_courbe)) if prevus_courbe else None
    bilan = BilanAnnuel.objects.filter(schema=schema, annee=annee).first() if annee else None
    indicateurs = _indicateurs(lignes_elements, index0, index_a, communes, sim, montants, bilan)
    return Suivi(
        version,
        y0,
        annee,
        annees,
        lignes_elements,
        organisations,
        themes,
        coefficients,
        indicateurs,
        graphique,
        bilan,
        manquants=[m.nom for m in paie_a.manquants] if paie_a is not None else [],
    )


def _sources_theme(lec, commune, theme, activite, epci):
    """What a realised amount of a commune on a theme or activity is computed from, for the reader."""
    if not activite:
        return lec.ligne("organisation_theme", commune, theme)
    return lec.base(commune, theme, activite)


def _organisations(ctx0, version, sim, prochaines, lec0, montants, lec_a, index_a, noms) -> list[dict]:
    """Per organisation: ETP and payroll (all themes) in Y0, planned for the year (the actions in effect by
    then), actual, and the ETP planned for the next year."""
    sim_suivant = calcul.simuler(ctx0, version.scenario, prochaines).simulation if prochaines else None
    rows = {r.code: r for r in sim.impact.rows} if sim else {}
    rows_suivant = {r.code: r for r in sim_suivant.impact.rows} if sim_suivant else {}
    out = []
    for code in ctx0.moteur.organisations:
        r, rs = rows.get(code), rows_suivant.get(code)
        avant = ctx0.bases.employer_total.get(code, (0.0, 0.0))
        reel = index_a.tout(code) if index_a is not None else None
        out.append(
            {
                "code": code,
                "nom": noms.get(code, code),
                "epci": code == ctx0.moteur.epci,
                "etp_y0": avant[1],
                "etp_prevu": r.org.fte_after if r else avant[1],
                "etp_reel": reel.etp if reel is not None and code in index_a.employeurs else None,
                "etp_suivant": rs.org.fte_after if rs else avant[1],
                "cout_y0": lec0.ligne("organisation_tous_themes", code),
                "cout_prevu": montants.organisation(code, r.org.cost_after if r else avant[0]),
                "cout_reel": lec_a.ligne("organisation_tous_themes", code) if code in index_a.employeurs else None,
            }
        )
    return sorted(out, key=lambda o: (not o["epci"], cle_francaise(o["nom"])))


def _themes(ctx0, index0, index_a, en_effet, moteur_actions) -> list[dict]:
    """Per functional theme: the EPCI's side and the communes' side in ETP, Y0 / planned / actual."""
    communes = ctx0.moteur.communes
    themes = list(ctx0.bases.functional)
    depart = regle.par_theme(index0, communes, themes)
    deplacements = []
    for l in en_effet:
        a = moteur_actions.get(l.identifiant)
        if a is None or not a.moves_staff:
            continue
        for c in a.communes_de(ctx0.moteur):
            deplacements.append((a.theme, regle.Volume(*ctx0.bases.base(c, a.theme, a.activite)).fois(a.part), a.gain))
    prevu = regle.prevu_par_theme(depart, deplacements)
    reel = regle.par_theme(index_a, communes, themes) if index_a is not None else {}
    return [
        {
            "theme": THEME_BY_CODE[t].label if t in THEME_BY_CODE else t,
            "epci_y0": depart[t]["epci"].etp,
            "epci_prevu": prevu[t]["epci"].etp,
            "epci_reel": reel[t]["epci"].etp if reel else None,
            "communes_y0": depart[t]["communes"].etp,
            "communes_prevu": prevu[t]["communes"].etp,
            "communes_reel": reel[t]["communes"].etp if reel else None,
        }
        for t in themes
    ]


def _indicateurs(lignes, index0, index_a, communes, sim, montants, bilan) -> dict:
    """Items done over planned, progress weighted by the payroll at stake (by ETP when the reader may not see
    every amount of it), items without progress apart, services communs, ETP transferred or made
    available, reimbursements and AC deductions planned for the year against those recorded."""
    vivants = [l for l in lignes if l.element.statut != StatutElement.ABANDONNEE]
    par_montant = all(l.prevu_cout is None or l.prevu_cout.visible for l in vivants)

    def poids(l):
        return l.prevu_cout.valeur if par_montant and l.prevu_cout is not None else l.prevu_etp

    pct, _ = regle.avancement_pondere((l.element.progression, poids(l)) for l in vivants)
    par_theme: dict[str, dict] = {}
    for l in vivants:
        t = THEME_BY_CODE[l.element.theme].label if l.element.theme in THEME_BY_CODE else l.element.theme
        d = par_theme.setdefault(t, {"prevus": 0, "faits": 0, "poids": []})
        d["prevus"] += 1
        d["faits"] += l.element.statut == StatutElement.REALISEE
        d["poids"].append((l.element.progression, poids(l)))
    for d in par_theme.values():
        d["avancement"], d["sans"] = regle.avancement_pondere(d.pop("poids"))
    services = [
        {
            "element": l.element,
            "membres": sorted(
                {m.nom for c in l.element.conventions.all() for m in c.membres.all()}
                or {c.nom for c in l.element.communes.all()},
                key=cle_francaise,
            ),
        }
        for l in lignes
        if l.element.modalite in EMPLOYER_MOVES and l.element.statut == StatutElement.REALISEE
    ]
    flux = {"remboursements": None, "ac": None}
    if sim is not None:
        rows = [r for r in sim.impact.rows if not r.epci]
        flux = {
            "remboursements": montants.selection(sum(abs(r.org.reimbursement) for r in rows)),
            "ac": montants.selection(sum(-(r.org.ac_adjustment or 0) for r in rows)),
        }
    return {
        "prevus": len(vivants),
        "faits": sum(1 for l in vivants if l.element.statut == StatutElement.REALISEE),
        "abandonnes": [l.element for l in lignes if l.element.statut == StatutElement.ABANDONNEE],
        "avancement": pct,
        "pondere_par": "par la masse salariale en jeu"
        if par_montant
        else "par les ETP en jeu (masse salariale non diffusée)",
        "sans_avancement": [l.element for l in vivants if l.element.progression is None],
        "par_theme": par_theme,
        "services_communs": services,
        "etp_transferes_y0": regle.transferes_et_mis_a_disposition(index0, communes),
        "etp_transferes": regle.transferes_et_mis_a_disposition(index_a, communes) if index_a is not None else None,
        "flux_prevus": flux,
        "bilan": bilan,
    }
