from django.db import models


class Role(models.TextChoices):
    EQUIPE_PROJET = "equipe_projet", "Équipe projet"
    DGS = "dgs", "Directeur ou directrice générale des services"
    COPILOTE_COMMUNE = "copilote_commune", "Co-pilote commune"
    COPILOTE_EPCI = "copilote_epci", "Co-pilote EPCI"
    CONSULTANT = "consultant", "Consultant accompagnant"
    MEMBRE = "membre", "Membre d'un groupe de travail"
    ELU = "elu", "Élu du comité de pilotage"
    OBSERVATEUR = "observateur", "Observateur"


# Roles that are held in a working group rather than in the whole territory.
ROLES_DE_GROUPE = {Role.COPILOTE_COMMUNE, Role.COPILOTE_EPCI, Role.MEMBRE}
