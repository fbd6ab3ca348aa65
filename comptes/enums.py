from django.db import models


class Role(models.TextChoices):
    EQUIPE_PROJET = "equipe_projet", "Équipe projet"
    DGS = "dgs", "Directeur ou directrice générale des services"
    REFERENT_PAIE = "referent_paie", "Référent paie (voit tous les montants de paie de son employeur)"
    COPILOTE_COMMUNE = "copilote_commune", "Co-pilote commune"
    COPILOTE_EPCI = "copilote_epci", "Co-pilote EPCI"
    CONSULTANT = "consultant", "Consultant accompagnant"
    MEMBRE = "membre", "Membre d'un groupe de travail"
    ELU = "elu", "Élu du comité de pilotage"
    OBSERVATEUR = "observateur", "Observateur"


# Roles that are held in a working group rather than in the whole territory.
ROLES_DE_GROUPE = {Role.COPILOTE_COMMUNE, Role.COPILOTE_EPCI, Role.MEMBRE}

# The roles of the invitation form: held in the whole territory, then one per working group. A consultant
# holds the territory role (she accompanies the process) and may accompany one or more groups.
ROLES_TERRITOIRE = (Role.EQUIPE_PROJET, Role.DGS, Role.REFERENT_PAIE, Role.CONSULTANT, Role.ELU, Role.OBSERVATEUR)
ROLES_DANS_GROUPE = {
    Role.MEMBRE: "Membre",
    Role.COPILOTE_COMMUNE: "Co-pilote commune",
    Role.COPILOTE_EPCI: "Co-pilote EPCI",
    Role.CONSULTANT: "Consultant accompagnant",
}
# The cells of the répartition des thématiques: one person each per group.
ROLES_REPARTITION = (Role.COPILOTE_COMMUNE, Role.COPILOTE_EPCI, Role.CONSULTANT)
# Short labels for lists (the checkboxes use the full ones).
ROLES_COURTS = {
    Role.DGS: "DGS",
    Role.REFERENT_PAIE: "Référent paie",
    Role.CONSULTANT: "Consultant",
    Role.ELU: "Élu (comité de pilotage)",
}


def role_dans_groupe(role: str) -> str:
    """« co-pilote EPCI », inside a sentence."""
    libelle = ROLES_DANS_GROUPE.get(role, Role(role).label)
    return libelle[0].lower() + libelle[1:]


def libelle_role(role: str, groupe=None) -> str:
    if groupe is not None:
        return f"{ROLES_DANS_GROUPE.get(role, Role(role).label)} – {groupe.libelle}"
    return ROLES_COURTS.get(role, Role(role).label)
