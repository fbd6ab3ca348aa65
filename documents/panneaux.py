"""What the group page shows of the group's mandate letter (filled by the documents app)."""


def contexte_groupe(groupe, acces) -> dict:
    """Context for templates/documents/includes/panneau_groupe.html."""
    return {}
