"""CUSMA Art. 4.5 RVC: the two formulas, the international-shipping adjustment, thresholds,
validation, and a bill of materials with materials of unknown origin."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from rackclear.errors import UserError
from rackclear.origin.rvc import RvcInputError, net_cost_rvc, rvc_from_bom, transaction_value_rvc
from rackclear.rulebook import load_rulebook

WHEN = date(2026, 11, 23)


def test_transaction_value_vector() -> None:
    r = transaction_value_rvc(D("100000"), D("40000"))
    assert r.rvc == D("60.00") and r.method == "transaction_value"
    assert r.to_dict()["rvc"] == "60.00"


def test_net_cost_vector() -> None:
    r = net_cost_rvc(D("80000"), D("40000"))
    assert r.rvc == D("50.00") and r.method == "net_cost"


def test_international_shipping_is_excluded_from_tv() -> None:
    r = transaction_value_rvc(D("105000"), D("40000"), international_shipping=D("5000"))
    assert r.rvc == D("60.00") and r.base == D("100000")
    assert any("international shipment" in s.text for s in r.steps)
    # without the adjustment the figure would be wrong (61.90)
    assert transaction_value_rvc(D("105000"), D("40000")).rvc == D("61.90")


def test_rounding_is_half_up_to_two_places() -> None:
    # (3 - 1) / 3 x 100 = 66.666... -> 66.67 ; (8 - 1) / 8 x 100 = 87.5 -> 87.50
    assert transaction_value_rvc(D("3"), D("1")).rvc == D("66.67")
    assert net_cost_rvc(D("8"), D("1")).rvc == D("87.50")
    # 0.125 % steps: (80000 - 29900) / 80000 x 100 = 62.625 -> 62.63 (half-up, not half-even)
    assert net_cost_rvc(D("80000"), D("29900")).rvc == D("62.63")


@pytest.mark.parametrize(
    ("vnm", "qualifies"),
    [(D("40000"), True), (D("40000.01"), False), (D("39999.99"), True)],
)
def test_threshold_boundary_transaction_value_60(vnm: D, qualifies: bool) -> None:
    r = transaction_value_rvc(D("100000"), vnm, threshold=D("60"))
    assert r.qualifies is qualifies


def test_threshold_uses_the_exact_figure_not_the_rounded_one() -> None:
    # exact RVC 49.995 % shows as 50.00 but is below a 50 % threshold
    r = net_cost_rvc(D("100000"), D("50005"), threshold=D("50"))
    assert r.rvc == D("50.00") and r.qualifies is False


def test_net_cost_threshold_50_met_exactly() -> None:
    assert net_cost_rvc(D("80000"), D("40000"), threshold=D("50")).qualifies is True


def test_no_threshold_no_verdict() -> None:
    assert transaction_value_rvc(D("100"), D("10")).qualifies is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: transaction_value_rvc(D("0"), D("0")), "must be positive"),
        (lambda: transaction_value_rvc(D("-5"), D("0")), "must be positive"),
        (lambda: transaction_value_rvc(D("100"), D("-1")), "must not be negative"),
        (lambda: transaction_value_rvc(D("100"), D("101")), "exceeds"),
        (
            lambda: transaction_value_rvc(D("100"), D("96"), international_shipping=D("5")),
            "exceeds the adjusted transaction value 95",
        ),
        (
            lambda: transaction_value_rvc(D("100"), D("0"), international_shipping=D("100")),
            "less than the transaction value",
        ),
        (lambda: net_cost_rvc(D("100"), D("100.01")), "exceeds the net cost"),
        (lambda: net_cost_rvc(D("NaN"), D("1")), "finite"),
        (lambda: net_cost_rvc(D("100"), D("1"), threshold=D("101")), "between 0 and 100"),
    ],
)
def test_bad_inputs_raise_a_clear_error(call: object, message: str) -> None:
    with pytest.raises(RvcInputError, match=message) as caught:
        call()  # type: ignore[operator]
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, UserError)


def test_cited_from_the_pack() -> None:
    r = transaction_value_rvc(D("100000"), D("40000"), book=load_rulebook(), when=WHEN)
    assert r.citation is not None and r.citation.rule == "cusma.rvc"
    assert "4.5" in r.citation.reference
    assert all(s.citation is not None for s in r.steps)


def test_bom_sums_non_originating_materials() -> None:
    bom = [
        {"description": "GPU board", "hs": "8473.30", "value": "30000", "originating": False},
        {"description": "chassis", "hs": "8473.30", "value": "10000", "originating": False},
        {"description": "PSU", "hs": "8504.40", "value": "5000", "originating": True},
    ]
    r = rvc_from_bom("transaction_value", D("100000"), bom, threshold=D("60"))
    assert r.vnm == D("40000") and r.rvc == D("60.00") and r.qualifies is True


def test_bom_with_unknown_origin_needs_data() -> None:
    bom = [
        {"description": "GPU board", "hs": "8473.30", "value": "30000", "originating": False},
        {"description": "NIC", "hs": "8517.62", "value": "1000", "originating": None},
    ]
    r = rvc_from_bom("net_cost", D("80000"), bom, threshold=D("50"))
    assert r.rvc is None and r.qualifies is None and r.vnm is None
    assert r.missing == ["originating status of NIC (8517.62, value 1000)"]


def test_bom_rejects_a_non_boolean_origin() -> None:
    bom = [{"description": "x", "hs": "8473.30", "value": "1", "originating": "yes"}]
    with pytest.raises(RvcInputError, match="true, false or null"):
        rvc_from_bom("net_cost", D("10"), bom)
