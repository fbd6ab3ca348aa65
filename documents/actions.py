"""Writes of the mandate letters: the schéma's template, the generation of a group's letter, its status.
Each write is one transaction with its row in the territory's audit trail (`Evenement`)."""

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from commun import concurrence
from commun.erreurs import ActionRefusee
from comptes.enums import Role
from documents import defaut, lettres
from documents.enums import StatutLettre
from documents.models import LettreMission, ModeleLettreMission
from territoire.calendrier import calendrier
from territoire.enums import Nature
from territoire.models import Evenement

ROLES_COPILOTES = ((Role.COPILOTE_COMMUNE, "Co-pilote commune"), (Role.COPILOTE_EPCI, "Co-pilote EPCI"))


def schema_courant(territoire):
    """The schéma of the latest mandate (as GroupeTravail.objects.du_territoire)."""
    return territoire.schemas.order_by("-mandat").first()


def modele_par_defaut(schema) -> ModeleLettreMission:
    """The schéma's letter template, created with the default text when it has none yet."""
    modele, _ = ModeleLettreMission.objects.get_or_create(schema=schema, defaults=valeurs_par_defaut(schema))
    return modele


def valeurs_par_defaut(schema) -> dict:
    return {
        "objet": defaut.OBJET,
        "corps": defaut.CORPS,
        "signataire_qualite": f"Le Président de {schema.territoire.nom}",
        "signataire_nom": "",
    }


CHAMPS_MODELE = ("objet", "corps", "signataire_qualite", "signataire_nom")


def empreinte_modele(modele: ModeleLettreMission) -> str:
    """The fingerprint of the template the editing page shows (commun/concurrence.py)."""
    return concurrence.empreinte({c: getattr(modele, c) for c in CHAMPS_MODELE})


@transaction.atomic
def do_enregistrer_modele(
    modele: ModeleLettreMission, utilisateur, retabli: bool = False, empreinte_lue: str | None = None
) -> ModeleLettreMission:
    """Save the template edited by the project team (its fields already set by the form, and checked).
    Refused when the stored template changed since the page showed it (`empreinte_lue`; None for a writer
    that is no page, or the restoring of the default text, which asks for no text)."""
    problemes = lettres.erreurs(modele.objet) + lettres.erreurs(modele.corps)
    if problemes:
        raise ActionRefusee(problemes)
    if empreinte_lue is not None and modele.pk is not None:
        stocke = (
            ModeleLettreMission.objects.select_for_update(of=("self",)).select_related("modifie_par").get(pk=modele.pk)
        )
        concurrence.verifier(
            "Le modèle de lettre de mission",
            {c: getattr(stocke, c) for c in CHAMPS_MODELE},
            {ModeleLettreMission._meta.get_field(c).verbose_name: getattr(stocke, c) for c in CHAMPS_MODELE},
            empreinte_lue,
            qui=stocke.modifie_par or "",
        )
    modele.modifie_par = utilisateur
    modele.save()
    Evenement.objects.create(
        territoire=modele.schema.territoire,
        utilisateur=utilisateur,
        action="lettre.modele_retabli" if retabli else "lettre.modele",
        objet=f"Modèle de lettre de mission {modele.schema.mandat}",
    )
    return modele


# --- the values of the fields for one group ---------------------------------------------------------


def _personne(user) -> lettres.Personne:
    """A name, with the commune for a commune's user (the EPCI's own users need no mention of it)."""
    org = user.organisation if user.organisation_id else None
    organisation = org.nom if org is not None and not org.est_epci else ""
    return lettres.Personne(user.get_full_name() or user.username, organisation)


def _reunions(groupe) -> list[lettres.Reunion]:
    """The group's meetings not cancelled, when the meetings app is there."""
    if not apps.is_installed("seances"):
        return []
    from seances.enums import StatutSeance

    return [
        lettres.Reunion(
            etape=s.etape,
            libelle=s.get_etape_display(),
            debut=timezone.localtime(s.debut),
            lieu=s.lieu or ("en visioconférence" if s.lien_visio else ""),
        )
        for s in groupe.seances.exclude(statut=StatutSeance.ANNULEE).order_by("debut")
    ]


def _organe(territoire) -> str:
    return "le conseil de la métropole" if territoire.nature == Nature.METRO else "le conseil communautaire"


def _participants(groupe, role) -> list:
    """The group's active users in `role` (a deactivated account is not named in a new letter)."""
    return [u for u in groupe.participants(role) if u.is_active]


def valeurs(groupe, modele: ModeleLettreMission, jour=None) -> dict[str, str]:
    """The value of every field of lettres.CHAMPS for `groupe` (its participants read once)."""
    schema = groupe.schema
    territoire = schema.territoire
    jour = jour or timezone.localdate()
    activites = (
        territoire.activites.filter(theme=groupe.theme).order_by("ordre", "code").values_list("libelle", flat=True)
    )
    consultants = [_personne(u) for u in _participants(groupe, Role.CONSULTANT)]
    return {
        "territoire": territoire.nom,
        "president": modele.signataire_nom or modele.signataire_qualite,
        "mandat": schema.mandat,
        "date": lettres.date_fr(jour),
        "theme": groupe.libelle,
        "copilote_commune": lettres.personnes(_personne(u) for u in _participants(groupe, Role.COPILOTE_COMMUNE)),
        "copilote_epci": lettres.personnes(_personne(u) for u in _participants(groupe, Role.COPILOTE_EPCI)),
        "consultant": lettres.personnes(consultants),
        "perimetre": lettres.perimetre(groupe.perimetre, activites),
        "livrables": lettres.livrables(),
        "calendrier": lettres.calendrier(
            {e.phase: (e.debut, e.fin) for e in calendrier(schema)}, _reunions(groupe), _organe(territoire)
        ),
        "accompagnement": lettres.accompagnement(territoire.nom, consultants),
    }


def signatures(groupe, modele: ModeleLettreMission) -> list[dict]:
    """Who signs, in order: the co-pilots (« pour accord »), then the EPCI's signatory."""
    lignes = []
    for role, qualite in ROLES_COPILOTES:
        personnes = [_personne(u) for u in _participants(groupe, role)] or [lettres.Personne("")]
        lignes += [
            {"role": role.value, "qualite": qualite, "nom": p.nom, "organisation": p.organisation} for p in personnes
        ]
    lignes.append(
        {
            "role": "president",
            "qualite": modele.signataire_qualite,
            "nom": modele.signataire_nom,
            "organisation": groupe.schema.territoire.nom,
        }
    )
    return lignes


@transaction.atomic
def do_generer_lettre(groupe, utilisateur, now=None) -> LettreMission:
    """Generate the group's letter from the schéma's template, or generate a draft again.
    A sent or signed letter keeps its text: ActionRefusee."""
    groupe = type(groupe).objects.avec_participants().select_related("schema__territoire").get(pk=groupe.pk)
    lettre = LettreMission.objects.select_for_update().filter(groupe=groupe).first()
    if lettre is not None and not lettre.regenerable:
        raise ActionRefusee(
            [
                f"la lettre du groupe {groupe.libelle} est {lettre.get_statut_display().lower()} : "
                "elle garde son texte (remettez-la en brouillon pour la générer à nouveau)"
            ]
        )
    modele = modele_par_defaut(groupe.schema)
    now = now or timezone.now()
    champs = valeurs(groupe, modele, timezone.localtime(now).date())
    try:
        objet, texte = lettres.remplir(modele.objet, champs), lettres.remplir(modele.corps, champs)
    except lettres.ModeleInvalide as exc:
        raise ActionRefusee([f"modèle de lettre : {e}" for e in exc.erreurs]) from exc
    nouvelle = lettre is None
    lettre = lettre or LettreMission(groupe=groupe)
    lettre.objet, lettre.texte, lettre.signatures = objet[:300], texte, signatures(groupe, modele)
    lettre.generee_le, lettre.modifie_par = now, utilisateur
    lettre.save()
    Evenement.objects.create(
        territoire=groupe.schema.territoire,
        utilisateur=utilisateur,
        action="lettre.generation",
        objet=str(lettre),
        details={"groupe": groupe.theme, "nouvelle": nouvelle},
    )
    return lettre


def do_generer_lettres(schema, utilisateur) -> tuple[list[LettreMission], list[str]]:
    """Generate every missing letter and every draft of the schéma; the others keep their text.
    Returns (letters generated, names of the groups left as they were). Each letter is its own
    transaction: an invalid template stops at the first one."""
    faites, gardees = [], []
    for groupe in schema.groupes.select_related("lettre"):
        lettre = getattr(groupe, "lettre", None)
        if lettre is not None and not lettre.regenerable:
            gardees.append(groupe.libelle)
            continue
        faites.append(do_generer_lettre(groupe, utilisateur))
    return faites, gardees


@transaction.atomic
def do_changer_statut(lettre: LettreMission, statut: str, utilisateur, now=None) -> LettreMission:
    """Move the letter along brouillon → envoyée → signée (or back from envoyée to brouillon)."""
    now = now or timezone.now()
    lettre = LettreMission.objects.select_for_update().select_related("groupe__schema__territoire").get(pk=lettre.pk)
    if statut not in StatutLettre.values:
        raise ActionRefusee([f"statut inconnu : « {statut} »"])
    if not lettre.peut_passer_a(statut):
        raise ActionRefusee(
            [
                f"une lettre {lettre.get_statut_display().lower()} ne peut pas passer à "
                f"« {StatutLettre(statut).label.lower()} »"
            ]
        )
    if statut == StatutLettre.ENVOYEE and lettre.copilotes_manquants():
        manquants = " et ".join(q.lower() for q in lettre.copilotes_manquants())
        raise ActionRefusee(
            [
                f"la lettre ne nomme pas de {manquants} : désignez le tandem, générez la lettre "
                "à nouveau, puis envoyez-la"
            ]
        )
    avant = lettre.statut
    lettre.statut = statut
    if statut == StatutLettre.ENVOYEE:
        lettre.envoyee_le = now
    elif statut == StatutLettre.SIGNEE:
        lettre.signee_le = now
    else:
        lettre.envoyee_le = None
    lettre.modifie_par = utilisateur
    lettre.save(update_fields=["statut", "envoyee_le", "signee_le", "modifie_par"])
    Evenement.objects.create(
        territoire=lettre.groupe.schema.territoire,
        utilisateur=utilisateur,
        action="lettre.statut",
        objet=str(lettre),
        details={"groupe": lettre.groupe.theme, "avant": avant, "apres": statut},
    )
    return lettre
