"""Generating a group's letter from the schéma's template, and the letter's status."""

import datetime as dt

import pytest
from django.utils import timezone

from commun.erreurs import ActionRefusee
from documents import defaut
from documents.actions import (
    do_changer_statut,
    do_enregistrer_modele,
    do_generer_lettre,
    do_generer_lettres,
    modele_par_defaut,
)
from documents.enums import StatutLettre
from documents.models import ModeleLettreMission
from territoire.models import Evenement

pytestmark = pytest.mark.django_db


def test_the_default_template_is_created_with_the_schema_when_missing(territoire):
    schema = territoire.schemas.get()
    assert not ModeleLettreMission.objects.filter(schema=schema).exists()
    modele = modele_par_defaut(schema)
    assert (modele.objet, modele.corps) == (defaut.OBJET, defaut.CORPS)
    assert modele.signataire_qualite == "Le Président de Bordeaux Métropole"
    assert modele_par_defaut(schema).pk == modele.pk


def test_letter_names_the_theme_the_tandem_and_the_scope(lettre_rh, territoire):
    assert lettre_rh.objet == "Lettre de mission des co-pilotes du groupe de travail « Ressources humaines »"
    texte = lettre_rh.texte
    assert "je vous confie le co-pilotage du groupe de travail « Ressources humaines »" in texte
    assert "Marie Durand (Pessac) pour les communes, Karim Benali pour Bordeaux Métropole" in texte
    assert "pour le mandat 2026-2032" in texte
    # No scope written for the group: the theme's activities of the referential.
    assert "- paie et gestion administrative des carrières ;" in texte
    assert "grille AFOR" in texte and "Activités | Sous-activités | Spécificités" in texte
    assert "mars 2027 : adoption du schéma de mutualisation par le conseil de la métropole." in texte
    assert "{" not in texte
    assert lettre_rh.statut == StatutLettre.BROUILLON
    assert [(s["role"], s["nom"]) for s in lettre_rh.signatures] == [
        ("copilote_commune", "Marie Durand"),
        ("copilote_epci", "Karim Benali"),
        ("president", ""),
    ]
    evenement = Evenement.objects.filter(territoire=territoire, action="lettre.generation").get()
    assert evenement.details == {"groupe": "RH", "nouvelle": True}


def test_scope_and_consultant_of_the_group_are_used(tandem, groupe_rh, territoire):
    from comptes.models import Habilitation
    from tests.cast import creer_utilisateur

    groupe_rh.perimetre = "- la paie ;\n- la formation."
    groupe_rh.save(update_fields=["perimetre"])
    consultante = creer_utilisateur(territoire, "lea-roux", "consultant")
    consultante.first_name, consultante.last_name = "Léa", "Roux"
    consultante.save()
    Habilitation.objects.create(utilisateur=consultante, territoire=territoire, role="consultant", groupe=groupe_rh)
    lettre = do_generer_lettre(groupe_rh, tandem["equipe_projet"])
    assert "précisera :\n- la paie ;\n- la formation.\n" in lettre.texte
    assert "avec le consultant accompagnant du groupe, Léa Roux," in lettre.texte
    assert "paie et gestion administrative" not in lettre.texte


def test_a_group_without_copilots_gets_placeholders_and_cannot_be_sent(cast, territoire):
    groupe = territoire.schemas.get().groupes.get(theme="FIN")
    lettre = do_generer_lettre(groupe, cast["equipe_projet"])
    assert "en tandem : [à désigner] pour les communes, [à désigner] pour Bordeaux Métropole" in lettre.texte
    assert lettre.copilotes_manquants() == ["Co-pilote commune", "Co-pilote EPCI"]
    with pytest.raises(ActionRefusee, match="ne nomme pas de co-pilote commune et co-pilote epci"):
        do_changer_statut(lettre, StatutLettre.ENVOYEE, cast["equipe_projet"])


def test_calendar_comes_from_the_group_meetings(tandem, groupe_rh):
    from seances.models import Seance

    debut = timezone.make_aware(dt.datetime(2026, 7, 3, 9, 30))
    Seance.objects.create(
        groupe=groupe_rh, etape="GT1", debut=debut, fin=debut + dt.timedelta(hours=2), lieu="Hôtel de la métropole"
    )
    annulee = timezone.make_aware(dt.datetime(2026, 8, 1, 9, 0))
    Seance.objects.create(
        groupe=groupe_rh, etape="GT2", debut=annulee, fin=annulee + dt.timedelta(hours=2), statut="annulee"
    )
    lettre = do_generer_lettre(groupe_rh, tandem["equipe_projet"])
    assert (
        "- GT1 – se connaître, partager (liste des activités) : 3 juillet 2026 à 9 h 30, Hôtel de la métropole ;"
        in lettre.texte
    )
    assert "- GT2 : date à fixer, avant le 15 octobre 2026 ;" in lettre.texte
    assert "1er août" not in lettre.texte
    assert "du 1er juillet au 15 octobre" not in lettre.texte


def test_status_transitions_and_frozen_text(lettre_rh, tandem, groupe_rh, territoire):
    equipe = tandem["equipe_projet"]
    modele = modele_par_defaut(groupe_rh.schema)

    with pytest.raises(ActionRefusee, match="ne peut pas passer à « signée »"):
        do_changer_statut(lettre_rh, StatutLettre.SIGNEE, equipe)
    lettre = do_changer_statut(lettre_rh, StatutLettre.ENVOYEE, equipe)
    assert lettre.statut == StatutLettre.ENVOYEE and lettre.envoyee_le is not None

    # A sent letter keeps its text when the template changes, and cannot be generated again.
    modele.corps = "Nouveau texte pour {theme}."
    do_enregistrer_modele(modele, equipe)
    with pytest.raises(ActionRefusee, match="envoyée : elle garde son texte"):
        do_generer_lettre(groupe_rh, equipe)
    lettre.refresh_from_db()
    assert "je vous confie le co-pilotage" in lettre.texte

    lettre = do_changer_statut(lettre, StatutLettre.SIGNEE, equipe)
    assert lettre.statut == StatutLettre.SIGNEE and lettre.signee_le is not None
    assert lettre.transitions() == []
    for statut in (StatutLettre.BROUILLON, StatutLettre.ENVOYEE):
        with pytest.raises(ActionRefusee):
            do_changer_statut(lettre, statut, equipe)
    with pytest.raises(ActionRefusee, match="statut inconnu"):
        do_changer_statut(lettre, "archivee", equipe)
    assert list(
        Evenement.objects.filter(territoire=territoire, action="lettre.statut")
        .order_by("id")
        .values_list("details__apres", flat=True)
    ) == ["envoyee", "signee"]


def test_a_sent_letter_put_back_to_draft_is_generated_again(lettre_rh, tandem, groupe_rh):
    equipe = tandem["equipe_projet"]
    do_changer_statut(lettre_rh, StatutLettre.ENVOYEE, equipe)
    lettre = do_changer_statut(lettre_rh, StatutLettre.BROUILLON, equipe)
    assert lettre.envoyee_le is None
    modele = modele_par_defaut(groupe_rh.schema)
    modele.objet, modele.corps = "Mission {theme}", "Bonjour {copilote_commune}."
    do_enregistrer_modele(modele, equipe)
    lettre = do_generer_lettre(groupe_rh, equipe)
    assert (lettre.objet, lettre.texte) == ("Mission Ressources humaines", "Bonjour Marie Durand (Pessac).")


def test_an_invalid_template_is_refused(tandem, groupe_rh):
    modele = modele_par_defaut(groupe_rh.schema)
    modele.corps = "Bonjour {prenom}"
    with pytest.raises(ActionRefusee, match=r"champ inconnu : \{prenom\}"):
        do_enregistrer_modele(modele, tandem["equipe_projet"])


def test_generate_all_keeps_sent_letters(lettre_rh, tandem, territoire):
    equipe = tandem["equipe_projet"]
    do_changer_statut(lettre_rh, StatutLettre.ENVOYEE, equipe)
    faites, gardees = do_generer_lettres(territoire.schemas.get(), equipe)
    assert len(faites) == 8 and gardees == ["Ressources humaines"]


def test_a_deactivated_copilot_is_not_named(tandem, groupe_rh):
    copilote = tandem["copilote_rh_commune"]
    copilote.is_active = False
    copilote.save(update_fields=["is_active"])
    lettre = do_generer_lettre(groupe_rh, tandem["equipe_projet"])
    assert "Marie Durand" not in lettre.texte
    assert lettre.copilotes_manquants() == ["Co-pilote commune"]
