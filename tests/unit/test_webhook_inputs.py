"""verify_webhook refuses what would make forgery easy and says what to pass (issue 8, item 7)."""

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
BODY = json.dumps({"id": "p1", "status": "succeeded"}).encode()
HEADER = sign_webhook(BODY, SECRET, timestamp=NOW)


def test_an_empty_secret_is_refused_even_with_a_matching_signature() -> None:
    forged = sign_webhook(BODY, "", timestamp=NOW)  # anyone can compute this
    with pytest.raises(InvalidInputError, match="secret is empty"):
        verify_webhook(BODY, forged, "", now=NOW)


@pytest.mark.parametrize("signature", ["é" * 64, "ä", "\u0661" * 64, "🙂"])
def test_a_non_ascii_signature_is_a_verification_error(signature: str) -> None:
    header = f"t={NOW},v1={signature}"
    with pytest.raises(WebhookVerificationError):
        verify_webhook(BODY, header, SECRET, now=NOW)
    with pytest.raises(WebhookVerificationError):
        verify_webhook(BODY, {SIGNATURE_HEADER: header}, SECRET, now=NOW)


@pytest.mark.parametrize("tolerance", [float("nan"), float("inf"), -1.0, "300", None, True])
def test_a_tolerance_that_is_not_a_finite_number_of_seconds_is_refused(tolerance: Any) -> None:
    with pytest.raises(InvalidInputError, match="tolerance"):
        verify_webhook(BODY, HEADER, SECRET, tolerance=tolerance, now=NOW)


def test_a_stale_delivery_with_nan_tolerance_would_have_passed_before() -> None:
    """What the nan check protects: nan compares false, so no timestamp was ever too old."""
    old = sign_webhook(BODY, SECRET, timestamp=NOW - 10**6)
    with pytest.raises(InvalidInputError):
        verify_webhook(BODY, old, SECRET, tolerance=float("nan"), now=NOW)
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verify_webhook(BODY, old, SECRET, now=NOW)


def test_a_str_body_says_to_pass_the_raw_bytes() -> None:
    with pytest.raises(InvalidInputTypeError, match="raw request body as bytes") as info:
        verify_webhook(BODY.decode(), HEADER, SECRET, now=NOW)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)


def test_a_bytes_secret_says_to_pass_a_str_and_never_shows_it() -> None:
    with pytest.raises(InvalidInputTypeError, match="secret must be") as info:
        verify_webhook(BODY, HEADER, SECRET.encode(), now=NOW)  # type: ignore[arg-type]
    assert SECRET not in str(info.value)


def test_headers_of_the_wrong_type_say_what_to_pass() -> None:
    with pytest.raises(InvalidInputTypeError, match="request's headers"):
        verify_webhook(BODY, None, SECRET, now=NOW)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputTypeError, match="request's headers"):
        verify_webhook(BODY, [("a", "b")], SECRET, now=NOW)  # type: ignore[arg-type]


def test_a_bytearray_body_and_any_headers_object_with_items_verify() -> None:
    class FrameworkHeaders:  # like werkzeug's EnvironHeaders: items(), but not a Mapping
        def items(self) -> list[tuple[str, str]]:
            return [("Wriftai-Webhook-Signature", HEADER)]

    expected = {"id": "p1", "status": "succeeded"}
    assert verify_webhook(bytearray(BODY), HEADER, SECRET, now=NOW) == expected
    assert verify_webhook(BODY, FrameworkHeaders(), SECRET, now=NOW) == expected  # type: ignore[arg-type]
