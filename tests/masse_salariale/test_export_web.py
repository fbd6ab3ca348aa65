"""Any payroll export, by mapping its columns (issue 15, point 4), through the web: upload, mapping (guessed,
then from a profile), the batch staged by the same path as an uploaded payroll file with hand-checked
figures, the profile reused the next year, a profile whose columns changed, a bad value mapping, rights."""

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from masse_salariale.depot import DOSSIER
from masse_salariale.models import Agregat, LignePaie, Lot, LotEmployeur, ProfilColonnes
from territoire.models import Evenement
from tests.cast import BORDEAUX, MERIGNAC
from tests.formats.conftest import xlsx_bytes

pytestmark = pytest.mark.django_db

# Mérignac's payroll software's export for 2025: no employer column, a name, service and statut codes.
EXPORT_2025 = (
    "Matricule;Nom;Code service;Statut;Brut chargé;Taux activité\n"
    "M01;Dupont;0420;TIT;45 000,50;100 %\n"
    "M02;Durand;0420;CONT;30000;80 %\n"
    "M03;Martin;0510;TIT;52 000;1\n"
    "M04;Petit;0999;STAG;28 000,00;0,5\n"
    "M05;Roux;0420;TIT;41 000;1\n"
).encode()


def url(territoire, name, **kwargs):
    return reverse(f"masse_salariale:{name}", kwargs={"code": territoire.code, **kwargs})


def deposer(client, territoire, data, employeur, name="export-paie.csv", annee=2025, profil=None):
    form = {
        "fichier": SimpleUploadedFile(name, data),
        "employeur": territoire.organisations.get(code=employeur).pk,
        "annee": annee,
    }
    if profil is not None:
        form["profil"] = profil.pk
    return client.post(url(territoire, "export"), form)


class Champs(HTMLParser):
    """The values a browser would send for the page's form as it stands (selected options, inputs)."""

    def __init__(self):
        super().__init__()
        self.valeurs, self.select = {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "select":
            self.select = a["name"]
            self.valeurs.setdefault(self.select, "")
        elif tag == "option" and self.select and "selected" in a:
            self.valeurs[self.select] = a.get("value", "")
        elif tag == "input" and a.get("name") and a.get("type") != "file" and a["name"] != "csrfmiddlewaretoken":
            self.valeurs[a["name"]] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def champs(page: str) -> dict[str, str]:
    parser = Champs()
    parser.feed(page)
    return parser.valeurs


def colonne(valeurs, page, entete):
    """The form field of the column whose header is `entete`."""
    for name in valeurs:
        if name.startswith("col_") and f'<label for="id_{name}">{entete}</label>' in page:
            return name
    raise AssertionError(entete)


def ligne_de_valeur(page, prefixe, valeur):
    """The form field of a value table's row (`service_theme`, `statut`) for the source value `valeur`."""
    motif = rf'<label class="masque-visuel" for="id_({prefixe}_\d+)">[^<]*« {re.escape(valeur)} »</label>'
    trouve = re.findall(motif, page)
    assert len(trouve) == 1, (prefixe, valeur)
    return trouve[0]


def fichiers_deposes() -> list[Path]:
    dossier = Path(settings.MEDIA_ROOT) / DOSSIER
    return list(dossier.iterdir()) if dossier.is_dir() else []


def choisir_services(page, valeurs, choix):
    for code, (theme, activite) in choix.items():
        valeurs[ligne_de_valeur(page, "service_theme", code)] = theme
        valeurs[ligne_de_valeur(page, "service_activite", code)] = activite


def test_a_foreign_export_is_mapped_then_staged_with_its_figures_and_its_profile_saved(connecte, cast, territoire):
    client = connecte(cast["dgs_merignac"])
    assert "Importer un export de votre logiciel de paie" in client.get(url(territoire, "lots")).content.decode()
    response = deposer(client, territoire, EXPORT_2025, MERIGNAC)
    assert response.status_code == 302 and response["Location"] == url(territoire, "export_correspondance")
    assert len(fichiers_deposes()) == 1

    page = client.get(response["Location"]).content.decode()
    valeurs = champs(page)
    # guessed from the headers: the name ignored; the service and statut tables list the file's codes
    assert valeurs[colonne(valeurs, page, "Matricule")] == "agent"
    assert valeurs[colonne(valeurs, page, "Nom")] == ""
    assert valeurs[colonne(valeurs, page, "Code service")] == "service"
    assert valeurs[colonne(valeurs, page, "Brut chargé")] == "cout_annuel"
    assert valeurs[colonne(valeurs, page, "Taux activité")] == "etp"
    assert valeurs[ligne_de_valeur(page, "statut", "TIT")] == "titulaire"
    assert valeurs[ligne_de_valeur(page, "statut", "CONT")] == "contractuel"
    assert valeurs[ligne_de_valeur(page, "service_theme", "0420")] == ""  # a code to choose
    assert "Dupont" not in page and "M01" not in page  # no value of the file but the codes to map

    choisir_services(page, valeurs, {"0420": ("RH", "RH-PAIE"), "0510": ("FIN", "FIN-BUDG"), "0999": ("AUTRE", "")})
    valeurs["nom_profil"] = "Export annuel"
    response = client.post(url(territoire, "export_correspondance"), valeurs)
    lot = Lot.objects.get()
    assert response.status_code == 302 and response["Location"] == url(territoire, "lot", pk=lot.pk)
    # figures checked by hand: 45 000,50 + 30 000 + 52 000 + 28 000 + 41 000; 1 + 0,8 + 1 + 0,5 + 1 ETP
    assert (lot.statut, lot.annee, lot.nb_lignes, lot.nb_agents) == ("a_confirmer", 2025, 5, 5)
    assert (lot.cout_total, lot.etp_total) == (Decimal("196000.50"), Decimal("4.3000"))
    assert lot.fichier == "export-paie.csv (export converti)" and lot.importe_par == cast["dgs_merignac"]
    assert [(e.organisation.code, e.cout) for e in LotEmployeur.objects.filter(lot=lot)] == [
        (MERIGNAC, Decimal("196000.50"))
    ]
    cellules = {
        (a.theme, a.activite): (a.nb_agents, round(a.montant, 2), round(a.etp, 4))
        for a in Agregat.objects.filter(lot=lot)
    }
    assert cellules == {
        ("RH", "RH-PAIE"): (3, 116000.5, 2.8),
        ("FIN", "FIN-BUDG"): (1, 52000.0, 1.0),
        ("AUTRE", ""): (1, 28000.0, 0.5),
    }
    assert sorted(LignePaie.objects.filter(lot=lot).values_list("ligne", "statut", "service")) == [
        (2, "titulaire", "0420"),
        (3, "contractuel", "0420"),
        (4, "titulaire", "0510"),
        (5, "titulaire", "0999"),
        (6, "titulaire", "0420"),
    ]
    assert not LignePaie.objects.filter(agent__in=["M01", "M02"]).exists()  # pseudonymised as any import
    # the uploaded file is gone, the profile kept for next year
    assert fichiers_deposes() == []
    profil = ProfilColonnes.objects.get()
    assert profil.organisation.code == MERIGNAC and profil.nom == "Export annuel"
    assert profil.colonnes == {
        "Matricule": "agent",
        "Nom": "",
        "Code service": "service",
        "Statut": "statut",
        "Brut chargé": "cout_annuel",
        "Taux activité": "etp",
    }
    assert profil.valeurs["theme"] == {"0420": "RH", "0510": "FIN", "0999": "AUTRE"}
    assert profil.valeurs["statut"] == {"CONT": "contractuel", "STAG": "titulaire", "TIT": "titulaire"}
    assert Evenement.objects.filter(action="masse_salariale.profil", objet__contains="Export annuel").exists()
    assert Evenement.objects.filter(action="masse_salariale.import").exists()

    # the same batch page and confirmation as any import
    page = client.get(response["Location"]).content.decode()
    assert "Confirmer l'import" in page and "est converti et vérifié" in page
    client.post(url(territoire, "confirmer", pk=lot.pk))
    lot.refresh_from_db()
    assert lot.statut == "confirme"


def _importer_2025(client, territoire):
    deposer(client, territoire, EXPORT_2025, MERIGNAC)
    page = client.get(url(territoire, "export_correspondance")).content.decode()
    valeurs = champs(page)
    choisir_services(page, valeurs, {"0420": ("RH", "RH-PAIE"), "0510": ("FIN", "FIN-BUDG"), "0999": ("AUTRE", "")})
    valeurs["nom_profil"] = "Export annuel"
    assert client.post(url(territoire, "export_correspondance"), valeurs).status_code == 302
    return ProfilColonnes.objects.get(nom="Export annuel")


def test_the_profile_is_reused_the_next_year_on_a_workbook_with_a_new_service(connecte, cast, territoire):
    client = connecte(cast["dgs_merignac"])
    profil = _importer_2025(client, territoire)
    export_2026 = xlsx_bytes(
        [
            ["Matricule", "Nom", "Code service", "Statut", "Brut chargé", "Taux activité"],
            ["M01", "Dupont", "0420", "TIT", 46000, 1],
            ["M03", "Martin", "0510", "TIT", 53000, 1],
            ["M06", "Leroy", "0600", "CONT", 25000, 0.5],  # a service created in 2026
            [None, "Édité le 12/01/2027"],  # a footer in an ignored column
        ],
        sheet="Paie 2026",
    )
    assert deposer(client, territoire, export_2026, MERIGNAC, "paie-2026.xlsx", 2026, profil).status_code == 302
    page = client.get(url(territoire, "export_correspondance")).content.decode()
    assert "ne correspond plus" not in page
    assert "1 code de service que le profil ne connaît pas" in page
    valeurs = champs(page)
    assert valeurs["nom_profil"] == "Export annuel"
    assert valeurs[ligne_de_valeur(page, "service_theme", "0420")] == "RH"
    assert valeurs[ligne_de_valeur(page, "service_activite", "0420")] == "RH-PAIE"
    assert valeurs[ligne_de_valeur(page, "service_theme", "0600")] == ""
    choisir_services(page, valeurs, {"0600": ("SI", "")})
    response = client.post(url(territoire, "export_correspondance"), valeurs)
    lot = Lot.objects.get(annee=2026)
    assert response["Location"] == url(territoire, "lot", pk=lot.pk)
    assert (lot.nb_lignes, lot.cout_total, lot.etp_total) == (3, Decimal("124000.00"), Decimal("2.5000"))
    assert lot.avertissements == [
        "ligne 5 : aucune valeur dans les colonnes retenues (seules des colonnes ignorées sont remplies) : "
        "laissée de côté"
    ]
    assert "ligne 5 : aucune valeur dans les colonnes retenues" in client.get(response["Location"]).content.decode()
    assert set(Agregat.objects.filter(lot=lot).values_list("theme", "activite", "montant")) == {
        ("RH", "RH-PAIE", 46000.0),
        ("FIN", "FIN-BUDG", 53000.0),
        ("SI", "", 25000.0),  # cost × quotité (1), whatever the ETP
    }
    profil.refresh_from_db()
    # this year's new service is added; last year's 0999, absent this year, keeps its theme
    assert profil.valeurs["theme"] == {"0420": "RH", "0510": "FIN", "0600": "SI", "0999": "AUTRE"}
    assert ProfilColonnes.objects.count() == 1


def test_a_profile_whose_columns_changed_says_which_and_is_fixed(connecte, cast, territoire):
    client = connecte(cast["dgs_merignac"])
    profil = _importer_2025(client, territoire)
    renomme = (
        "Matricule;Nom;Service affecté;Grade;Statut;Brut chargé;Taux activité\n"
        "M01;Dupont;0420;Rédacteur;TIT;45 000;1\n"
        "M02;Durand;0510;Adjoint;CONT;30000;1\n"
    ).encode()
    deposer(client, territoire, renomme, MERIGNAC, annee=2026, profil=profil)
    page = client.get(url(territoire, "export_correspondance")).content.decode()
    assert (
        "Le profil « Export annuel » ne correspond plus aux colonnes du fichier : 1 colonne du profil absente du "
        "fichier : « Code service » ; 2 colonnes nouvelles que le profil ne connaît pas : « Service affecté », "
        "« Grade »."
    ) in page
    valeurs = champs(page)
    # the columns it knows keep its choices; the new ones are guessed, the service's codes reuse its values
    assert valeurs[colonne(valeurs, page, "Service affecté")] == "service"
    assert valeurs[colonne(valeurs, page, "Grade")] == ""
    assert valeurs[ligne_de_valeur(page, "service_theme", "0510")] == "FIN"
    response = client.post(url(territoire, "export_correspondance"), valeurs)
    assert response.status_code == 302 and Lot.objects.filter(annee=2026, nb_lignes=2).exists()
    profil.refresh_from_db()
    assert profil.colonnes["Service affecté"] == "service" and "Code service" not in profil.colonnes


def test_a_bad_value_mapping_names_the_line_and_imports_nothing_until_fixed(connecte, cast, territoire):
    client = connecte(cast["dgs_merignac"])
    deposer(client, territoire, EXPORT_2025, MERIGNAC)
    page = client.get(url(territoire, "export_correspondance")).content.decode()
    valeurs = champs(page)
    choisir_services(page, valeurs, {"0420": ("RH", "RH-FORM"), "0510": ("FIN", "RH-PAIE")})  # 0999 left to choose
    valeurs["nom_profil"] = "Export annuel"
    response = client.post(url(territoire, "export_correspondance"), valeurs)
    assert response.status_code == 400
    page = response.content.decode()
    assert "2 erreurs" in page and "rien n'a été importé" in page
    assert (
        "ligne 4 : Code service « 0510 » : l&#x27;activité RH-PAIE choisie pour ce service est du thème RH, "
        "et non du thème FIN choisi pour lui"
    ) in page
    assert "ligne 5 : Code service « 0999 » : aucun thème choisi pour ce service" in page
    assert not Lot.objects.exists() and not ProfilColonnes.objects.exists()
    assert Evenement.objects.filter(action="masse_salariale.refus", objet="export-paie.csv").exists()
    # her choices are kept and the file too: she fixes the mapping and converts again
    valeurs = champs(page)
    assert valeurs[ligne_de_valeur(page, "service_activite", "0420")] == "RH-FORM"
    choisir_services(page, valeurs, {"0510": ("FIN", "FIN-BUDG"), "0999": ("AUTRE", "")})
    assert client.post(url(territoire, "export_correspondance"), valeurs).status_code == 302
    assert Lot.objects.count() == 1 and ProfilColonnes.objects.count() == 1


def test_the_payroll_files_errors_name_the_exports_lines_and_columns(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    # a blank line after the headers (line 2): the export's numbers are kept
    entete, reste = EXPORT_2025.replace(b"52 000", b"cinquante").replace(b"M04;", b";").split(b"\n", 1)
    export = entete + b"\n;;;;;\n" + reste
    deposer(client, territoire, export, MERIGNAC)
    page = client.get(url(territoire, "export_correspondance")).content.decode()
    valeurs = champs(page)
    choisir_services(page, valeurs, {"0420": ("RH", ""), "0510": ("FIN", ""), "0999": ("AUTRE", "")})
    response = client.post(url(territoire, "export_correspondance"), valeurs)
    assert response.status_code == 400
    page = response.content.decode()
    assert "ligne 5 : Brut chargé « cinquante » : n&#x27;est pas un nombre" in page
    assert "ligne 6 : Matricule « » : identifiant d&#x27;agent manquant" in page
    assert not Lot.objects.exists() and len(fichiers_deposes()) == 1


def test_changing_the_service_column_refreshes_the_value_tables_without_importing(connecte, cast, territoire):
    client = connecte(cast["dgs_merignac"])
    export = b"Matricule;Direction;Code service;Brut charge\nM01;DRH;0420;40000\nM02;DFI;0510;30000\n"
    deposer(client, territoire, export, MERIGNAC)
    page = client.get(url(territoire, "export_correspondance")).content.decode()
    valeurs = champs(page)
    assert valeurs[colonne(valeurs, page, "Direction")] == "service"  # a usual header: guessed first
    valeurs[colonne(valeurs, page, "Direction")] = ""
    valeurs[colonne(valeurs, page, "Code service")] = "service"
    response = client.post(url(territoire, "export_correspondance"), valeurs)
    assert response.status_code == 200 and not Lot.objects.exists()
    page = response.content.decode()
    assert "Les tableaux des valeurs suivent maintenant les colonnes choisies" in page
    assert "colonne « Code service »" in page and "« 0420 »" in page and "« DRH »" not in page


def test_abandoning_deletes_the_uploaded_file(connecte, cast, territoire):
    client = connecte(cast["dgs_merignac"])
    deposer(client, territoire, EXPORT_2025, MERIGNAC)
    assert len(fichiers_deposes()) == 1
    page = client.get(url(territoire, "export")).content.decode()
    assert "Un export attend sa correspondance : « export-paie.csv » (année 2025)" in page
    response = client.post(url(territoire, "export_abandonner"), {"jeton": champs(page)["jeton"]})
    assert response["Location"] == url(territoire, "lots") and fichiers_deposes() == []
    assert client.get(url(territoire, "export_correspondance"))["Location"] == url(territoire, "export")
    assert not Lot.objects.exists()


def test_an_unreadable_export_is_refused_at_the_upload(connecte, cast, territoire):
    client = connecte(cast["dgs_merignac"])
    response = deposer(client, territoire, b"Matricule;Cout;matricule\nA;1;A\n", MERIGNAC)
    assert response.status_code == 400
    assert "en-tête en double : « Matricule » (colonnes A, C)" in response.content.decode()
    assert fichiers_deposes() == []


def test_a_commune_dgs_uses_neither_another_employers_profile_nor_imports_for_it(connecte, cast, territoire):
    bordeaux = ProfilColonnes.objects.create(
        organisation=territoire.organisations.get(code=BORDEAUX), nom="Profil de Bordeaux", colonnes={"Mat": "agent"}
    )
    client = connecte(cast["dgs_merignac"])
    page = client.get(url(territoire, "export")).content.decode()
    assert "Profil de Bordeaux" not in page
    # another employer's profile, or another employer: refused at the upload, nothing kept
    response = deposer(client, territoire, EXPORT_2025, MERIGNAC, profil=bordeaux)
    assert response.status_code == 400 and "Sélectionnez un choix valide" in response.content.decode()
    response = deposer(client, territoire, EXPORT_2025, BORDEAUX)
    assert response.status_code == 400 and fichiers_deposes() == []
    assert client.post(url(territoire, "export_profil_supprimer", pk=bordeaux.pk)).status_code == 404
    # an employer column naming Bordeaux: its lines are refused, nothing is imported
    export = b"Collectivite;Matricule;Theme;Cout\n33281;M1;RH;40000\n33063;B1;FIN;30000\n"
    deposer(client, territoire, export, MERIGNAC)
    page = client.get(url(territoire, "export_correspondance")).content.decode()
    response = client.post(url(territoire, "export_correspondance"), champs(page))
    assert response.status_code == 400
    assert "ligne 3 : Collectivite « 33063 » : vous ne pouvez importer que les lignes de votre organisation" in (
        response.content.decode()
    )
    assert not Lot.objects.exists()
    # the team may use Bordeaux's profile and import for Bordeaux; an observer may not even open the page
    equipe = connecte(cast["equipe_projet"])
    assert "Profil de Bordeaux" in equipe.get(url(territoire, "export")).content.decode()
    assert deposer(equipe, territoire, EXPORT_2025, BORDEAUX, profil=bordeaux).status_code == 302
    assert connecte(cast["observateur"]).get(url(territoire, "export")).status_code == 403
    assert ProfilColonnes.objects.filter(pk=bordeaux.pk).exists()


def test_a_profile_is_deleted_by_whoever_imports_for_its_employer(connecte, cast, territoire):
    profil = ProfilColonnes.objects.create(
        organisation=territoire.organisations.get(code=MERIGNAC), nom="Ancien", colonnes={"Mat": "agent"}
    )
    client = connecte(cast["dgs_merignac"])
    assert "Ancien" in client.get(url(territoire, "export")).content.decode()
    response = client.post(url(territoire, "export_profil_supprimer", pk=profil.pk))
    assert response["Location"] == url(territoire, "export") and not ProfilColonnes.objects.exists()
    assert Evenement.objects.filter(action="masse_salariale.profil_suppression").exists()


def test_an_export_left_half_way_is_deleted_by_the_next_upload_after_a_day(connecte, cast, territoire):
    import os
    import time

    deposer(connecte(cast["dgs_bordeaux"]), territoire, EXPORT_2025, BORDEAUX)
    (laisse,) = fichiers_deposes()
    os.utime(laisse, (time.time() - 25 * 3600,) * 2)
    deposer(connecte(cast["dgs_merignac"]), territoire, EXPORT_2025, MERIGNAC)
    assert laisse not in fichiers_deposes() and len(fichiers_deposes()) == 1


def test_a_tab_left_on_a_replaced_export_neither_imports_nor_abandons_the_new_one(connecte, cast, territoire):
    """Two tabs, one session: tab 1 maps A.csv (Mérignac, services S01 and S02), tab 2 then deposits B.csv
    (Bordeaux, services S02 and S03), which replaces A.csv. Whatever tab 1 then posts is refused: its mapping
    is not applied to B.csv (whose S03 it never showed), no profile is saved, B.csv is not abandoned."""
    client = connecte(cast["equipe_projet"])
    export_a = b"Matricule;Code service;Brut charge\nA1;S01;40000\nA2;S02;30000\n"
    export_b = b"Matricule;Code service;Brut charge\nB1;S02;35000\nB2;S03;25000\n"
    assert deposer(client, territoire, export_a, MERIGNAC, "A.csv").status_code == 302
    page_a = client.get(url(territoire, "export_correspondance")).content.decode()
    valeurs_a = champs(page_a)
    choisir_services(page_a, valeurs_a, {"S01": ("RH", ""), "S02": ("FIN", "")})
    valeurs_a["nom_profil"] = "Profil d'Ambès"

    assert deposer(client, territoire, export_b, BORDEAUX, "B.csv").status_code == 302  # tab 2
    assert len(fichiers_deposes()) == 1
    remplace = (
        "Cet export a été remplacé par « B.csv » dans un autre onglet : la correspondance n&#x27;a pas été "
        "appliquée ; reprenez-la sur la page ci-dessous."
    )
    # tab 1 converts, or updates its value tables: refused, B.csv's own mapping page shown again
    for envoi in (valeurs_a, {**valeurs_a, "actualiser": "1"}):
        response = client.post(url(territoire, "export_correspondance"), envoi, follow=True)
        assert response.redirect_chain == [(url(territoire, "export_correspondance"), 302)]
        page = response.content.decode()
        assert remplace in page
        assert "Correspondance des colonnes de « B.csv »" in page and "Bordeaux" in page
        assert "« S03 »" in page and "« S01 »" not in page
        assert not Lot.objects.exists() and not ProfilColonnes.objects.exists()
        assert not Evenement.objects.filter(action__startswith="masse_salariale.").exists()

    # tab 1 abandons: B.csv is kept
    response = client.post(url(territoire, "export_abandonner"), {"jeton": valeurs_a["jeton"]}, follow=True)
    assert response.redirect_chain == [(url(territoire, "export_correspondance"), 302)]
    assert "remplacé par « B.csv » dans un autre onglet : « B.csv » n&#x27;a pas été abandonné" in (
        response.content.decode()
    )
    assert len(fichiers_deposes()) == 1

    # tab 2 maps B.csv: imported for Bordeaux with its own mapping
    page_b = client.get(url(territoire, "export_correspondance")).content.decode()
    valeurs_b = champs(page_b)
    assert valeurs_b["jeton"] != valeurs_a["jeton"]
    choisir_services(page_b, valeurs_b, {"S02": ("SI", ""), "S03": ("AUTRE", "")})
    response = client.post(url(territoire, "export_correspondance"), valeurs_b)
    lot = Lot.objects.get()
    assert response["Location"] == url(territoire, "lot", pk=lot.pk)
    assert [e.organisation.code for e in LotEmployeur.objects.filter(lot=lot)] == [BORDEAUX]
    assert set(Agregat.objects.filter(lot=lot).values_list("theme", "montant")) == {("SI", 35000.0), ("AUTRE", 25000.0)}
    assert not ProfilColonnes.objects.exists() and fichiers_deposes() == []


def test_abandoning_from_the_current_page_still_deletes_the_export(connecte, cast, territoire):
    client = connecte(cast["equipe_projet"])
    deposer(client, territoire, EXPORT_2025, MERIGNAC)
    valeurs = champs(client.get(url(territoire, "export_correspondance")).content.decode())
    response = client.post(url(territoire, "export_abandonner"), {"jeton": valeurs["jeton"]})
    assert response["Location"] == url(territoire, "lots") and fichiers_deposes() == []
