"""DSN reading (docs/contrats/9-dsn.md, formats/dsn.py), rule by rule, against hand-computed agents."""

import io
from decimal import Decimal

import pytest

from formats import dsn
from formats.errors import InvalidFile
from tests.dsn_ecriture import NIC, NIR, SIREN, TAUX, contrat, dsn_mois


def fichier(nom, texte, encodage="utf-8"):
    contenu = texte.encode(encodage)
    return nom, lambda: io.BytesIO(contenu)


def annee(fichiers, **kwargs):
    return dsn.lire_annee(fichiers, 2025, TAUX, siren=SIREN, **kwargs)


def douze(individus_du_mois, **kwargs):
    """Twelve monthly files; `individus_du_mois(m)` gives the individuals of month m."""
    return [fichier(f"dsn-{m:02d}.txt", dsn_mois(m, individus_du_mois(m), **kwargs)) for m in range(1, 13)]


def agents(resultat):
    return {a.matricule: a for a in resultat.agents}


def test_a_full_time_and_a_part_time_agent_all_year():
    def mois(m):
        return [
            ("A1", [contrat("1")], [("1", "2000.00")]),
            ("A2", [contrat("7", nature="10", regime="200", quotite="28")], [("7", "1500.50")]),
        ]

    r = agents(annee(douze(mois)))
    assert r["A1"].cout == Decimal("33036.00") and r["A1"].etp == Decimal("1.0000")  # 12 × 2000 × 1.3765
    assert r["A1"].statut == "titulaire" and r["A1"].libelle == "Gestionnaire paie"
    assert r["A2"].cout == Decimal("25568.52") and r["A2"].etp == Decimal("0.8000")  # 12 × 1500.50 × 1.42
    assert r["A2"].statut == "contractuel"


def test_two_contracts_in_a_month_are_capped_at_one_etp_and_the_main_one_gives_the_statut():
    def mois(m):
        return [
            ("A1", [contrat("2", nature="10", quotite="21"), contrat("1", quotite="21")], [("1", "1000"), ("2", "800")])
        ]

    a = agents(annee(douze(mois)))["A1"]
    assert a.etp == Decimal("1.0000")  # 0.6 + 0.6, capped
    assert a.statut == "titulaire"  # equal ETP: the smallest contract number
    assert a.cout == Decimal("16518.00") + Decimal("13214.40")  # 12 × 1000 × 1.3765 + 12 × 800 × 1.3765


def test_an_agent_leaving_in_june_and_a_back_payment_in_december():
    def mois(m):
        individus = [("A0", [contrat("9")], [("9", "100")])]
        if m <= 6:
            individus.append(("A1", [contrat("1")], [("1", "2000")]))
        if m == 12:
            individus.append(("A1", [], [("1", "300")]))  # a back-payment on the ended contract
        return individus

    a = agents(annee(douze(mois)))["A1"]
    assert a.etp == Decimal("0.5000")
    assert a.cout == ((6 * 2000 + 300) * Decimal("1.3765")).quantize(Decimal("0.01"))


def test_an_annule_et_remplace_month_and_a_cancelled_one():
    fichiers = douze(lambda m: [("A1", [contrat("1")], [("1", "1000")])])
    fichiers.append(fichier("mars-remplace.txt", dsn_mois(3, [("A1", [contrat("1")], [("1", "3000")])], type_="03")))
    a = agents(annee(fichiers))["A1"]
    assert a.cout == ((11 * 1000 + 3000) * Decimal("1.3765")).quantize(Decimal("0.01"))
    fichiers.append(fichier("mars-annule.txt", dsn_mois(3, [], type_="04")))
    with pytest.raises(InvalidFile) as exc:
        annee(fichiers)
    assert exc.value.errors == [f"mois manquant : mars 2025 (SIRET {SIREN}{NIC})"]


def test_a_missing_month_is_an_error_or_with_the_option_a_warning_counting_zero():
    fichiers = [f for f in douze(lambda m: [("A1", [contrat("1")], [("1", "1000")])]) if "08" not in f[0]]
    with pytest.raises(InvalidFile) as exc:
        annee(fichiers)
    assert exc.value.errors == [f"mois manquant : août 2025 (SIRET {SIREN}{NIC})"]
    r = annee(fichiers, mois_manquants=True)
    assert agents(r)["A1"].etp == Decimal("0.9167")  # 11 / 12
    assert f"mois manquant : août 2025 (SIRET {SIREN}{NIC})" in r.avertissements


def test_a_duplicated_month_a_month_outside_the_year_and_another_employer():
    fichiers = douze(lambda m: [("A1", [contrat("1")], [("1", "1000")])])
    fichiers.append(fichier("double.txt", dsn_mois(5, [])))
    fichiers.append(fichier("2024.txt", dsn_mois(12, [], annee=2024)))
    fichiers.append(fichier("autre.txt", dsn_mois(6, [], siren="200000001", type_="03")))
    with pytest.raises(InvalidFile) as exc:
        annee(fichiers)
    assert exc.value.errors == [
        "fichier double.txt, ligne 2 : déclaration en double pour mai 2025 (SIRET 21330063500018, fraction 11) : "
        "déjà dans le fichier dsn-05.txt, ligne 2",
        "fichier 2024.txt, ligne 2 : mois déclaré décembre 2024 hors de l'année 2025",
        "fichier autre.txt, ligne 2 : SIREN 200000001 : ce fichier n'est pas une DSN de l'employeur 213300635",
    ]


def test_a_month_in_two_fractions_and_a_missing_fraction():
    fichiers = [f for f in douze(lambda m: [("A1", [contrat("1")], [("1", "1000")])]) if "04" not in f[0]]
    fichiers.append(fichier("avril-1.txt", dsn_mois(4, [("A1", [contrat("1")], [("1", "600")])], fraction="12")))
    fichiers.append(fichier("avril-2.txt", dsn_mois(4, [("A1", [], [("1", "400")])], fraction="22")))
    assert agents(annee(fichiers))["A1"].cout == (12 * 1000 * Decimal("1.3765")).quantize(Decimal("0.01"))
    with pytest.raises(InvalidFile) as exc:
        annee(fichiers[:-1])
    assert exc.value.errors == [f"SIRET {SIREN}{NIC}, avril 2025 : fraction 2 sur 2 manquante"]


def test_mandates_internships_and_agents_without_pay_are_left_out():
    def mois(m):
        return [
            ("E1", [contrat("1", nature="80")], [("1", "700")]),  # an élu's mandate
            ("S1", [contrat("1", nature="29")], [("1", "600")]),  # an intern
            ("D1", [contrat("1")], []),  # in disponibilité, declared without pay
            ("A1", [contrat("1")], [("1", "1000")]),
        ]

    r = annee(douze(mois))
    assert list(agents(r)) == ["A1"]
    assert (
        "24 contrats-mois ignorés (mandats d'élus, stages, services civiques) et leur rémunération" in r.avertissements
    )
    assert "agent D1 : coût négatif ou nul, ou ETP nul sur l'année : écarté" in r.avertissements
    # The élu and the intern are counted in the warning above, not named as agents left out.
    assert not [a for a in r.avertissements if a.startswith(("agent E1", "agent S1"))]


def test_a_contract_without_usable_quotite_adds_no_etp_and_says_so():
    def mois(m):
        return [
            ("A1", [contrat("1", unite="99")], [("1", "1000")]),
            ("A2", [contrat("1", reference="0")], [("1", "1000")]),
        ]

    r = annee(douze(mois))
    assert agents(r) == {}
    assert "agent A1 : contrat sans quotité utilisable (unité 99 ou quotité absente) : 0 ETP" in r.avertissements


def test_syntax_errors_name_their_file_and_line_an_individual_needs_a_matricule_and_rates_are_required():
    texte = dsn_mois(1, [("", [contrat("1")], [("1", "1000")])]).replace(
        "S21.G00.11.001,'00018'", "S21.G00.11.001;00018"
    )
    with pytest.raises(InvalidFile) as exc:
        dsn.lire_annee([fichier("janvier.txt", texte)], 2025, {"general": Decimal("0.42")}, mois_manquants=True)
    assert exc.value.errors[0] == (
        "fichier janvier.txt, ligne 7 : ligne illisible : attendu une rubrique de la forme S21.G00.30.019,'valeur'"
    )
    assert (
        "fichier janvier.txt, ligne 8 : individu sans matricule (S21.G00.30.019) : le NIR n'est jamais lu à sa place"
        in exc.value.errors
    )
    with pytest.raises(InvalidFile) as exc:
        dsn.lire_annee(douze(lambda m: [("A1", [contrat("1")], [("1", "1")])]), 2025, {"general": Decimal("0.42")})
    assert exc.value.errors == [
        "taux de charges : le taux « CNRACL » (cnracl) manque : des contrats de ces DSN en relèvent"
    ]


def test_the_nir_is_never_kept_and_windows_1252_files_are_read():
    texte = dsn_mois(1, [("A1", [contrat("1", libelle="Secrétaire générale")], [("1", "1000")])])
    declarations, erreurs = dsn.lire_fichier("cp.txt", fichier("cp.txt", texte, "cp1252")[1])
    assert not erreurs
    assert NIR not in repr(declarations) and "DUPONT" not in repr(declarations)
    assert declarations[0].individus[0].contrats["1"].libelle == "Secrétaire générale"


@pytest.mark.parametrize("bloc", [7, 64, 1 << 22])
def test_reading_by_blocks_gives_the_same_declarations_and_line_numbers(monkeypatch, bloc):
    """The reader takes a few megabytes at a time: a block boundary anywhere (inside a line, a CRLF, the
    BOM, a UTF-8 character) changes nothing, and an illegible line is named with its line in the file."""
    monkeypatch.setattr(dsn, "BLOC", bloc)
    texte = "\ufeff" + dsn_mois(3, [("Aé1", [contrat("1", libelle="Agent d'accueil éè")], [("1", "1000.00")])])
    texte = texte.replace("\n", "\r\n").replace("S21.G00.81.001,'076'", "S21.G00.81.001,'076\n\nnimporte quoi")
    declarations, erreurs = dsn.lire_fichier("f.txt", lambda: io.BytesIO(texte.encode("utf-8")))
    ligne = texte.split("\n").index("nimporte quoi\r") + 1
    illisible = "ligne illisible : attendu une rubrique de la forme S21.G00.30.019,'valeur'"
    assert erreurs == [f"fichier f.txt, ligne {ligne - 2} : {illisible}", f"fichier f.txt, ligne {ligne} : {illisible}"]
    (d,) = declarations
    (individu,) = d.individus
    assert (d.mois, d.siren, individu.matricule, individu.ligne) == ((2025, 3), SIREN, "Aé1", 8)
    assert individu.contrats["1"].libelle == "Agent d'accueil éè" and individu.bruts == {"1": Decimal("1000.00")}


@pytest.mark.parametrize(
    ("contenu", "attendu"),
    [
        # A text that is no DSN: the file's reading stops after a hundred errors.
        (b"x\n" * 5000, "fichier f.txt, ligne 101 : 100 erreurs : ce fichier n'est pas lu plus loin"),
        # One endless line.
        (b"S21.G00.30.019,'" + b"9" * 50_000, "fichier f.txt, plus de 10\u202f000 octets sans fin de ligne"),
        # A binary (a PDF, a zip inside the zip): neither UTF-8 nor Windows-1252.
        (b"%PDF\x81\x8d\x8f\x90\x9d\n", "fichier f.txt : ni texte UTF-8 ni texte Windows-1252"),
    ],
    ids=["mille-erreurs", "ligne-sans-fin", "binaire"],
)
def test_a_file_that_is_no_dsn_is_refused_quickly_with_few_errors(contenu, attendu):
    _, erreurs = dsn.lire_fichier("f.txt", lambda: io.BytesIO(contenu))
    assert len(erreurs) <= 101 and erreurs[-1].startswith(attendu), erreurs[-1]


@pytest.mark.parametrize("montant", ["NaN", "1e30", "Infinity", "12,50", "1.234"])
def test_an_amount_outside_the_norms_syntax_is_an_error_with_its_line(montant):
    fichiers = douze(lambda m: [("A1", [contrat("1")], [("1", montant if m == 5 else "1000.00")])])
    with pytest.raises(InvalidFile) as exc:
        annee(fichiers)
    assert exc.value.errors == [
        f"fichier dsn-05.txt, ligne 23 : montant « {montant} » : attendu un nombre à point décimal, par exemple 2150.37"
    ]


def test_a_negative_quotite_adds_no_etp_and_an_absurd_year_is_refused():
    r = annee(
        douze(
            lambda m: [
                ("A1", [contrat("1", quotite="-35")], [("1", "1000.00")]),
                ("A2", [contrat("1")], [("1", "10.00")]),
            ]
        )
    )
    assert [a.matricule for a in r.agents] == ["A2"]
    assert "agent A1 : contrat sans quotité utilisable (unité 99 ou quotité absente) : 0 ETP" in r.avertissements
    with pytest.raises(InvalidFile) as exc:
        annee(douze(lambda m: [("A1", [contrat("1")], [("1", "1000000.00")])]))
    assert exc.value.errors == [
        "agent A1 : coût de l'année de 16\u202f518\u202f000,00 € : au-delà de 10\u202f000\u202f000,00 €, vérifiez les "
        "montants de ses rémunérations"
    ]


def test_one_agent_half_time_in_two_establishments_with_the_same_contract_number_is_full_time():
    def mois_de(nic):
        return lambda m: [("A1", [contrat("00001", quotite="17.5")], [("00001", "1000.00")])]

    fichiers = [
        fichier(f"{nic}-{m:02d}.txt", dsn_mois(m, mois_de(nic)(m)).replace(f"'{NIC}'", f"'{nic}'"))
        for nic in (NIC, "00026")
        for m in range(1, 13)
    ]
    a = agents(annee(fichiers))["A1"]
    assert a.etp == Decimal("1.0000") and a.cout == Decimal("33036.00")  # 2 × 12 × 1000 × 1.3765
