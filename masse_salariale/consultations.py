"""The audit of reading (docs/confidentialite.md, « Qui a vu quoi »): every request whose page or export
released payroll amounts, as the one reader of amounts recorded them (masse_salariale/confidentialite.py
`registres`), leaves one row: who, when, which page, and the employers whose amounts were shown. The
project team reads every row of its territory, an employer's DGS the rows that showed her employer's
amounts. Rows older than `DUREE` are purged by the daily work."""

from datetime import timedelta

from masse_salariale.confidentialite import registres
from masse_salariale.models import ConsultationPaie

DUREE = timedelta(days=365)


def employeurs_montres(lectures) -> tuple[list[str], int]:
    """The employers whose amounts these readings released, and how many amounts."""
    employeurs: set[str] = set()
    montants = 0
    for lecture in lectures:
        employeurs |= lecture.employeurs
        montants += len(lecture.publies) + sum(1 for v in lecture.derives if v is not None)
    return sorted(employeurs), montants


class JournalDesLectures:
    """Middleware: records the requests that showed payroll amounts to a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with registres() as lectures:
            response = self.get_response(request)
        if lectures and request.user.is_authenticated and response.status_code == 200:
            employeurs, montants = employeurs_montres(lectures)
            if montants:  # one write, no read: the page's cost grows by one query
                ConsultationPaie.objects.create(
                    territoire=lectures[0].tableau.epci,
                    utilisateur=request.user,
                    page=(request.resolver_match.view_name if request.resolver_match else "")[:100],
                    chemin=request.get_full_path()[:500],
                    employeurs=employeurs,
                    montants=montants,
                )
        return response


def visibles(territoire, acces):
    """The rows a reader may see: all of the territory for the project team, those that showed her
    employer's amounts for its DGS, none for anyone else."""
    lignes = ConsultationPaie.objects.filter(territoire=territoire.code).select_related(
        "utilisateur", "utilisateur__organisation"
    )
    if acces.est_equipe_projet:
        return lignes
    if acces.est_dgs and acces.organisation is not None:
        code = acces.organisation.code
        return [c for c in lignes[:2000] if code in c.employeurs]
    return None


def do_purger(maintenant) -> int:
    n, _ = ConsultationPaie.objects.filter(quand__lt=maintenant - DUREE).delete()
    return n
