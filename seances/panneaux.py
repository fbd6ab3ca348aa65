"""What the group page shows of the group's meetings (filled by the seances app)."""


def contexte_groupe(groupe, acces, now) -> dict:
    """Context for templates/seances/includes/panneau_groupe.html."""
    return {}
