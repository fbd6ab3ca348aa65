"""The pure vocabulary of the schéma, declared once and imported everywhere (next to engine/themes.py):
the modalités of pooling (docs/contrats §5) and the two scales the groups score GT3 lines on
(qualification 1 to 4, feasibility 0 to 4+, docs/contrats §6)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Modalite:
    code: str
    label: str
    moves_staff: bool  # staff-moving: the base moves to the EPCI (or works for it)


MODALITES_DU_SCHEMA: tuple[Modalite, ...] = (
    Modalite("service_commun", "Service commun", True),
    Modalite("transfert", "Transfert de compétence", True),
    Modalite("mad_ascendante", "Mise à disposition ascendante (commune → EPCI)", True),
    Modalite("mad_descendante", "Mise à disposition descendante (EPCI → communes)", True),
    Modalite("groupement_commandes", "Groupement de commandes", False),
    Modalite("prestation", "Prestation de services", False),
    Modalite("mise_en_commun_biens", "Mise en commun de biens", False),
    Modalite("entente", "Entente", False),
)
STAFF_MODALITES: tuple[str, ...] = tuple(m.code for m in MODALITES_DU_SCHEMA if m.moves_staff)
OTHER_MODALITES: tuple[str, ...] = tuple(m.code for m in MODALITES_DU_SCHEMA if not m.moves_staff)
MODALITES: tuple[str, ...] = STAFF_MODALITES + OTHER_MODALITES
# Modalities where the EPCI becomes the employer of what moves (the commune's payroll leaves it).
EMPLOYER_MOVES: tuple[str, ...] = ("service_commun", "transfert", "mad_descendante")
MAD_MODALITES: tuple[str, ...] = ("mad_ascendante", "mad_descendante")

QUALIFICATIONS: tuple[int, ...] = (1, 2, 3, 4)
# Ordered 0 < 1 < 2 < 3 < 4 < 4+; "4+" counts 5 in sums.
FAISABILITES: tuple[str, ...] = ("0", "1", "2", "3", "4", "4+")
FAISABILITE_RANG: dict[str, int] = {f: rank for rank, f in enumerate(FAISABILITES)}
FAISABILITE_MAX: int = FAISABILITE_RANG["4+"]

# The situations of a payroll line (docs/contrats §3): its own employer's, transferred to the EPCI, made
# available to another body.
PROPRE, TRANSFERE, MAD = "propre", "transfere", "mad"
SITUATIONS: dict[str, str] = {PROPRE: "Propre", TRANSFERE: "Transféré", MAD: "Mis à disposition"}
