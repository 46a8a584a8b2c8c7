"""Webhook verification on arbitrary headers, bodies, secrets and tolerances.

Anything a sender (or an attacker) can put in a delivery gives the parsed body or a
PredictKitError (WebhookVerificationError, or a ValueError/TypeError that is also one); a
correctly signed JSON body always verifies; a signature over other bytes never does.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st
from predictkit import PredictKitError, WebhookVerificationError
from predictkit.webhooks import SIGNATURE_HEADER, sign_webhook, verify_webhook

from .strategies import json_values

NOW = 1_700_000_000
secrets = st.text(min_size=1, max_size=40)
header_values = st.one_of(
    st.text(max_size=120),
    st.builds(lambda t, v: f"t={t},v1={v}", st.text(max_size=12), st.text(max_size=70)),
    st.builds(lambda t: f"t={t},v1={'0' * 64}", st.integers(-(10**30), 10**30)),
)


@given(
    payload=st.binary(max_size=300),
    header=header_values,
    secret=secrets,
    tolerance=st.one_of(st.floats(), st.integers(-5, 10**6)),
)
def test_arbitrary_deliveries_verify_or_raise_typed(
    payload: bytes, header: str, secret: str, tolerance: float
) -> None:
    try:
        verify_webhook(payload, {SIGNATURE_HEADER: header}, secret, tolerance=tolerance, now=NOW)
    except PredictKitError:
        return
    # Accepted: only possible with a real signature, which random text cannot be.
    raise AssertionError(f"forged delivery accepted: {header!r}")


@given(body=json_values, secret=secrets, skew=st.integers(-300, 300))
def test_signed_bodies_verify(body: Any, secret: str, skew: int) -> None:
    payload = json.dumps(body).encode()
    header = sign_webhook(payload, secret, timestamp=NOW + skew)
    assert verify_webhook(payload, {SIGNATURE_HEADER.upper(): header}, secret, now=NOW) == body


@given(body=json_values, other=st.binary(max_size=200), secret=secrets, wrong=secrets)
def test_tampered_or_wrong_secret_never_verifies(
    body: Any, other: bytes, secret: str, wrong: str
) -> None:
    payload = json.dumps(body).encode()
    header = sign_webhook(payload, secret, timestamp=NOW)
    assume(other != payload and wrong != secret)
    for args in ((other, secret), (payload, wrong)):
        try:
            verify_webhook(args[0], header, args[1], now=NOW)
        except WebhookVerificationError:
            continue
        raise AssertionError("a delivery verified with the wrong body or secret")
