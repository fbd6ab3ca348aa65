"""Writes of the legal path (docs/consultation.md): freeze a version of the schéma, send the projet to the
communes, record their receipts and their councils' deliberations, apply the deadlines (the daily command),
approve, record the transmission of the approved schéma, the sittings of the other bodies, the calendar.
Each write is one transaction with its row in the territory's audit trail; what the state of the path
allows is decided here (ActionRefusee, French messages); who may call what, by the views (comptes.perms)."""

import datetime as dt

from django.db import transaction
from django.db.models import Max

from commun.erreurs import ActionRefusee
from commun.formatage import compte
from commun.formatage import date as date_fr
from engine.avis import Avis, EtatAvis, departement_de, etat_avis
from engine.calendrier import rappels
from parcours import consultation, versions
from parcours.enums import EtatVersion
from parcours.models import Deliberation, Envoi, JetonCalendrier, RappelEnvoye, VersionSchema
from scenarios import calcul
from scenarios.actions import actions_de, copie_figee
from territoire.calendrier import calendrier
from territoire.enums import Phase, StatutSchema
from territoire.models import Evenement


def _evenement(schema, user, action, objet, **details):
    Evenement.objects.create(
        territoire_id=schema.territoire_id, utilisateur=user, action=action, objet=objet[:200], details=details
    )


# --- versions ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_figer_version(schema, scenario, etat: str, user, note: str = "") -> VersionSchema:
    """Freeze `scenario` as the next version of the schéma: a frozen copy of it, the payroll batches of its
    year kept, its figures stored. Refused when the scenario breaks a rule or has no payroll."""
    if etat not in (EtatVersion.COMITE, EtatVersion.PROJET):
        raise ActionRefusee(["une version se fige « pour le comité de pilotage » ou « projet transmis aux communes »"])
    if scenario.figee or scenario.schema_id != schema.pk:
        raise ActionRefusee(["ce scénario n'est pas un scénario de travail de ce schéma"])
    territoire = schema.territoire
    ctx = calcul.contexte(territoire, scenario.annee_paie)
    if ctx.paie.annee is None:
        raise ActionRefusee(["aucune masse salariale importée : la version n'aurait pas de chiffres"])
    lignes = actions_de(scenario)
    if not lignes:
        raise ActionRefusee([f"le scénario « {scenario.nom} » n'a aucune action"])
    resultat = calcul.simuler(ctx, scenario, lignes)
    if resultat.simulation is None:
        raise ActionRefusee([f"le scénario « {scenario.nom} » ne se calcule pas : " + " ; ".join(resultat.erreurs)])
    numero = (VersionSchema.objects.filter(schema=schema).aggregate(n=Max("numero"))["n"] or 0) + 1
    version = VersionSchema.objects.create(
        schema=schema,
        numero=numero,
        etat=etat,
        scenario=copie_figee(scenario, ctx.paie.annee),
        origine=scenario,
        annee_paie=ctx.paie.annee,
        figures=versions.brutes(resultat.simulation, ctx.paie.annee),
        note=note,
        cree_par=user,
    )
    version.lots.set(ctx.paie.lots.values())
    _evenement(
        schema, user, "parcours.version", f"Version {numero} du schéma : {scenario.nom}", version=version.pk, etat=etat
    )
    return version


# --- consultation of the communes ----------------------------------------------------------------------------


@transaction.atomic
def do_envoyer_projet(version, communes, envoye_le: dt.date, mode: str, user, aujourdhui: dt.date) -> list[Envoi]:
    """Record the sending of `version` to `communes` for their councils' opinion; the version becomes the
    projet transmis, the schéma enters the consultation."""
    version = VersionSchema.objects.select_for_update().get(pk=version.pk)
    if version.etat == EtatVersion.APPROUVE:
        raise ActionRefusee(["la version approuvée ne se soumet plus à l'avis des communes"])
    if envoye_le > aujourdhui:
        raise ActionRefusee([f"date d'envoi : le {date_fr(envoye_le)} n'est pas encore arrivé"])
    if not communes:
        raise ActionRefusee(["communes : choisissez au moins une commune"])
    deja = set(
        version.envois.filter(transmission=False, organisation__in=communes).values_list("organisation__nom", flat=True)
    )
    if deja:
        raise ActionRefusee([f"communes : le projet leur a déjà été envoyé : {', '.join(sorted(deja))}"])
    envois = [
        Envoi.objects.create(version=version, organisation=c, envoye_le=envoye_le, mode=mode, enregistre_par=user)
        for c in communes
    ]
    avant = version.etat
    version.etat = EtatVersion.PROJET
    version.save(update_fields=["etat"])
    schema = version.schema
    if schema.statut == StatutSchema.ELABORATION:
        schema.statut = StatutSchema.CONSULTATION
        schema.save(update_fields=["statut"])
    _evenement(
        schema,
        user,
        "parcours.envoi",
        f"Projet (version {version.numero}) envoyé à {compte(len(envois), 'commune')}",
        version=version.pk,
        avant=avant,
        apres=version.etat,
    )
    return envois


@transaction.atomic
def do_enregistrer_reception(
    envoi: Envoi, recu_le: dt.date, preuve, user, aujourdhui: dt.date, par_equipe_projet: bool = False
) -> Envoi:
    """The date the commune received the projet (it starts its three months) and its proof. Once recorded,
    only the project team corrects it, and never once the commune's opinion is settled (a deliberation
    dated in time, or the deadline passed): the clock of a commune is not restarted."""
    envoi = Envoi.objects.select_for_update().get(pk=envoi.pk)
    org = envoi.organisation
    if envoi.recu_le is not None:
        if not par_equipe_projet:
            raise ActionRefusee(
                [f"réception : celle de {org.nom} est enregistrée ; seule l'équipe projet corrige sa date"]
            )
        avis = [Avis(d.date, d.issue, d.pk) for d in envoi.version.deliberations.filter(organisation=org)]
        etat = etat_avis(True, envoi.recu_le, avis, aujourdhui, departement_de(org.code))
        if etat.a_un_avis:
            raise ActionRefusee(
                [f"réception : l'avis de {org.nom} est acquis ({etat.libelle}) ; sa date de réception est fixée"]
            )
    if recu_le < envoi.envoye_le:
        raise ActionRefusee([f"date de réception : avant l'envoi du projet, le {date_fr(envoi.envoye_le)}"])
    if recu_le > aujourdhui:
        raise ActionRefusee([f"date de réception : le {date_fr(recu_le)} n'est pas encore arrivé"])
    if not preuve and not envoi.preuve:
        raise ActionRefusee(["preuve de réception : joignez l'accusé de réception (PDF ou image)"])
    avant = envoi.recu_le
    envoi.recu_le = recu_le
    if preuve:
        envoi.preuve = preuve
    envoi.enregistre_par = user
    envoi.save()
    _evenement(
        envoi.version.schema,
        user,
        "parcours.reception",
        f"Réception du projet par {org.nom} le {date_fr(recu_le)}",
        envoi=envoi.pk,
        corrige=str(avant) if avant else "",
    )
    return envoi


def verifier_votes(effectif, presents, pour, contre, abstention) -> list[str]:
    """The vote's counts must add up: pour + contre + abstentions ≤ votants ≤ membres en exercice."""
    erreurs = []
    exprimes = sum(x for x in (pour, contre, abstention) if x is not None)
    if presents is not None and exprimes > presents:
        erreurs.append(f"vote : {exprimes} voix pour, contre et abstentions, plus que les {presents} votants")
    if presents is not None and effectif is not None and presents > effectif:
        erreurs.append(f"vote : {presents} votants, plus que les {effectif} membres en exercice")
    return erreurs


@transaction.atomic
def do_enregistrer_deliberation(version, organisation, valeurs: dict, user, aujourdhui: dt.date) -> Deliberation:
    """A commune council's deliberation on the projet sent to it. Dated on or before its deadline it counts,
    whenever it is recorded (the last one dated in time prevails); dated later, it is kept « hors délai »."""
    envoi = version.envois.filter(organisation=organisation, transmission=False).first()
    if envoi is None:
        raise ActionRefusee([f"le projet (version {version.numero}) n'a pas été envoyé à {organisation.nom}"])
    erreurs = verifier_votes(*(valeurs.get(k) for k in ("effectif", "presents", "pour", "contre", "abstention")))
    if valeurs["date"] > aujourdhui:
        erreurs.append(f"date : le {date_fr(valeurs['date'])} n'est pas encore arrivé")
    if valeurs["date"] < envoi.envoye_le:
        erreurs.append(f"date : avant l'envoi du projet, le {date_fr(envoi.envoye_le)}")
    if not valeurs.get("issue"):
        erreurs.append("avis : choisissez l'avis du conseil")
    if Deliberation.objects.filter(organisation=organisation, numero=valeurs["numero"]).exists():
        erreurs.append(f"numéro : {organisation.nom} a déjà une délibération n° {valeurs['numero']}")
    if erreurs:
        raise ActionRefusee(erreurs)
    d = Deliberation.objects.create(
        version=version, organisation=organisation, approbation=False, enregistree_par=user, **valeurs
    )
    _evenement(
        version.schema,
        user,
        "parcours.avis",
        f"Avis de {organisation.nom} ({d.get_issue_display().lower()}), délibération du {date_fr(d.date)}",
        deliberation=d.pk,
    )
    return d


# --- the daily work ----------------------------------------------------------------------------------------


def rappels_dus(avis, aujourdhui: dt.date) -> list[tuple[Envoi, str, dt.date]]:
    """The reminders due today or earlier, not sent yet, while the opinion is awaited and the deadline not
    passed: (sending, code, date)."""
    deja = set(
        RappelEnvoye.objects.filter(envoi__in=[a.envoi for a in avis if a.envoi]).values_list("envoi_id", "code")
    )
    out = []
    for a in avis:
        if a.etat.etat != EtatAvis.ATTENDU:
            continue
        for r in rappels(a.etat.echeance.echeance, a.commune.population):
            if r.le <= aujourdhui and (a.envoi.pk, r.code) not in deja:
                out.append((a.envoi, r.code, r.le))
    return out


@transaction.atomic
def do_taches_du_jour(schema, aujourdhui: dt.date) -> dict:
    """The legal path's daily work, idempotent: the opinions réputés favorables from the day after their
    deadline, and the reminders due (each sent once: the home page's waiting action and its notification
    follow from the row recorded, parcours/taches.py)."""
    version = consultation.version_en_consultation(schema)
    if version is None:
        return {"reputes": 0, "rappels": 0}
    avis = consultation.avis_des_communes(schema, version, aujourdhui)
    reputes = 0
    for a in avis:
        if a.etat.etat == EtatAvis.REPUTE_FAVORABLE and a.envoi.repute_favorable_le is None:
            a.envoi.repute_favorable_le = a.etat.echeance.reputee_favorable_le
            a.envoi.save(update_fields=["repute_favorable_le"])
            reputes += 1
            _evenement(
                schema,
                None,
                "parcours.repute",
                f"Avis de {a.commune.nom} réputé favorable "
                f"(aucune délibération au {date_fr(a.etat.echeance.echeance)})",
                envoi=a.envoi.pk,
            )
    dus = rappels_dus(avis, aujourdhui)
    for envoi, code, le in dus:
        RappelEnvoye.objects.create(envoi=envoi, code=code, le=le)
        _evenement(
            schema, None, "parcours.rappel", f"Rappel à {envoi.organisation.nom} : {code}", envoi=envoi.pk, code=code
        )
    return {"reputes": reputes, "rappels": len(dus)}


# --- approval ------------------------------------------------------------------------------------------------


@transaction.atomic
def do_approuver(version, valeurs: dict, user, aujourdhui: dt.date, malgre_differences: bool = False) -> Deliberation:
    """The EPCI council's approval of `version`: possible once every commune has an opinion, expressed or
    deemed, on the projet sent; a version that differs from it needs `malgre_differences`. Once a version is
    approved, a later one approved is a revision (`_approuver_revision`)."""
    schema = version.schema
    version = VersionSchema.objects.select_for_update().get(pk=version.pk)
    toutes = consultation.versions_du_schema(schema)
    approuvee = consultation.approuvee(toutes)
    if approuvee is not None:
        return _approuver_revision(version, approuvee, valeurs, user, aujourdhui, malgre_differences)
    envoyee = consultation.en_consultation(toutes)
    if envoyee is None:
        raise ActionRefusee(["aucun projet n'a été transmis aux communes : leur avis est requis avant l'approbation"])
    premier_envoi = min(envoyee.envois.filter(transmission=False).values_list("envoye_le", flat=True))
    if valeurs["date"] < premier_envoi:
        raise ActionRefusee([f"date : avant l'envoi du projet aux communes, le {date_fr(premier_envoi)}"])
    # The opinions as they stood on the day of the approval: deliberations dated later do not count.
    au_jour = consultation.avis_des_communes(schema, envoyee, valeurs["date"], jusqua=valeurs["date"])
    manque = consultation.manquants(au_jour)
    if manque:
        noms = ", ".join(a.commune.nom for a in manque)
        raise ActionRefusee([f"avis manquants au {date_fr(valeurs['date'])} ({len(manque)}) : {noms}"])
    if version.pk != envoyee.pk and not versions.difference(envoyee, version).vide and not malgre_differences:
        raise ActionRefusee(
            [
                f"la version {version.numero} diffère du projet transmis aux communes (version {envoyee.numero}) : "
                "confirmez, une nouvelle consultation est conseillée"
            ]
        )
    return _enregistrer_approbation(version, valeurs, user, aujourdhui)


def _approuver_revision(version, approuvee, valeurs: dict, user, aujourdhui: dt.date, malgre_differences: bool):
    """A revision of the approved schéma (new actions, abandoned ones): a later version approved by the EPCI
    council. The law sets no revision procedure: a new consultation of the councils is the EPCI's choice,
    advised whenever the actions change; the council confirms it approves without one."""
    if version.numero <= approuvee.numero:
        raise ActionRefusee(
            [f"la version {approuvee.numero} est approuvée : seule une version plus récente peut la réviser"]
        )
    if versions.difference(approuvee, version).vide:
        raise ActionRefusee([f"la version {version.numero} retient les mêmes actions que le schéma approuvé"])
    if valeurs["date"] < approuvee.approuvee_le:
        raise ActionRefusee(
            [f"date : avant l'approbation de la version {approuvee.numero}, le {date_fr(approuvee.approuvee_le)}"]
        )
    if not malgre_differences:
        raise ActionRefusee(
            [
                f"la version {version.numero} révise le schéma approuvé (version {approuvee.numero}) : confirmez ; "
                "une nouvelle consultation des conseils municipaux est conseillée"
            ]
        )
    return _enregistrer_approbation(version, valeurs, user, aujourdhui, revise=approuvee)


def _enregistrer_approbation(version, valeurs: dict, user, aujourdhui: dt.date, revise=None) -> Deliberation:
    schema = version.schema
    erreurs = verifier_votes(*(valeurs.get(k) for k in ("effectif", "presents", "pour", "contre", "abstention")))
    if valeurs["date"] > aujourdhui:
        erreurs.append(f"date : le {date_fr(valeurs['date'])} n'est pas encore arrivé")
    epci = schema.territoire.epci
    if Deliberation.objects.filter(organisation=epci, numero=valeurs["numero"]).exists():
        erreurs.append(f"numéro : le conseil communautaire a déjà une délibération n° {valeurs['numero']}")
    if erreurs:
        raise ActionRefusee(erreurs)
    d = Deliberation.objects.create(
        version=version, organisation=epci, approbation=True, issue="", enregistree_par=user, **valeurs
    )
    avant = version.etat
    version.etat, version.approuvee_le = EtatVersion.APPROUVE, d.date
    version.save(update_fields=["etat", "approuvee_le"])
    schema.statut = StatutSchema.ADOPTE
    schema.save(update_fields=["statut"])
    _evenement(
        schema,
        user,
        "parcours.approbation",
        (
            f"Révision du schéma approuvée (version {version.numero}, remplace la version {revise.numero})"
            if revise
            else f"Schéma approuvé (version {version.numero})"
        )
        + f" le {date_fr(d.date)}",
        version=version.pk,
        avant=avant,
        apres=version.etat,
    )
    return d


@transaction.atomic
def do_transmettre_approuve(version, communes, envoye_le: dt.date, mode: str, user, aujourdhui: dt.date) -> list[Envoi]:
    """Record the sending of the approved schéma to municipal councils."""
    if version.etat != EtatVersion.APPROUVE:
        raise ActionRefusee(["seul le schéma approuvé se transmet aux conseils municipaux"])
    if envoye_le < version.approuvee_le or envoye_le > aujourdhui:
        raise ActionRefusee([f"date d'envoi : entre l'approbation du {date_fr(version.approuvee_le)} et aujourd'hui"])
    deja = set(version.envois.filter(transmission=True).values_list("organisation_id", flat=True))
    nouveaux = [c for c in communes if c.pk not in deja]
    if not nouveaux:
        raise ActionRefusee(["communes : le schéma approuvé leur a déjà été transmis"])
    envois = [
        Envoi.objects.create(
            version=version, organisation=c, envoye_le=envoye_le, mode=mode, transmission=True, enregistre_par=user
        )
        for c in nouveaux
    ]
    _evenement(
        version.schema,
        user,
        "parcours.transmission",
        f"Schéma approuvé transmis à {compte(len(envois), 'commune')}",
        version=version.pk,
    )
    return envois


# --- the calendar and the other bodies ---------------------------------------------------------------------


@transaction.atomic
def do_modifier_calendrier(schema, dates: dict, user) -> None:
    """New dates of the phases: {phase: (début, fin)}, each phase's end on or after its start."""
    erreurs = [f"{Phase(p).label} : la fin précède le début" for p, (d, f) in dates.items() if f < d]
    if erreurs:
        raise ActionRefusee(erreurs)
    for etape in calendrier(schema):
        if etape.phase in dates:
            etape.debut, etape.fin = dates[etape.phase]
            etape.save(update_fields=["debut", "fin"])
    _evenement(schema, user, "parcours.calendrier", f"Calendrier de la démarche {schema.mandat}")


@transaction.atomic
def do_enregistrer_seance_instance(seance, user):
    seance.enregistree_par = user
    seance.save()
    _evenement(seance.schema, user, "parcours.instance", f"{seance} : {seance.objet}", seance=seance.pk)
    return seance


@transaction.atomic
def do_nouveau_jeton(user, territoire) -> JetonCalendrier:
    """A new private address of the user's calendar feed; the previous one stops working."""
    JetonCalendrier.objects.filter(utilisateur=user, territoire=territoire).delete()
    return JetonCalendrier.objects.create(utilisateur=user, territoire=territoire)
