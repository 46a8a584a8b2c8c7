"""Webhook signatures: sign/verify round trip, rotation, and every way a delivery is refused."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest
from predictkit import WebhookVerificationError, verify_webhook
from predictkit.webhooks import DEFAULT_TOLERANCE, SIGNATURE_HEADER, sign_webhook

SECRET = "whsec_Sup3rS3cretValue-9f8e7d"
NOW = 1_700_000_000
BODY = json.dumps({"id": "p1", "status": "succeeded", "output": [1, 2]}).encode()


def _v1(secret: str, timestamp: int, payload: bytes) -> str:
    signed = f"{timestamp}.".encode() + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def test_sign_produces_the_documented_header_format() -> None:
    header = sign_webhook(BODY, SECRET, timestamp=NOW)
    assert header == f"t={NOW},v1={_v1(SECRET, NOW, BODY)}"


def test_sign_without_timestamp_uses_the_current_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("predictkit.webhooks.time.time", lambda: NOW + 0.7)
    assert sign_webhook(BODY, SECRET).startswith(f"t={NOW},v1=")


def test_round_trip_returns_the_parsed_json() -> None:
    header = sign_webhook(BODY, SECRET, timestamp=NOW)
    assert verify_webhook(BODY, header, SECRET, now=NOW) == {
        "id": "p1",
        "status": "succeeded",
        "output": [1, 2],
    }


def test_verify_uses_the_clock_when_now_is_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("predictkit.webhooks.time.time", lambda: float(NOW + 10))
    header = sign_webhook(BODY, SECRET, timestamp=NOW)
    assert verify_webhook(BODY, header, SECRET)["id"] == "p1"
    monkeypatch.setattr("predictkit.webhooks.time.time", lambda: float(NOW + 10_000))
    with pytest.raises(WebhookVerificationError):
        verify_webhook(BODY, header, SECRET)


@pytest.mark.parametrize(
    "name", [SIGNATURE_HEADER, "WriftAI-Webhook-Signature", "WRIFTAI-WEBHOOK-SIGNATURE"]
)
def test_headers_mapping_in_any_case(name: str) -> None:
    headers = {
        "Content-Type": "application/json",
        name: sign_webhook(BODY, SECRET, timestamp=NOW),
    }
    assert verify_webhook(BODY, headers, SECRET, now=NOW)["status"] == "succeeded"


@pytest.mark.parametrize("position", [0, 1, 2])
def test_any_one_of_several_v1_signatures_may_match(position: int) -> None:
    sigs = [_v1("old-secret", NOW, BODY), "0" * 64, _v1("other", NOW, BODY)]
    sigs[position] = _v1(SECRET, NOW, BODY)
    header = f"t={NOW}," + ",".join(f"v1={s}" for s in sigs) + ",v2=abcdef"
    assert verify_webhook(BODY, header, SECRET, now=NOW)["id"] == "p1"


def test_spaces_after_commas_are_tolerated() -> None:
    header = f"t={NOW}, v1={'0' * 64}, v1={_v1(SECRET, NOW, BODY)}"
    assert verify_webhook(BODY, header, SECRET, now=NOW)["id"] == "p1"


def test_edge_of_tolerance_is_accepted() -> None:
    header = sign_webhook(BODY, SECRET, timestamp=NOW)
    assert verify_webhook(BODY, header, SECRET, now=NOW + DEFAULT_TOLERANCE)["id"] == "p1"
    assert verify_webhook(BODY, header, SECRET, now=NOW - DEFAULT_TOLERANCE)["id"] == "p1"
    assert verify_webhook(BODY, header, SECRET, now=NOW + 9, tolerance=10)["id"] == "p1"


GOOD = f"t={NOW},v1={_v1(SECRET, NOW, BODY)}"

REFUSALS: list[tuple[str, bytes, str | dict[str, str], str, float, str]] = [
    # (case, body, header or headers, secret, now, message fragment)
    ("wrong secret", BODY, GOOD, "whsec_other", NOW, "No signature matches"),
    ("altered body", BODY.replace(b"p1", b"p2"), GOOD, SECRET, NOW, "No signature matches"),
    ("extra byte", BODY + b" ", GOOD, SECRET, NOW, "No signature matches"),
    (
        "re-serialised body",
        json.dumps(json.loads(BODY), indent=2).encode(),
        GOOD,
        SECRET,
        NOW,
        "No signature matches",
    ),
    ("missing header", BODY, {"content-type": "application/json"}, SECRET, NOW, "No wriftai"),
    ("empty header value", BODY, "", SECRET, NOW, "No wriftai"),
    ("empty header in dict", BODY, {SIGNATURE_HEADER: ""}, SECRET, NOW, "No wriftai"),
    ("missing t", BODY, f"v1={_v1(SECRET, NOW, BODY)}", SECRET, NOW, "No timestamp"),
    ("t without =", BODY, f"t,v1={_v1(SECRET, NOW, BODY)}", SECRET, NOW, "No timestamp"),
    ("non-integer t", BODY, f"t=abc,v1={_v1(SECRET, NOW, BODY)}", SECRET, NOW, "not an integer"),
    ("decimal t", BODY, f"t={NOW}.5,v1={_v1(SECRET, NOW, BODY)}", SECRET, NOW, "not an integer"),
    ("empty t", BODY, f"t=,v1={_v1(SECRET, NOW, BODY)}", SECRET, NOW, "not an integer"),
    ("no v1", BODY, f"t={NOW},v2={_v1(SECRET, NOW, BODY)}", SECRET, NOW, "No v1 signatures"),
    ("only t", BODY, f"t={NOW}", SECRET, NOW, "No v1 signatures"),
    ("stale", BODY, GOOD, SECRET, NOW + DEFAULT_TOLERANCE + 1, "outside the 300s tolerance"),
    ("future", BODY, GOOD, SECRET, NOW - DEFAULT_TOLERANCE - 1, "outside the 300s tolerance"),
    ("much older", BODY, GOOD, SECRET, NOW + 86_400, "outside"),
    (
        "timestamp swapped",
        BODY,
        f"t={NOW + 1},v1={_v1(SECRET, NOW, BODY)}",
        SECRET,
        NOW,
        "No signature matches",
    ),
    ("truncated signature", BODY, GOOD[:-1], SECRET, NOW, "No signature matches"),
    (
        "upper-case hex",
        BODY,
        GOOD.upper().replace("T=", "t=").replace("V1=", "v1="),
        SECRET,
        NOW,
        "No signature matches",
    ),
]


@pytest.mark.parametrize(
    ("body", "header", "secret", "now", "fragment"),
    [r[1:] for r in REFUSALS],
    ids=[r[0] for r in REFUSALS],
)
def test_refusals_raise_webhook_verification_error(
    body: bytes, header: str | dict[str, str], secret: str, now: float, fragment: str
) -> None:
    with pytest.raises(WebhookVerificationError) as info:
        verify_webhook(body, header, secret, now=now)
    assert fragment in str(info.value)
    assert isinstance(info.value, ValueError)
    for text in (str(info.value), repr(info.value), *map(str, info.value.args)):
        assert secret not in text
        assert SECRET not in text


def test_custom_tolerance_is_applied() -> None:
    header = sign_webhook(BODY, SECRET, timestamp=NOW)
    with pytest.raises(WebhookVerificationError, match="outside the 5s tolerance"):
        verify_webhook(BODY, header, SECRET, now=NOW + 6, tolerance=5)


def test_signed_body_that_is_not_json_is_refused_without_leaking_the_secret() -> None:
    body = b"not json at all"
    header = sign_webhook(body, SECRET, timestamp=NOW)
    with pytest.raises(WebhookVerificationError, match="not JSON") as info:
        verify_webhook(body, header, SECRET, now=NOW)
    assert SECRET not in str(info.value)
    assert info.value.__cause__ is None


def test_first_timestamp_wins() -> None:
    sig = _v1(SECRET, NOW, BODY)
    assert verify_webhook(BODY, f"t={NOW},t={NOW + 5},v1={sig}", SECRET, now=NOW)["id"] == "p1"
    with pytest.raises(WebhookVerificationError, match="No signature matches"):
        verify_webhook(BODY, f"t={NOW + 5},t={NOW},v1={sig}", SECRET, now=NOW)
