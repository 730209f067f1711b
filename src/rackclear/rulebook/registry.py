"""The rulebook: every loaded pack, with "as of" lookups that follow ``extends`` (DE -> EU)."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

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
        for pack in packs.values():
            if pack.meta.kind == "jurisdiction":
                for country in pack.meta.countries:
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
    """Charges must name parameters, tariff columns and measures that exist."""
    for pid, pack in book.packs.items():
        if pack.meta.extends and pack.meta.extends not in book.packs:
            errors.append(
                PackError(f"{pack.path}/pack.yaml", "extends", f"no pack {pack.meta.extends!r}")
            )
        if pack.meta.kind != "jurisdiction":
            continue
        charges = book.charges(pid)
        if charges is None:
            errors.append(
                PackError(
                    f"{pack.path}",
                    "",
                    "a jurisdiction pack needs charges.yaml (here or in the pack it extends)",
                )
            )
            continue
        tariff = book.tariff(pid)
        for i, charge in enumerate(charges.charges):
            where = f"charges[{i}] ({charge.id})"
            names = [charge.rate.parameter, charge.rate.fixed, charge.minimum, charge.maximum]
            if charge.rate.fixed and charge.level != "entry":
                errors.append(
                    PackError(
                        f"{pack.path}", where, "a fixed amount is charged per entry (level: entry)"
                    )
                )
            names += [alt.origins_in for alt in charge.rate.lowest_of]
            for name in filter(None, names):
                if not book.has_parameter(pid, name):
                    errors.append(
                        PackError(
                            f"{pack.path}",
                            where,
                            f"no parameter {name!r} in this pack or those it extends",
                        )
                    )
            if charge.rate.tariff and (
                tariff is None or charge.rate.tariff not in tariff.columns()
            ):
                errors.append(
                    PackError(f"{pack.path}", where, f"no tariff column {charge.rate.tariff!r}")
                )
            if charge.rate.measures and book.measures(pid, charge.rate.measures) is None:
                errors.append(
                    PackError(f"{pack.path}", where, f"no measures file {charge.rate.measures!r}")
                )


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
