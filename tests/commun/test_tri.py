"""The French order of names (issue 11, point 6): the key of commun/tri.py, by tables of cases, and the
QuerySet that keeps it for the choices of a form."""

import pytest

from commun.tri import cle_francaise, ordonne, trie_par_nom

# Bordeaux Métropole's 28 communes as the official lists print them: accents and case do not count
# (Bègles among the B), « Le » is part of the name (Le Bouscat under L).
COMMUNES_EN_ORDRE = [
    "Ambarès-et-Lagrave",
    "Ambès",
    "Artigues-près-Bordeaux",
    "Bassens",
    "Bègles",
    "Blanquefort",
    "Bordeaux",
    "Bouliac",
    "Bruges",
    "Carbon-Blanc",
    "Cenon",
    "Eysines",
    "Floirac",
    "Gradignan",
    "Le Bouscat",
    "Le Haillan",
    "Le Taillan-Médoc",
    "Lormont",
    "Martignas-sur-Jalle",
    "Mérignac",
    "Parempuyre",
    "Pessac",
    "Saint-Aubin-de-Médoc",
    "Saint-Louis-de-Montferrand",
    "Saint-Médard-en-Jalles",
    "Saint-Vincent-de-Paul",
    "Talence",
    "Villenave-d'Ornon",
]


def test_the_28_communes_of_bordeaux_metropole_sort_as_the_official_list():
    assert sorted(COMMUNES_EN_ORDRE, key=cle_francaise) == COMMUNES_EN_ORDRE
    assert sorted(reversed(COMMUNES_EN_ORDRE), key=cle_francaise) == COMMUNES_EN_ORDRE
    assert sorted(COMMUNES_EN_ORDRE) != COMMUNES_EN_ORDRE  # what the byte order of the database gives


@pytest.mark.parametrize(
    "avant, apres",
    [
        ("Bègles", "Blanquefort"),  # the accent does not count before the letters
        ("Blanquefort", "Bordeaux"),
        ("Bordeaux", "Bouliac"),
        ("Bouliac", "Bruges"),
        ("Bègles", "Bruges"),
        ("Ambarès-et-Lagrave", "Ambès"),
        ("Écouen", "Ermont"),  # É is an E
        ("Étampes", "Evry"),
        ("Mérignac", "Metz"),
        ("émilie", "Fabien"),  # case does not count before the letters
        ("bordeaux", "Bouliac"),
        ("Bruges", "Le Bouscat"),  # the article is part of the name: Le Bouscat is under L
        ("Le Bouscat", "Lormont"),  # a space comes before any letter
        ("Le Taillan-Médoc", "Lège-Cap-Ferret"),
        ("Saint-Vincent-de-Paul", "Sainte-Foy-la-Grande"),  # a hyphen too
        ("Villenave-d'Ornon", "Villenave d Ornon2"),  # hyphens, apostrophes and spaces are one separator
        ("Oeuvre", "Œuvres"),  # a ligature is its two letters
        (None, "Ambès"),  # no name first
        # equal letters: the accents decide, then the case
        ("Cote", "Coté"),
        ("coté", "Côte"),
        ("Eloise", "Éloïse"),
        ("EVRY", "Evry"),
        ("Evry", "evry"),
        ("Saint Aubin", "Saint-Aubin"),
    ],
)
def test_the_key_puts_the_first_name_first(avant, apres):
    assert cle_francaise(avant) < cle_francaise(apres)
    assert sorted([apres, avant], key=cle_francaise) == [avant, apres]


def test_equal_letters_are_ordered_by_accents_then_case_so_that_the_order_is_total():
    variantes = ["côte", "Côte", "coté", "COTE", "cote", "Coté", "Cote", "côté"]
    attendu = ["COTE", "Cote", "cote", "Coté", "coté", "Côte", "côte", "côté"]
    assert sorted(variantes, key=cle_francaise) == attendu
    assert sorted(reversed(variantes), key=cle_francaise) == attendu
    assert len({cle_francaise(v) for v in variantes}) == len(variantes)  # different names never tie


def test_spellings_of_one_name_are_equal_on_the_letters():
    lettres = {cle_francaise(n)[0] for n in ("Saint-Aubin", "Saint Aubin", "SAINT-AUBIN", "saint\u2011aubin")}
    assert lettres == {"saint aubin"}
    assert cle_francaise("Villenave-d\u2019Ornon")[0] == cle_francaise("Villenave-d'Ornon")[0] == "villenave d ornon"
    assert cle_francaise("Bègles") == cle_francaise("Be\u0300gles")  # composed or not, the same name


def test_trie_par_nom_reads_the_nom_attribute_or_the_given_name():
    class Commune:
        def __init__(self, nom, code):
            self.nom, self.code = nom, code

    communes = [Commune("Bruges", "33075"), Commune("Le Bouscat", "33069"), Commune("Bègles", "33039")]
    assert [c.nom for c in trie_par_nom(communes)] == ["Bègles", "Bruges", "Le Bouscat"]
    assert [c.code for c in trie_par_nom(communes, lambda c: c.code)] == ["33039", "33069", "33075"]


@pytest.mark.django_db
def test_ordonne_keeps_a_queryset_in_french_order(territoire):
    from territoire.models import Organisation

    for code, nom in (("33075", "Bruges"), ("33039", "Bègles"), ("33069", "Le Bouscat")):
        Organisation.objects.create(territoire=territoire, code=code, nom=nom, type="commune")
    communes = ordonne(territoire.organisations.communes())
    assert [c.nom for c in communes] == [
        "Bègles",
        "Bordeaux",
        "Bruges",
        "Le Bouscat",
        "Mérignac",
        "Pessac",
        "Talence",
    ]
    assert [c.nom for c in communes.filter(code__in=["33075", "33039"])] == ["Bègles", "Bruges"]  # still a QuerySet
    assert list(ordonne(territoire.organisations.none())) == []
