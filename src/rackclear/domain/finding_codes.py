"""The stable finding codes: each code's default severity and what it means.

A code never changes meaning; a new behaviour gets a new code. ``docs/findings.md`` lists them.
"""

from __future__ import annotations

from rackclear.domain.citations import Citation
from rackclear.domain.findings import Concerns, Finding, Severity

B, W, INFO = Severity.BLOCKER, Severity.WARNING, Severity.INFO

CODES: dict[str, tuple[Severity, str]] = {
    "NO_JURISDICTION_PACK": (B, "No rule pack covers the destination country."),
    "FX_RATE_UNKNOWN": (B, "No dated exchange rate for a currency the shipment needs."),
    "FX_RATE_PROJECTED": (
        W,
        "The rate of the shipment date is not yet published; the latest known rate was used.",
    ),
    "FX_RATE_PROXY": (
        INFO,
        "The ECB reference rate stands in for the destination's official customs rate.",
    ),
    "VALUATION_BASIS_UNKNOWN": (B, "The pack does not state the destination's valuation basis."),
    "FREIGHT_UNKNOWN": (
        B,
        "The valuation basis needs international freight the map does not give.",
    ),
    "FREIGHT_DEEMED": (W, "Freight or insurance was deemed at the statutory percentage."),
    "FREIGHT_NOT_SEPARATED": (
        W,
        "Freight in the price could not be deducted; the value may be overstated.",
    ),
    "INSURANCE_NOT_DECLARED": (
        INFO,
        "No insurance given; if the goods are insured, the premium is dutiable here.",
    ),
    "VALUE_TAKEN_AS_BASIS": (
        INFO,
        "The value given was taken as already on the destination's valuation basis.",
    ),
    "CLASSIFICATION_MISSING": (B, "No tariff code for this line in this destination."),
    "TARIFF_LINE_UNKNOWN": (B, "The tariff code is not in the destination's pack."),
    "NATIONAL_LINE_NEEDED": (
        B,
        "The code is not specific enough: the national lines beneath it carry different rates.",
    ),
    "NATIONAL_LINE_UNIFORM": (
        INFO,
        "The code is not a national line, but every national line beneath it carries the same rate.",
    ),
    "RATE_UNVERIFIED": (
        B,
        "Retired in dossier schema 3 (a held value is now an estimate with its grade):"
        " see CONFIRM_RATE and RATE_UNKNOWN.",
    ),
    "RATE_UNKNOWN": (
        B,
        "The pack names the rule but holds no value for it: the amount is unknown (the rest of"
        " the figure is still shown).",
    ),
    "CONFIRM_RATE": (
        W,
        "A rate, fee or bound rests on a secondary source or a planning assumption: the estimate"
        " uses it; confirm it before the entry.",
    ),
    "CONFIRM_RULE": (
        W,
        "A valuation rule the customs value rests on is graded secondary or assumption: the"
        " estimate uses it; confirm it before the entry.",
    ),
    "RULE_START_UNKNOWN": (
        W,
        "The date is before the earliest date the rule is known to be in force; its legal start"
        " is not established, so it is applied as an assumption.",
    ),
    "RATE_NOT_IN_FORCE": (B, "No value of this rule is in force on the date: reported as unknown."),
    "RATE_OVERRIDDEN": (W, "The duty rate was overridden by the user (what-if)."),
    "PREFERENCE_APPLIED": (INFO, "A claimed preference was applied."),
    "PREFERENCE_WITHOUT_PROOF": (
        W,
        "A preference was claimed without proof of origin; the MFN rate was used.",
    ),
    "PREFERENCE_NOT_ELIGIBLE": (
        W,
        "A preference was claimed for an origin it does not serve; the MFN rate was used.",
    ),
    "ADDITIONAL_DUTY": (W, "An additional duty applies to this line."),
    "ADDITIONAL_DUTY_EXEMPT": (INFO, "An additional duty would apply but an exemption was taken."),
    "ADDITIONAL_DUTY_SPECS_MISSING": (
        B,
        "An additional duty depends on specifications the catalog lacks.",
    ),
    "RELATED_PARTIES": (
        W,
        "Buyer and seller are related: the transaction value must be shown not to be influenced.",
    ),
    "DDP_SELLER_IS_IOR": (
        INFO,
        "Under DDP the seller pays duties and taxes and acts as importer of record.",
    ),
    "STALE_RULE": (W, "A rule value was last verified more than a year before the as-of date."),
    "RULE_CHANGES_BEFORE_SHIPMENT": (
        W,
        "A rule used here changes between the as-of date and the ship date.",
    ),
    "TRANSPORT_EXCEEDS_PRICE": (
        B,
        "The transport to deduct exceeds the price: the customs value is unknown.",
    ),
    "TRANSPORT_COST_MISSING": (W, "No freight given: the landed cost lacks transport."),
    "VAGUE_DESCRIPTION": (B, "The description does not say what the item is: no code is given."),
    "NO_RULE_MATCHED": (
        B,
        "No classification rule recognises the item; text-search suggestions only.",
    ),
    "CLASSIFICATION_LOW_CONFIDENCE": (
        W,
        "The classification rests on weak evidence or conflicting sources.",
    ),
    "JURISDICTION_VIEW": (
        INFO,
        "An administration classifies these goods in another subheading (documented).",
    ),
    "EXTEND_NATIONALLY": (W, "The HS 6-digit is known, but not the national line."),
    "NATIONAL_LINE_NEEDS_SPEC": (W, "The national line depends on specs the catalog lacks."),
    "NATIONAL_MAPPING_UNVERIFIED": (W, "The family's national line is unverified."),
    "DECLARED_CODE_NOT_IN_TARIFF": (W, "A declared code is not in the destination's tariff pack."),
    "DECLARED_CODE_DISAGREES": (
        W,
        "A declared code is in another HS 6-digit subheading than the rules give.",
    ),
    "DECLARED_LINE_DIFFERS": (W, "A declared code differs from the rules' national line."),
    "DECLARED_CODE_UNCHECKED": (W, "A declared code could not be checked against the rules."),
    "ADVANCE_RULING_USED": (INFO, "A binding advance ruling decides the code."),
    "INCONSISTENT_CLASSIFICATION": (
        W,
        "One sku carries different HS 6-digit codes in different destinations.",
    ),
    "ECCN_NEEDS_REVIEW": (
        W,
        "The ECCN could not be determined by the rules; a likely entry needs review.",
    ),
    "ECCN_DATA_NEEDED": (B, "3A090 cannot be decided without data the catalog lacks."),
    "ECCN_SPEC_INVALID": (W, "A performance figure could not be used."),
    "ECCN_DISAGREES": (W, "The declared ECCN differs from the ECCN the specs give."),
    "ECCN_CONFLICT": (
        B,
        "The declared ECCN and the specs disagree on whether the item is 3A090/4A090.",
    ),
    "ECCN_Z_PARAGRAPH_REVIEW": (W, "The item contains an accelerator: a .z paragraph may apply."),
    "SPARSE_FIGURES_IGNORED": (INFO, "Sparse figures were given; TPP uses dense rates."),
    "TPP_MISMATCH": (W, "The stated TPP differs from the computed TPP by more than 5 %."),
    "ENC_CLASSIFICATION_REQUEST": (W, "A 5A002 network item needs an ENC classification request."),
    "LICENCE_REQUIRED": (
        B,
        "A US export licence is required for this item, destination or end user.",
    ),
    "LICENCE_UNKNOWN": (B, "Whether a US export licence is required could not be determined."),
    "LICENCE_HQ_NOT_TESTED": (
        W,
        "The end user's headquarters could not be tested against the headquarters rule.",
    ),
    "LICENCE_EXCEPTIONS_UNKNOWN": (
        W,
        "Whether a licence exception could be used is not known to the packs.",
    ),
    "LICENCE_DEPENDS_ON_ECCN": (
        W,
        "No licence is needed whichever candidate ECCN applies, but the route (ENC or none) depends on it.",
    ),
    "ECCN_CONFIRM": (
        INFO,
        "The ECCN rests on the pack's reading of the CCL (not firm): confirm it with the manufacturer.",
    ),
    "LICENCE_DETERMINATION_NEEDED": (
        W,
        "The licence requirement for this ECCN is not modelled; determine it.",
    ),
    "LICENCE_EXCEPTION_AVAILABLE": (INFO, "A licence exception may be used, on its conditions."),
    "FDP_REVIEW": (
        W,
        "Foreign-made item: the de minimis and foreign-direct-product rules must be reviewed.",
    ),
    "ORIGIN_EXPORT_CONTROL": (W, "The origin country's own export controls must be checked."),
    "PARTY_UNSCREENABLE": (B, "A party's name cannot be screened against restricted-party lists."),
    "RESTRICTED_PARTY_MATCH": (B, "A party matches an entry of a restricted-party list."),
    "ENTITY_LIST_LICENCE_REQUIRED": (
        B,
        "A party matches an Entity List entry: the licence that entry requires, and its review policy.",
    ),
    "SCREENING_LIST_AFTER_AS_OF": (W, "A restricted-party list is dated after the plan's date."),
    "SCREENING_LIST_STALE": (
        W,
        "A restricted-party list is older than the pack allows on the plan's date.",
    ),
    "SCREENING_LIST_UNDATED": (W, "A restricted-party list's version is not a date."),
    "SCREENING_LIST_VERSION_DOUBTFUL": (
        W,
        "A restricted-party list holds an entry listed after the list's stated version.",
    ),
    "SCREENING_NOT_PERFORMED": (
        W,
        "No restricted-party list was given, so the parties were not screened.",
    ),
    "MAP_WARNING": (W, "A warning about the deployment map."),
    "SUBDIVISION_NEEDED": (
        W,
        "A charge or rule depends on the site's state, province or emirate, which the map does not give.",
    ),
    "FREE_ZONE_SITE": (
        W,
        "The site is in a free zone: duty and VAT are suspended until release to the mainland.",
    ),
    "IOR_NOT_NAMED": (W, "No importer of record is named for the destination country."),
    "ORIGIN_NEEDS_DATA": (
        W,
        "CUSMA origin cannot be determined; the message says what is missing.",
    ),
    "ORIGIN_NOT_QUALIFIED": (W, "The good fails its CUSMA product-specific rule."),
    "ORIGIN_RULE_UNVERIFIED": (
        W,
        "The CUSMA rule for the subheading was not retrieved or verified.",
    ),
    "ORIGIN_DE_MINIMIS_APPLIED": (INFO, "The good qualifies only through de minimis (Art. 4.12)."),
    "ORIGIN_DEEMED": (
        INFO,
        "Deemed originating into Canada under the CUSMA Rules of Origin Regulations s. 3(7) and Schedule 2.",
    ),
    "ORIGIN_DEEMED_US": (
        INFO,
        "Deemed originating under HTSUS General Note 11(p) (into the US from CA or MX).",
    ),
    "PREFERENCE_SAVES_NOTHING": (INFO, "MFN is Free: the CUSMA preference saves no duty."),
    "PREFERENCE_EXPOSURE": (
        W,
        "What a CUSMA claim saves, and the duty owed if its certification cannot be produced.",
    ),
    "PREFERENCE_SAVING_UNKNOWN": (
        W,
        "The MFN rate is unknown, so the value of a CUSMA claim cannot be stated.",
    ),
    "BOND_INSUFFICIENT": (
        B,
        "Planned US entries push the continuous bond requirement above the bond held.",
    ),
    "BOND_AT_LEAST": (
        W,
        "Bond figures are lower bounds: some entries' duties and fees are unknown.",
    ),
    "RPP_SECURITY_INCREASE_DUE": (
        W,
        "CBSA's 20 October recalculation needs more RPP security, due by 15 January.",
    ),
    "ENTRY_SUMMARY_INCOMPLETE": (W, "The CBP Form 7501 entry summary data set has problems."),
    "SCHEDULE_LATE": (B, "A shipment cannot make its site's go-live at the latest safe dates."),
    "SCHEDULE_AT_RISK": (W, "A shipment or site is at risk of missing go-live."),
    "PREREQ_START_PASSED": (
        B,
        "A prerequisite had to start by a date already past to meet the latest safe ship date.",
    ),
    "SCHEDULE_CAPACITY_BINDING": (
        W,
        "Customs-security or warehouse capacity binds (or is exceeded) in a month or week.",
    ),
    "SCHEDULE_LEAD_UNKNOWN": (
        W,
        "A prerequisite has no lead time in the packs: the schedule is optimistic.",
    ),
    "SCHEDULE_CAPACITY_UNKNOWN": (
        W,
        "Customs-security capacity is not applied, or some shipments' use of it is unknown.",
    ),
    "RELIEF_AVAILABLE": (
        INFO,
        "A duty relief regime may apply to the shipment, on its conditions.",
    ),
    "CAD_DATA_INCOMPLETE": (
        W,
        "The Canadian Commercial Accounting Declaration data set is incomplete or invalid.",
    ),
    "IOR_NOT_ELIGIBLE": (
        B,
        "The named importer of record may not import into the country as it stands.",
    ),
    "IOR_REGISTRATION_MISSING": (
        B,
        "The importer of record lacks a registration or security the country requires.",
    ),
    "IOR_CONFIRM": (W, "An importer-of-record rule is unverified in the pack: confirm it."),
    "IOR_RULES_MISSING": (W, "The packs hold no importer-of-record rules for the country."),
    "CONFORMITY_NEEDED": (
        B,
        "A mandatory product certification or registration is required and not evidenced.",
    ),
    "EVIDENCE_EXPIRES": (
        B,
        "Evidence recorded in the map lapses before the shipment uses it.",
    ),
    "DOCUMENT_VALIDITY_ENDS": (
        W,
        "What a scheme issues now is valid only until a date before the shipment clears.",
    ),
    "CONFORMITY_CONFIRM": (
        W,
        "A certification may apply, but its scope is unverified: confirm with the authority.",
    ),
    "CONFORMITY_UNKNOWN": (
        W,
        "Whether a certification applies cannot be told from the map (or no rules exist).",
    ),
    "REQUIREMENT_LATE": (
        B,
        "At its typical lead time a requirement can no longer be met by its due date.",
    ),
    "ORIGIN_NOT_GIVEN": (
        W,
        "An origin-dependent additional duty could not be evaluated: no origin given.",
    ),
    "RULE_PROVISIONAL": (
        W,
        "A value is carried forward provisionally until the authority publishes the new one.",
    ),
    "FEE_BOUND_APPLIED": (INFO, "A fee minimum or maximum applied."),
}


# Codes whose message states a legal conclusion (a licence, certificate, registration or rate that
# the law requires or may require): such a finding carries at least one citation to that law.
LEGAL_CONCLUSIONS = frozenset(
    {
        "LICENCE_REQUIRED",
        "LICENCE_UNKNOWN",
        "LICENCE_DEPENDS_ON_ECCN",
        "ENC_CLASSIFICATION_REQUEST",
        "ECCN_DATA_NEEDED",
        "ECCN_CONFIRM",
        "CONFORMITY_NEEDED",
        "CONFORMITY_CONFIRM",
        "EVIDENCE_EXPIRES",
        "DOCUMENT_VALIDITY_ENDS",
        "REQUIREMENT_LATE",
        "IOR_NOT_ELIGIBLE",
        "IOR_REGISTRATION_MISSING",
        "IOR_CONFIRM",
        "ADDITIONAL_DUTY",
        "ADDITIONAL_DUTY_EXEMPT",
        "CONFIRM_RATE",
        "CONFIRM_RULE",
        "ORIGIN_EXPORT_CONTROL",
        "RULE_START_UNKNOWN",
        "PREFERENCE_APPLIED",
        "CAD_DATA_INCOMPLETE",
        "ENTRY_SUMMARY_INCOMPLETE",
        "BOND_INSUFFICIENT",
        "BOND_AT_LEAST",
        "RPP_SECURITY_INCREASE_DUE",
        "RELIEF_AVAILABLE",
        "FREE_ZONE_SITE",
        "ENTITY_LIST_LICENCE_REQUIRED",
        "PREFERENCE_EXPOSURE",
    }
)


def make(
    code: str,
    message: str,
    remedy: str,
    concerns: Concerns | None = None,
    citations: tuple[Citation, ...] = (),
    severity: Severity | None = None,
) -> Finding:
    """Build a finding with the code's default severity (unknown codes are a programming error)."""
    default, _ = CODES[code]
    return Finding(code, severity or default, message, remedy, concerns or Concerns(), citations)
