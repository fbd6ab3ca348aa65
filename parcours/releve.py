"""The relevé de décisions of a comité meeting: its agenda, each decision with its vote and written
outcome, the minutes, and the co-presidents' validation, laid out as the mandate letters are (documents/
rendu.py for the PDF, documents/bureautique.py for DOCX and ODT). Marked « projet » until the minutes are
published."""

from django.utils import timezone
from django.utils.text import slugify

from commun.formatage import date as date_fr
from documents import bureautique, rendu
from documents.bureautique import MiseEnPage
from documents.comptes_rendus import signatures
from documents.lettres import blocs

ROLES = {"copilote_epci": "Co-président pour l'EPCI", "copilote_commune": "Co-président pour les communes"}


def _vote(d) -> str:
    if d.pour is None and d.contre is None and d.abstention is None:
        return ""
    abst = d.abstention or 0
    texte = f" Vote : {d.pour or 0} pour, {d.contre or 0} contre, {abst} abstention{'s' if abst > 1 else ''}"
    return texte + (f", {d.presents} membres présents." if d.presents is not None else ".")


def texte(seance) -> str:
    lignes = []
    presents = list(seance.presents.all()) if seance.presences_saisies_le else []
    if presents:
        lignes += ["# Membres présents", *[f"- {u}" for u in presents], ""]
    lignes.append("# Décisions")
    for p in seance.points.select_related("decision"):
        lignes.append(f"# {p.position}. {p.objet}")
        d = getattr(p, "decision", None)
        if d is None:
            lignes += ["Pas de décision.", ""]
            continue
        lignes.append(f"Décision : {d.get_issue_display().lower()}.{_vote(d)}")
        lignes += ["", d.texte]
        if d.motifs:
            lignes += ["", f"Motifs : {d.motifs}"]
        lignes.append("")
    cr = getattr(seance, "compte_rendu", None)
    if cr is not None and cr.texte.strip():
        lignes += ["# Compte rendu", cr.texte]
    return "\n".join(lignes)


def mise_en_page(seance) -> MiseEnPage:
    comite = seance.comite
    schema = comite.schema
    jour = date_fr(timezone.localtime(seance.debut).date())
    cr = getattr(seance, "compte_rendu", None)
    return MiseEnPage(
        territoire=schema.territoire.nom,
        sous_titre=f"Schéma de mutualisation des services {schema.mandat}",
        date=f"Séance du {jour}" + (f", {seance.lieu}" if seance.lieu else ""),
        destinataires=[],
        objet=f"Relevé de décisions du {str(comite).lower()} du {jour}",
        blocs=blocs(texte(seance)),
        signatures=signatures(cr, ROLES) if cr is not None else [],
        pied=f"Relevé de décisions – {comite} du {jour}",
        brouillon=seance.publie_le is None,
    )


def nom_de_fichier(seance, extension: str) -> str:
    jour = timezone.localtime(seance.debut).date().isoformat()
    territoire = slugify(seance.comite.schema.territoire.nom)
    return f"releve-de-decisions-{seance.comite.instance}-{jour}-{territoire}.{extension}"


FORMATS = {"pdf": rendu.pdf_de, "docx": bureautique.docx, "odt": bureautique.odt}


def texte_synthese(synthese) -> str:
    """A group's synthesis for the comité, in the letters' text conventions. No pay amount: the payroll
    at stake of each line is read in Mutualis, under the confidentiality rule, by each reader."""
    c = synthese.contenu
    lignes = []
    if synthese.texte.strip():
        lignes += ["# Synthèse des co-pilotes", synthese.texte, ""]
    lignes.append("# Liste des activités (GT1)")
    if c.get("gt1"):
        g = c["gt1"]
        manquantes = f" ; sans réponse : {', '.join(g['manquantes'])}" if g["manquantes"] else ""
        lignes.append(
            f"{g['repondu']} commune{'s' if g['repondu'] > 1 else ''} sur {g['communes']} ont répondu{manquantes}."
        )
    else:
        lignes.append("Pas de liste des activités.")
    lignes += ["", "# Grille AFOR (GT2)"]
    for q in c.get("afor", []):
        lignes.append(f"{q['quadrant']} : {q['nombre']} point{'s' if q['nombre'] > 1 else ''}.")
        lignes += [f"- {t}" for t in q["points"]]
        lignes.append("")
    lignes.append("# Activités mutualisables (GT3)")
    for x in c.get("gt3", []):
        details = "; ".join(
            filter(
                None,
                [
                    x["modalite"],
                    x["communes"],
                    f"qualification {x['qualification']}" if x["qualification"] is not None else "",
                    f"faisabilité {x['faisabilite']}" if x["faisabilite"] else "",
                    f"{x['notes']} note{'s' if x['notes'] > 1 else ''}",
                ],
            )
        )
        lignes.append(
            f"- {x['activite']} : {details}" + (f". Préconisation : {x['preconisation']}" if x["preconisation"] else "")
        )
    if not c.get("gt3"):
        lignes.append("Aucune ligne.")
    lignes += ["", "La masse salariale en jeu de chaque ligne se lit dans Mutualis, selon les droits de chacun."]
    return "\n".join(lignes)


def mise_en_page_synthese(synthese) -> MiseEnPage:
    groupe = synthese.groupe
    schema = groupe.schema
    if synthese.seance is not None:
        jour = date_fr(timezone.localtime(synthese.seance.debut).date())
        quand = f"Remise au {str(synthese.seance.comite).lower()} du {jour}"
    else:
        quand = f"Synthèse de travail au {date_fr(timezone.localdate())}"
    return MiseEnPage(
        territoire=schema.territoire.nom,
        sous_titre=f"Schéma de mutualisation des services {schema.mandat}",
        date=quand,
        destinataires=[],
        objet=f"Synthèse du groupe de travail {groupe.libelle} pour le comité de pilotage",
        blocs=blocs(texte_synthese(synthese)),
        pied=f"Synthèse du groupe {groupe.libelle}",
        brouillon=synthese.seance is None,
    )


def nom_synthese(synthese, extension: str) -> str:
    suffixe = f"-{timezone.localtime(synthese.seance.debut).date().isoformat()}" if synthese.seance else ""
    territoire = slugify(synthese.groupe.schema.territoire.nom)
    return f"synthese-{synthese.groupe.theme.lower()}{suffixe}-{territoire}.{extension}"
