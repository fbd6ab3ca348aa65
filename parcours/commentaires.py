"""A version of the schéma can be discussed (echanges.cibles): élus and members comment on it in its
thread, on the version's page."""

from django.urls import reverse

from echanges.cibles import Type, inscrire
from parcours.models import VersionSchema


def inscrire_cibles() -> None:
    inscrire(
        Type(
            "version-schema",
            "parcours.versionschema",
            "version du schéma",
            queryset=lambda territoire: VersionSchema.objects.filter(schema__territoire=territoire),
            groupe=lambda version, groupe: None,
            url=lambda version, code, groupe: reverse(
                "parcours:version", kwargs={"code": code, "numero": version.numero}
            ),
        )
    )
