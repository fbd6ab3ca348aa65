"""The schéma document as PDF (docs/publication.md): the document value (publication/blocs.py) rendered by
an HTML template and its print stylesheet, then laid out by WeasyPrint (running header with the chapter,
page numbers, a table of contents whose page numbers WeasyPrint resolves, tables whose header repeats on
each page, the chart as vectors)."""

import base64
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from publication.blocs import Document

CSS = Path(settings.BASE_DIR) / "templates" / "publication" / "schema_pdf.css"


def html(doc: Document) -> str:
    logo = ""
    if doc.couverture.logo:
        logo = f"data:{doc.couverture.logo_type};base64,{base64.b64encode(doc.couverture.logo).decode()}"
    return render_to_string(
        "publication/schema_pdf.html", {"doc": doc, "css": CSS.read_text(encoding="utf-8"), "logo": logo}
    )


def pdf(doc: Document) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML

    rendu = HTML(string=html(doc)).render()
    return rendu.write_pdf(), len(rendu.pages)
