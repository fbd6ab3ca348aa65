"""How the space's « dernière activité » words the legal path's audit rows (espace/activite.py merges them)."""

from parcours.enums import EtatVersion

PHRASES = {
    "parcours.version": "a figé une version du schéma",
    "parcours.envoi": "a enregistré l'envoi du projet de schéma aux communes",
    "parcours.reception": "a enregistré la réception du projet par une commune",
    "parcours.avis": "a enregistré l'avis d'un conseil municipal",
    "parcours.repute": "a noté un avis réputé favorable",
    "parcours.rappel": "a envoyé un rappel d'échéance",
    "parcours.approbation": "a enregistré l'approbation du schéma par le conseil communautaire",
    "parcours.transmission": "a enregistré la transmission du schéma approuvé aux communes",
    "parcours.calendrier": "a modifié le calendrier de la démarche",
    "parcours.instance": "a enregistré une séance d'une instance",
    "parcours.synthese": "a modifié la synthèse d'un groupe pour le comité",
    "parcours.convocation": "a convoqué le comité",
    "parcours.presences": "a saisi les présences d'une séance du comité",
    "parcours.membres": "a changé les membres d'un comité",
    "parcours.seance_comite": "a planifié une séance du comité",
    "parcours.point": "a ajouté un point à l'ordre du jour du comité",
    "parcours.decision": "a enregistré une décision du comité",
    "parcours.publication": "a publié le compte rendu d'une séance du comité",
    "parcours.copresidents": "a désigné les co-présidents d'un comité",
    "parcours.compte_rendu": "a rédigé le compte rendu d'une séance du comité",
    "parcours.soumission": "a soumis le compte rendu d'une séance du comité aux co-présidents",
    "parcours.renvoi": "a renvoyé le compte rendu d'une séance du comité",
}

# The rows of a status change carry the codes `avant` and `apres`, worded with these labels.
ETATS = {"parcours.envoi": EtatVersion, "parcours.approbation": EtatVersion}
