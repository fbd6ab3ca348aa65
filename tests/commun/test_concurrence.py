"""No lost update, on every form that edits shared text (commun/concurrence.py): two people open the same
page; the second to save gets 409, with the first one's text shown above her form and her own still in it;
saving again puts hers in place; a form without its fingerprint writes nothing."""

import datetime as dt
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cast import BORDEAUX
from tests.concurrence import EMPREINTE, empreintes

pytestmark = pytest.mark.django_db


@dataclass
class Cas:
    nom: str
    role: str
    preparer: Callable  # (territoire, cast) -> context
    url: Callable  # context -> the page's URL (GET shows the form, POST saves it)
    donnees: Callable  # (context, text) -> the POST of a save writing `text`
    lu: Callable  # context -> the stored text


def _schema(territoire):
    return territoire.schemas.get()


def _groupe(territoire):
    return _schema(territoire).groupes.get(theme="RH")


# --- the group minutes ----------------------------------------------------------------------------------


def _seance_tenue(territoire, cast):
    from seances.actions import do_planifier_seance

    debut = timezone.localtime().replace(hour=9, minute=30, second=0, microsecond=0) - dt.timedelta(days=1)
    valeurs = {
        "etape": "GT1",
        "titre": "",
        "debut": debut,
        "fin": debut + dt.timedelta(hours=2),
        "lieu": "Salle 1",
        "lien_visio": "",
        "ordre_du_jour": "1. Tour de table",
    }
    return {"seance": do_planifier_seance(_groupe(territoire), cast["equipe_projet"], valeurs), "t": territoire}


def _url_cr(ctx):
    s = ctx["seance"]
    return reverse("seances:compte_rendu", kwargs={"code": ctx["t"].code, "theme": "RH", "pk": s.pk})


def _lu_cr(ctx):
    from seances.models import CompteRendu

    return CompteRendu.objects.get(seance=ctx["seance"]).texte


# --- the comité's minutes and decisions -------------------------------------------------------------------


def _comite(territoire, cast):
    from parcours import comite

    c = comite.comite(_schema(territoire), "copil")
    seance = comite.do_creer_seance(
        c, timezone.now() - dt.timedelta(hours=2), "Salle du conseil", cast["equipe_projet"]
    )
    point = comite.do_ajouter_point(seance, {"objet": "Arbitrages RH"}, cast["equipe_projet"])
    return {"seance": seance, "point": point, "t": territoire}


def _url_comite(ctx):
    kwargs = {"code": ctx["t"].code, "instance": "copil", "pk": ctx["seance"].pk}
    return reverse("parcours:seance_comite", kwargs=kwargs)


def _decision(ctx, texte):
    d = f"d{ctx['point'].pk}"
    return {"decision": ctx["point"].pk, f"{d}-issue": "retenue", f"{d}-texte": texte, f"{d}-pour": "3"}


def _lu_decision(ctx):
    from parcours.models import Decision

    return Decision.objects.get(point=ctx["point"]).texte


def _lu_cr_comite(ctx):
    from parcours.models import CompteRenduComite

    return CompteRenduComite.objects.get(seance=ctx["seance"]).texte


# --- GT1, GT2 ---------------------------------------------------------------------------------------------


def _gt1(territoire, cast):
    from referentiel.models import Activite

    activites = list(Activite.objects.filter(territoire=territoire, theme="RH").order_by("ordre", "code"))
    return {"t": territoire, "activites": activites, "i": [a.code for a in activites].index("RH-PAIE")}


def _donnees_gt1(ctx, texte):
    n = str(len(ctx["activites"]))
    return {
        "activites-TOTAL_FORMS": n,
        "activites-INITIAL_FORMS": n,
        "activites-MIN_NUM_FORMS": "0",
        "activites-MAX_NUM_FORMS": "1000",
        f"activites-{ctx['i']}-exerce": "oui",
        f"activites-{ctx['i']}-specificites": texte,
    }


def _lu_gt1(ctx):
    from livrables.models import LigneInventaire

    return LigneInventaire.objects.get(commune__code=BORDEAUX, activite__code="RH-PAIE").specificites


def _gt2(territoire, cast):
    from livrables.enums import Quadrant
    from livrables.gt2.actions import do_ajouter_element, livrable_afor

    user = cast["dgs_bordeaux"]
    paie = territoire.activites.get(code="RH-PAIE")
    livrable = livrable_afor(_groupe(territoire))
    element = do_ajouter_element(livrable, user, paie, Quadrant.FAIBLESSE, "Logiciels différents", user.organisation)
    return {"t": territoire, "element": element}


def _url_gt2(ctx, action="afor_activite"):
    kwargs = {"code": ctx["t"].code, "theme": "RH", "activite": "RH-PAIE"}
    if action != "afor_activite":
        kwargs["pk"] = ctx["element"].pk
    return reverse(f"livrables:{action}", kwargs=kwargs)


def _lu_gt2(ctx):
    ctx["element"].refresh_from_db()
    return ctx["element"].texte


# --- templates ------------------------------------------------------------------------------------------


def _trames(ctx, texte):
    from seances.trames import ORDRES_DU_JOUR

    return {**ORDRES_DU_JOUR, "GT2": texte}


def _lu_trame(ctx):
    from seances.models import TrameAnimation

    return TrameAnimation.objects.get(etape="GT2").ordre_du_jour


def _modele(ctx, texte):
    return {"objet": "Mission {theme}", "corps": texte, "signataire_qualite": "La Présidente", "signataire_nom": ""}


def _lu_modele(ctx):
    from documents.models import ModeleLettreMission

    return ModeleLettreMission.objects.get().corps


def _gabarit(ctx, texte):
    return {"couleur": "#0b5d6b", "couleur_secondaire": "#e8f1f2", "titre": texte, "sous_titre": "", "mention": ""}


def _lu_gabarit(ctx):
    from publication.models import Gabarit

    return Gabarit.objects.get().titre


def _lu_synthese(ctx):
    from parcours.models import Synthese

    return Synthese.objects.get(groupe=_groupe(ctx["t"]), seance=None).texte


def _territoire_seul(territoire, cast):
    return {"t": territoire}


def _url_de(nom, **autres):
    return lambda ctx: reverse(nom, kwargs={"code": ctx["t"].code, **autres})


EQUIPE = "equipe_projet"
# The refusal names its text (« La synthèse du groupe… a été modifiée »): the participle agrees with it.
FEMININS = {
    "décision du comité",
    "synthèse d'un groupe",
    "liste GT1 d'une commune",
    "trames d'animation",
    "mise en page des documents",
}
CAS = [
    Cas(
        "compte rendu d'une séance de groupe",
        "membre_rh",
        _seance_tenue,
        _url_cr,
        lambda ctx, texte: {"texte": texte, "decisions": ""},
        _lu_cr,
    ),
    Cas(
        "compte rendu du comité",
        "equipe_projet",
        _comite,
        _url_comite,
        lambda ctx, texte: {"ecrire": "1", "texte": texte},
        _lu_cr_comite,
    ),
    Cas("décision du comité", "equipe_projet", _comite, _url_comite, _decision, _lu_decision),
    Cas(
        "synthèse d'un groupe",
        "copilote_rh_commune",
        _territoire_seul,
        _url_de("parcours:synthese", theme="RH"),
        lambda ctx, texte: {"texte": texte},
        _lu_synthese,
    ),
    Cas(
        "liste GT1 d'une commune",
        "dgs_bordeaux",
        _gt1,
        lambda ctx: reverse(
            "livrables:gt1_commune", kwargs={"code": ctx["t"].code, "theme": "RH", "commune": BORDEAUX}
        ),
        _donnees_gt1,
        _lu_gt1,
    ),
    Cas("élément AFOR (GT2)", "copilote_rh_epci", _gt2, _url_gt2, lambda ctx, texte: {"texte": texte}, _lu_gt2),
    Cas("trames d'animation", "equipe_projet", _territoire_seul, _url_de("seances:trames"), _trames, _lu_trame),
    Cas(
        "modèle de lettre de mission",
        "equipe_projet",
        _territoire_seul,
        _url_de("documents:modele"),
        _modele,
        _lu_modele,
    ),
    Cas(
        "mise en page des documents",
        "equipe_projet",
        _territoire_seul,
        _url_de("publication:gabarit"),
        _gabarit,
        _lu_gabarit,
    ),
]


def _post_url(cas, ctx):
    return _url_gt2(ctx, "afor_reformuler") if cas.url is _url_gt2 else cas.url(ctx)


def _empreintes_du_formulaire(cas, ctx, client) -> dict:
    """The fingerprint(s) the page gives the form this case saves (the GT2 grid has one per item)."""
    if cas.url is _url_gt2:
        page = client.get(cas.url(ctx)).content.decode()
        bloc = page[page.index(_url_gt2(ctx, "afor_reformuler")) :]
        return {"empreinte": EMPREINTE.search(bloc)["valeur"]}
    return empreintes(client, cas.url(ctx))


@pytest.mark.parametrize("cas", CAS, ids=[c.nom for c in CAS])
def test_a_stale_save_is_refused_with_both_texts_and_loses_neither(cas, cast, territoire, connecte, client):
    from django.test import Client

    ctx = cas.preparer(territoire, cast)
    user = cast[cas.role]
    premiere, seconde = Client(), Client()  # two tabs (or two people) on the same page
    premiere.force_login(user)
    seconde.force_login(user)
    lue_par_la_premiere = _empreintes_du_formulaire(cas, ctx, premiere)
    assert lue_par_la_premiere, "the page carries no fingerprint"

    # The second saves first…
    a = "Texte de l'autre onglet <b>enregistré</b> d'abord"
    r = seconde.post(_post_url(cas, ctx), {**_empreintes_du_formulaire(cas, ctx, seconde), **cas.donnees(ctx, a)})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert cas.lu(ctx) == a

    # …then the first, from the page she opened before: refused, nothing written, both texts on the page.
    b = "Mon texte tapé pendant ce temps"
    r = premiere.post(_post_url(cas, ctx), {**lue_par_la_premiere, **cas.donnees(ctx, b)})
    page = r.content.decode()
    assert r.status_code == 409, page[:2000]
    assert cas.lu(ctx) == a
    message = re.search(r"a été (modifiée?) entre-temps( par [^:]+)? : rien n'a été enregistré", html.unescape(page))
    assert message and message[1] == ("modifiée" if cas.nom in FEMININS else "modifié")
    encadre = page[page.index('<section class="conflit"') : page.index("</section>", page.index('class="conflit"'))]
    assert a in html.unescape(encadre) and "<b>enregistré</b>" not in page  # the saved text, escaped
    formulaire = page[page.index("</section>", page.index('class="conflit"')) :]
    assert b in html.unescape(formulaire)  # her own, still in the form

    # Saving the form of the 409 page puts her text in place, knowingly.
    nouvelles = {m["nom"]: m["valeur"] for m in EMPREINTE.finditer(formulaire)}
    assert nouvelles and nouvelles != lue_par_la_premiere
    r = premiere.post(_post_url(cas, ctx), {**nouvelles, **cas.donnees(ctx, b)})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert cas.lu(ctx) == b

    # A save without any fingerprint (an old page, a forged request) writes nothing.
    r = premiere.post(_post_url(cas, ctx), cas.donnees(ctx, "Sans empreinte"))
    assert r.status_code in (400, 409) and cas.lu(ctx) == b
    assert re.search("rechargez-la", html.unescape(r.content.decode()))
