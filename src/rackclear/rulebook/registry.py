"""The rulebook: every loaded pack, with "as of" lookups that follow ``extends`` (DE -> EU)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from rackclear.domain.codes import is_country, is_currency
from rackclear.rulebook.errors import PackError, PackLoadError
from rackclear.rulebook.loader import Measure, Pack, load_pack
from rackclear.rulebook.lookup import Lookup, Status
from rackclear.rulebook.schema import ChargesFile
from rackclear.rulebook.tariff import Tariff


class Rulebook:
    """All rule packs, keyed by id."""

    def __init__(self, packs: dict[str, Pack]) -> None:
        self.packs = packs
        self._lookups: dict[tuple[str, str, date], Lookup] = {}
        self._by_country: dict[str, Pack] = {}
        self.claims: dict[str, list[str]] = {}
        for pack in packs.values():
            if pack.meta.kind == "jurisdiction":
                for country in pack.meta.countries:
                    self.claims.setdefault(country, []).append(pack.meta.id)
                    self._by_country[country] = pack

    def jurisdiction(self, country: str) -> Pack | None:
        return self._by_country.get(country)

    def countries(self) -> list[str]:
        return sorted(self._by_country)

    def chain(self, pack_id: str) -> list[Pack]:
        """The pack and the packs it extends, nearest first."""
        out: list[Pack] = []
        current: str | None = pack_id
        while current is not None and current in self.packs and len(out) < 8:
            out.append(self.packs[current])
            current = self.packs[current].meta.extends
        return out

    def parameter(self, pack_id: str, name: str, when: date) -> Lookup:
        """The value of parameter ``name`` in force on ``when`` (looked up once, then cached)."""
        key = (pack_id, name, when)
        found = self._lookups.get(key)
        if found is None:
            found = self._lookups[key] = self._parameter(pack_id, name, when)
        return found

    def _parameter(self, pack_id: str, name: str, when: date) -> Lookup:
        for pack in self.chain(pack_id):
            if name in pack.parameters:
                return pack.parameters[name].at(when)
        return Lookup(f"{pack_id}.{name}", when, Status.NOT_IN_FORCE)

    def first_date(self, pack_id: str, name: str) -> date | None:
        """The date the earliest recorded value of parameter ``name`` applies from."""
        for pack in self.chain(pack_id):
            if name in pack.parameters:
                values = pack.parameters[name].values
                return values[0].start if values else None
        return None

    def has_parameter(self, pack_id: str, name: str) -> bool:
        return any(name in p.parameters for p in self.chain(pack_id))

    def tariff(self, pack_id: str) -> Tariff | None:
        return next((p.tariff for p in self.chain(pack_id) if p.tariff is not None), None)

    def charges(self, pack_id: str) -> ChargesFile | None:
        return next((p.charges for p in self.chain(pack_id) if p.charges is not None), None)

    def measures(self, pack_id: str, group: str) -> list[Measure] | None:
        return next((p.measures[group] for p in self.chain(pack_id) if group in p.measures), None)

    def versions(self) -> dict[str, str]:
        """Every pack's version and content digest, recorded in each dossier."""
        return {pid: f"{p.meta.version}+{p.digest}" for pid, p in sorted(self.packs.items())}


def _cross_check(book: Rulebook, errors: list[PackError]) -> None:
    """References between files must resolve: packs extended, parameters, tariff columns,
    measures and base components named by a charge chain; one pack per country."""
    for country, ids in sorted(book.claims.items()):
        if len(ids) > 1:
            errors.append(
                PackError(
                    ", ".join(sorted(ids)),
                    "countries",
                    f"{country} is claimed by more than one jurisdiction pack",
                )
            )
    for pid, pack in book.packs.items():
        if pack.meta.extends and pack.meta.extends not in book.packs:
            errors.append(
                PackError(f"{pack.path}/pack.yaml", "extends", f"no pack {pack.meta.extends!r}")
            )
        for country in pack.meta.countries:
            if not is_country(country):
                errors.append(
                    PackError(
                        f"{pack.path}/pack.yaml",
                        "countries",
                        f"{country!r} is not an ISO 3166 alpha-2 code",
                    )
                )
        if pack.meta.currency is not None and not is_currency(pack.meta.currency):
            errors.append(
                PackError(
                    f"{pack.path}/pack.yaml",
                    "currency",
                    f"{pack.meta.currency!r} is not an ISO 4217 code",
                )
            )
        _check_units(pack, errors)
        _check_national_lines(book, pack, errors)
        _check_requirements(book, pack, errors)
        if pack.meta.kind != "jurisdiction":
            continue
        if pack.meta.currency is None:
            errors.append(
                PackError(
                    f"{pack.path}/pack.yaml", "currency", "a jurisdiction pack needs its currency"
                )
            )
        charges = book.charges(pid)
        if charges is None:
            errors.append(
                PackError(
                    pack.path,
                    "",
                    "a jurisdiction pack needs charges.yaml (here or in the pack it extends)",
                )
            )
            continue
        _check_chain(book, pid, pack, charges, errors)


def _check_requirements(book: Rulebook, pack: Pack, errors: list[PackError]) -> None:
    """Requirement families must be classification families (or ``all``); ids are unique
    across the rulebook (versions of one id live in one file)."""
    if pack.requirements is None:
        return
    known = {"all"} | {
        f.id for p in book.packs.values() if p.families is not None for f in p.families.families
    }
    for i, req in enumerate(pack.requirements.requirements):
        for family in req.families:
            if family not in known:
                errors.append(
                    PackError(
                        f"{pack.path}/requirements.yaml",
                        f"requirements[{i}].families",
                        f"{family!r} is not a classification family id (packs/classification/families.yaml)",
                    )
                )
        for other in book.packs.values():
            if (
                other is not pack
                and other.requirements is not None
                and any(r.id == req.id for r in other.requirements.requirements)
            ):
                errors.append(
                    PackError(
                        f"{pack.path}/requirements.yaml",
                        f"requirements[{i}].id",
                        f"{req.id!r} is also used in {other.path}/requirements.yaml",
                    )
                )


def _check_chain(
    book: Rulebook, pid: str, pack: Pack, charges: ChargesFile, errors: list[PackError]
) -> None:
    tariff = book.tariff(pid)
    columns = tariff.columns() if tariff is not None else set()
    earlier: set[str] = set()
    for i, charge in enumerate(charges.charges):
        where = f"charges[{i}] ({charge.id})"
        names = [charge.rate.parameter, charge.rate.fixed, charge.minimum, charge.maximum]
        names += [alt.origins_in for alt in charge.rate.lowest_of]
        for name in filter(None, names):
            if not book.has_parameter(pid, name):
                errors.append(
                    PackError(
                        pack.path, where, f"no parameter {name!r} in this pack or those it extends"
                    )
                )
        wanted = (
            [charge.rate.tariff]
            + [a.tariff for a in charge.rate.lowest_of]
            + [p.tariff for p in charge.preferences]
        )
        for column in filter(None, wanted):
            if column not in columns:
                errors.append(PackError(pack.path, where, f"no tariff column {column!r}"))
        if charge.rate.measures and book.measures(pid, charge.rate.measures) is None:
            errors.append(PackError(pack.path, where, f"no measures file {charge.rate.measures!r}"))
        if charge.level == "entry" and (charge.rate.tariff or charge.rate.measures):
            errors.append(
                PackError(
                    pack.path,
                    where,
                    "an entry-level charge takes a parameter or fixed rate, not a tariff or measures",
                )
            )
        if charge.level == "line" and (charge.minimum or charge.maximum or charge.rate.fixed):
            errors.append(
                PackError(
                    pack.path, where, "minimum, maximum and fixed apply to entry-level charges only"
                )
            )
        for component in charge.base:
            if component not in ("customs_value", "duties") and component not in earlier:
                errors.append(
                    PackError(
                        pack.path,
                        where,
                        f"base component {component!r} is neither customs_value, duties nor an earlier charge",
                    )
                )
        earlier.add(charge.id)


def _check_national_lines(book: Rulebook, pack: Pack, errors: list[PackError]) -> None:
    """Each mapping names a known family and a line within that family's subheading (or within a
    documented jurisdiction view of it)."""
    rules = book.packs.get("classification")
    if pack.national_lines is None or rules is None or rules.families is None:
        return
    families = {f.id: f for f in rules.families.families}
    for row in pack.national_lines.rows():
        family = families.get(row.family)
        where = f"family {row.family}, line {row.line}"
        if family is None:
            errors.append(
                PackError(
                    f"{pack.path}/national_lines.csv",
                    where,
                    "no such family in packs/classification",
                )
            )
            continue
        allowed = {family.hs6} | {v.hs6 for v in family.jurisdictions.values()}
        digits_ = "".join(ch for ch in row.line if ch.isdigit())
        if not any(digits_.startswith(h.replace(".", "")) for h in allowed):
            errors.append(
                PackError(
                    f"{pack.path}/national_lines.csv",
                    where,
                    f"the line is outside the family's subheading {', '.join(sorted(allowed))}",
                )
            )


_NUMERIC_UNITS = {"percent", "amount", "number"}


def _check_units(pack: Pack, errors: list[PackError]) -> None:
    """Each parameter value must fit its declared unit."""
    for name, info in pack.parameter_info.items():
        for n, entry in enumerate(info.values):
            value = entry.value
            if value is None:
                continue
            where = f"values[{n}].value"
            file = f"{pack.path}/parameters/{name}.yaml"
            if info.unit in _NUMERIC_UNITS:
                try:
                    parts = str(value).split("/")
                    [Decimal(p.strip()) for p in parts]
                except InvalidOperation:
                    errors.append(
                        PackError(file, where, f"{value!r} is not a number for unit {info.unit}")
                    )
            elif info.unit == "bool" and not isinstance(value, bool):
                errors.append(PackError(file, where, f"{value!r} is not true/false"))
            elif info.unit == "codes" and not (
                isinstance(value, list) and all(isinstance(v, str) for v in value)
            ):
                errors.append(PackError(file, where, "expected a list of codes"))
            elif info.unit == "mapping" and not isinstance(value, dict):
                errors.append(PackError(file, where, "expected a mapping"))


def load_rulebook_from(roots: list[Traversable]) -> Rulebook:
    """Load every pack folder beneath each root; raise ``PackLoadError`` listing all problems."""
    errors: list[PackError] = []
    packs: dict[str, Pack] = {}
    for root in roots:
        for node in sorted(root.iterdir(), key=lambda n: n.name):
            if not node.is_dir() or node.name.startswith(("_", ".")):
                continue
            pack = load_pack(node, node.name, errors)
            if pack is None:
                continue
            if pack.meta.id in packs:
                errors.append(
                    PackError(f"{node.name}/pack.yaml", "id", f"duplicate pack id {pack.meta.id!r}")
                )
            packs[pack.meta.id] = pack
    book = Rulebook(packs)
    _cross_check(book, errors)
    if errors:
        raise PackLoadError(errors)
    return book


@lru_cache(maxsize=4)
def load_rulebook(extra: tuple[str, ...] = ()) -> Rulebook:
    """The built-in packs shipped in ``rackclear.packs``, plus any extra pack folders."""
    roots: list[Traversable] = [resources.files("rackclear") / "packs"]
    roots += [Path(p) for p in extra]
    return load_rulebook_from(roots)
