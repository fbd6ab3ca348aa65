"""DSN files written by hand for the tests, in the norm's syntax, with blocks Mutualis skips."""

from decimal import Decimal

SIREN, NIC = "213300635", "00018"
NIR = "2850733063123"
TAUX = {"cnracl": Decimal("0.3765"), "general": Decimal("0.42")}


def contrat(numero, nature="50", regime="120", quotite="35", reference="35", unite="10", libelle="Gestionnaire paie"):
    return {"numero": numero, "nature": nature, "regime": regime, "quotite": quotite, "reference": reference,
            "unite": unite, "libelle": libelle}  # fmt: skip


def dsn_mois(mois, individus, type_="01", fraction="11", nature="01", annee=2025, siren=SIREN):
    """One declaration in the norm's syntax, with blocks Mutualis skips (sender, NIR, names, contributions)."""
    lignes = [
        ("S10.G00.00.001", "Logiciel de paie"),
        ("S20.G00.05.001", nature),
        ("S20.G00.05.002", type_),
        ("S20.G00.05.003", fraction),
        ("S20.G00.05.005", f"01{mois:02d}{annee}"),
        ("S21.G00.06.001", siren),
        ("S21.G00.11.001", NIC),
    ]
    for matricule, contrats, payes in individus:
        lignes += [("S21.G00.30.001", NIR), ("S21.G00.30.002", "DUPONT"), ("S21.G00.30.004", "Jeanne")]
        if matricule:
            lignes.append(("S21.G00.30.019", matricule))
        for c in contrats:
            lignes += [
                ("S21.G00.40.001", f"0101{annee}"),
                ("S21.G00.40.006", c["libelle"]),
                ("S21.G00.40.007", c["nature"]),
                ("S21.G00.40.009", c["numero"]),
                ("S21.G00.40.011", c["unite"]),
                ("S21.G00.40.012", c["reference"]),
                ("S21.G00.40.013", c["quotite"]),
                ("S21.G00.40.020", c["regime"]),
            ]
        for numero, montant in payes:
            lignes += [
                ("S21.G00.51.001", f"01{mois:02d}{annee}"),
                ("S21.G00.51.010", numero),
                ("S21.G00.51.011", "001"),
                ("S21.G00.51.013", montant),
                ("S21.G00.51.001", f"01{mois:02d}{annee}"),
                ("S21.G00.51.010", numero),
                ("S21.G00.51.011", "002"),  # another kind of pay: never counted
                ("S21.G00.51.013", "999.00"),
            ]
        lignes += [("S21.G00.81.001", "076"), ("S21.G00.81.004", "123.45")]  # a contribution: skipped
    return "\n".join(f"{c},'{v.replace(chr(39), chr(39) * 2)}'" for c, v in lignes) + "\n"
