from django.db import models


class TypeLivrable(models.TextChoices):
    INVENTAIRE = "GT1", "GT1 – liste des activités par domaine"
    AFOR = "GT2", "GT2 – grille AFOR"
    MUTUALISABLES = "GT3", "GT3 – liste des activités mutualisables"


class Quadrant(models.TextChoices):
    AVANTAGE = "avantage", "Avantages (internes)"
    FAIBLESSE = "faiblesse", "Faiblesses (internes)"
    OPPORTUNITE = "opportunite", "Opportunités (externes)"
    RISQUE = "risque", "Risques (externes)"


class Faisabilite(models.TextChoices):
    """Ordered 0 < 1 < 2 < 3 < 4 < 4+ ; 4+ counts 5 in sums (FORMATS.md §6)."""

    F0 = "0", "0"
    F1 = "1", "1"
    F2 = "2", "2"
    F3 = "3", "3"
    F4 = "4", "4"
    F4P = "4+", "4+"


FAISABILITE_RANG = {"0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "4+": 5}


class Modalite(models.TextChoices):
    """The ways to pool (FORMATS.md §5 codes)."""

    SERVICE_COMMUN = "service_commun", "Service commun"
    TRANSFERT = "transfert", "Transfert de compétence"
    MAD_ASCENDANTE = "mad_ascendante", "Mise à disposition ascendante (commune → EPCI)"
    MAD_DESCENDANTE = "mad_descendante", "Mise à disposition descendante (EPCI → communes)"
    GROUPEMENT_COMMANDES = "groupement_commandes", "Groupement de commandes"
    PRESTATION = "prestation", "Prestation de services"
    MISE_EN_COMMUN_BIENS = "mise_en_commun_biens", "Mise en commun de biens"
    ENTENTE = "entente", "Entente"
