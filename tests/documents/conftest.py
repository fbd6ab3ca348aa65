import pytest


@pytest.fixture
def tandem(cast):
    """The RH co-pilots with real names (the cast's users have only logins)."""
    noms = {
        "copilote_rh_commune": ("Marie", "Durand"),
        "copilote_rh_epci": ("Karim", "Benali"),
        "equipe_projet": ("Claire", "Fontaine"),
    }
    for cle, (prenom, nom) in noms.items():
        user = cast[cle]
        user.first_name, user.last_name = prenom, nom
        user.save(update_fields=["first_name", "last_name"])
    return cast


@pytest.fixture
def groupe_rh(territoire):
    return territoire.schemas.get().groupes.get(theme="RH")


@pytest.fixture
def lettre_rh(tandem, groupe_rh):
    from documents.actions import do_generer_lettre

    return do_generer_lettre(groupe_rh, tandem["equipe_projet"])
