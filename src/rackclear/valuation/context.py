"""Per-entry working state shared by the valuation steps: pack, currency, findings, caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from rackclear.domain.citations import Citation
from rackclear.domain.determination import Step
from rackclear.domain.finding_codes import make
from rackclear.domain.findings import Concerns, Finding
from rackclear.domain.grades import is_firm, weakest
from rackclear.domain.money import Money, Rounding
from rackclear.rulebook.loader import Pack
from rackclear.rulebook.lookup import Lookup, Status
from rackclear.rulebook.registry import Rulebook
from rackclear.rulebook.schema import RoundingSpec
from rackclear.valuation.fx import FxService
from rackclear.valuation.model import EntryInput, EntryResult

CENT = Rounding(places=2, mode="half_up")


@dataclass
class Context:
    book: Rulebook
    fx: FxService
    pack: Pack
    entry: EntryInput
    result: EntryResult
    as_of: date
    currency: str
    duty_rate_override: Decimal | None = None
    store: Any = None  # a TariffStore: imported national tariffs (official-file rates)
    in_invoice_currency: bool = False  # no rate to the local currency: estimate in the invoice's
    value_grade: str = "official"  # the customs value: the weakest valuation rule it rests on
    value_weak: list[tuple[str, Citation | None, str]] = field(default_factory=list)
    _fx_seen: set[str] = field(default_factory=set)
    _flagged: set[tuple[str, str]] = field(default_factory=set)

    @property
    def pack_id(self) -> str:
        return self.pack.meta.id

    def concerns(
        self, line: int | None = None, sku: str | None = None, rule: str | None = None
    ) -> Concerns:
        return Concerns(
            shipment=self.entry.shipment,
            line=line,
            country=self.entry.destination,
            sku=sku,
            rule=rule,
        )

    def add(self, finding: Finding) -> None:
        self.result.findings.append(finding)

    def once(self, key: str, rule: str, finding: Finding) -> None:
        """Add a finding only once per (key, rule) in this entry."""
        if (key, rule) not in self._flagged:
            self._flagged.add((key, rule))
            self.add(finding)

    def rounding(self, spec: RoundingSpec) -> Rounding:
        """The authority's rounding; to the cent when the estimate is in the invoice currency
        (the authority rounds amounts in its own currency, which is unknown here)."""
        if self.in_invoice_currency:
            return CENT
        return Rounding(places=spec.places, mode=spec.mode, step=spec.step)

    def weak_value(self, found: Lookup) -> None:
        """A valuation rule the customs value rests on: its grade weakens the value's."""
        grade = found.grade or "official"
        if not is_firm(grade):
            self.value_grade = weakest((self.value_grade, grade))
            self.value_weak.append((found.rule, found.citation, grade))

    def parameter(self, name: str) -> Lookup:
        """A parameter as of ``as_of``, with stale and pending-change findings raised once."""
        found = self.book.parameter(self.pack_id, name, self.as_of)
        self.watch(found, self.book.parameter(self.pack_id, name, self.entry.ship_date))
        return found

    def watch(self, found: Lookup, later: Lookup | None = None) -> None:
        """Raise stale-rule, provisional and change-before-shipment findings for a value.

        ``later`` is the same rule looked up at the ship date: when it differs from the value in
        force on ``as_of`` (a new value, an end, or a rule that only starts later), say so."""
        if (
            later is not None
            and self.entry.ship_date > self.as_of
            and later.citation != found.citation
        ):
            self.changed(found, later)
        if found.citation is None:
            return
        if found.start_unknown is not None:
            self.once(
                "startunknown",
                found.rule,
                make(
                    "RULE_START_UNKNOWN",
                    f"{found.rule} is known to be in force since at least {found.start_unknown}; whether it applied on {self.as_of} is not established, so its value {found.value} is used as an assumption.",
                    "Find the date the rule took effect in law and record it as from in the pack.",
                    self.concerns(rule=found.rule),
                    (found.citation,),
                ),
            )
        if found.is_stale():
            checked = found.citation.last_verified or found.citation.read
            self.once(
                "stale",
                found.rule,
                make(
                    "STALE_RULE",
                    f"{found.rule} was last verified on {checked}, more than a year before {self.as_of}.",
                    "Re-read the legal source and update last_verified in the pack.",
                    self.concerns(rule=found.rule),
                    (found.citation,),
                ),
            )
        if found.citation.provisional:
            self.once(
                "provisional",
                found.rule,
                make(
                    "RULE_PROVISIONAL",
                    f"{found.rule} = {found.value} is provisional on {self.as_of}: {found.note or 'the value for this period is not yet published'}.",
                    "Re-plan when the authority publishes the value for this period.",
                    self.concerns(rule=found.rule),
                    (found.citation,),
                ),
            )

    def changed(self, now: Lookup, later: Lookup) -> None:
        """The rule in force on the ship date differs from the one applied (as of ``as_of``)."""
        shown_now = "nothing in force" if now.citation is None else f"{now.value}"
        shown_later = (
            "nothing in force"
            if later.citation is None
            else f"{later.value} from {later.citation.effective_from}"
            + ("" if later.citation.verified else " (unverified)")
        )
        cites = tuple(c for c in (now.citation, later.citation) if c is not None)
        self.once(
            "change",
            now.rule,
            make(
                "RULE_CHANGES_BEFORE_SHIPMENT",
                f"{now.rule}: {shown_now} as of {self.as_of}, but {shown_later} by the ship date {self.entry.ship_date}.",
                "Plan again with --as-of set to the expected entry date to see the rule then in force.",
                self.concerns(rule=now.rule),
                cites,
            ),
        )

    def unusable(
        self, found: Lookup, what: str, line: int | None = None, sku: str | None = None
    ) -> Step:
        """Record why a looked-up value cannot be used (unknown, never zero) and return the step."""
        if found.status is Status.UNVERIFIED:  # the rule is named, but no value is held
            self.once(
                f"unknown:{line}",
                found.rule,
                make(
                    "RATE_UNKNOWN",
                    f"{what}: the pack holds no value for {found.rule}, so this amount is unknown (the rest of the figure is still shown).",
                    "Find the value in the official source and add it to the pack with its grade, or pass a what-if rate.",
                    self.concerns(line, sku, found.rule),
                    (found.citation,) if found.citation else (),
                ),
            )
            return Step(f"{what}: no value held; amount unknown", "unknown", found.citation)
        self.once(
            f"notinforce:{line}",
            found.rule,
            make(
                "RATE_NOT_IN_FORCE",
                f"{what}: no value of {found.rule} is in force on {self.as_of}, so the amount is unknown.",
                "Add the value in force (with its date, reference and source) to the pack.",
                self.concerns(line, sku, found.rule),
            ),
        )
        return Step(f"{what}: no rule in force on {self.as_of}; amount unknown", "unknown")

    def to_local(self, money: Money) -> Money | None:
        """Convert to the destination currency at the ship-date rate, recording steps once."""
        if money.currency == self.currency:
            return money
        fx = self.fx.rate(money.currency, self.currency, self.entry.ship_date)
        if money.currency not in self._fx_seen:
            self._fx_seen.add(money.currency)
            self.result.fx_rates[f"{money.currency}/{self.currency}"] = fx.rate
            self.result.steps.extend(fx.steps)
            self._fx_findings(
                fx.rate is None, fx.projected, money.currency, fx.rate_date, fx.citations, fx.source
            )
        return None if fx.rate is None else Money(money.amount * fx.rate, self.currency)

    def _fx_findings(
        self,
        unknown: bool,
        projected: bool,
        frm: str,
        used: date | None,
        cites: list[Citation],
        source: str = "ecb",
    ) -> None:
        rule = self.parameter("fx_rule")
        basis = str(rule.value) if rule.value else "the destination's official customs rate"
        if unknown:
            self.add(
                make(
                    "FX_RATE_UNKNOWN",
                    f"No dated {frm}/{self.currency} rate is known; {self.entry.destination} converts at {basis}.",
                    f"Add the official rate to the map's fx_rates (currency {frm}, to {self.currency}, date, rate, source).",
                    self.concerns(),
                    tuple(c for c in [rule.citation] if c),
                )
            )
            return
        if projected:
            self.add(
                make(
                    "FX_RATE_PROJECTED",
                    f"{frm}/{self.currency}: the rate of {self.entry.ship_date} is not known on {self.as_of}; the rate of {used} was used.",
                    "Re-plan nearer the ship date; the duty is assessed at the rate of the legally relevant date.",
                    self.concerns(),
                    tuple(cites),
                )
            )
        if source == "map":
            return  # the user supplied the official rate: no stand-in was used
        self.once(
            "fxproxy",
            frm,
            make(
                "FX_RATE_PROXY",
                f"{self.entry.destination} converts at {basis}; the ECB reference cross rate stands in for it.",
                "Check the figure against the official customs rate before filing.",
                self.concerns(),
                tuple(c for c in [rule.citation] if c),
            ),
        )
