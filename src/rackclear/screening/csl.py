"""trade.gov Consolidated Screening List: the CSV download (with or without the leading ``_id``
column) and the JSON layout of the API and its download (``results``: one object per party,
read in ``csl_json``).

More information: https://www.trade.gov/consolidated-screening-list"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from rackclear.screening.countries import country_code
from rackclear.screening.entries import ListEntry, ListInfo
from rackclear.screening.normalise import person_name_order
from rackclear.screening.rows import split_list

REQUIRED = ("source", "name")


@dataclass(frozen=True, slots=True)
class CslRecord:
    """One CSL party in the fields both layouts share, before it becomes a ``ListEntry``."""

    row: int
    source: str
    name: str
    kind: str
    record_id: str
    aliases: list[str]
    addresses: list[tuple[str, str]]
    nationalities: list[str]
    programs: list[str]
    licence_requirement: str = ""
    licence_policy: str = ""
    listed_on: str = ""
    notice: str = ""


def csl_entry(record: CslRecord, info: ListInfo) -> ListEntry:
    """The entry for a CSL record: persons' ``LAST, First`` turned, countries read."""
    person = record.kind == "individual"
    turn = person_name_order if person else _clean_name
    countries = {country_code(c) for _, c in record.addresses}
    countries |= {country_code(c) for c in record.nationalities}
    return ListEntry(
        # a row without an id or entry number is named by its file and row
        entry_id=f"csl:{record.record_id or f'{PurePath(info.file).name} row {record.row}'}",
        name=turn(record.name),
        listed_in=info,
        row=record.row,
        kind=record.kind or "entity",
        aliases=[turn(a) for a in record.aliases],
        countries={c for c in countries if c},
        addresses=[a for a, _ in record.addresses if a],
        programs=record.programs,
        licence_requirement=record.licence_requirement,
        licence_policy=record.licence_policy,
        listed_on=record.listed_on,
        notice=record.notice,
    )


def _clean_name(name: str) -> str:
    """ISN names end with "; and any successor, sub-unit, or subsidiary thereof": cut it."""
    return name.split(";")[0].strip() if "; and any successor" in name else name


def record_from_csv(row: int, cells: dict[str, str]) -> CslRecord:
    """A CSV row: addresses ``street, city, CC; …``, lists separated by ``;``."""
    entity = cells.get("entity_number", "").strip()
    source = cells["source"].strip()
    return CslRecord(
        row=row,
        source=source,
        name=cells["name"].strip(),
        kind=cells.get("type", "").strip().lower(),
        record_id=cells.get("_id", "").strip() or (f"{source}:{entity}" if entity else ""),
        aliases=split_list(cells.get("alt_names", "")),
        addresses=[_csv_address(a) for a in split_list(cells.get("addresses", ""))],
        nationalities=split_list(cells.get("nationalities", ""))
        + split_list(cells.get("citizenships", "")),
        programs=split_list(cells.get("programs", "")),
        licence_requirement=cells.get("license_requirement", "").strip(),
        licence_policy=cells.get("license_policy", "").strip(),
        listed_on=cells.get("start_date", "").strip(),
        notice=cells.get("federal_register_notice", "").strip(),
    )


def _csv_address(text: str) -> tuple[str, str]:
    last = text.rsplit(",", 1)[-1].strip()
    return text, last if len(last) == 2 else ""
