"""Per destination, the requirement set for a rack server, a switch and a UPS (no radio, no
lithium battery, mains-powered, two sockets), each requirement asserted against the legal text
its citation names; the Ecodesign exclusions of Regulation (EU) 2019/424 Art. 1; unverified
scopes surfacing as "confirm"; and the importer-of-record rules per destination."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from rackclear.border.requirements import importer_rules, requirements_for
from rackclear.rulebook import Rulebook

NOW = date(2026, 11, 23)
SPECS = {
    "radio": False,
    "lithium_battery": False,
    "ac_mains": True,
    "sockets": 2,
    "server_type": "standard",
    "input_voltage_v": 230,
}
# (destination, family) -> {requirement id: (status, fragment of the cited legal reference)}
FCC = ("required", "47 CFR 15.101")
NRTL = ("voluntary", "29 CFR 1910.303")
ICES = ("required", "ICES-003")
CA_SAFETY = ("required", "Canadian Electrical Code")
EU_ART4 = ("required", "2019/1020, Art. 4")
EU_EMC = ("required", "2014/30/EU")
EU_LVD = ("required", "2014/35/EU")
EU_ROHS = ("confirm", "2011/65/EU")
EAR = ("required", "ElektroG")
NL_WEEE = ("required", "Regeling AEEA")
SABER_SCOC = ("required", "SALEEM")
SABER_PCOC = ("confirm", "SASO technical regulations")
SASO_ICT = ("confirm", "IEC 62368-1")
AE_ROHS = ("required", "Cabinet Decision No. 10 of 2017")
AE_LVE = ("confirm", "low voltage electrical equipment")
EXPECTED: dict[tuple[str, str], dict[str, tuple[str, str]]] = {
    ("US", "server"): {"us-fcc-part15-sdoc": FCC, "us-nrtl-listing-workplace": NRTL},
    ("US", "network_switch"): {"us-fcc-part15-sdoc": FCC, "us-nrtl-listing-workplace": NRTL},
    ("US", "ups"): {
        "us-fcc-part15-sdoc-subassemblies": ("confirm", "47 CFR 15.101"),
        "us-nrtl-listing-workplace": NRTL,
    },
    ("CA", "server"): {"ca-ices-003": ICES, "ca-electrical-safety-approval": CA_SAFETY},
    ("CA", "network_switch"): {"ca-ices-003": ICES, "ca-electrical-safety-approval": CA_SAFETY},
    ("CA", "ups"): {
        "ca-ices-003-subassemblies": ("confirm", "ICES-003"),
        "ca-electrical-safety-approval": CA_SAFETY,
    },
    ("DE", "server"): {
        "de-elektrog-ear-registration": EAR,
        "eu-art4-responsible-operator": EU_ART4,
        "eu-ecodesign-servers-storage": ("required", "2019/424"),
        "eu-emc": EU_EMC,
        "eu-lvd": EU_LVD,
        "eu-rohs": EU_ROHS,
    },
    ("DE", "network_switch"): {
        "de-elektrog-ear-registration": EAR,
        "eu-art4-responsible-operator": EU_ART4,
        "eu-emc": EU_EMC,
        "eu-lvd": EU_LVD,
        "eu-rohs": EU_ROHS,
    },
    ("DE", "ups"): {
        "de-elektrog-ear-registration": EAR,
        "eu-art4-responsible-operator": EU_ART4,
        "eu-emc": EU_EMC,
        "eu-lvd": EU_LVD,
        "eu-rohs": EU_ROHS,
    },
    ("NL", "server"): {
        "nl-weee-registration": NL_WEEE,
        "eu-art4-responsible-operator": EU_ART4,
        "eu-ecodesign-servers-storage": ("required", "2019/424"),
        "eu-emc": EU_EMC,
        "eu-lvd": EU_LVD,
        "eu-rohs": EU_ROHS,
    },
    ("NL", "network_switch"): {
        "nl-weee-registration": NL_WEEE,
        "eu-art4-responsible-operator": EU_ART4,
        "eu-emc": EU_EMC,
        "eu-lvd": EU_LVD,
        "eu-rohs": EU_ROHS,
    },
    ("NL", "ups"): {
        "nl-weee-registration": NL_WEEE,
        "eu-art4-responsible-operator": EU_ART4,
        "eu-emc": EU_EMC,
        "eu-lvd": EU_LVD,
        "eu-rohs": EU_ROHS,
    },
    ("IN", "server"): {
        "in-dgft-ims-server-authorisation": ("required", "Notification 23/2023"),
        "in-bis-crs-adp-machines": ("confirm", "Compulsory Registration"),
        "in-ewaste-epr": ("confirm", "E-Waste (Management) Rules, 2022"),
    },
    ("IN", "network_switch"): {},
    ("IN", "ups"): {"in-bis-crs-ups": ("confirm", "IS 16242")},
    ("SG", "server"): {},
    ("SG", "network_switch"): {
        "sg-imda-wired-network-equipment": ("confirm", "Telecommunications (Dealers) Regulations")
    },
    ("SG", "ups"): {},
    ("AE", "server"): {"ae-rohs": AE_ROHS, "ae-ecas-lve": AE_LVE},
    ("AE", "network_switch"): {
        "ae-rohs": AE_ROHS,
        "ae-tdra-type-approval-wired": ("confirm", "Federal Law by Decree No. 3 of 2003"),
    },
    ("AE", "ups"): {"ae-rohs": AE_ROHS, "ae-ecas-lve": AE_LVE},
    ("SA", "server"): {
        "sa-saber-scoc": SABER_SCOC,
        "sa-saber-pcoc": SABER_PCOC,
        "sa-saso-ict-iec62368": SASO_ICT,
    },
    ("SA", "network_switch"): {
        "sa-saber-scoc": SABER_SCOC,
        "sa-saber-pcoc": SABER_PCOC,
        "sa-saso-ict-iec62368": SASO_ICT,
        "sa-cst-wired": ("confirm", "Approving and Importing Telecommunications"),
    },
    ("SA", "ups"): {
        "sa-saber-scoc": SABER_SCOC,
        "sa-saber-pcoc": SABER_PCOC,
        "sa-saso-ict-iec62368": SASO_ICT,
    },
    ("TW", "server"): {"tw-bsmi-ite-servers-switches": ("confirm", "Commodity Inspection Act")},
    ("TW", "network_switch"): {
        "tw-bsmi-ite-servers-switches": ("confirm", "Commodity Inspection Act")
    },
    ("TW", "ups"): {"tw-bsmi-psu-ups": ("confirm", "Commodity Inspection Act")},
    ("JP", "server"): {"jp-vcci-class-a": ("voluntary", "VCCI")},
    ("JP", "network_switch"): {"jp-vcci-class-a": ("voluntary", "VCCI")},
    ("JP", "ups"): {
        "jp-pse-power-distribution-unclear": (
            "confirm",
            "Electrical Appliances and Materials Safety Act",
        )
    },
    ("KR", "server"): {
        "kr-kc-emc-registration": ("confirm", "Radio Waves Act Art. 58-2"),
        "kr-kc-safety-server": ("confirm", "Electrical Appliances and Consumer Products Safety"),
    },
    ("KR", "network_switch"): {
        "kr-kc-emc-registration": ("confirm", "Radio Waves Act Art. 58-2"),
        "kr-kc-safety-server": ("confirm", "Electrical Appliances and Consumer Products Safety"),
    },
    ("KR", "ups"): {
        "kr-kc-emc-scope-unclear": ("confirm", "Radio Waves Act Art. 58-2"),
        "kr-kc-safety-power": ("confirm", "Electrical Appliances and Consumer Products Safety"),
    },
}


@pytest.mark.parametrize(("country", "family"), sorted(EXPECTED))
def test_requirement_set_per_destination(book: Rulebook, country: str, family: str) -> None:
    checks = requirements_for(book, country, family, SPECS, NOW)
    got = {c.spec.id: c for c in checks if c.status != "not_applicable"}
    want = EXPECTED[(country, family)]
    assert {k: c.status for k, c in got.items()} == {k: v[0] for k, v in want.items()}
    for rid, (_, fragment) in want.items():
        cite = got[rid].to_dict()["citation"]
        assert fragment in cite["reference"], (rid, cite["reference"])
        assert cite["source"] and cite["read"], rid


def test_a_radio_brings_in_the_radio_schemes(book: Rulebook) -> None:
    radio = {**SPECS, "radio": True}
    ids = {
        c: {
            x.spec.id
            for x in requirements_for(book, c, "server", radio, NOW)
            if x.status != "not_applicable"
        }
        for c in ("US", "DE", "JP", "KR")
    }
    assert "us-fcc-certification-radio" in ids["US"]
    assert "eu-red" in ids["DE"]
    assert "jp-radio-act-giteki" in ids["JP"]
    assert "kr-kc-radio-certification" in ids["KR"]


@pytest.mark.parametrize(
    ("specs", "excluded_by"),
    [
        ({"sockets": 8}, "more than four processor sockets"),
        ({"server_type": "large"}, "large servers"),
        ({"server_type": "fully_fault_tolerant"}, "fully fault tolerant"),
        ({"server_type": "network"}, "network servers"),
        ({"server_type": "appliance"}, "server appliances"),
        ({"server_type": "small_scale"}, "small scale servers"),
        ({"server_type": "embedded"}, "embedded"),
    ],
)
def test_ecodesign_2019_424_exclusions(
    book: Rulebook, specs: dict[str, object], excluded_by: str
) -> None:
    checks = requirements_for(book, "DE", "server", {**SPECS, **specs}, NOW)
    eco = next(c for c in checks if c.spec.id == "eu-ecodesign-servers-storage")
    assert eco.status == "excluded" and eco.excluded is not None
    assert excluded_by in eco.excluded.text


def test_ecodesign_keeps_hpc_and_multi_node_servers_in_scope(book: Rulebook) -> None:
    for kind in ("hpc", "multi_node", "resilient"):
        checks = requirements_for(book, "DE", "server", {**SPECS, "server_type": kind}, NOW)
        eco = next(c for c in checks if c.spec.id == "eu-ecodesign-servers-storage")
        assert eco.status == "required", kind


def test_ecodesign_does_not_apply_before_2020_03_01(book: Rulebook) -> None:
    ids = {c.spec.id for c in requirements_for(book, "DE", "server", SPECS, date(2020, 2, 1))}
    assert "eu-ecodesign-servers-storage" not in ids and "eu-lvd" in ids


def test_unverified_scope_says_confirm_not_law(book: Rulebook) -> None:
    rohs = next(
        c for c in requirements_for(book, "DE", "server", SPECS, NOW) if c.spec.id == "eu-rohs"
    )
    shown = rohs.to_dict()
    assert shown["status"] == "confirm" and shown["verified"] is False
    assert shown["remedy"].startswith("Confirm with the authority")


@pytest.mark.parametrize(
    ("country", "allowed", "keys"),
    [
        ("US", True, {"cbp_5106", "cbp_bond"}),
        ("CA", True, {"ca_bn_rm", "ca_carm_portal"}),
        ("DE", "via_representative", {"eu_indirect_rep"}),
        ("NL", "via_representative", {"eu_indirect_rep"}),
        ("IN", False, {"in_iec"}),
        ("SG", False, {"sg_uen", "sg_customs_account"}),
        ("AE", False, {"ae_trade_licence", "ae_customs_client_code"}),
        ("SA", False, {"sa_saber_account"}),
        ("TW", False, {"tw_boft_registration"}),
        ("JP", "via_representative", {"jp_acp"}),
        ("KR", False, {"kr_customs_clearance_code"}),
    ],
)
def test_importer_of_record_rules(
    book: Rulebook, country: str, allowed: object, keys: set[str]
) -> None:
    rules = importer_rules(book, country, NOW)
    assert rules.non_resident is not None and rules.non_resident.allowed == allowed
    assert keys <= {r.key for r in rules.rules}


def test_us_executive_order_is_recorded_without_numbers_and_unverified(book: Rulebook) -> None:
    rule = next(r for r in importer_rules(book, "US", NOW).rules if "eo-2026-06-03" in r.id)
    assert rule.verified is False and rule.from_ >= date(2026, 6, 3)
    assert rule.applies_to == "non_resident"


def test_eu_territory_makes_a_dutch_declarant_resident_in_germany(book: Rulebook) -> None:
    rules = importer_rules(book, "DE", NOW)
    assert rules.resident("NL") and not rules.resident("US")


def test_requirements_cli_contract() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "requirements",
            "--destination",
            "DE",
            "--kind",
            "gpu_server",
            "--spec",
            "sockets=2",
            "--spec",
            "radio=false",
            "--date",
            "2026-11-23",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    data = json.loads(run.stdout)
    first = data["requirements"][0]
    assert {
        "id",
        "scheme",
        "authority",
        "mandatory",
        "verified",
        "when",
        "holder",
        "lead_time_days",
        "per_shipment",
        "citation",
    } <= set(first)
    assert (
        data["family"] == "server"
        and data["importer"]["non_resident"]["allowed"] == "via_representative"
    )
    bad = subprocess.run(
        [
            sys.executable,
            "-c",
            "from rackclear.cli import main; main()",
            "requirements",
            "--destination",
            "DE",
            "--kind",
            "toaster",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "toaster" in bad.stderr and "Traceback" not in bad.stderr


def test_example_map_matrix_and_an_importer_lacking_a_registration(example_map) -> None:  # type: ignore[no-untyped-def]
    from rackclear import load_map, plan

    deployment, _ = load_map(example_map)
    dossier = plan(deployment, NOW)
    rows = {(r["country"], r["requirement"]): r for r in dossier.border["matrix"]}
    # Kanto Trade Services K.K. is an IOR service, not the party to the transaction (Customs Act
    # as amended 2023-10-01): the map records no such standing, so it is a blocker
    assert rows[("JP", "jp-importer-is-transaction-party")]["status"] == "needed"
    assert any(
        f.code == "IOR_REGISTRATION_MISSING" and f.concerns.country == "JP"
        for f in dossier.findings
    )
    # India: servers need a DGFT import authorisation; none recorded for SRV-HGX-H200
    dgft = rows[("IN", "in-dgft-ims-server-authorisation")]
    assert dgft["status"] == "needed" and dgft["sku_status"] == {"SRV-HGX-H200": "needed"}
    # the FCC SDoC recorded for the H200 server counts; the B200 server still lacks one
    fcc = rows[("US", "us-fcc-part15-sdoc")]["sku_status"]
    assert fcc["SRV-HGX-H200"] == "satisfied" and fcc["SRV-HGX-B200"] == "needed"
    # a Dutch indirect representative is established in the EU: eligible in Germany
    assert ("DE", "non-resident-importer") not in rows
    assert rows[("DE", "eu-eori")]["status"] == "satisfied"
