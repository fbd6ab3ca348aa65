"""Payroll batches (lots): one file imported for a reference year, covering its employers.

Agent identifiers are stored only as keyed hashes. Pages and scenarios read the aggregates
(`Agregat`, `EffectifTheme`, `LotEmployeur`), never the lines."""

from django.conf import settings
from django.db import models

from engine.themes import THEME_OR_AUTRE
from masse_salariale.enums import CleRegle, GenreImport, Situation, StatutImport, StatutLecture, StatutLot


class LotQuerySet(models.QuerySet):
    def a_confirmer(self):
        return self.filter(statut=StatutLot.A_CONFIRMER)

    def visibles(self, acces):
        """The batches of the territory this reader may open (comptes.perms `Acces.voit_lot`, for a list):
        all of them for the project team, those she imported for anyone else."""
        mine = self.filter(territoire=acces.territoire)
        return mine if acces.est_equipe_projet else mine.filter(importe_par=acces.utilisateur)


class Lot(models.Model):
    territoire = models.ForeignKey("territoire.Territoire", on_delete=models.CASCADE, related_name="lots")
    annee = models.PositiveSmallIntegerField("année de référence")
    statut = models.CharField("statut", max_length=12, choices=StatutLot.choices, default=StatutLot.A_CONFIRMER)
    fichier = models.CharField("nom du fichier", max_length=255)
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    taille = models.PositiveIntegerField("taille (octets)", default=0)
    importe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    importe_le = models.DateTimeField("importé le", auto_now_add=True)
    confirme_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirme_le = models.DateTimeField("confirmé le", null=True, blank=True)
    nb_lignes = models.PositiveIntegerField("lignes", default=0)
    nb_agents = models.PositiveIntegerField("agents", default=0)
    cout_total = models.DecimalField("coût total", max_digits=16, decimal_places=2, default=0)
    etp_total = models.DecimalField("ETP", max_digits=12, decimal_places=4, default=0)
    avertissements = models.JSONField("avertissements", default=list, blank=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = "lot de masse salariale"
        verbose_name_plural = "lots de masse salariale"
        ordering = ["-importe_le", "-id"]

    def __str__(self):
        return f"Lot {self.annee} – {self.fichier}"


class LotEmployeurQuerySet(models.QuerySet):
    def courants(self, annee=None):
        qs = self.filter(courant=True)
        return qs if annee is None else qs.filter(lot__annee=annee)


class LotEmployeur(models.Model):
    """One employer covered by a batch; `courant` marks the batch that counts for that employer and year."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="employeurs")
    organisation = models.ForeignKey("territoire.Organisation", on_delete=models.CASCADE, related_name="lots")
    annee = models.PositiveSmallIntegerField("année de référence")
    courant = models.BooleanField("courant", default=False)
    remplace = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remplace_par",
        verbose_name="lot remplacé",
    )
    nb_lignes = models.PositiveIntegerField("lignes", default=0)
    nb_agents = models.PositiveIntegerField("agents", default=0)
    cout = models.DecimalField("coût", max_digits=16, decimal_places=2, default=0)
    etp = models.DecimalField("ETP", max_digits=12, decimal_places=4, default=0)

    objects = LotEmployeurQuerySet.as_manager()

    class Meta:
        verbose_name = "employeur d'un lot"
        ordering = ["organisation__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "annee"], condition=models.Q(courant=True), name="un_lot_courant_par_employeur"
            ),
            models.UniqueConstraint(fields=["lot", "organisation"], name="lot_employeur_unique"),
        ]


class LignePaie(models.Model):
    """A validated payroll line, pseudonymised. Kept for history and later analysis; never displayed."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="lignes")
    ligne = models.PositiveIntegerField("ligne du fichier")
    employeur = models.CharField("employeur", max_length=9)
    agent = models.CharField("agent (pseudonyme)", max_length=32)
    theme = models.CharField("thème", max_length=5, choices=THEME_OR_AUTRE)
    activite = models.CharField("activité", max_length=20, blank=True)
    cout_annuel = models.DecimalField("coût annuel", max_digits=12, decimal_places=2)
    quotite = models.FloatField("quotité")
    etp = models.FloatField("ETP de l'agent")
    situation = models.CharField("situation", max_length=9, choices=Situation.choices)
    beneficiaire = models.CharField("bénéficiaire", max_length=9, blank=True)
    service = models.CharField("service", max_length=200, blank=True)
    statut = models.CharField("statut", max_length=100, blank=True)
    categorie = models.CharField("catégorie", max_length=1, blank=True)

    class Meta:
        verbose_name = "ligne de paie"
        ordering = ["lot", "ligne"]


class Agregat(models.Model):
    """Payroll summed by employer × theme × activity × situation × beneficiary × category."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="agregats")
    employeur = models.CharField("employeur", max_length=9)
    theme = models.CharField("thème", max_length=5, choices=THEME_OR_AUTRE)
    activite = models.CharField("activité", max_length=20, blank=True)
    situation = models.CharField("situation", max_length=9, choices=Situation.choices)
    beneficiaire = models.CharField("bénéficiaire", max_length=9, blank=True)
    categorie = models.CharField("catégorie", max_length=1, blank=True)
    nb_agents = models.PositiveIntegerField("agents")
    nb_lignes = models.PositiveIntegerField("lignes")
    montant = models.FloatField("montant")
    etp = models.FloatField("ETP")

    class Meta:
        verbose_name = "agrégat"
        indexes = [models.Index(fields=["lot", "employeur", "theme"])]


class EffectifTheme(models.Model):
    """Distinct agents of an employer in a theme: the count that decides whether a cell may be shown."""

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="effectifs")
    employeur = models.CharField("employeur", max_length=9)
    theme = models.CharField("thème", max_length=5, choices=THEME_OR_AUTRE)
    nb_agents = models.PositiveIntegerField("agents")
    montant = models.FloatField("montant")
    etp = models.FloatField("ETP")

    class Meta:
        verbose_name = "effectif par thème"
        constraints = [models.UniqueConstraint(fields=["lot", "employeur", "theme"], name="effectif_theme_unique")]


# --- Payroll from DSN files (docs/contrats/9-dsn.md) -----------------------------------------------------


class RegleCorrespondance(models.Model):
    """One line of an employer's correspondence rule: kept from year to year, reused by every DSN reading
    of that employer. The lines of one rule (same `cle` and `valeur_normalisee`) sum to 1."""

    organisation = models.ForeignKey(
        "territoire.Organisation", on_delete=models.CASCADE, related_name="regles_paie", verbose_name="employeur"
    )
    cle = models.CharField("clé", max_length=9, choices=CleRegle.choices)
    valeur = models.CharField("valeur", max_length=200, blank=True)
    valeur_normalisee = models.CharField("valeur normalisée", max_length=200, blank=True)
    theme = models.CharField("thème", max_length=5, choices=THEME_OR_AUTRE)
    activite = models.CharField("activité", max_length=20, blank=True)
    part = models.DecimalField("part", max_digits=5, decimal_places=4, default=1)
    situation = models.CharField("situation", max_length=9, choices=Situation.choices, default="propre")
    beneficiaire = models.CharField("bénéficiaire", max_length=9, blank=True)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "règle de correspondance"
        verbose_name_plural = "règles de correspondance"
        ordering = ["organisation", "cle", "valeur_normalisee", "theme", "activite", "id"]
        indexes = [models.Index(fields=["organisation", "cle", "valeur_normalisee"])]


class TauxCharges(models.Model):
    """The employer-contribution rates an employer set for one year, per pension regime (no default)."""

    organisation = models.ForeignKey(
        "territoire.Organisation", on_delete=models.CASCADE, related_name="taux_charges", verbose_name="employeur"
    )
    annee = models.PositiveSmallIntegerField("année")
    cnracl = models.DecimalField("taux CNRACL", max_digits=6, decimal_places=4, null=True, blank=True)
    general = models.DecimalField("taux régime général", max_digits=6, decimal_places=4, null=True, blank=True)
    chapitre_012 = models.DecimalField("total du chapitre 012", max_digits=16, decimal_places=2, null=True, blank=True)
    fixe_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    fixe_le = models.DateTimeField("fixés le", auto_now=True)

    class Meta:
        verbose_name = "taux de charges"
        verbose_name_plural = "taux de charges"
        constraints = [models.UniqueConstraint(fields=["organisation", "annee"], name="taux_charges_unique")]


class LectureDSN(models.Model):
    """One reading of an employer's DSN files for a year: what was read (never the files, deleted once
    read), the agents waiting to be placed, then the batch it prepared."""

    territoire = models.ForeignKey("territoire.Territoire", on_delete=models.CASCADE, related_name="lectures_dsn")
    organisation = models.ForeignKey(
        "territoire.Organisation", on_delete=models.CASCADE, related_name="lectures_dsn", verbose_name="employeur"
    )
    annee = models.PositiveSmallIntegerField("année de référence")
    statut = models.CharField("statut", max_length=10, choices=StatutLecture.choices, default=StatutLecture.A_PLACER)
    fichiers = models.JSONField("fichiers lus", default=list)  # [{"nom", "taille", "empreinte"}]
    mois = models.JSONField("mois lus", default=list)
    bruts = models.JSONField("bruts mensuels", default=dict)  # "1".."12" -> gross pay read, as text
    contrats = models.PositiveIntegerField("contrats-mois", default=0)
    nb_agents = models.PositiveIntegerField("agents", default=0)
    cout_total = models.DecimalField("coût total", max_digits=16, decimal_places=2, default=0)
    taux = models.JSONField("taux de charges appliqués", default=dict)
    chapitre_012 = models.DecimalField("total du chapitre 012", max_digits=16, decimal_places=2, null=True, blank=True)
    avec_services = models.BooleanField("fichier des agents donné", default=False)
    avertissements = models.JSONField("avertissements", default=list, blank=True)
    placements = models.JSONField("agents placés par règle", default=dict, blank=True)  # "cle|valeur" -> count
    historique = models.JSONField("placement de chaque agent", default=dict, blank=True)  # pseudonym -> rule
    lot = models.OneToOneField(Lot, on_delete=models.SET_NULL, null=True, blank=True, related_name="lecture_dsn")
    importe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    importe_le = models.DateTimeField("lue le", auto_now_add=True)

    class Meta:
        verbose_name = "lecture de DSN"
        verbose_name_plural = "lectures de DSN"
        ordering = ["-importe_le", "-id"]


class AgentDSN(models.Model):
    """An agent's year read from the DSN, kept only while the reading waits to be placed: deleted when the
    batch is prepared or the reading abandoned (the matricule is what the correspondence matches)."""

    lecture = models.ForeignKey(LectureDSN, on_delete=models.CASCADE, related_name="agents")
    matricule = models.CharField("matricule", max_length=60)
    cout = models.DecimalField("coût annuel", max_digits=12, decimal_places=2)
    etp = models.DecimalField("ETP", max_digits=6, decimal_places=4)
    statut = models.CharField("statut", max_length=12)
    libelle = models.CharField("libellé de l'emploi", max_length=200, blank=True)
    service = models.CharField("service", max_length=200, blank=True)

    class Meta:
        verbose_name = "agent lu dans la DSN"
        ordering = ["lecture", "matricule"]


class ProfilColonnes(models.Model):
    """A named mapping of a payroll software's export to the payroll file's fields (docs/contrats §3),
    kept by employer and reused the next year."""

    organisation = models.ForeignKey(
        "territoire.Organisation", on_delete=models.CASCADE, related_name="profils_colonnes", verbose_name="employeur"
    )
    nom = models.CharField("nom du profil", max_length=100)
    colonnes = models.JSONField("colonnes", default=dict)  # source header -> field of §3, or "" (ignorer)
    valeurs = models.JSONField("valeurs", default=dict)  # field -> {source value -> value of §3}
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "profil de colonnes"
        verbose_name_plural = "profils de colonnes"
        ordering = ["organisation", "nom"]
        constraints = [models.UniqueConstraint(fields=["organisation", "nom"], name="profil_colonnes_unique")]


class ConsultationPaie(models.Model):
    """A page or an export that showed payroll amounts to a user: who, when, which page, whose amounts
    (masse_salariale/consultations.py). Kept twelve months (the daily work purges older rows)."""

    territoire = models.CharField("territoire (SIREN)", max_length=9, db_index=True)  # no lookup on each page
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="consultations_paie"
    )
    quand = models.DateTimeField("le", auto_now_add=True, db_index=True)
    page = models.CharField("page", max_length=100)
    chemin = models.CharField("adresse", max_length=500)
    employeurs = models.JSONField("employeurs dont des montants ont été montrés", default=list)
    montants = models.PositiveIntegerField("montants montrés", default=0)

    class Meta:
        verbose_name = "consultation de la masse salariale"
        ordering = ["-quand", "-id"]


class ImportPaie(models.Model):
    """A payroll upload read by the worker of the queue `imports` (masse_salariale/imports.py): the stored
    files (named here, kept on disk until read), the form's choices, the progress, then the batch or the DSN
    reading it gave, or the file's errors. Seen only by who sent it."""

    territoire = models.ForeignKey("territoire.Territoire", on_delete=models.CASCADE, related_name="imports_paie")
    genre = models.CharField("genre", max_length=7, choices=GenreImport.choices)
    organisation = models.ForeignKey(
        "territoire.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    annee = models.PositiveSmallIntegerField("année de référence")
    # The stored files: [{"nom", "taille", "role": "paie" | "dsn" | "agents"}], under `dossier` (a random
    # name in MEDIA_ROOT/imports-paie/, deleted once read).
    fichiers = models.JSONField("fichiers", default=list)
    dossier = models.CharField("dossier", max_length=32)
    parametres = models.JSONField("paramètres", default=dict, blank=True)  # DSN: rates, chapter 012, months
    statut = models.CharField("statut", max_length=7, choices=StatutImport.choices, default=StatutImport.EN_ATTENTE)
    progression = models.PositiveSmallIntegerField("progression (%)", default=0)
    etape = models.CharField("étape", max_length=120, blank=True)
    erreurs = models.JSONField("erreurs", default=list, blank=True)
    avertissements = models.JSONField("avertissements", default=list, blank=True)
    lot = models.ForeignKey(Lot, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    lecture = models.ForeignKey(LectureDSN, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    demande_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    demande_le = models.DateTimeField("envoyé le", auto_now_add=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de paie en arrière-plan"
        verbose_name_plural = "imports de paie en arrière-plan"
        ordering = ["-demande_le", "-id"]

    @property
    def termine(self) -> bool:
        return self.statut not in (StatutImport.EN_ATTENTE, StatutImport.EN_COURS)
