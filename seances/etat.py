"""Where the groups' meetings stand, in French, for the space's home page, the group page and the
meetings list: pure reading, a bounded number of queries whatever the number of meetings."""

from django.urls import reverse
from django.utils import timezone

from commun.formatage import date as date_fr
from seances.enums import Etape
from seances.models import CompteRendu, Seance
from validation.enums import Etat

ETAPES_GT = (Etape.GT1, Etape.GT2, Etape.GT3)


def compte_rendu_charge(seance) -> CompteRendu | None:
    """The minutes of a meeting loaded with select_related("compte_rendu"), or None."""
    try:
        return seance.compte_rendu
    except CompteRendu.DoesNotExist:
        return None


def url_seance(seance, code: str) -> str:
    return reverse("seances:seance", kwargs={"code": code, "theme": seance.groupe.theme, "pk": seance.pk})


def etat_compte_rendu(seance, cr, now) -> str:
    """The minutes' state in a few words (the meetings list's column)."""
    if seance.annulee:
        return "sans objet"
    if cr is None:
        return "à rédiger" if seance.commencee(now) else "après la séance"
    return {
        Etat.BROUILLON: "en rédaction",
        Etat.RENVOYE: "renvoyé avec commentaires",
        Etat.SOUMIS: "soumis aux co-pilotes",
        Etat.VALIDE: f"publié le {date_fr(timezone.localtime(cr.modifie_le))}",
    }[cr.etat]


def etat_seance(seance, cr, now) -> dict:
    """{code, libelle, date} of one meeting and its minutes; `code` names the CSS class (etat-<code>)."""
    jour = timezone.localtime(seance.debut)
    if seance.annulee:
        return {"code": "annulee", "libelle": f"séance du {date_fr(jour)} annulée", "date": seance.debut}
    if not seance.commencee(now):
        return {"code": "planifiee", "libelle": f"planifiée le {date_fr(jour)}", "date": seance.debut}
    if cr is None:
        return {"code": "tenue", "libelle": f"tenue le {date_fr(jour)} – compte rendu à rédiger", "date": seance.debut}
    if cr.etat == Etat.BROUILLON:
        return {
            "code": "redaction",
            "libelle": f"tenue le {date_fr(jour)} – compte rendu en rédaction",
            "date": seance.debut,
        }
    if cr.etat == Etat.RENVOYE:
        return {"code": "redaction", "libelle": "compte rendu renvoyé avec commentaires", "date": cr.modifie_le}
    if cr.etat == Etat.SOUMIS:
        return {"code": "soumis", "libelle": "compte rendu soumis aux co-pilotes", "date": cr.modifie_le}
    return {
        "code": "publie",
        "libelle": f"compte rendu publié le {date_fr(timezone.localtime(cr.modifie_le))}",
        "date": cr.modifie_le,
    }


def etats_par_groupe(schema, now=None) -> dict[tuple[str, str], dict]:
    """{(theme, stage): {code, libelle, date, url}} for GT1, GT2 and GT3 of every group of `schema`.

    A stage's meeting is its latest one not cancelled; without one the stage is « à planifier » (code
    `a_planifier`, no date, no url). Three queries."""
    if schema is None:
        return {}
    now = now or timezone.now()
    code = schema.territoire.code
    groupes = list(schema.groupes.all())
    etats = {
        (g.theme, e): {"code": "a_planifier", "libelle": "à planifier", "date": None, "url": None}
        for g in groupes
        for e in ETAPES_GT
    }
    seances = (
        Seance.objects.actives()
        .filter(groupe__schema=schema, etape__in=ETAPES_GT)
        .select_related("groupe", "compte_rendu")
        .order_by("debut", "pk")
    )
    for seance in seances:  # in date order: the latest meeting of a stage wins
        etats[(seance.groupe.theme, seance.etape)] = {
            **etat_seance(seance, compte_rendu_charge(seance), now),
            "url": url_seance(seance, code),
        }
    return etats
