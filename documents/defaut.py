"""The default mandate letter of a schéma, after the 2014 launch deck of La Cub (docs/domaine.md §2), for the
project team to adapt. Fields between braces are those of documents.lettres.CHAMPS."""

OBJET = "Lettre de mission des co-pilotes du groupe de travail « {theme} »"

CORPS = """\
Madame, Monsieur,

Le renouvellement général des conseils municipaux ouvre l'élaboration du schéma de mutualisation des services de {territoire} et de ses communes membres pour le mandat {mandat}. Ce schéma sera un document d'orientation souple et évolutif, construit dans l'échange avec les communes, qui recense thème par thème les activités concrètes qu'il est intéressant de mutualiser. Il ne définit pas une nouvelle organisation cible et ne détaille pas les modalités juridiques ou de ressources humaines de sa mise en œuvre, qui relèveront d'étapes ultérieures.

Neuf groupes de travail associant les communes et {territoire} préparent ce schéma. Par la présente lettre, je vous confie le co-pilotage du groupe de travail « {theme} », que vous assurerez en tandem : {copilote_commune} pour les communes, {copilote_epci} pour {territoire}.

# Les enjeux

Vos travaux répondent aux grands enjeux de la démarche :
- renforcer l'intégration des services fonctionnels, dont le coefficient de mutualisation est l'indicateur de suivi ;
- maîtriser les dépenses de fonctionnement, optimiser la gestion et rechercher des économies d'échelle ;
- offrir un meilleur service aux habitants ;
- gagner en efficacité dans la mise en œuvre des politiques publiques et des compétences, en évitant les doublons.

# Vos missions

En qualité de co-pilotes, vous :
- garantissez la production du groupe et validez ses comptes rendus ;
- assurez la cohérence des travaux du groupe et de ses éventuels sous-groupes ;
- préparez les propositions du groupe pour le comité de pilotage.

# Le périmètre

Le groupe examine les activités suivantes, que sa première séance complétera et précisera :
{perimetre}

# Les livrables attendus

Le groupe se réunit en trois séances, qui produisent chacune un livrable :
{livrables}

Une trame d'animation, des fiches activités et les modèles de ces livrables vous sont remis pour chaque séance.

# L'accompagnement

{accompagnement}

# Le calendrier

{calendrier}

Les comptes rendus, les livrables et les documents de travail du groupe sont partagés dans l'espace Mutualis de {territoire}, ouvert à l'ensemble des communes membres.

Je sais pouvoir compter sur votre engagement pour conduire ces travaux, dont la qualité fera celle du schéma que nous adopterons ensemble.

Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.
"""
