"""The priority matrix of the schéma, under /t/<code>/decision/matrice/: every GT3 line of the current
schéma's working groups on qualification × faisabilité (the groups' consensus), sized by the payroll at
stake, coloured and labelled by theme, with an accessible table of the same data.

Every member of the territory reads it (as the GT3 lists); the payroll at stake comes from the GT3 pages'
own function (livrables.gt3.enjeux.masse_de_ligne), so the same secrecy applies. A fixed number
of queries whatever the number of lines: territory, habilitations, schéma, groups, lines, their communes,
member communes, the three payroll reads."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import reverse

from commun.formatage import euros
from commun.forms import Formulaire
from commun.tri import trie_par_nom
from comptes.perms import get_territoire_ou_404
from engine.themes import THEME_BY_CODE, THEME_CODES
from livrables.enums import TypeLivrable
from livrables.gt3.enjeux import PORTEE_MASSE_EN_JEU, enjeux, masse_de_ligne, paie_en_jeu
from livrables.models import LigneMutualisable
from scenarios import matrice as geo

TOUTES = ""


class FiltreForm(Formulaire):
    theme = forms.ChoiceField(label="Thème", required=False)
    commune = forms.ChoiceField(label="Commune concernée", required=False)

    def __init__(self, data, themes, communes):
        super().__init__(data)
        self.fields["theme"].choices = [(TOUTES, "Tous les thèmes")] + [(t, THEME_BY_CODE[t].label) for t in themes]
        self.fields["commune"].choices = [(TOUTES, "Toutes les communes")] + [(c.code, c.nom) for c in communes]


def _raison(ligne) -> str:
    if ligne.qualification is None and not ligne.faisabilite:
        return "ni qualification ni faisabilité retenues par le groupe"
    if ligne.qualification is None:
        return "pas de qualification retenue par le groupe"
    return "pas de faisabilité retenue par le groupe"


def _rangee(acces, table, ligne, groupe, communes_membres, codes_membres) -> dict:
    theme = THEME_BY_CODE[groupe.theme]
    if ligne.toutes_communes:
        communes = f"toutes les communes ({len(communes_membres)})"
    else:
        communes = ", ".join(c.nom for c in trie_par_nom(ligne.communes.all())) or "aucune"
    masse = masse_de_ligne(table, ligne, codes_membres)
    return {
        "ligne": ligne,
        "theme": theme,
        "couleur": geo.COULEURS.get(theme.code, geo.COULEUR_AUTRE),
        "communes": communes,
        "masse": masse,
        "url": reverse(
            "livrables:gt3_ligne", kwargs={"code": acces.territoire.code, "theme": groupe.theme, "pk": ligne.pk}
        ),
        "place": ligne.qualification is not None and bool(ligne.faisabilite),
    }


def _secret(masse: dict) -> bool:
    return masse.get("secret", False)


def _montant(masse: dict) -> float | None:
    """The bubble's amount: the released one (rounded to the euro), none when hidden or empty."""
    return None if masse["vide"] else masse["montant"].affiche


def _concerne(ligne, commune: str) -> bool:
    return ligne.toutes_communes or any(c.code == commune for c in ligne.communes.all())


def _bulles(rangees) -> tuple[geo.Geometrie, list[dict], dict]:
    """Place the lines with both consensus values; returns the frame, the bubbles (largest first, so
    that smaller ones are drawn over them) and the size legend."""
    placees = [r for r in rangees if r["place"]]
    points = [
        geo.Point(
            cle=r["ligne"].pk,
            qualification=r["ligne"].qualification,
            faisabilite=r["ligne"].faisabilite,
            montant=_montant(r["masse"]),
            secret=_secret(r["masse"]),
        )
        for r in placees
    ]
    geometrie, disques, reduction = geo.disposer(points)
    bulles = []
    for r in placees:
        d = disques[r["ligne"].pk]
        r["disque"] = d
        bulles.append(
            {
                **r,
                "cx": f"{d.cx:.1f}",
                "cy": f"{d.cy:.1f}",
                "r": f"{d.r:.1f}",
                "ty": f"{d.cy + geo.taille_de_texte(d.r) * 0.35:.1f}",
                "taille_texte": f"{geo.taille_de_texte(d.r):.1f}",
                "rayon": d.r,
            }
        )
    bulles.sort(key=lambda b: (-b["rayon"], b["ligne"].pk))
    plus_grand = max((p.montant for p in points if p.montant and not p.secret), default=0.0)

    def cercle(rayon, **autres):
        return {"r": f"{rayon:.1f}", "d": f"{2 * rayon + 4:.0f}", "c": f"{rayon + 2:.1f}", **autres}

    legende = {
        "references": [cercle(rr, montant=euros(m)) for m, rr in geo.references(plus_grand, reduction)],
        "secret": cercle(geo.rayon_neutre(reduction)),
        "minimum": cercle(geo.R_MIN),
    }
    return geometrie, bulles, legende


def _cadre(g: geo.Geometrie) -> dict:
    """Grid lines, ticks and axis titles of the chart, in SVG coordinates (as strings: no localisation)."""
    bas = g.bas_du_trace
    colonnes = [
        {
            "x": f"{g.cellule(q, '0')[0]:.1f}",
            "milieu": f"{(g.cellule(q, '0')[0] + g.cellule(q, '0')[2]) / 2:.1f}",
            "libelle": str(q),
        }
        for q in geo.QUALIFICATIONS
    ]
    rangs = [
        {
            "y": f"{g.cellule(1, f)[1]:.1f}",
            "milieu": f"{(g.cellule(1, f)[1] + g.cellule(1, f)[3]) / 2 + 5:.1f}",
            "libelle": f,
        }
        for f in geo.FAISABILITES
    ]
    x3 = g.cellule(3, "3")[0]
    y_haut = g.cellule(3, "4+")[1]
    return {
        "largeur": f"{g.largeur:.0f}",
        "hauteur": f"{g.hauteur:.0f}",
        "gauche": f"{g.marge_gauche:.1f}",
        "droite": f"{g.largeur - g.marge_droite:.1f}",
        "haut": f"{g.marge_haut:.1f}",
        "bas": f"{bas:.1f}",
        "colonnes": colonnes,
        "rangs": rangs,
        "x_titre": f"{g.marge_gauche + (g.largeur - g.marge_gauche - g.marge_droite) / 2:.1f}",
        "y_titre_x": f"{bas + 48:.1f}",
        "y_graduation_x": f"{bas + 22:.1f}",
        "y_titre": f"{g.marge_haut + (bas - g.marge_haut) / 2:.1f}",
        # the top-right block (qualification ≥ 3, faisabilité ≥ 3): where to start
        "priorite": {
            "x": f"{x3:.1f}",
            "y": f"{y_haut:.1f}",
            "l": f"{g.largeur - g.marge_droite - x3:.1f}",
            "h": f"{g.cellule(3, '3')[3] - y_haut:.1f}",
            "tx": f"{g.largeur - g.marge_droite - 6:.1f}",
            "ty": f"{y_haut + 14:.1f}",
        },
    }


def _ordre(r):
    ligne = r["ligne"]
    faisabilite = geo.FAISABILITES.index(ligne.faisabilite) if ligne.faisabilite else -1
    return (
        -(ligne.qualification or 0),
        -faisabilite,
        THEME_CODES.index(r["theme"].code),
        ligne.activite.ordre,
        ligne.pk,
    )


@login_required
def matrice(request, code):
    territoire, acces = get_territoire_ou_404(request.user, code)
    # a reading page; the method is checked after the territory, so that an outsider always gets a 404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    schema = territoire.schemas.order_by("-mandat").first()
    groupes = {g.pk: g for g in schema.groupes.all()} if schema else {}
    communes_membres = trie_par_nom(territoire.organisations.communes().filter(membre=True))
    codes_membres = sorted(c.code for c in communes_membres)
    themes = sorted({g.theme for g in groupes.values()}, key=THEME_CODES.index)

    form = FiltreForm(request.GET or None, themes, communes_membres)
    filtre = form.cleaned_data if form.is_bound and form.is_valid() else {}
    theme, commune = filtre.get("theme") or TOUTES, filtre.get("commune") or TOUTES

    lignes = (
        LigneMutualisable.objects.filter(livrable__groupe__in=list(groupes), livrable__type=TypeLivrable.MUTUALISABLES)
        .select_related("activite", "livrable")
        .prefetch_related("communes")
    )
    if theme:
        lignes = lignes.filter(livrable__groupe__theme=theme)
    paie = paie_en_jeu(territoire)  # the latest complete year, as the scenarios
    table = enjeux(territoire, acces, paie)
    rangees = [
        _rangee(acces, table, l, groupes[l.livrable.groupe_id], communes_membres, codes_membres)
        for l in lignes
        if not commune or _concerne(l, commune)
    ]
    rangees.sort(key=_ordre)
    geometrie, bulles, legende = _bulles(rangees)

    presents = {r["theme"].code for r in rangees}
    return render(
        request,
        "scenarios/matrice.html",
        {
            "territoire": territoire,
            "acces": acces,
            "schema": schema,
            "form": form,
            "filtre_actif": bool(theme or commune),
            "placees": [r for r in rangees if r["place"]],
            "non_placees": [{**r, "raison": _raison(r["ligne"])} for r in rangees if not r["place"]],
            "bulles": bulles,
            "geometrie": geometrie,
            "cadre": _cadre(geometrie),
            "legende_tailles": legende,
            "legende_themes": [
                {"theme": THEME_BY_CODE[t], "couleur": geo.COULEURS.get(t, geo.COULEUR_AUTRE)}
                for t in themes
                if t in presents
            ],
            "nb_secrets": sum(1 for r in rangees if r["place"] and _secret(r["masse"])),
            "paie_vide": table.vide,
            "paie": paie,
            "portee_paie": PORTEE_MASSE_EN_JEU,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
