"""Files given to our command-line tools: the territory and payroll files, read and validated together
(shared by `mutualis coefficient`, `simulate` and `optimize`)."""

from dataclasses import dataclass, field

from commun.commandes import lire_octets
from engine.scenario import Territoire
from formats.payroll import Payroll, TerritoryCodes, read_payroll
from formats.territory import FPU, TerritoryFile, read_territory


@dataclass
class Entrees:
    territory: TerritoryFile
    payroll: Payroll
    warnings: list[str] = field(default_factory=list)

    @property
    def organisations(self) -> list[str]:
        """The EPCI first, then its communes in file order."""
        return [self.territory.epci.code, *(c.code for c in self.territory.communes)]

    @property
    def noms(self) -> dict[str, str]:
        return {self.territory.epci.code: self.territory.epci.nom, **{c.code: c.nom for c in self.territory.communes}}

    @property
    def territoire(self) -> Territoire:
        """The territory as the scenario engine takes it."""
        t = self.territory
        return Territoire(
            epci=t.epci.code,
            fpu=t.epci.fiscalite == FPU,
            communes=tuple(c.code for c in t.communes),
            populations={c.code: c.population for c in t.communes},
        )


def lire_territoire_et_paie(territory_path: str, payroll_path: str) -> Entrees:
    """Read both files (raises InvalidFile or SortieInvalide: exit status 2); payroll activities are
    checked against the default referential."""
    from referentiel.defaut import activity_theme_map

    territory = read_territory(*lire_octets(territory_path))
    codes = TerritoryCodes(
        epci=territory.epci.code, communes=frozenset(c.code for c in territory.communes), name=territory.epci.nom
    )
    payroll = read_payroll(*lire_octets(payroll_path), codes, activity_theme_map())
    return Entrees(territory, payroll, [*territory.warnings, *payroll.warnings])
