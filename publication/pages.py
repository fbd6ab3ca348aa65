"""What every page of generated documents shares (the schéma's, publication/views.py; the yearly reports',
suivi/views.py): the latest request of each format, the stored file served with its checksum, the
progress read by static/js/progression.js. The list itself is templates/publication/_documents.html."""

from django.http import FileResponse, Http404, JsonResponse

from publication.enums import TYPES, StatutGeneration


def derniers(documents) -> dict:
    """The latest request of each format (the page shows its state)."""
    out = {}
    for d in documents.order_by("-demande_le", "-pk"):
        out.setdefault(d.format, d)
    return out


def fichier(d) -> FileResponse:
    """A ready document's stored file, its SHA-256 in a header; 404 while it is not ready."""
    if d.statut != StatutGeneration.PRET or not d.fichier:
        raise Http404("Ce document n'est pas prêt.")
    nom = d.fichier.name.rsplit("/", 1)[-1]
    reponse = FileResponse(d.fichier.open("rb"), as_attachment=True, filename=nom, content_type=TYPES[d.format])
    reponse["X-Checksum-SHA256"] = d.empreinte
    return reponse


def etat(d, lien: str) -> JsonResponse:
    """A request's progress; `lien`: where its file is downloaded once ready."""
    return JsonResponse(
        {
            "statut": d.statut,
            "libelle": d.get_statut_display(),
            "progression": d.progression,
            "etape": d.etape,
            "erreur": d.erreur,
            "lien": lien if d.statut == StatutGeneration.PRET else "",
        },
        headers={"Cache-Control": "no-store"},
    )
