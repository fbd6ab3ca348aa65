"""Rows of the follow-up of the approved schéma: every member reads it and downloads the yearly reports;
the project team updates items, records the year and prepares the reports (the person responsible for an
item updates it too: tests/suivi) (docs/permissions.md, « Suivi du schéma »)."""

from tests.permissions.commun import members, team_only

MATRIX = {
    ("suivi:tableau", "get"): members(200),
    ("suivi:tableau", "post"): team_only(400),
    ("suivi:element", "get"): members(200),
    ("suivi:element", "post"): team_only(400),
    ("suivi:convention", "get"): members(200),
    ("suivi:rapports", "get"): members(200),
    ("suivi:rapports", "post"): team_only(400),
    ("suivi:rapport", "get"): members(200),
    ("suivi:rapport", "post"): team_only(400),
    ("suivi:section", "get"): members(200),
    ("suivi:telecharger", "get"): members(200),
    ("suivi:etat", "get"): members(200),
}


def cas(cast, territoire) -> dict[str, dict]:
    """The version of matrice_parcours approved (set directly: the approval is tested in tests/parcours),
    its items, a convention with its PDF, the 2027 report with a stored PDF."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from parcours.models import Deliberation, VersionSchema
    from suivi import actions, elements
    from suivi.models import Convention, DocumentRapport

    version = VersionSchema.objects.filter(schema__territoire=territoire).order_by("numero").first()
    VersionSchema.objects.filter(pk=version.pk).update(etat="approuve", approuvee_le=dt.date(2026, 4, 10))
    version.refresh_from_db()
    Deliberation.objects.create(
        version=version,
        organisation=territoire.epci,
        approbation=True,
        issue="",
        date=dt.date(2026, 4, 10),
        numero="2026-101",
        objet="Approbation du schéma",
    )
    element = elements.synchroniser(version.schema, version)[0]
    convention = Convention.objects.create(
        element=element,
        genre="service_commun",
        objet="Service commun",
        signee_le=dt.date(2026, 5, 1),
        debut=dt.date(2026, 6, 1),
    )
    convention.fichier.save("convention.pdf", ContentFile(b"%PDF-1.4 convention"), save=True)
    rapport = actions.do_creer_rapport(version.schema, 2027, "dob", dt.date(2027, 2, 15), cast["equipe_projet"])
    document = DocumentRapport(rapport=rapport, format="pdf", statut="pret", parametres="x", empreinte="0" * 64)
    document.fichier.save("rapport.pdf", ContentFile(b"%PDF-1.4 rapport"), save=True)
    return {
        "suivi:element": {"pk": element.pk},
        "suivi:convention": {"pk": convention.pk},
        "suivi:rapport": {"annee": 2027},
        "suivi:section": {"annee": 2027, "format": "docx"},
        "suivi:telecharger": {"pk": document.pk},
        "suivi:etat": {"pk": document.pk},
    }
