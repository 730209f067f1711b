"""Restricted-party screening inside ``plan``: every party against the lists loaded, each list
dated against the plan (see ``screening.dating``), and each hit turned into blockers on the
programme and on the shipments the party is in. An Entity List hit also states the licence that
the entry itself requires and the policy BIS reviews it under (15 CFR 744.11, 744.16)."""

from __future__ import annotations

from datetime import date

from rackclear.domain.citations import Citation
from rackclear.domain.deployment import Deployment
from rackclear.domain.dossier import Dossier
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns
from rackclear.rulebook.registry import Rulebook
from rackclear.screening import ScreeningIndex
from rackclear.screening.dating import ListAge, list_age
from rackclear.screening.parties import PartyHit, screen_parties, unscreenable_parties
from rackclear.screening.results import Match
from rackclear.screening.scoring import ALGORITHM as SCREENING_ALGORITHM

PACK = "us-ear"
ALL_ROLES = frozenset({"exporter", "consignee", "end user"})
# the parties to a transaction an Entity List licence requirement reaches (15 CFR 748.5(c)-(f));
# a listed exporter selling into the destination is not one of them
ENTITY_LIST_ROLES = frozenset({"consignee", "end user"})


def screen(
    dossier: Dossier,
    deployment: Deployment,
    index: ScreeningIndex | None,
    book: Rulebook,
    as_of: date,
) -> None:
    """Every party against the restricted-party lists given; a hit is a blocker with its evidence."""
    if index is None:
        dossier.findings.append(
            make(
                "SCREENING_NOT_PERFORMED",
                f"No restricted-party list was given: the {len(deployment.parties)} parties were not screened.",
                "Download the official lists (trade.gov Consolidated Screening List, OFAC SDN) and plan with --list FILE.",
                Concerns(),
            )
        )
        return
    parties: list[tuple[str, str, str | None]] = [
        (p.id, p.name, p.country) for p in deployment.parties
    ]
    for party_id, name, reason in unscreenable_parties(parties):
        dossier.findings.append(
            make(
                "PARTY_UNSCREENABLE",
                f"Party {party_id} ('{name}') cannot be screened: {reason}.",
                "Give the party's full legal name; no list can clear a party it cannot name.",
                Concerns(),
            )
        )
    ages = _date_lists(dossier, index, book, as_of)
    hits = screen_parties(index, parties)
    dossier.screening = {
        "algorithm": SCREENING_ALGORITHM,
        "as_of": as_of.isoformat(),
        "lists": [
            {**v.model_dump(mode="json"), **age.to_dict()}
            for v, age in zip(index.lists, ages, strict=True)
        ],
        "parties": len(parties),
        "hits": [h.to_dict() for h in hits],
    }
    entity_list = book.parameter(PACK, "entity_list", as_of)
    entity_lists = set((entity_list.value or {}).get("lists") or ())
    for hit in hits:
        m = hit.match
        evidence = "; ".join(
            f"{f.feature} {f.contribution:+.2f} ({f.detail})" for f in m.explanation
        )
        message = f"Party {hit.party_id} ({hit.party_name}) matches '{m.matched_name}' on {m.list} (version {m.list_version}, entry {m.entry_id}), score {m.score:.2f}: {evidence}."
        remedy = "Stop: review the match with the evidence; clear it as a false positive with a record, or do not proceed."
        found: list[tuple[str, str, str, tuple[Citation, ...]]] = [
            ("RESTRICTED_PARTY_MATCH", message, remedy, ())
        ]
        if m.list in entity_lists:
            cite = (entity_list.citation,) if entity_list.citation else ()
            found.append(("ENTITY_LIST_LICENCE_REQUIRED", *_entity_list(hit), cite))
        for code, text, todo, cites in found:
            dossier.findings.append(make(code, text, todo, Concerns(country=hit.country), cites))
            roles = ENTITY_LIST_ROLES if code == "ENTITY_LIST_LICENCE_REQUIRED" else ALL_ROLES
            _flag_shipments(dossier, deployment, hit.party_id, code, text, todo, cites, roles)


def _entity_list(hit: PartyHit) -> tuple[str, str]:
    """What an Entity List entry requires of a transaction with the party, in its own words."""
    m: Match = hit.match
    listed = ", ".join(
        part
        for part in (
            f"listed {m.listed_on}" if m.listed_on else "",
            f"by {m.federal_register_notice}" if m.federal_register_notice else "",
        )
        if part
    )
    head = (
        f"Party {hit.party_id} ({hit.party_name}) matches Entity List entry '{m.name}' "
        f"({m.entry_id}{'; ' + listed if listed else ''}). If it is the listed party and a "
        "party to an export, reexport or transfer of items subject to the EAR (purchaser, "
        "intermediate or ultimate consignee, or end user), a BIS licence is required whatever the "
        "item's ECCN or destination, and license exceptions are not available except as the "
        "entry states."
    )
    if m.licence_requirement or m.licence_policy:
        said = (
            f" The entry's licence requirement: {_sentence(m.licence_requirement) or 'not stated in the list file.'}"
            f" Its licence review policy: {_sentence(m.licence_policy) or 'not stated in the list file.'}"
        )
    else:
        said = (
            " The list file does not give the entry's licence requirement or review policy: read "
            "them in the entry in Supplement No. 4 to part 744."
        )
    remedy = (
        "Do not export, reexport or transfer to this party until the match is resolved: if it is "
        "the listed party, apply for a BIS licence for the items the entry names (expect the "
        "review policy stated) or do not proceed; if it is not, record why the match is false."
    )
    return head + said, remedy


def _sentence(text: str | None) -> str:
    found = " ".join((text or "").split())
    return found if not found or found.endswith(".") else found + "."


def _date_lists(
    dossier: Dossier, index: ScreeningIndex, book: Rulebook, as_of: date
) -> list[ListAge]:
    """Each list dated against ``as_of``, and a warning for each file whose lists are after the
    plan, older than the pack allows, not dated, or dated before one of their own entries. The
    lists of one CSL file share its version, so they share one warning."""
    limit = book.parameter(PACK, "screening_list_max_age_days", as_of)
    max_age = int(limit.value) if limit.value is not None else None
    basis = limit.citation.short() if limit.citation else "no maximum age is set in the pack"
    ages = [
        list_age(v.name, v.version, v.version_from, v.file, v.latest_listing, as_of, max_age)
        for v in index.lists
    ]
    groups: dict[tuple[str, str, str], list[ListAge]] = {}
    for age in ages:
        groups.setdefault((age.file, age.version, age.version_from), []).append(age)
    for (file, version, origin), group in groups.items():
        names = [a.name for a in group]
        lists = names[0] if len(names) == 1 else f"{len(names)} lists ({'; '.join(names)})"
        where = f"{file}: {lists}, version {version} (from the {origin})"
        for code, message, remedy in _age_findings(group, where, as_of, max_age, basis):
            cites: tuple[Citation, ...] = (
                (limit.citation,) if code == "SCREENING_LIST_STALE" and limit.citation else ()
            )
            dossier.findings.append(make(code, message, remedy, Concerns(), cites))
    return ages


def _age_findings(
    group: list[ListAge], where: str, as_of: date, max_age: int | None, basis: str
) -> list[tuple[str, str, str]]:
    """The warnings for lists that share one file and version (so one span and age)."""
    age = group[0]
    if age.undated:
        return [
            (
                "SCREENING_LIST_UNDATED",
                f"{where}: the version is not a date, so the age of the list on the plan date {as_of} cannot be told.",
                "Give the list's publication date as its version (--list-version FILE=YYYY-MM-DD), or use a file that states its own date.",
            )
        ]
    out: list[tuple[str, str, str]] = []
    if age.after_as_of:
        out.append(
            (
                "SCREENING_LIST_AFTER_AS_OF",
                f"{where} is dated after the plan date {as_of}: it may list parties added since, and omit parties removed since.",
                "For a plan of record as of that date, screen against the lists as published on or before it; keep this screening for the shipments still to come.",
            )
        )
    if age.stale and max_age is not None:
        out.append(
            (
                "SCREENING_LIST_STALE",
                f"{where} is {age.age_days:,} days older than the plan date {as_of}; the most allowed is {max_age} days ({basis}). Parties listed since are not screened.",
                "Download the current list and plan again; screen again before each shipment.",
            )
        )
    doubtful = [a for a in group if a.doubtful]
    if doubtful:
        newest = max(doubtful, key=lambda a: a.latest_listing or "")
        out.append(
            (
                "SCREENING_LIST_VERSION_DOUBTFUL",
                f"{where}: {newest.name} holds an entry listed on {newest.latest_listing}, after the version's last day {age.last}, so the version does not date the file.",
                "Give the list's publication date as its version (--list-version FILE=YYYY-MM-DD), or use the file as published with its own date.",
            )
        )
    return out


def _flag_shipments(
    dossier: Dossier,
    deployment: Deployment,
    party_id: str,
    code: str,
    message: str,
    remedy: str,
    citations: tuple[Citation, ...],
    roles_held: frozenset[str] = ALL_ROLES,
) -> None:
    """A matched party holds every shipment it is, in one of ``roles_held``, exporter, consignee
    or end user of."""
    sources = {s.id: s for s in deployment.shipments}
    for ship in dossier.shipments:
        source = sources.get(ship.shipment)
        if source is None:
            continue
        roles = [
            role
            for role, who in (
                ("exporter", source.exporter),
                ("consignee", source.consignee),
                ("end user", source.end_user),
            )
            if who == party_id and role in roles_held
        ]
        if roles:
            ship.entry.findings.append(
                make(
                    code,
                    f"{' and '.join(roles).capitalize()} of shipment {source.id}: {message}",
                    remedy,
                    Concerns(shipment=source.id, site=source.site, country=ship.destination),
                    citations,
                )
            )
