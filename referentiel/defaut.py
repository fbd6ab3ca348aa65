"""The default referential of activities: the reference list each working group starts from at GT1.

The source document gives each group "la liste des activités par domaine" as input, citing the
Fédération nationale des centres de gestion referential for RH (formation, recrutement...). This
module is that list for the nine themes, written from the way French local authorities organise these
services; a territory copies it into its schéma and edits it (add, rename, drop), so it is a starting
point, not a norm.

Codes are stable because payroll files (`activite` column) and scenario files refer to them:
`THEME-ABREV` for an activity (`RH-PAIE`, `FIN-BUDG`), `THEME-ABREV-NN` for a sub-activity
(`RH-PAIE-01`). Never renumber: add new sub-activities at the end of their activity.

`reserve_cdg` marks the RH missions that article 23 of loi n° 84-53 du 26 janvier 1984 (now codified in
the code général de la fonction publique) gives to the centres de gestion for the authorities affiliated
to them. Article L5211-4-2 of the CGCT excludes these missions from a service commun for communes and
EPCIs obligatorily affiliated to a centre de gestion, so the schéma must not propose to pool them there.
An activity marked reserved has all its sub-activities reserved.

Pure Python: no Django import (the `referentiel` app loads this list into its models).
"""

from dataclasses import dataclass

from engine.themes import THEME_CODES


@dataclass(frozen=True)
class SousActivite:
    code: str
    libelle: str
    reserve_cdg: bool = False


@dataclass(frozen=True)
class Activite:
    code: str
    theme: str
    libelle: str
    description: str
    sous_activites: tuple[SousActivite, ...]
    reserve_cdg: bool = False


# Marks a sub-activity reserved to the centres de gestion: ("libellé", CDG).
CDG = True


def _theme(theme: str, rows) -> tuple[Activite, ...]:
    """Build a theme's activities from compact rows: (abrév, libellé, description, sous-activités[, CDG]).

    A sub-activity is a label, or a (label, CDG) pair when it is reserved to the centres de gestion.
    Sub-activity codes are numbered in the order written.
    """
    activites = []
    for row in rows:
        abrev, libelle, description, sous = row[:4]
        reserve = len(row) > 4 and row[4]
        code = f"{theme}-{abrev}"
        sous_activites = []
        for rang, item in enumerate(sous, start=1):
            label, sous_reserve = (item, False) if isinstance(item, str) else item
            sous_activites.append(SousActivite(f"{code}-{rang:02d}", label, reserve_cdg=bool(reserve or sous_reserve)))
        activites.append(Activite(code, theme, libelle, description, tuple(sous_activites), reserve_cdg=bool(reserve)))
    return tuple(activites)


_FIN = _theme(
    "FIN",
    [
        (
            "BUDG",
            "Préparation et exécution budgétaire",
            "Cycle budgétaire annuel, du débat d'orientation au suivi de l'exécution.",
            [
                "Préparation du rapport et du débat d'orientation budgétaire",
                "Élaboration du budget primitif, du budget supplémentaire et des décisions modificatives",
                "Gestion des autorisations de programme et crédits de paiement",
                "Suivi de l'exécution budgétaire et des consommations de crédits",
                "Gestion des budgets annexes",
            ],
        ),
        (
            "COMP",
            "Comptabilité et mandatement",
            "Chaîne comptable de l'ordonnateur, de l'engagement au compte financier.",
            [
                "Engagement, liquidation et mandatement des dépenses",
                "Émission des titres de recettes",
                "Relations avec le comptable public et contrôle des délais de paiement",
                "Tenue de l'inventaire comptable et des amortissements",
                "Opérations de fin d'exercice et compte financier unique",
            ],
        ),
        (
            "DETT",
            "Gestion de la dette et de la trésorerie",
            "Financement par l'emprunt, gestion active de l'encours et de la trésorerie.",
            [
                "Recherche de financements et consultation des prêteurs",
                "Gestion active de la dette et suivi des emprunts structurés",
                "Prévision de trésorerie et lignes de trésorerie",
                "Garanties d'emprunt accordées aux tiers",
            ],
        ),
        (
            "FISC",
            "Fiscalité",
            "Fiscalité directe locale, taxes spécifiques et récupération de la TVA.",
            [
                "Suivi des bases fiscales et vote des taux",
                "Commission communale ou intercommunale des impôts directs",
                "Fonds de compensation de la TVA et TVA des budgets assujettis",
                "Taxes locales spécifiques (TLPE, taxe de séjour, taxe sur l'électricité)",
            ],
        ),
        (
            "DOTA",
            "Dotations et flux financiers intercommunaux",
            "Concours de l'État et relations financières entre l'EPCI et ses communes.",
            [
                "Suivi de la dotation globale de fonctionnement et des dotations de péréquation",
                "Fonds de péréquation des ressources intercommunales et communales (FPIC)",
                "Attributions de compensation et travaux de la CLECT",
                "Dotation de solidarité communautaire et fonds de concours",
            ],
        ),
        (
            "PROS",
            "Analyse financière et prospective",
            "Analyse rétrospective et projection pluriannuelle des équilibres financiers.",
            [
                "Analyse financière rétrospective et ratios",
                "Prospective financière et plan pluriannuel d'investissement",
                "Analyse financière des satellites et partenaires",
            ],
        ),
        (
            "CGES",
            "Contrôle de gestion",
            "Mesure des coûts et de l'activité des services, pilotage par indicateurs.",
            [
                "Tableaux de bord et indicateurs de pilotage",
                "Calcul des coûts des services et coûts unitaires de fonctionnement",
                "Contrôle des organismes satellites (SEM, SPL, associations)",
                "Évaluation des politiques publiques",
            ],
        ),
        (
            "SUBV",
            "Gestion des subventions",
            "Subventions reçues de partenaires et subventions versées aux tiers.",
            [
                "Veille et recherche de cofinancements (État, Région, Département, Europe)",
                "Montage, suivi et justification des dossiers de subvention",
                "Instruction et conventionnement des subventions versées aux associations",
                "Contrôle de l'emploi des subventions versées",
            ],
        ),
        (
            "REGI",
            "Régies",
            "Régies d'avances et de recettes et encaissements hors chaîne comptable.",
            [
                "Création et modification des régies d'avances et de recettes",
                "Nomination, formation et suivi des régisseurs",
                "Contrôle des régies",
                "Paiement en ligne et moyens d'encaissement",
            ],
        ),
        (
            "RECE",
            "Facturation et recouvrement des recettes",
            "Facturation des services aux usagers et suivi des impayés.",
            [
                "Facturation des services aux usagers (restauration, périscolaire, locations)",
                "Relances amiables et suivi des impayés avec le comptable",
                "Admissions en non-valeur et créances éteintes",
            ],
        ),
    ],
)

_RH = _theme(
    "RH",
    [
        (
            "PAIE",
            "Paie et gestion administrative des carrières",
            "Rémunération des agents et actes de gestion de leur carrière.",
            [
                "Préparation, calcul et contrôle de la paie",
                "Déclarations sociales nominatives et relations avec les caisses",
                "Gestion des positions statutaires, avancements et promotions",
                "Rédaction des arrêtés et des contrats",
                "Tenue des dossiers individuels des agents",
                "Constitution des dossiers de retraite",
                ("Établissement des listes d'aptitude à la promotion interne", CDG),
            ],
        ),
        (
            "TEMP",
            "Gestion des temps et des absences",
            "Organisation du temps de travail et suivi des absences.",
            [
                "Règlement du temps de travail et cycles horaires",
                "Gestion des congés, autorisations d'absence et comptes épargne-temps",
                "Suivi des arrêts maladie et de l'absentéisme",
                "Gestion des outils de badgeage et de planification",
            ],
        ),
        (
            "RECR",
            "Recrutement et mobilité",
            "Du besoin de recrutement à l'intégration de l'agent, et mobilité interne.",
            [
                "Définition des besoins et rédaction des fiches de poste",
                ("Déclaration des créations et vacances d'emploi (bourse de l'emploi)", CDG),
                "Diffusion des offres et sélection des candidats",
                "Accueil et intégration des nouveaux agents",
                "Mobilité interne et accompagnement des parcours",
                "Remplacements et recours aux agents contractuels",
            ],
        ),
        (
            "CONC",
            "Concours et examens professionnels",
            "Organisation des concours et examens d'accès aux cadres d'emplois territoriaux.",
            [
                "Organisation des concours de catégorie A, B et C",
                "Organisation des examens professionnels",
                "Publicité des listes d'aptitude",
            ],
            CDG,
        ),
        (
            "FORM",
            "Formation",
            "Développement des compétences des agents.",
            [
                "Élaboration et suivi du plan de formation",
                "Relations avec le CNFPT et les organismes de formation",
                "Inscriptions et suivi des formations obligatoires d'intégration et de professionnalisation",
                "Compte personnel de formation et préparation aux concours",
                "Apprentissage et accueil des stagiaires",
            ],
        ),
        (
            "SANT",
            "Santé et prévention au travail",
            "Prévention des risques professionnels et suivi de la santé des agents.",
            [
                "Médecine préventive et suivi médical des agents",
                "Document unique d'évaluation des risques et programme de prévention",
                "Animation du réseau des assistants et conseillers de prévention",
                "Gestion des accidents de service et maladies professionnelles",
                ("Secrétariat du conseil médical", CDG),
                "Insertion et maintien dans l'emploi des travailleurs handicapés",
            ],
        ),
        (
            "RECL",
            "Maintien dans l'emploi et reclassement",
            "Accompagnement des agents dont la situation professionnelle doit évoluer.",
            [
                "Reclassement pour inaptitude et période de préparation au reclassement",
                "Conseil en évolution professionnelle",
                ("Prise en charge des fonctionnaires momentanément privés d'emploi", CDG),
            ],
        ),
        (
            "SOCI",
            "Action sociale",
            "Prestations d'action sociale et protection sociale complémentaire.",
            [
                "Adhésion et relations avec les organismes d'action sociale (CNAS, COS)",
                "Protection sociale complémentaire (santé et prévoyance)",
                "Titres-restaurant et restauration des agents",
                "Accompagnement social individuel des agents",
            ],
        ),
        (
            "DIAL",
            "Dialogue social",
            "Relations avec les représentants du personnel et instances consultatives.",
            [
                "Préparation et secrétariat du comité social territorial",
                "Formation spécialisée en santé, sécurité et conditions de travail",
                "Relations avec les organisations syndicales et négociation des accords",
                ("Calcul et remboursement du crédit de temps syndical", CDG),
                "Organisation des élections professionnelles",
                ("Comité social territorial placé auprès du centre de gestion (moins de 50 agents)", CDG),
            ],
        ),
        (
            "INST",
            "Instances paritaires et discipline",
            "Fonctionnement des commissions paritaires et des conseils de discipline.",
            [
                "Fonctionnement des commissions administratives paritaires",
                "Fonctionnement des commissions consultatives paritaires",
                "Secrétariat des conseils de discipline",
            ],
            CDG,
        ),
        (
            "GPEC",
            "GPEEC et pilotage de la masse salariale",
            "Gestion prévisionnelle des emplois, des effectifs et des compétences.",
            [
                "Lignes directrices de gestion et référentiel des métiers",
                "Prévision et suivi de la masse salariale",
                "Rapport social unique et bilan des effectifs",
                "Analyse de la pyramide des âges et des départs prévisibles",
            ],
        ),
        (
            "REMU",
            "Politique de rémunération et évaluation",
            "Régime indemnitaire, évaluation professionnelle et reconnaissance.",
            [
                "Mise en œuvre du régime indemnitaire (RIFSEEP)",
                "Attribution de la nouvelle bonification indiciaire et des avantages en nature",
                "Campagne d'entretiens professionnels annuels",
                "Médailles et reconnaissance des agents",
            ],
        ),
        (
            "JURI",
            "Conseil statutaire et juridique RH",
            "Sécurisation juridique des décisions relatives aux agents.",
            [
                "Veille statutaire et diffusion de l'information",
                ("Assistance juridique statutaire", CDG),
                ("Référent déontologue et référent laïcité", CDG),
                "Précontentieux et contentieux des ressources humaines",
                "Procédures disciplinaires (préparation des dossiers)",
            ],
        ),
    ],
)

_CPAJ = _theme(
    "CPAJ",
    [
        (
            "ACHA",
            "Politique et planification des achats",
            "Organisation de la fonction achat et programmation des besoins.",
            [
                "Recensement des besoins et nomenclature des achats",
                "Programmation annuelle des achats et des consultations",
                "Sourcing et connaissance des marchés fournisseurs",
                "Achats responsables et schéma de promotion des achats socialement et écologiquement responsables",
            ],
        ),
        (
            "PASS",
            "Passation des marchés publics",
            "Procédures de mise en concurrence, de la rédaction à la notification.",
            [
                "Choix de la procédure et rédaction des dossiers de consultation",
                "Publicité et dématérialisation des consultations",
                "Analyse des offres et négociation",
                "Commission d'appel d'offres",
                "Attribution, information des candidats et notification",
            ],
        ),
        (
            "EXEC",
            "Exécution des marchés",
            "Suivi administratif et financier des marchés notifiés.",
            [
                "Modifications de marchés et avenants",
                "Sous-traitance et actes spéciaux",
                "Révision des prix, pénalités et retenues",
                "Réception, décomptes et clôture des marchés",
                "Publication des données essentielles",
            ],
        ),
        (
            "GROU",
            "Groupements de commandes et centrales d'achat",
            "Achats mutualisés entre acheteurs publics.",
            [
                "Constitution et coordination des groupements de commandes",
                "Adhésion et recours aux centrales d'achat",
                "Suivi des accords-cadres mutualisés",
            ],
        ),
        (
            "DSP",
            "Concessions et délégations de service public",
            "Gestion déléguée des services publics.",
            [
                "Choix du mode de gestion et procédure de délégation",
                "Contrôle des délégataires et analyse des rapports annuels",
                "Avenants, fin de contrat et biens de retour",
            ],
        ),
        (
            "CONS",
            "Conseil juridique",
            "Expertise juridique au service des élus et des directions.",
            [
                "Consultations et notes juridiques",
                "Veille juridique et documentation",
                "Sécurisation des projets et des montages contractuels",
                "Conventions et partenariats",
            ],
        ),
        (
            "ASSU",
            "Assurances",
            "Couverture des risques de la collectivité et gestion des sinistres.",
            [
                "Analyse des risques et marchés d'assurances",
                "Déclaration et suivi des sinistres",
                "Recours contre les tiers responsables",
            ],
        ),
        (
            "CONT",
            "Contentieux et précontentieux",
            "Défense des intérêts de la collectivité devant les juridictions.",
            [
                "Gestion des recours gracieux et précontentieux",
                "Suivi des contentieux et relations avec les avocats",
                "Protection fonctionnelle des élus et des agents",
                "Médiation et transactions",
            ],
        ),
        (
            "ACTE",
            "Actes et assemblées",
            "Préparation, adoption et publicité des actes de la collectivité.",
            [
                "Préparation des conseils et des commissions",
                "Rédaction et contrôle des délibérations, décisions et arrêtés",
                "Transmission au contrôle de légalité",
                "Publication, registre et recueil des actes",
                "Délégations de fonction et de signature",
            ],
        ),
        (
            "FONC",
            "Affaires foncières et immobilières",
            "Acquisitions, cessions et gestion juridique du patrimoine.",
            [
                "Acquisitions et cessions amiables",
                "Actes authentiques en la forme administrative",
                "Baux, conventions d'occupation et servitudes",
                "Expropriations et procédures de biens sans maître",
            ],
        ),
        (
            "ARCH",
            "Archives et documentation",
            "Conservation des archives et gestion de la documentation de la collectivité.",
            [
                "Collecte, classement et conservation des archives",
                "Éliminations réglementaires et relations avec les archives départementales",
                "Communication des documents administratifs",
                "Abonnements et fonds documentaire",
            ],
        ),
    ],
)

_SI = _theme(
    "SI",
    [
        (
            "INFR",
            "Infrastructure, réseaux et hébergement",
            "Socle technique : serveurs, réseaux, stockage et sauvegarde.",
            [
                "Administration des serveurs et de la virtualisation",
                "Réseaux locaux, interconnexion des sites et accès internet",
                "Sauvegarde, stockage et plan de reprise d'activité",
                "Hébergement et services en nuage",
            ],
        ),
        (
            "POST",
            "Poste de travail et assistance",
            "Équipement des agents et assistance aux utilisateurs.",
            [
                "Acquisition et déploiement des postes de travail",
                "Assistance aux utilisateurs et centre de services",
                "Gestion du parc informatique et des impressions",
                "Messagerie et outils collaboratifs",
            ],
        ),
        (
            "APPL",
            "Applications métiers",
            "Choix, paramétrage et maintien des logiciels des directions.",
            [
                "Applications de gestion financière et des ressources humaines",
                "Applications de population (état civil, élections, recensement)",
                "Applications d'urbanisme et de gestion technique",
                "Maintenance applicative et relations avec les éditeurs",
            ],
        ),
        (
            "SIG",
            "Système d'information géographique",
            "Données et outils cartographiques du territoire.",
            [
                "Référentiels cartographiques et cadastre",
                "Base adresse locale et adressage",
                "Applications cartographiques et plans de réseaux",
                "Relevés et mise à jour des données géographiques",
            ],
        ),
        (
            "SECU",
            "Cybersécurité",
            "Protection du système d'information contre les incidents et les attaques.",
            [
                "Politique de sécurité du système d'information",
                "Gestion des identités et des droits d'accès",
                "Supervision, détection et réponse aux incidents",
                "Sensibilisation des agents et des élus",
            ],
        ),
        (
            "TELE",
            "Téléphonie et communications",
            "Téléphonie fixe et mobile, liaisons et flottes.",
            [
                "Téléphonie fixe et sur IP",
                "Flotte de téléphonie mobile",
                "Marchés de télécommunications et suivi des consommations",
            ],
        ),
        (
            "DEMA",
            "Dématérialisation",
            "Dématérialisation des procédures internes et des échanges.",
            [
                "Chaîne comptable et financière dématérialisée",
                "Parapheur et signature électroniques",
                "Gestion électronique des documents et archivage électronique",
                "Télétransmission des actes",
            ],
        ),
        (
            "RGPD",
            "Protection des données personnelles",
            "Conformité au règlement général sur la protection des données.",
            [
                "Délégué à la protection des données",
                "Registre des traitements et analyses d'impact",
                "Traitement des demandes d'exercice des droits",
                "Gestion des violations de données",
            ],
        ),
        (
            "NUME",
            "Services numériques aux usagers",
            "Relation numérique avec les habitants.",
            [
                "Site internet et intranet",
                "Démarches en ligne et portail des familles",
                "Gestion de la relation usagers",
                "Inclusion numérique et médiation",
            ],
        ),
        (
            "DATA",
            "Données et décisionnel",
            "Valorisation et ouverture des données de la collectivité.",
            [
                "Gouvernance des données",
                "Informatique décisionnelle et tableaux de bord",
                "Ouverture des données publiques",
            ],
        ),
        (
            "PROJ",
            "Gouvernance et projets du système d'information",
            "Stratégie numérique et conduite des projets informatiques.",
            [
                "Schéma directeur du système d'information",
                "Conduite des projets et assistance à maîtrise d'ouvrage",
                "Achats informatiques et gestion des contrats",
            ],
        ),
        (
            "ECOL",
            "Numérique éducatif",
            "Équipement numérique des écoles.",
            [
                "Équipement informatique des écoles",
                "Espaces numériques de travail",
                "Maintenance et assistance dans les écoles",
            ],
        ),
    ],
)

_BML = _theme(
    "BML",
    [
        (
            "ENTR",
            "Entretien et maintenance des bâtiments",
            "Maintien en état des bâtiments en régie et par contrats.",
            [
                "Maintenance préventive et curative en régie",
                "Contrats de maintenance des équipements techniques",
                "Vérifications réglementaires périodiques",
                "Gestion des demandes d'intervention",
            ],
        ),
        (
            "TRAV",
            "Travaux et gros entretien du patrimoine bâti",
            "Programmation et conduite des opérations sur les bâtiments.",
            [
                "Programmation pluriannuelle des travaux",
                "Conduite d'opération et maîtrise d'œuvre des bâtiments",
                "Rénovation énergétique des bâtiments",
                "Mise en accessibilité des bâtiments",
            ],
        ),
        (
            "ENER",
            "Énergie et fluides",
            "Achat et maîtrise des consommations d'énergie et d'eau.",
            [
                "Suivi des consommations d'énergie et d'eau",
                "Achat d'énergie",
                "Obligations du dispositif éco-énergie tertiaire",
                "Certificats d'économies d'énergie",
            ],
        ),
        (
            "SECU",
            "Sécurité et sûreté des bâtiments",
            "Sécurité incendie, sûreté et gardiennage des sites.",
            [
                "Suivi des commissions de sécurité des établissements recevant du public",
                "Contrôle d'accès, alarmes et télésurveillance",
                "Gardiennage des sites",
            ],
        ),
        (
            "NETT",
            "Nettoyage des locaux",
            "Propreté des bâtiments administratifs et des équipements.",
            [
                "Ménage des locaux en régie",
                "Marchés de nettoyage et contrôle des prestations",
                "Nettoyage des vitres et remises en état",
            ],
        ),
        (
            "PARC",
            "Gestion du parc automobile et des engins",
            "Flotte de véhicules et d'engins de la collectivité.",
            [
                "Acquisition et renouvellement des véhicules et engins",
                "Entretien et réparation en atelier mécanique",
                "Gestion du carburant et des cartes carburant",
                "Pool de véhicules partagés et autopartage",
            ],
        ),
        (
            "FOUR",
            "Achats de fournitures et gestion des stocks",
            "Approvisionnement des services en fournitures et petits équipements.",
            [
                "Achat de fournitures administratives",
                "Magasin et gestion des stocks",
                "Vêtements de travail et équipements de protection individuelle",
                "Produits d'entretien et consommables",
            ],
        ),
        (
            "LOGI",
            "Logistique et manifestations",
            "Moyens matériels pour les services et les évènements.",
            [
                "Déménagements et manutention",
                "Prêt de matériel pour les manifestations",
                "Installation des salles et des scrutins",
            ],
        ),
        (
            "REPR",
            "Reprographie et impression",
            "Impression et façonnage des documents.",
            [
                "Atelier de reprographie",
                "Parc de copieurs et gestion des impressions",
                "Impression des documents de communication",
            ],
        ),
        (
            "COUR",
            "Courrier et accueil",
            "Circulation du courrier et accueil des sites administratifs.",
            [
                "Réception, enregistrement et distribution du courrier",
                "Affranchissement et navettes entre sites",
                "Accueil physique et standard téléphonique",
            ],
        ),
        (
            "MOBI",
            "Mobilier et équipements",
            "Équipement en mobilier des services et des écoles.",
            ["Achat de mobilier", "Inventaire physique des biens", "Réforme et cession des biens"],
        ),
        (
            "PATR",
            "Gestion immobilière du patrimoine",
            "Connaissance et optimisation du patrimoine bâti.",
            [
                "Inventaire et base de données du patrimoine bâti",
                "Occupation des locaux et schéma directeur immobilier",
                "Diagnostics réglementaires (amiante, plomb, énergie)",
            ],
        ),
    ],
)

_AOS = _theme(
    "AOS",
    [
        (
            "ACCU",
            "Accueil et conseil des pétitionnaires",
            "Information des porteurs de projet avant et pendant l'instruction.",
            [
                "Accueil physique et téléphonique des pétitionnaires",
                "Rendez-vous de pré-instruction et conseil architectural",
                "Guichet numérique des autorisations d'urbanisme",
                "Enregistrement des dossiers et délivrance des récépissés",
            ],
        ),
        (
            "PERM",
            "Instruction des permis",
            "Instruction des permis de construire, d'aménager et de démolir.",
            [
                "Permis de construire",
                "Permis d'aménager",
                "Permis de démolir",
                "Permis modificatifs et transferts",
                "Consultation des services et gestionnaires de réseaux",
            ],
        ),
        (
            "DECL",
            "Instruction des déclarations préalables",
            "Instruction des travaux soumis à déclaration préalable.",
            [
                "Déclarations préalables de travaux",
                "Déclarations préalables de division",
                "Déclarations de clôture et de ravalement",
            ],
        ),
        (
            "CU",
            "Certificats d'urbanisme",
            "Information sur les règles applicables à un terrain.",
            [
                "Certificats d'urbanisme d'information",
                "Certificats d'urbanisme opérationnels",
                "Notes et renseignements d'urbanisme",
            ],
        ),
        (
            "CONF",
            "Contrôle de conformité",
            "Vérification de la conformité des travaux achevés.",
            [
                "Réception et suivi des déclarations d'achèvement des travaux",
                "Visites de récolement",
                "Attestations de non-contestation de la conformité",
            ],
        ),
        (
            "INFR",
            "Infractions et contentieux de l'urbanisme",
            "Police de l'urbanisme et défense des autorisations délivrées.",
            [
                "Constat des infractions et procès-verbaux",
                "Suivi des procédures pénales et mises en demeure",
                "Recours contre les autorisations d'urbanisme",
            ],
        ),
        (
            "ERP",
            "Autorisations de travaux des établissements recevant du public",
            "Sécurité et accessibilité des établissements recevant du public.",
            [
                "Instruction des autorisations de travaux",
                "Commissions de sécurité et d'accessibilité",
                "Autorisations d'ouverture",
            ],
        ),
        (
            "PUBL",
            "Publicité, enseignes et préenseignes",
            "Application du règlement local de publicité.",
            [
                "Autorisations d'enseignes",
                "Déclarations et autorisations de dispositifs publicitaires",
                "Contrôle et police de la publicité",
            ],
        ),
        (
            "DIA",
            "Droit de préemption urbain",
            "Traitement des déclarations d'intention d'aliéner.",
            [
                "Enregistrement et instruction des déclarations d'intention d'aliéner",
                "Décisions de préemption ou de renonciation",
                "Demandes de pièces et visites des biens",
            ],
        ),
        (
            "FISC",
            "Fiscalité de l'urbanisme",
            "Participations et taxes liées aux autorisations d'urbanisme.",
            [
                "Renseignements sur la taxe d'aménagement",
                "Projets urbains partenariaux et participations",
                "Suivi des surfaces taxables",
            ],
        ),
    ],
)

_GDP = _theme(
    "GDP",
    [
        (
            "VOIR",
            "Permissions de voirie",
            "Occupations du domaine public avec emprise.",
            [
                "Échafaudages, bennes et dépôts de matériaux",
                "Travaux des riverains sur le domaine public",
                "Accès riverains et abaissements de trottoir",
                "Réseaux et ouvrages des concessionnaires",
            ],
        ),
        (
            "TERR",
            "Occupation commerciale du domaine public",
            "Terrasses, étalages et occupations liées aux commerces.",
            [
                "Autorisations de terrasses et d'étalages",
                "Kiosques et installations commerciales",
                "Chevalets et mobilier commercial",
            ],
        ),
        (
            "MARC",
            "Marchés et droits de place",
            "Marchés, halles, foires et perception des droits de place.",
            [
                "Organisation des marchés de plein air et des halles",
                "Placement des commerçants et régie des droits de place",
                "Foires, fêtes foraines et cirques",
                "Commerce ambulant et véhicules de restauration",
            ],
        ),
        (
            "CIRC",
            "Police de la circulation et du stationnement",
            "Réglementation de la circulation et du stationnement.",
            [
                "Arrêtés permanents de circulation et de stationnement",
                "Arrêtés temporaires pour travaux et déménagements",
                "Gestion du stationnement payant",
                "Autorisations de stationnement des taxis",
            ],
        ),
        (
            "CHAN",
            "Coordination des chantiers sur la voie publique",
            "Planification des interventions sur la voirie.",
            [
                "Calendrier coordonné des travaux",
                "Réponses aux déclarations de projet de travaux et DICT",
                "Conférences de coordination avec les concessionnaires",
            ],
        ),
        (
            "REDE",
            "Redevances d'occupation du domaine public",
            "Tarification et recouvrement des occupations.",
            [
                "Fixation des tarifs d'occupation",
                "Redevances des opérateurs de réseaux",
                "Liquidation et suivi du recouvrement",
            ],
        ),
        (
            "MANI",
            "Manifestations et évènements sur l'espace public",
            "Autorisation des usages temporaires de l'espace public.",
            [
                "Autorisations de manifestations",
                "Tournages de films et prises de vue",
                "Vide-greniers et ventes au déballage",
            ],
        ),
        (
            "SURV",
            "Surveillance du domaine public",
            "Contrôle des occupations et lutte contre les occupations illicites.",
            [
                "Contrôle des occupations autorisées",
                "Constat des occupations illicites",
                "Véhicules ventouses et mises en fourrière",
            ],
        ),
        (
            "DOMA",
            "Gestion domaniale",
            "Statut et consistance du domaine public.",
            [
                "Classement et déclassement du domaine public",
                "Dénomination des voies et numérotage",
                "Alignements et délimitation du domaine public",
            ],
        ),
    ],
)

_ECO = _theme(
    "ECO",
    [
        (
            "ACCU",
            "Accueil et accompagnement des entreprises",
            "Guichet d'entrée des entreprises et des porteurs de projet.",
            [
                "Accueil et orientation des porteurs de projet",
                "Accompagnement à la création et à la reprise d'entreprises",
                "Suivi des entreprises implantées",
            ],
        ),
        (
            "IMMO",
            "Immobilier d'entreprise et foncier économique",
            "Offre foncière et immobilière pour les activités économiques.",
            [
                "Aménagement et gestion des zones d'activités",
                "Pépinières et hôtels d'entreprises",
                "Bourse des locaux et des terrains disponibles",
            ],
        ),
        (
            "COMM",
            "Commerce de proximité et artisanat",
            "Vitalité commerciale des centres-villes et des quartiers.",
            [
                "Animation du commerce de centre-ville",
                "Observation de la vacance commerciale",
                "Droit de préemption sur les fonds de commerce",
                "Relations avec les unions de commerçants",
            ],
        ),
        (
            "EMPL",
            "Emploi et insertion",
            "Accès à l'emploi des habitants et insertion professionnelle.",
            [
                "Relations avec France Travail et la mission locale",
                "Plan local pour l'insertion et l'emploi",
                "Clauses sociales dans les marchés publics",
                "Forums et actions de recrutement",
            ],
        ),
        (
            "TOUR",
            "Tourisme",
            "Attractivité touristique du territoire.",
            [
                "Relations avec l'office de tourisme",
                "Promotion touristique",
                "Équipements et hébergements touristiques",
            ],
        ),
        (
            "AIDE",
            "Aides économiques",
            "Soutien financier aux entreprises dans le cadre régional.",
            [
                "Règlement d'aides et conventions avec la Région",
                "Instruction des aides à l'immobilier d'entreprise",
                "Suivi des aides accordées",
            ],
        ),
        (
            "ATTR",
            "Prospection et attractivité",
            "Promotion économique et prospection d'investisseurs.",
            ["Marketing territorial", "Prospection et accueil d'investisseurs", "Salons et évènements économiques"],
        ),
        (
            "FILI",
            "Filières, innovation et enseignement supérieur",
            "Structuration des filières et liens avec la recherche.",
            [
                "Animation des filières économiques",
                "Soutien à l'innovation",
                "Relations avec l'enseignement supérieur et la recherche",
            ],
        ),
        (
            "ESS",
            "Économie sociale et solidaire",
            "Développement de l'économie sociale et solidaire.",
            [
                "Accompagnement des structures de l'économie sociale et solidaire",
                "Tiers-lieux et espaces de travail partagés",
                "Achats auprès des structures d'insertion",
            ],
        ),
        (
            "OBSE",
            "Observatoire économique",
            "Connaissance du tissu économique local.",
            [
                "Tableaux de bord de l'économie et de l'emploi",
                "Enquêtes auprès des entreprises",
                "Relations avec les chambres consulaires",
            ],
        ),
    ],
)

_TIDP = _theme(
    "TIDP",
    [
        (
            "PROG",
            "Programmation des investissements",
            "Choix et phasage des investissements sur l'espace public.",
            [
                "Programme pluriannuel d'investissement de voirie",
                "Recueil et arbitrage des demandes des communes et des habitants",
                "Concertation préalable aux aménagements",
            ],
        ),
        (
            "ETUD",
            "Études et maîtrise d'œuvre voirie",
            "Conception des projets d'aménagement de l'espace public.",
            [
                "Relevés topographiques et études préalables",
                "Conception des projets et maîtrise d'œuvre interne",
                "Pilotage des maîtres d'œuvre externes",
                "Dossiers réglementaires et autorisations",
            ],
        ),
        (
            "TRAV",
            "Réalisation des travaux",
            "Conduite et contrôle des chantiers d'investissement.",
            [
                "Préparation et ordonnancement des chantiers",
                "Surveillance et contrôle des travaux",
                "Réception des ouvrages et levée des réserves",
            ],
        ),
        (
            "ENTR",
            "Gros entretien de la voirie",
            "Maintien en état des chaussées et des trottoirs.",
            [
                "Renouvellement des couches de roulement",
                "Réfection des trottoirs",
                "Interventions en régie sur la voirie",
                "Viabilité hivernale et astreintes",
            ],
        ),
        (
            "ECLA",
            "Éclairage public",
            "Conception, rénovation et maintenance de l'éclairage public.",
            [
                "Maintenance de l'éclairage public",
                "Rénovation et passage aux sources économes",
                "Illuminations festives",
                "Réponses aux demandes de travaux à proximité des réseaux",
            ],
        ),
        (
            "ESPV",
            "Espaces verts et paysage",
            "Création et entretien des espaces verts et du patrimoine arboré.",
            [
                "Création d'espaces verts et de parcs",
                "Entretien des espaces verts et gestion différenciée",
                "Gestion du patrimoine arboré",
                "Production florale et serres",
            ],
        ),
        (
            "SIGN",
            "Signalisation et jalonnement",
            "Signalisation routière et équipements de régulation du trafic.",
            [
                "Signalisation horizontale",
                "Signalisation verticale et jalonnement",
                "Feux tricolores et régulation du trafic",
            ],
        ),
        (
            "OUVR",
            "Ouvrages d'art",
            "Surveillance et entretien des ponts, murs et passerelles.",
            [
                "Inspection et surveillance des ouvrages",
                "Travaux de réparation des ouvrages",
                "Inventaire des ouvrages d'art",
            ],
        ),
        (
            "PLUV",
            "Eaux pluviales urbaines",
            "Réseaux et ouvrages de gestion des eaux pluviales.",
            [
                "Entretien des réseaux et avaloirs",
                "Bassins de rétention et noues",
                "Gestion intégrée des eaux pluviales dans les projets",
            ],
        ),
        (
            "MOBI",
            "Aménagements cyclables et accessibilité de la voirie",
            "Adaptation de l'espace public aux mobilités actives et aux personnes handicapées.",
            [
                "Pistes et bandes cyclables",
                "Plan de mise en accessibilité de la voirie et des espaces publics",
                "Zones apaisées et aménagements de sécurité",
            ],
        ),
        (
            "MURB",
            "Mobilier urbain",
            "Équipement de l'espace public.",
            [
                "Pose et entretien du mobilier urbain",
                "Abris voyageurs et mobilier publicitaire",
                "Jeux et équipements d'aires publiques",
            ],
        ),
    ],
)

DEFAULT_REFERENTIAL: tuple[Activite, ...] = _FIN + _RH + _CPAJ + _SI + _BML + _AOS + _GDP + _ECO + _TIDP


def activity_theme_map() -> dict[str, str]:
    """Activity code -> theme code, for every activity of the default referential."""
    return {activite.code: activite.theme for activite in DEFAULT_REFERENTIAL}


def activities_by_theme() -> dict[str, tuple[Activite, ...]]:
    """Theme code -> its activities in referential order (every theme present)."""
    par_theme: dict[str, list[Activite]] = {code: [] for code in THEME_CODES}
    for activite in DEFAULT_REFERENTIAL:
        par_theme[activite.theme].append(activite)
    return {code: tuple(activites) for code, activites in par_theme.items()}
