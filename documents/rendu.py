"""A letter laid out for reading: the page, the PDF (an HTML template and its print stylesheet turned
into PDF by WeasyPrint, STYLE.md point 13) and the office files (documents/bureautique.py)."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from documents import bureautique, lettres
from documents.bureautique import MiseEnPage
from documents.enums import StatutLettre

TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}


def mise_en_page(lettre) -> MiseEnPage:
    groupe = lettre.groupe
    schema = groupe.schema
    destinataires = [
        f"{s['nom']}, {s['qualite'][:1].lower()}{s['qualite'][1:]}"
        + (f" ({s['organisation']})" if s.get("organisation") else "")
        for s in lettre.signatures
        if s.get("role", "").startswith("copilote") and s.get("nom")
    ]
    return MiseEnPage(
        territoire=schema.territoire.nom,
        sous_titre=f"Schéma de mutualisation des services {schema.mandat}",
        date=f"Le {lettres.date_fr(timezone.localtime(lettre.generee_le).date())}",
        destinataires=destinataires,
        objet=lettre.objet,
        blocs=lettres.blocs(lettre.texte),
        signatures=lettre.signatures,
        pied=f"Lettre de mission – groupe de travail {groupe.libelle}",
        brouillon=lettre.statut == StatutLettre.BROUILLON,
    )


def nom_de_fichier(lettre, extension: str) -> str:
    groupe = lettre.groupe
    return f"lettre-de-mission-{groupe.theme.lower()}-{slugify(groupe.schema.territoire.nom)}.{extension}"


def pdf(lettre) -> bytes:
    return pdf_de(mise_en_page(lettre))


def pdf_de(page: MiseEnPage) -> bytes:
    """Any document laid out as a letter (a mandate letter, a comité's relevé de décisions) as PDF."""
    from weasyprint import HTML

    html = render_to_string(
        "documents/lettre_pdf.html",
        {
            "page": page,
            "signatures": [
                {"lignes": bureautique.lignes_signature(s), "qualite": s.get("qualite", "")} for s in page.signatures
            ],
        },
    )
    return HTML(string=html).write_pdf()


def docx(lettre) -> bytes:
    return bureautique.docx(mise_en_page(lettre))


def odt(lettre) -> bytes:
    return bureautique.odt(mise_en_page(lettre))
