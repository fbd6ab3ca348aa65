from django.db import transaction

from referentiel.models import Activite, SousActivite


@transaction.atomic
def do_copier_referentiel_defaut(territoire) -> int:
    """Give the territory its own editable copy of the default referential. Returns the number of activities."""
    from referentiel.defaut import DEFAULT_REFERENTIAL

    activites = Activite.objects.bulk_create(
        Activite(territoire=territoire, theme=a.theme, code=a.code, libelle=a.libelle, description=a.description,
                 reserve_cdg=a.reserve_cdg, ordre=i)
        for i, a in enumerate(DEFAULT_REFERENTIAL)
    )
    SousActivite.objects.bulk_create(
        SousActivite(activite=activite, code=s.code, libelle=s.libelle, reserve_cdg=s.reserve_cdg, ordre=j)
        for activite, source in zip(activites, DEFAULT_REFERENTIAL, strict=True)
        for j, s in enumerate(source.sous_activites)
    )
    return len(activites)
