"""Security headers (issue « production grade », point 6): a Content-Security-Policy without 'unsafe-inline'
that the pages can keep (no template carries an inline script, style element or style attribute), and
`Cache-Control: private, no-store` on every page and export of a signed-in user (the sign-in page has it from
Django already)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.cast import MERIGNAC

pytestmark = pytest.mark.django_db

# Templates rendered to PDF by WeasyPrint only, never served to a browser: their style is inline by design.
POUR_PDF = {"publication/schema_pdf.html", "documents/lettre_pdf.html"}


def test_no_served_template_has_inline_script_or_style():
    racine = Path(settings.BASE_DIR) / "templates"
    fautes = []
    for chemin in sorted(racine.rglob("*.html")):
        nom = chemin.relative_to(racine).as_posix()
        if nom in POUR_PDF:
            continue
        texte = chemin.read_text(encoding="utf-8")
        for motif in (r"\sstyle=", r"<style", r"<script(?![^>]*\ssrc=)", r"\son[a-z]+=", r"javascript:"):
            fautes += [f"{nom} : {m.group(0).strip()}" for m in re.finditer(motif, texte)]
    assert fautes == []


def test_every_page_carries_a_strict_csp_and_a_signed_in_page_is_never_stored(client, connecte, cast, territoire):
    publique = client.get(reverse("comptes:login"))
    csp = publique["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert publique["X-Content-Type-Options"] == "nosniff" and publique["Cross-Origin-Opener-Policy"] == "same-origin"
    dgs = connecte(cast["dgs_merignac"])
    for url in (
        reverse("masse_salariale:coefficient", kwargs={"code": territoire.code}),
        reverse("masse_salariale:regles_export", kwargs={"code": territoire.code, "employeur": MERIGNAC})
        + "?format=csv",
        reverse("espace:accueil", kwargs={"code": territoire.code}),
    ):
        reponse = dgs.get(url)
        assert reponse.status_code == 200, url
        controle = {d.strip() for d in reponse["Cache-Control"].split(",")}
        assert {"private", "no-store", "no-cache"} <= controle, url
        assert "unsafe-inline" not in reponse["Content-Security-Policy"]


def test_the_layout_preview_takes_its_colours_from_a_style_sheet(connecte, cast, territoire):
    equipe = connecte(cast["equipe_projet"])
    url = reverse("publication:apercu_css", kwargs={"code": territoire.code})
    reponse = equipe.get(url, {"couleur": "#0b5d6b", "secondaire": "#eef5f6"})
    assert reponse["Content-Type"].startswith("text/css")
    assert ".apercu-encadre { border-left-color: #0b5d6b; background: #eef5f6; }" in reponse.content.decode()
    assert equipe.get(url, {"couleur": "red;}body{display:none", "secondaire": "#eef5f6"}).status_code == 404
