"""The table of the confidentiality sweep: every page and export that shows payroll amounts, how to render
it on the sweep's world (tests/confidentialite/world.py) and what on it is not payroll (`SWEEP`); every
other URL name with the reason it shows none (`PAGES_SANS_MONTANT`); how amounts are read from a page or a
workbook; and the audit over everything one reader was shown.

A page is rendered inside `masse_salariale.confidentialite.registres()`: the `Lecture`s it made hold what
the rule let it release, and every euro amount on the page must be one of them."""

import html
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from engine import confidentialite as regle
from tests.cast import BORDEAUX, EPCI, MERIGNAC, PESSAC, TALENCE

# A French amount (commun/formatage.py): digits grouped by narrow no-break spaces, an optional sign (+, the
# minus sign U+2212, or a hyphen written by hand), optional decimals, a no-break space (or a plain one: a
# template that bypassed the formatter) and the euro sign.
AMOUNT = re.compile(r"(?<![\w\u202f,.])([+\u2212-]?)(\d[\d\u202f]*)(?:,(\d+))?[\u00a0 ]€")


@dataclass(frozen=True)
class Request:
    """One rendering of a page: `data` is a POST's form (None: a GET); `xlsx`: the answer is a workbook."""

    label: str
    path: str
    data: dict | None = None
    xlsx: bool = False


@dataclass(frozen=True)
class NotPayroll:
    """Euros on a page that are not payroll, and why: elements (`xpath`) or table columns by header
    (`columns`: in the table `table_id` of a page; under the header row of a workbook)."""

    reason: str
    xpath: str = ""
    columns: tuple[str, ...] = ()
    table_id: str = ""


@dataclass(frozen=True)
class Page:
    requests: Callable  # World -> list[Request]
    not_payroll: tuple[NotPayroll, ...] = ()


def url(world, name, **kwargs) -> str:
    return reverse(name, kwargs={"code": world.territoire.code, **kwargs})


def _single(label, name):
    return lambda w: [Request(label, url(w, name))]


def _detail(world):
    base = url(world, "masse_salariale:detail")
    filters = [
        "",
        *(f"employeur={e}" for e in (EPCI, BORDEAUX, MERIGNAC, PESSAC, TALENCE)),
        "theme=RH",
        "theme=SI",
        f"employeur={BORDEAUX}&theme=RH",
        f"employeur={MERIGNAC}&theme=FIN",
        f"employeur={TALENCE}&theme=RH",
        "part=numerateur",
        f"part=numerateur&employeur={MERIGNAC}",
        f"part=numerateur&employeur={EPCI}",
        "part=numerateur&theme=FIN",
        "part=denominateur",
    ]
    return [Request(f"détail ?{f}" if f else "détail", f"{base}?{f}" if f else base) for f in filters]


def _scenarios(world):
    return [Request(f"scénario « {s.nom} »", url(world, "scenarios:scenario", pk=s.pk)) for s in world.scenarios]


def _impacts(world):
    return [
        Request(f"impact XLSX « {s.nom} »", url(world, "scenarios:impact", pk=s.pk), xlsx=True) for s in world.scenarios
    ]


def _comparison(world):
    query = "&".join(f"s={s.pk}" for s in world.scenarios)
    return [Request("comparaison des scénarios", f"{url(world, 'scenarios:comparer')}?{query}")]


def _versions(world):
    return [
        Request(f"version {v.numero} du schéma", url(world, "parcours:version", numero=v.numero))
        for v in world.versions
    ]


def _comparaison_versions(world):
    return [
        Request(f"comparaison des versions 1 et {v.numero}", f"{url(world, 'parcours:comparer')}?a=1&b={v.numero}")
        for v in world.versions[1:]
    ]


def _syntheses(world):
    themes = sorted({l.livrable.groupe.theme for l in world.gt3})
    return [Request(f"synthèse du groupe {t}", url(world, "parcours:synthese", theme=t)) for t in themes]


def _optimiser(world):
    # An ETP budget every GT3 candidate fits in: the page shows a selection and its AC total.
    return [
        Request(
            "optimiseur (sélection)",
            url(world, "scenarios:optimiser"),
            data={"mode": "budget", "budget": "100", "annee": "2027"},
        )
    ]


def _gt3_lists(world):
    themes = sorted({l.livrable.groupe.theme for l in world.gt3})
    return [Request(f"liste GT3 {t}", url(world, "livrables:gt3", theme=t)) for t in themes]


def _gt3_lines(world):
    return [
        Request(
            f"ligne GT3 {l.livrable.groupe.theme} {l.activite.code}",
            url(world, "livrables:gt3_ligne", theme=l.livrable.groupe.theme, pk=l.pk),
        )
        for l in world.gt3
    ]


# The impact table's charges and savings are what the user typed for an action (0 in the sweep's world):
# operating spending and savings, not pay.
USER_INPUTS = NotPayroll(
    "charges transférées et économies : saisies par l'utilisateur, pas de la paie",
    columns=("Charges transférées", "Économies"),
    table_id="tableau-impact",
)
# The matrix's size legend: two round amounts near the largest visible bubble and an eighth of it, a scale.
SIZE_LEGEND = NotPayroll(
    "légende des tailles : montants ronds de référence (une échelle)", xpath='//ul[@aria-label="Taille des bulles"]'
)

# URL name -> how to render it. A page a reader may not open answers 403 and shows her nothing.
SWEEP: dict[str, Page] = {
    "espace:accueil": Page(_single("accueil", "espace:accueil")),
    "espace:territoire": Page(_single("page du territoire", "espace:territoire")),
    "masse_salariale:coefficient": Page(_single("coefficient", "masse_salariale:coefficient")),
    "masse_salariale:detail": Page(_detail),
    "masse_salariale:lots": Page(_single("lots", "masse_salariale:lots")),
    "masse_salariale:lot": Page(lambda w: [Request("lot", url(w, "masse_salariale:lot", pk=w.lot.pk))]),
    "scenarios:liste": Page(_single("liste des scénarios", "scenarios:liste")),
    "scenarios:scenario": Page(_scenarios, (USER_INPUTS,)),
    "scenarios:impact": Page(_impacts, (USER_INPUTS,)),
    "scenarios:comparer": Page(_comparison),
    "scenarios:matrice": Page(_single("matrice de priorité", "scenarios:matrice"), (SIZE_LEGEND,)),
    "scenarios:optimiser": Page(_optimiser),
    "parcours:version": Page(_versions, (USER_INPUTS,)),
    "parcours:comparer": Page(_comparaison_versions),
    "parcours:synthese": Page(_syntheses),
    "livrables:gt3": Page(_gt3_lists),
    "livrables:gt3_ligne": Page(_gt3_lines),
}

_ACCOUNTS = "comptes et connexion : aucun montant"
_POST = "action (POST) suivie d'une redirection : aucune page rendue avec des montants"
_MEETINGS = "séances et comptes rendus : dates, personnes, textes"
_REFERENTIAL = "référentiel des activités : codes et libellés"
_GT1_GT2 = "livrables GT1 et GT2 : activités, ETP (publics) et textes, aucun montant de paie"
_SPREADSHEETS = "tableur d'un livrable : lignes et notes, sans masse salariale"
_CIRCUIT = "circuit de validation d'un livrable : états et versions (le contenu n'a pas de masse en jeu)"
_GROUPS = "groupes de travail : personnes et périmètres"
_LETTERS = "lettres de mission : texte"
_EXCHANGES = "commentaires et notifications : textes des utilisateurs"
_SCENARIO_PAGE = (
    "POST ; un formulaire refusé rend la page du scénario par la même fonction "
    "(scenarios.views._page) que scenarios:scenario, balayée"
)
_GT3_LINE_PAGE = (
    "POST ; un refus rend la page de la ligne par la même fonction (_page_ligne) que livrables:gt3_ligne, balayée"
)

# URL name -> why it shows no payroll amount (in French, as the failure message that asks for a row).
PAGES_SANS_MONTANT: dict[str, str] = {
    "accueil": "redirige vers l'espace d'un territoire",
    **dict.fromkeys(
        [
            "comptes:login",
            "comptes:logout",
            "comptes:password_reset",
            "comptes:password_reset_done",
            "comptes:password_reset_confirm",
            "comptes:password_reset_complete",
        ],
        _ACCOUNTS,
    ),
    "utilisateurs:referents_paie": "les personnes d'une organisation et leur rôle de référent paie, sans montant",
    "masse_salariale:modele": "modèle de fichier : les en-têtes et une ligne d'exemple inventée",
    "publication:apercu_css": "feuille de style de l'aperçu de mise en page : deux couleurs",
    "masse_salariale:consultations": (
        "journal des consultations : qui, quand, quelle page, quels employeurs ; aucun montant"
    ),
    "masse_salariale:fonctionnels": _POST,
    "masse_salariale:importer": (
        "formulaire d'import ; un refus cite le fichier que l'utilisateur vient d'envoyer, jamais la paie enregistrée"
    ),
    "masse_salariale:confirmer": _POST,
    **dict.fromkeys(
        ["masse_salariale:import", "masse_salariale:import_etat"],
        "lecture en arrière-plan d'un fichier ou de DSN : progression, puis redirection vers le lot ou la lecture, "
        "ou le rapport d'erreurs du fichier que l'utilisateur a envoyé (comme masse_salariale:importer) ; vue "
        "seulement de qui l'a envoyé",
    ),
    **dict.fromkeys(
        ["masse_salariale:export", "masse_salariale:export_correspondance"],
        "import d'un export de logiciel de paie : en-têtes, nombres de cellules et codes de service ou de statut "
        "du fichier que l'utilisateur vient de déposer ; un refus le cite, jamais la paie enregistrée",
    ),
    "masse_salariale:export_abandonner": _POST,
    "masse_salariale:export_profil_supprimer": _POST,
    "masse_salariale:abandonner": _POST,
    **dict.fromkeys(
        ["masse_salariale:dsn", "masse_salariale:dsn_lecture"],
        "DSN d'un employeur : formulaire, puis nombres d'agents et ETP par libellé à placer, vus seulement de "
        "ceux qui importent sa paie ; aucun montant (les bruts mensuels sont dans le rapport du lot, derrière "
        "Lecture.connait)",
    ),
    **dict.fromkeys(
        ["masse_salariale:regles", "masse_salariale:regles_export"],
        "correspondance d'un employeur : clés, valeurs, thèmes et parts, sans montant, vue seulement de ceux qui "
        "importent sa paie",
    ),
    **dict.fromkeys(
        [
            "masse_salariale:dsn_placer",
            "masse_salariale:dsn_preparer",
            "masse_salariale:dsn_abandonner",
            "masse_salariale:regle_supprimer",
        ],
        _POST,
    ),
    **dict.fromkeys(
        [
            "referentiel:liste",
            "referentiel:exporter",
            "referentiel:importer",
            "referentiel:ajouter",
            "referentiel:modifier",
            "referentiel:supprimer",
        ],
        _REFERENTIAL,
    ),
    **dict.fromkeys(
        [
            "seances:trames",
            "seances:liste",
            "seances:creer",
            "seances:seance",
            "seances:modifier",
            "seances:annuler",
            "seances:inviter",
            "seances:ics",
            "seances:presences",
            "seances:compte_rendu",
            "seances:soumettre",
            "seances:viser",
            "seances:renvoyer",
            "seances:rouvrir",
            "seances:version",
            "seances:restaurer",
        ],
        _MEETINGS,
    ),
    **dict.fromkeys(
        [
            "livrables:gt1",
            "livrables:gt1_activite",
            "livrables:gt1_commune",
            "livrables:afor",
            "livrables:afor_activite",
            "livrables:afor_ajouter",
            "livrables:afor_fusionner",
            "livrables:afor_reformuler",
            "livrables:afor_supprimer",
        ],
        _GT1_GT2,
    ),
    **dict.fromkeys(
        [
            "livrables:gt1_tableur_xlsx",
            "livrables:gt1_tableur_ods",
            "livrables:gt1_tableur_importer",
            "livrables:gt1_tableur_resoudre",
            "livrables:gt2_tableur_xlsx",
            "livrables:gt2_tableur_ods",
            "livrables:gt2_tableur_importer",
            "livrables:gt2_tableur_resoudre",
            "livrables:gt3_tableur_xlsx",
            "livrables:gt3_tableur_ods",
            "livrables:gt3_tableur_importer",
            "livrables:gt3_tableur_resoudre",
        ],
        _SPREADSHEETS,
    ),
    "livrables:gt3_ajouter": "formulaire d'une ligne GT3 (livrables/gt3_formulaire.html), sans masse en jeu",
    "livrables:gt3_modifier": "formulaire d'une ligne GT3 (livrables/gt3_formulaire.html), sans masse en jeu",
    "livrables:gt3_consensus": _GT3_LINE_PAGE,
    "livrables:gt3_noter": _GT3_LINE_PAGE,
    "livrables:gt3_supprimer": "confirmation (GET) sans masse en jeu ; " + _GT3_LINE_PAGE,
    "livrables:gt3_candidats": "fichier de candidats (docs/contrats §6) : activités, communes, modalités",
    **dict.fromkeys(
        [
            "livrables:circuit",
            "livrables:circuit_soumettre",
            "livrables:circuit_viser",
            "livrables:circuit_renvoyer",
            "livrables:circuit_rouvrir",
            "livrables:circuit_version",
            "livrables:circuit_restaurer",
        ],
        _CIRCUIT,
    ),
    **dict.fromkeys(
        [
            "groupes:liste",
            "groupes:groupe",
            "groupes:repartition",
            "groupes:perimetre",
            "groupes:ajouter_membre",
            "groupes:retirer_membre",
            "groupes:ajouter_sous_groupe",
            "groupes:modifier_sous_groupe",
            "groupes:supprimer_sous_groupe",
        ],
        _GROUPS,
    ),
    **dict.fromkeys(
        [
            "utilisateurs:liste",
            "utilisateurs:inviter",
            "utilisateurs:compte",
            "utilisateurs:desactiver",
            "utilisateurs:reactiver",
            "utilisateurs:renvoyer",
        ],
        "comptes du territoire : personnes et rôles",
    ),
    **dict.fromkeys(
        [
            "documents:liste",
            "documents:modele",
            "documents:generer_tout",
            "documents:lettre",
            "documents:generer",
            "documents:statut",
            "documents:pdf",
            "documents:docx",
            "documents:odt",
            "documents:compte_rendu",
        ],
        _LETTERS,
    ),
    **dict.fromkeys(
        ["echanges:notifications", "echanges:tout_lire", "echanges:preferences", "echanges:commenter"], _EXCHANGES
    ),
    "scenarios:modifier": _SCENARIO_PAGE,
    "scenarios:action_ajouter": _SCENARIO_PAGE,
    "scenarios:depuis_gt3": _SCENARIO_PAGE,
    "scenarios:supprimer": _POST,
    "scenarios:dupliquer": _POST,
    "scenarios:action_supprimer": _POST,
    "scenarios:action_modifier": "formulaire d'une action : les paramètres saisis, aucun montant de paie",
    "scenarios:export": "fichier du scénario (docs/contrats §5) : les paramètres saisis, aucun montant de paie",
    "parcours:cockpit": "démarche : phases, dates, séances des instances",
    "parcours:versions": "liste des versions : numéros, scénarios, états, dates ; un refus rend le formulaire",
    "parcours:consultation": "avis des communes : dates, états et avis",
    "parcours:commune": "avis d'une commune : dates, délibérations et votes",
    "parcours:approbation": "approbation : avis manquants, actions qui diffèrent (noms, champs), délibération",
    "parcours:piece": "pièce jointe déposée par un utilisateur (accusé de réception, délibération, procès-verbal)",
    "parcours:donnees_ouvertes": "données ouvertes : collectivités, SIRET, nombre de délibérations",
    "parcours:scdl": "délibérations au format national : dates, numéros, objets, votes",
    "parcours:mon_calendrier": "adresse du calendrier personnel",
    "calendrier:flux": "calendrier : séances, phases et échéances",
    "parcours:comite": "comité : membres et séances",
    "parcours:ics_seance": "calendrier d'une séance du comité : date, lieu, ordre du jour",
    "parcours:releve": "relevé de décisions d'une séance du comité : décisions, votes, compte rendu",
    "parcours:synthese_document": "synthèse d'un groupe en document : livrables et textes, sans montant de paie",
    "parcours:seance_comite": "séance du comité : ordre du jour (objets liés), décisions et votes, compte rendu",
    "publication:version": "documents d'une version : lignes signalées et leur motif, documents demandés, empreintes",
    "publication:generer": _POST,
    "publication:etat": "avancement d'un document en préparation",
    "publication:gabarit": "mise en page des documents : couleurs, textes de couverture, introductions",
    "publication:logo": "logo du territoire",
    # The published document carries amounts under the publication rule, not a reader's: it is read back in
    # every format by tests/publication/test_publication.py (a flagged row's real amount never appears).
    "publication:telecharger": "document publié du schéma : montants selon la règle de publication (voir ci-dessus)",
    # The follow-up compares two years of payroll: each amount is read through the reader's Lecture of its
    # year (suivi/mesures.py); tests/suivi/test_confidentialite.py checks a reader outside the employer is
    # shown no amount the rule keeps, on the page and in the yearly report.
    "suivi:tableau": "suivi : montants de deux années, chacun selon la règle (tests/suivi)",
    "suivi:rapport": "état d'avancement : montants selon la règle pour des lecteurs extérieurs (tests/suivi)",
    "suivi:telecharger": "document de l'état d'avancement : montants selon la règle (tests/suivi)",
    "suivi:section": "partie « mutualisation » du rapport d'activité : le même contenu (tests/suivi)",
    "suivi:element": "une action du schéma : statut, jalons, conventions, sans montant",
    "suivi:convention": "convention déposée par un utilisateur",
    "suivi:rapports": "liste des états d'avancement : années, séances, états",
    "suivi:etat": "avancement d'un document en préparation",
}


# --- reading amounts ------------------------------------------------------------------------------------


def _value(digits: str, decimals: str | None) -> float | int:
    whole = int(digits.replace("\u202f", ""))
    return whole + float(f"0.{decimals}") if decimals and int(decimals) else whole


def text_amounts(text: str) -> list[float | int]:
    """Every euro amount of a text, as an absolute value (an int when it has no cents)."""
    return [_value(m.group(2), m.group(3)) for m in AMOUNT.finditer(text)]


def _column_positions(table, headers) -> set[int]:
    """Positions (colspans counted) of the columns whose header is one of `headers`."""
    positions, k = set(), 0
    for cell in table.xpath("./thead/tr")[-1].xpath("./th|./td"):
        if cell.text_content().strip() in headers:
            positions.add(k)
        k += int(cell.get("colspan", 1))
    return positions


def _drop_columns(table, headers) -> None:
    positions = _column_positions(table, headers)
    for tr in table.xpath("./tbody/tr|./tfoot/tr|./tr"):
        k, dropped = 0, []
        for cell in tr.xpath("./th|./td"):
            if k in positions:
                dropped.append(cell)
            k += int(cell.get("colspan", 1))
        for cell in dropped:
            cell.drop_tree()


def page_amounts(content: bytes, not_payroll=()) -> list[float | int]:
    """The euro amounts of an HTML page (text and attributes), once its non-payroll parts are dropped."""
    import lxml.html

    root = lxml.html.document_fromstring(content.decode())
    for part in not_payroll:
        if part.xpath:
            for element in root.xpath(part.xpath):
                element.drop_tree()
        if part.columns:
            for table in root.xpath(f'//table[@id="{part.table_id}"]'):
                _drop_columns(table, part.columns)
    return text_amounts(html.unescape(lxml.html.tostring(root, encoding="unicode")))


def workbook_amounts(content: bytes, not_payroll=()) -> list[float | int]:
    """The money of a workbook: every number under a header that is neither ETP nor a non-payroll column,
    and every amount written in a text cell."""
    from openpyxl import load_workbook

    excluded = {c for part in not_payroll for c in part.columns}
    out: list[float | int] = []
    for ws in load_workbook(io.BytesIO(content), data_only=True).worksheets:
        headers: dict[int, str] | None = None
        for row in ws.iter_rows(values_only=True):
            if headers is None and row and row[0] == "Organisation":
                headers = {k: str(v or "") for k, v in enumerate(row)}
                continue
            for k, v in enumerate(row):
                if isinstance(v, str):
                    out += text_amounts(v)
                elif isinstance(v, int | float) and headers is not None:
                    header = headers.get(k, "")
                    if "ETP" not in header and header not in excluded:
                        out.append(abs(int(v)) if float(v).is_integer() else abs(v))
    return out


# --- rendering ------------------------------------------------------------------------------------------


@dataclass
class Rendering:
    """One page rendered for one reader: its status, the amounts read on it, the Lectures it made."""

    page: str
    label: str
    status: int
    amounts: list = field(default_factory=list)
    lectures: list = field(default_factory=list)

    @property
    def register(self) -> set[int]:
        return {abs(int(v)) for lecture in self.lectures for v in lecture.montants_affiches() if v is not None}


def render_all(client, world, pages=None) -> list[Rendering]:
    """Render every page of the table (or of `pages`) with the logged-in client, once each."""
    import logging

    from masse_salariale.confidentialite import registres

    out = []
    log = logging.getLogger("django.request")
    level = log.level
    log.setLevel(logging.ERROR)  # a refused page (403) is expected here, not worth a traceback
    try:
        for name, page in SWEEP.items():
            if pages is not None and name not in pages:
                continue
            for r in page.requests(world):
                with registres() as lectures:
                    response = client.post(r.path, r.data) if r.data is not None else client.get(r.path)
                rendering = Rendering(name, r.label, response.status_code, lectures=list(lectures))
                if response.status_code == 200:
                    read = workbook_amounts if r.xlsx else page_amounts
                    rendering.amounts = read(response.content, page.not_payroll)
                out.append(rendering)
    finally:
        log.setLevel(level)
    return out


# --- what a reader was shown, for the audit ----------------------------------------------------------------


def distinct_releases(lectures) -> list[regle.Publie]:
    """Every figure released by these Lectures, once each (pages repeat them)."""
    seen = {}
    for lecture in lectures:
        for p in lecture.publies:
            seen.setdefault((tuple(sorted(p.combinaison.items(), key=repr)), p.valeur), p)
    return list(seen.values())


def targets(lectures) -> dict:
    """What must stay unknown to the reader: the Lectures' own targets (`Lecture.cibles`), and the sum of
    every two cells hidden from her whose agents together are not diffusible (two small cells summed are
    no protection of each other, whether or not a published line holds just them)."""
    out: dict = {}
    for lecture in lectures:
        out |= lecture.cibles()
    lecture = lectures[0]
    t = lecture.tableau
    hidden = sorted(k for k in lecture.motif.caches if not lecture.connait(k[0]))
    for i, a in enumerate(hidden):
        for b in hidden[i + 1 :]:
            if not regle.diffusible(regle.union((t.cellules[a], t.cellules[b]))):
                out[("paire", a, b)] = {atom: 1.0 for k in (a, b) for atom in t.atomes_de[k]}
    return out


def recovered(renderings) -> list[str]:
    """The audit over everything a reader was shown on all her pages: one French line per hidden amount she
    can recover (its names, its range), with the published figures that determine it and where she saw
    them. A pair of cells each recovered on its own is not repeated."""
    lectures = [lecture for r in renderings for lecture in r.lectures]
    wanted = targets(lectures)
    found = regle.audit(distinct_releases(lectures), wanted)
    by_combination: dict = {}
    for name in found:
        by_combination.setdefault(frozenset(wanted[name]), []).append(name)
    alone = {next(iter(c)) for c in by_combination if len(c) == 1}
    sources = [(r.label, p) for r in renderings for lecture in r.lectures for p in lecture.publies]
    out = []
    for combination, names in by_combination.items():
        if all(name[0] == "paire" for name in names) and combination <= alone:
            continue
        low, high = found[names[0]]
        proof = " ".join(certificate(lectures[0].tableau, sources, wanted[names[0]]))
        out.append(f"audit : {' = '.join(map(str, names))} retrouvé entre {low:.0f} et {high:.0f} € ; {proof}")
    return out


def certificate(tableau, sources, combination) -> list[str]:
    """The published figures whose signed sum is `combination` (the combination of least total weight),
    each with its value, the line it is and the page where it was shown."""
    import highspy
    import numpy as np

    unique: dict = {}
    for label, p in sources:
        unique.setdefault(frozenset(p.combinaison.items()), (label, p))
    rows = list(unique.values())
    atoms = sorted({a for _, p in rows for a in p.combinaison} | set(combination), key=repr)
    n = len(rows)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for _ in range(2 * n):  # y+ and y-: one signed weight per published figure
        h.addVar(0, highspy.kHighsInf)
    h.changeColsCost(2 * n, np.arange(2 * n, dtype=np.int32), np.ones(2 * n))
    for a in atoms:
        holding = [i for i, (_, p) in enumerate(rows) if a in p.combinaison]
        coefficients = [rows[i][1].combinaison[a] for i in holding]
        h.addRow(
            combination.get(a, 0.0),
            combination.get(a, 0.0),
            2 * len(holding),
            np.array(holding + [n + i for i in holding], dtype=np.int32),
            np.array(coefficients + [-c for c in coefficients]),
        )
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return ["(aucune combinaison exacte : bornée par la positivité des montants)"]
    x = h.getSolution().col_value
    cell_of = {a: k for k, atoms_ in tableau.atomes_de.items() for a in atoms_}
    line_names = {frozenset(cells): name for name, cells in tableau.lignes.items()}
    out = []
    for i, (label, p) in enumerate(rows):
        weight = x[i] - x[n + i]
        if abs(weight) > 1e-6:
            cells = frozenset(cell_of[a] for a in p.combinaison)
            name = line_names.get(cells) or (
                f"cellule {next(iter(cells))}" if len(cells) == 1 else f"{len(p.combinaison)} atomes"
            )
            out.append(f"{weight:+g} × {euros(p.valeur)} ({name}, {label})")
    return out


def euros(value) -> str:
    from commun.formatage import euros as french

    return french(value)
