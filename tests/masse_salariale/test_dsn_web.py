"""Payroll from DSN files on the web (docs/contrats/9-dsn.md): sending a year, placing the unplaced libellés,
the rates kept per year, the batch and its report, the correspondence kept for next year, rights."""

import html
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masse_salariale.models import AgentDSN, LectureDSN, LignePaie, Lot, RegleCorrespondance, TauxCharges
from territoire.models import Evenement, Organisation
from tests.cast import MERIGNAC
from tests.dsn_ecriture import SIREN, contrat, dsn_mois
from tests.taches import travailleur

pytestmark = pytest.mark.django_db


@pytest.fixture
def merignac(territoire):
    org = Organisation.objects.get(territoire=territoire, code=MERIGNAC)
    org.siren = SIREN  # the SIREN the hand-written files carry
    org.save(update_fields=["siren"])
    return org


def texte(reponse) -> str:
    return html.unescape(reponse.content.decode())


def mois_2025(m):
    """Three agents: a payroll manager, a full-time gardener, a part-time accountant (contractuel, régime
    général) who leaves in June, and an élu whose mandate is left out."""
    individus = [
        ("A1", [contrat("1", libelle="Gestionnaire de paie")], [("1", "2000.00")]),
        ("A2", [contrat("1", libelle="Jardinier")], [("1", "1800.00")]),
        ("E1", [contrat("1", nature="80", libelle="Maire adjoint")], [("1", "900.00")]),
    ]
    if m <= 6:
        individus.append(
            ("A3", [contrat("2", nature="10", regime="200", quotite="28", libelle="Comptable")], [("2", "1500.00")])
        )
    return individus


def fichiers(individus_du_mois, annee=2025):
    return [
        SimpleUploadedFile(f"dsn-{m:02d}.txt", dsn_mois(m, individus_du_mois(m), annee=annee).encode())
        for m in range(1, 13)
    ]


def envoyer(client, territoire, envois, annee=2025, **champs):
    """Send the form; once accepted, the files are read by the worker (masse_salariale/imports.py): the
    answer is then the page of the upload, read after the worker is done (a redirection to the reading or
    the batch, or the page with the files' errors)."""
    donnees = {
        "organisation": MERIGNAC,
        "annee": annee,
        "fichiers": envois,
        "taux_cnracl": "37,65",
        "taux_general": "42",
        **champs,
    }
    reponse = client.post(reverse("masse_salariale:dsn", kwargs={"code": territoire.code}), donnees)
    if reponse.status_code != 302:
        return reponse  # refused by the form, in the request
    assert "/masse-salariale/imports/" in reponse["Location"]
    travailleur("imports")
    return client.get(reponse["Location"])


def placer(client, territoire, lecture, valeur, theme, activite="", cle="emploi"):
    url = reverse("masse_salariale:dsn_placer", kwargs={"code": territoire.code, "pk": lecture.pk})
    return client.post(url, {"cle": cle, "valeur": valeur, "theme": theme, "activite": activite, "situation": "propre"})


def test_a_dgs_sends_her_year_places_the_libelles_and_confirms(connecte, cast, territoire, merignac):
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer(client, territoire, fichiers(mois_2025), chapitre_012="120000")
    lecture = LectureDSN.objects.get()
    assert reponse.status_code == 302 and reponse["Location"].endswith(f"/dsn/{lecture.pk}/")
    assert lecture.mois == list(range(1, 13)) and lecture.nb_agents == 3 and lecture.contrats == 24 + 6
    assert lecture.bruts["1"] == "5300.00" and lecture.bruts["7"] == "3800.00"  # the élu's pay is not read
    assert TauxCharges.objects.get(organisation=merignac, annee=2025).cnracl == Decimal("0.3765")
    page = texte(client.get(reponse["Location"]))
    assert "3 agents à placer" in page
    assert "« Gestionnaire de paie » : 1 agent, 1,0 ETP" in page and "« Comptable » : 1 agent, 0,4 ETP" in page
    assert "Préparer le lot" not in page

    assert placer(client, territoire, lecture, "Gestionnaire de paie", "RH", "RH-PAIE").status_code == 302
    assert placer(client, territoire, lecture, "Jardinier", "AUTRE").status_code == 302
    assert "1 agent à placer" in texte(client.get(reponse["Location"]))
    placer(client, territoire, lecture, "Comptable", "FIN")
    page = texte(client.get(reponse["Location"]))
    assert "Tous les agents sont placés" in page

    reponse = client.post(reverse("masse_salariale:dsn_preparer", kwargs={"code": territoire.code, "pk": lecture.pk}))
    lot = Lot.objects.get()
    assert reponse["Location"].endswith(f"/lots/{lot.pk}/")
    lecture.refresh_from_db()
    assert lecture.statut == "preparee" and lecture.lot == lot and not AgentDSN.objects.exists()
    couts = dict(LignePaie.objects.filter(lot=lot).values_list("theme", "cout_annuel"))
    # 12 × 2000 × 1.3765; 12 × 1800 × 1.3765; 6 × 1500 × 1.42
    assert couts == {"RH": Decimal("33036.00"), "AUTRE": Decimal("29732.40"), "FIN": Decimal("12780.00")}
    assert lecture.placements == {"emploi|Comptable": 1, "emploi|Gestionnaire de paie": 1, "emploi|Jardinier": 1}

    page = texte(client.get(reponse["Location"]))
    assert "Source : DSN 2025 de Mérignac" in page
    assert "janvier 2025" in page and "5\u202f300,00\u00a0€" in page  # monthly gross, for the payroll ledger
    assert "Somme des coûts calculés : 75\u202f548\u00a0€" in page and "écart : −44\u202f452\u00a0€" in page
    assert "CNRACL 37,65\u00a0%" in page and "1 contrat-mois ignoré" not in page
    assert any("mandats d'élus" in a for a in lot.avertissements)
    client.post(reverse("masse_salariale:confirmer", kwargs={"code": territoire.code, "pk": lot.pk}))
    lot.refresh_from_db()
    assert lot.statut == "confirme"


def test_next_year_needs_only_the_new_libelles_and_proposes_last_years_rates(connecte, cast, territoire, merignac):
    client = connecte(cast["dgs_merignac"])
    envoyer(client, territoire, fichiers(mois_2025))
    lecture = LectureDSN.objects.get()
    for valeur, theme in (("Gestionnaire de paie", "RH"), ("Jardinier", "AUTRE"), ("Comptable", "FIN")):
        placer(client, territoire, lecture, valeur, theme)
    client.post(reverse("masse_salariale:dsn_preparer", kwargs={"code": territoire.code, "pk": lecture.pk}))

    url = reverse("masse_salariale:dsn", kwargs={"code": territoire.code})
    page = texte(client.get(url, {"employeur": MERIGNAC, "annee": 2026}))
    assert "Aucun taux n'est fixé pour 2026" in page and "Reprendre les taux de 2025" in page
    assert 'name="taux_cnracl"' in page and 'value="37,65"' not in page  # never applied silently
    page = texte(client.get(url, {"employeur": MERIGNAC, "annee": 2026, "reprendre": "1"}))
    assert 'value="37,65"' in page and "vérifiez-les" in page

    def mois_2026(m):
        # A2 is now "Agent des espaces verts": a new libellé; A1 unchanged.
        return [
            ("A1", [contrat("1", libelle="Gestionnaire de paie")], [("1", "2100.00")]),
            ("A2", [contrat("1", libelle="Agent des espaces verts")], [("1", "1850.00")]),
        ]

    reponse = envoyer(client, territoire, fichiers(mois_2026, 2026), annee=2026)
    suivante = LectureDSN.objects.exclude(pk=lecture.pk).get()
    page = texte(client.get(reponse["Location"]))
    assert "1 agent à placer" in page and "« Agent des espaces verts »" in page
    # Last year's placement of the same agent is proposed, not applied.
    assert "en 2025, 1 de ces 1 agents étaient placés par la règle emploi « Jardinier »" in page
    assert not RegleCorrespondance.objects.filter(valeur="Agent des espaces verts").exists()
    placer(client, territoire, suivante, "Agent des espaces verts", "AUTRE")
    reponse = client.post(reverse("masse_salariale:dsn_preparer", kwargs={"code": territoire.code, "pk": suivante.pk}))
    assert Lot.objects.filter(annee=2026).count() == 1


def test_a_zip_is_read_and_when_every_agent_is_placed_the_batch_is_prepared_at_once(
    connecte, cast, territoire, merignac
):
    for valeur, theme in (("Gestionnaire de paie", "RH"), ("Jardinier", "AUTRE"), ("Comptable", "FIN")):
        RegleCorrespondance.objects.create(
            organisation=merignac, cle="emploi", valeur=valeur, valeur_normalisee=valeur.lower(), theme=theme
        )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for f in fichiers(mois_2025):
            z.writestr(f"2025/{f.name}", f.read())
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer(client, territoire, [SimpleUploadedFile("dsn-2025.zip", archive.getvalue())])
    lot = Lot.objects.get()
    assert reponse["Location"].endswith(f"/lots/{lot.pk}/")
    assert LectureDSN.objects.get().fichiers[0]["nom"] == "2025/dsn-01.txt"


@pytest.mark.parametrize(
    ("changer", "attendu", "lus"),
    [
        (lambda envois: envois[:11], "mois manquant : décembre 2025", True),
        (
            lambda envois: [SimpleUploadedFile("x.txt", b"pas une DSN\n")],
            "fichier x.txt, ligne 1 : ligne illisible",
            True,
        ),
        (
            lambda envois: [*envois, SimpleUploadedFile("bis.txt", dsn_mois(1, mois_2025(1)).encode())],
            "fichier bis.txt, ligne 2 : déclaration en double pour janvier 2025",
            True,
        ),
        (
            lambda envois: [*envois, SimpleUploadedFile("vide.txt", b"")],
            "fichiers : le fichier « vide.txt » est vide",
            False,
        ),
    ],
)
def test_refused_files_say_what_and_where_and_keep_nothing(connecte, cast, territoire, merignac, changer, attendu, lus):
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer(client, territoire, changer(fichiers(mois_2025)))
    # Refused by the form (400), or by the worker's reading: the page of the upload then says why.
    assert reponse.status_code == (200 if lus else 400) and attendu in texte(reponse)
    assert not LectureDSN.objects.exists() and not AgentDSN.objects.exists()
    assert not TauxCharges.objects.exists()
    assert Evenement.objects.filter(action="masse_salariale.dsn_refus").exists() == lus


def test_another_employers_dsn_and_missing_rates_are_refused(connecte, cast, territoire, merignac):
    client = connecte(cast["dgs_merignac"])
    merignac.siren = "213302817"
    merignac.save(update_fields=["siren"])
    page = texte(envoyer(client, territoire, fichiers(mois_2025)))
    assert f"SIREN {SIREN} : ce fichier n'est pas une DSN de l'employeur 213302817" in page
    merignac.siren = SIREN
    merignac.save(update_fields=["siren"])
    page = texte(envoyer(client, territoire, fichiers(mois_2025), taux_general=""))
    assert "le taux « régime général » (general) manque" in page
    assert not LectureDSN.objects.exists()


def test_the_uploaded_files_are_deleted_once_read(connecte, cast, territoire, merignac, settings, tmp_path):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every upload goes to a temporary file
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "envois")
    (tmp_path / "envois").mkdir()
    client = connecte(cast["dgs_merignac"])
    envoyer(client, territoire, fichiers(mois_2025))
    assert LectureDSN.objects.exists()
    assert list((tmp_path / "envois").iterdir()) == []
    assert list((settings.MEDIA_ROOT / "imports-paie").iterdir()) == []  # kept for the worker, then deleted


def test_the_dsn_upload_limit_is_its_own(connecte, cast, territoire, merignac, settings):
    settings.DSN_UPLOAD_MAX_BYTES = 1000
    reponse = envoyer(connecte(cast["dgs_merignac"]), territoire, fichiers(mois_2025))
    assert reponse.status_code == 400 and "au-delà de la limite" in texte(reponse)


def test_a_dgs_imports_only_her_own_employer(connecte, cast, territoire, merignac):
    client = connecte(cast["dgs_bordeaux"])
    reponse = envoyer(client, territoire, fichiers(mois_2025))
    assert reponse.status_code == 400 and not LectureDSN.objects.exists()
    url = reverse("masse_salariale:regles", kwargs={"code": territoire.code, "employeur": MERIGNAC})
    assert client.get(url).status_code == 403
    assert connecte(cast["membre_rh"]).get(url).status_code == 403


def test_the_rules_export_and_import_round_trip(connecte, cast, territoire, merignac):
    client = connecte(cast["dgs_merignac"])
    fichier = (
        "cle;valeur;theme;activite;part;situation;beneficiaire\n"
        "emploi;Gestionnaire de paie;RH;RH-PAIE;1;;\n"
        "matricule;A9;RH;;0.5;;\n"
        "matricule;A9;FIN;;0.5;mad;243300316\n"
        "defaut;;AUTRE;;1;;\n"
    )
    url = reverse("masse_salariale:regles", kwargs={"code": territoire.code, "employeur": MERIGNAC})
    reponse = client.post(url, {"fichier": SimpleUploadedFile("regles.csv", fichier.encode())})
    assert reponse.status_code == 302 and RegleCorrespondance.objects.count() == 4
    export = texte(client.get(url + "export/", {"format": "csv"}))
    assert export.splitlines()[0] == "cle;valeur;theme;activite;part;situation;beneficiaire"
    assert "matricule;A9;FIN;;0.5;mad;243300316" in export
    xlsx = client.get(url + "export/", {"format": "xlsx"}).content
    RegleCorrespondance.objects.all().delete()
    client.post(url, {"fichier": SimpleUploadedFile("regles.xlsx", xlsx)})
    assert RegleCorrespondance.objects.count() == 4
    # A bad file changes nothing and says where.
    reponse = client.post(url, {"fichier": SimpleUploadedFile("r.csv", b"cle;valeur;theme;part\nemploi;X;RH;0.5\n")})
    assert reponse.status_code == 400 and "les parts de la règle emploi « x » font 0,5 au lieu de 1" in (texte(reponse))
    assert RegleCorrespondance.objects.count() == 4


def test_a_reading_waiting_to_be_placed_is_on_the_dgs_home_page(connecte, cast, territoire, merignac):
    client = connecte(cast["dgs_merignac"])
    envoyer(client, territoire, fichiers(mois_2025))
    accueil = texte(client.get(reverse("espace:accueil", kwargs={"code": territoire.code})))
    assert "Placer les agents des DSN 2025 de Mérignac" in accueil
    for autre in ("dgs_bordeaux", "equipe_projet"):
        page = texte(connecte(cast[autre]).get(reverse("espace:accueil", kwargs={"code": territoire.code})))
        assert "Placer les agents des DSN" not in page


def test_one_agent_is_placed_by_matricule_and_many_libelles_come_twenty_at_a_time(connecte, cast, territoire, merignac):
    def mois(m):
        return [(f"B{k:02d}", [contrat("1", libelle=f"Emploi {k:02d}")], [("1", "1000.00")]) for k in range(25)]

    client = connecte(cast["dgs_merignac"])
    envoyer(client, territoire, fichiers(mois))
    lecture = LectureDSN.objects.get()
    url = reverse("masse_salariale:dsn_lecture", kwargs={"code": territoire.code, "pk": lecture.pk})
    page = texte(client.get(url))
    assert "25 agents à placer" in page and "Libellés 1 à 20 sur 25" in page and "« Emploi 20 »" not in page
    assert "« Emploi 24 »" in texte(client.get(url, {"page": 2}))
    placer(client, territoire, lecture, "B03", "RH", cle="matricule")
    assert RegleCorrespondance.objects.get().cle == "matricule"
    reponse = client.post(
        reverse("masse_salariale:dsn_placer", kwargs={"code": territoire.code, "pk": lecture.pk}),
        {"cle": "matricule", "valeur": "Z99", "theme": "RH", "situation": "propre"},
        follow=True,
    )
    assert "matricule « Z99 » : aucun agent de ces DSN ne porte ce matricule" in texte(reponse)
    assert RegleCorrespondance.objects.count() == 1
    assert "24 agents à placer" in texte(client.get(url))


def test_odd_inputs_get_french_messages_and_keep_nothing(connecte, cast, territoire, merignac):
    client = connecte(cast["dgs_merignac"])
    # A zip from macOS: its metadata members are skipped.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        for f in fichiers(mois_2025):
            z.writestr(f.name, f.read())
            z.writestr(f"__MACOSX/._{f.name}", b"\x00\x05\x16\x07 metadata")
    envoyer(client, territoire, [SimpleUploadedFile("dsn.zip", archive.getvalue())], chapitre_012="1 234 567,89")
    lecture = LectureDSN.objects.get()
    assert len(lecture.fichiers) == 12 and lecture.chapitre_012 == Decimal("1234567.89")
    lecture.delete()
    # A corrupt member (its CRC no longer matches) refuses the zip with its name, no server error.
    corrompu = bytearray(archive.getvalue())
    debut = corrompu.find(b"S20.G00.05.001")
    corrompu[debut : debut + 3] = b"XXX"
    reponse = envoyer(client, territoire, [SimpleUploadedFile("dsn.zip", bytes(corrompu))])
    assert reponse.status_code == 200 and "fichier dsn.zip : « dsn-01.txt » illisible dans l'archive" in texte(reponse)
    assert not LectureDSN.objects.exists()


def test_a_matricule_with_a_separator_stays_one_agent(connecte, cast, territoire, merignac):
    RegleCorrespondance.objects.create(
        organisation=merignac, cle="defaut", valeur="", valeur_normalisee="", theme="AUTRE"
    )

    def mois(m):
        return [(f'Z;RH;"{k}', [contrat("1")], [("1", "1000.00")]) for k in range(3)]

    envoyer(connecte(cast["dgs_merignac"]), territoire, fichiers(mois))
    lot = Lot.objects.get()
    assert lot.nb_agents == 3 and lot.cout_total == Decimal("49554.00")  # 3 × 12 × 1000 × 1.3765


def test_agents_without_libelle_are_placed_by_the_default_rule_and_a_stale_tab_places_nothing(
    connecte, cast, territoire, merignac
):
    client = connecte(cast["dgs_merignac"])
    envoyer(client, territoire, fichiers(lambda m: [("A1", [contrat("1", libelle="")], [("1", "1000.00")])]))
    lecture = LectureDSN.objects.get()
    url = reverse("masse_salariale:dsn_lecture", kwargs={"code": territoire.code, "pk": lecture.pk})
    page = texte(client.get(url))
    assert "« (sans libellé) » : 1 agent" in page and "Créer la règle par défaut" in page
    placer(client, territoire, lecture, "", "AUTRE", cle="defaut")
    assert RegleCorrespondance.objects.get().cle == "defaut"
    client.post(reverse("masse_salariale:dsn_preparer", kwargs={"code": territoire.code, "pk": lecture.pk}))
    reponse = placer(client, territoire, lecture, "Comptable", "FIN")
    assert "rien n'a été placé" in texte(client.get(reponse["Location"]))
    assert RegleCorrespondance.objects.count() == 1


def test_a_refusal_of_the_payroll_rules_names_the_agent_not_a_line_of_a_hidden_file(
    connecte, cast, territoire, merignac
):
    # A made-available agent whose beneficiary left the territory: §3 refuses the line, named by its agent.
    RegleCorrespondance.objects.create(
        organisation=merignac, cle="matricule", valeur="A1", valeur_normalisee="a1", theme="RH",
        situation="mad", beneficiaire="99999",
    )  # fmt: skip
    client = connecte(cast["dgs_merignac"])
    reponse = envoyer(client, territoire, fichiers(lambda m: [("A1", [contrat("1")], [("1", "1000.00")])]))
    page = texte(client.get(reponse["Location"]))
    assert "agent A1 : beneficiaire « 99999 »" in page and "ligne 2 :" not in page
    assert not Lot.objects.exists()


def test_the_csv_export_writes_no_formula_and_reads_back(connecte, cast, territoire, merignac):
    RegleCorrespondance.objects.create(
        organisation=merignac, cle="emploi", valeur='=HYPERLINK("http://x")', valeur_normalisee="=hyperlink",
        theme="RH",
    )  # fmt: skip
    client = connecte(cast["dgs_merignac"])
    url = reverse("masse_salariale:regles", kwargs={"code": territoire.code, "employeur": MERIGNAC})
    export = client.get(url + "export/", {"format": "csv"}).content
    assert b';"\'=HYPERLINK(""http://x"")";' in export
    client.post(url, {"fichier": SimpleUploadedFile("regles.csv", export)})
    assert RegleCorrespondance.objects.get().valeur == '=HYPERLINK("http://x")'


def test_the_placing_page_reads_a_bounded_number_of_queries(
    connecte, cast, territoire, merignac, django_assert_max_num_queries
):
    def mois(m):
        return [(f"B{k:02d}", [contrat("1", libelle=f"Gestionnaire {k:02d}")], [("1", "1000.00")]) for k in range(25)]

    client = connecte(cast["dgs_merignac"])
    envoyer(client, territoire, fichiers(mois))
    url = reverse("masse_salariale:dsn_lecture", kwargs={"code": territoire.code, "pk": LectureDSN.objects.get().pk})
    with django_assert_max_num_queries(30):  # twenty libellés with their suggestions: not one query each
        assert client.get(url).status_code == 200
