"""verify_webhook's refusals say what went wrong, and its argument checks take every edge
(predictkit.webhooks). The messages are what a user reads in a 400 handler or a log, so each
is pinned by the fact it must carry."""

from __future__ import annotations

import json
from typing import Any

import pytest
from predictkit import (
    InvalidInputError,
    InvalidInputTypeError,
    WebhookVerificationError,
    verify_webhook,
)
from predictkit.webhooks import SIGNATURE_HEADER, sign_webhook

SECRET = "whsec_Sup3rS3cretValue-9f8e7d"
NOW = 1_700_000_000
BODY = json.dumps({"id": "p1"}).encode()
HEADER = sign_webhook(BODY, SECRET, timestamp=NOW)


def refusal(header: Any, payload: bytes = BODY, **kw: Any) -> str:
    with pytest.raises(WebhookVerificationError) as info:
        verify_webhook(payload, header, SECRET, now=NOW, **kw)
    assert SECRET not in str(info.value)
    return str(info.value)


def test_each_refusal_says_what_is_wrong_with_the_delivery() -> None:
    assert "timestamp is not an integer" in refusal(f"t=soon,v1={'0' * 64}")
    assert "No timestamp (t=)" in refusal(f"v1={'0' * 64}")
    assert "malformed (not ASCII)" in refusal(f"t={NOW},v1=é")
    assert "wrong secret, or the body was altered" in refusal(HEADER, payload=BODY + b" ")
    unsigned_json = b"not json"
    assert "not JSON" in refusal(sign_webhook(unsigned_json, SECRET, timestamp=NOW), unsigned_json)


def test_tolerance_zero_accepts_only_the_exact_second() -> None:
    assert verify_webhook(BODY, HEADER, SECRET, tolerance=0, now=NOW) == {"id": "p1"}
    assert verify_webhook(BODY, HEADER, SECRET, tolerance=0.5, now=NOW) == {"id": "p1"}
    with pytest.raises(WebhookVerificationError, match=r"\+1s from now, outside the 0s"):
        verify_webhook(BODY, HEADER, SECRET, tolerance=0, now=NOW + 1)


@pytest.mark.parametrize("now", [float("nan"), float("inf"), "1700000000", True])
def test_a_now_that_is_not_a_unix_time_is_refused(now: Any) -> None:
    with pytest.raises(InvalidInputError, match=r"now must be a Unix time in seconds") as info:
        verify_webhook(BODY, HEADER, SECRET, now=now)
    assert repr(now) in str(info.value)


def test_argument_errors_name_the_type_given() -> None:
    with pytest.raises(InvalidInputTypeError, match=r"payload must be the raw request body") as a:
        verify_webhook(BODY.decode(), HEADER, SECRET, now=NOW)  # type: ignore[arg-type]
    assert "not str:" in str(a.value)
    with pytest.raises(InvalidInputTypeError, match=r"request\.headers\) or the") as b:
        verify_webhook(BODY, 42, SECRET, now=NOW)  # type: ignore[arg-type]
    assert f"{SIGNATURE_HEADER} header's value (a str), not int." in str(b.value)
    with pytest.raises(InvalidInputTypeError, match=r"secret must be the webhook secret") as c:
        verify_webhook(BODY, HEADER, SECRET.encode(), now=NOW)  # type: ignore[arg-type]
    assert str(c.value).endswith("not bytes.")
    with pytest.raises(InvalidInputError) as d:
        verify_webhook(BODY, HEADER, "", now=NOW)
    assert str(d.value) == (
        "The webhook secret is empty: anyone could sign a delivery with it. Pass the secret "
        "the prediction was created with (set one: params['webhook']['secret'])."
    )
