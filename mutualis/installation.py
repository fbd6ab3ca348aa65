"""A territory as Mutualis sets it up, across the layers (docs/architecture.md): the territory and its
organisations and schéma (territoire), then, for a new territory, the nine working groups of its schéma
(groupes) and its copy of the default referential (referentiel). Each layer's action stays in its app;
this is the one place that calls them together, from the top."""

from django.db import transaction

from groupes.actions import do_creer_groupes
from referentiel.actions import do_copier_referentiel_defaut
from territoire.actions import DescriptionTerritoire, do_creer_ou_mettre_a_jour
from territoire.calendrier import calendrier
from territoire.models import DEFAULT_MANDAT


@transaction.atomic
def do_installer_territoire(desc: DescriptionTerritoire, utilisateur=None):
    """Create or update the territory; a new one gets its working groups, its calendar and referential. Returns
    (territory, created, warnings) as territoire.actions.do_creer_ou_mettre_a_jour does."""
    territoire, created, warnings = do_creer_ou_mettre_a_jour(desc, utilisateur)
    if created:
        schema = territoire.schemas.get(mandat=DEFAULT_MANDAT)
        do_creer_groupes(schema)
        calendrier(schema)  # the phases, from the source document's calendar shifted to the mandate
        do_copier_referentiel_defaut(territoire)
    return territoire, created, warnings
