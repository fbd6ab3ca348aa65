"""Where the process stands (the cockpit): the phases with their dates, the current phase and the next
gate, from the schéma's state (its versions, the consultation, the approval) and its calendar. The schéma's
status changes only through the steps of parcours/actions.py."""

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from commun.formatage import date as date_fr
from parcours import consultation
from parcours.enums import Instance
from parcours.models import SeanceInstance
from territoire.calendrier import calendrier
from territoire.enums import Phase


@dataclass
class Etape:
    phase: str
    libelle: str
    debut: dt.date
    fin: dt.date
    courante: bool = False
    faite: bool = False
    en_retard: bool = False  # the current phase past its planned end


@dataclass
class Demarche:
    etapes: list[Etape]
    courante: Etape
    prochaine: str  # the next gate, in words
    lien: str  # where it is passed


def _phase_courante(schema, toutes, envoyee, approuvee, avis) -> str:
    """The phase the schéma is in, from what was done (never from the dates alone): approved, in
    consultation (or awaiting approval once every commune has an opinion), a version frozen (comité, then
    Bureau once a Bureau sitting is recorded), else the working groups."""
    if approuvee is not None:
        return Phase.SUIVI
    if envoyee is not None:
        return Phase.APPROBATION if avis and not consultation.manquants(avis) else Phase.CONSULTATION
    if toutes:
        bureau = SeanceInstance.objects.filter(schema=schema, instance=Instance.BUREAU).exists()
        return Phase.BUREAU if bureau else Phase.COMITE
    return Phase.GROUPES


def demarche(schema, aujourdhui: dt.date) -> Demarche:
    etapes_db = calendrier(schema)
    toutes = consultation.versions_du_schema(schema)
    envoyee = consultation.en_consultation(toutes)
    approuvee = consultation.approuvee(toutes)
    avis = consultation.avis_des_communes(schema, envoyee, aujourdhui) if envoyee else []
    code = _phase_courante(schema, toutes, envoyee, approuvee, avis)
    ordre = [e.phase for e in etapes_db]
    etapes = [
        Etape(e.phase, e.get_phase_display(), e.debut, e.fin, e.phase == code, ordre.index(e.phase) < ordre.index(code))
        for e in etapes_db
    ]
    courante = next(e for e in etapes if e.courante)
    courante.en_retard = aujourdhui > courante.fin
    t = schema.territoire.code
    prevue = {e.phase: e for e in etapes}
    if approuvee is not None:
        prochaine = (
            "Rapport annuel sur l'avancement du schéma, au débat d'orientation budgétaire "
            f"(à partir du {date_fr(prevue[Phase.SUIVI].debut)})"
        )
        lien = reverse("parcours:approbation", kwargs={"code": t})
    elif envoyee is not None:
        manque = consultation.manquants(avis)
        if manque:
            echeances = [a.etat.echeance.echeance for a in avis if a.etat.echeance]
            fin = f" ; dernière échéance le {date_fr(max(echeances))}" if echeances else ""
            attendus = "attendus" if len(manque) > 1 else "attendu"
            prochaine = f"Avis des conseils municipaux : {len(manque)} sur {len(avis)} {attendus}{fin}"
            lien = reverse("parcours:consultation", kwargs={"code": t})
        else:
            prochaine = "Approbation du schéma par le conseil communautaire : toutes les communes ont un avis"
            lien = reverse("parcours:approbation", kwargs={"code": t})
    elif toutes:
        prochaine = (
            f"Transmission du projet de schéma aux communes (prévue le {date_fr(prevue[Phase.CONSULTATION].debut)})"
        )
        lien = reverse("parcours:consultation", kwargs={"code": t})
    else:
        prochaine = (
            f"Figer une version du schéma pour le comité de pilotage (prévu le {date_fr(prevue[Phase.COMITE].debut)})"
        )
        lien = reverse("parcours:versions", kwargs={"code": t})
    return Demarche(etapes, courante, prochaine, lien)
