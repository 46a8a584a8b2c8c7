"""Webhook signatures: verify a delivery (receivers) and sign one (the reference server).

Header ``wriftai-webhook-signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`` where each ``v1`` is
HMAC-SHA256 over ``"<t>." + raw body`` keyed by the webhook secret. Any listed ``v1`` signature may
match (secret rotation); the timestamp must be within ``tolerance`` seconds of now, past or future,
so a captured delivery cannot be replayed later.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

from predictkit._errors import WebhookVerificationError

__all__ = [
    "DEFAULT_TOLERANCE",
    "SIGNATURE_HEADER",
    "sign_webhook",
    "verify_webhook",
]

SIGNATURE_HEADER = "wriftai-webhook-signature"
DEFAULT_TOLERANCE = 300.0
_SCHEME = "v1"


def _digest(secret: str, timestamp: int, payload: bytes) -> str:
    signed = str(timestamp).encode() + b"." + payload
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def sign_webhook(payload: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """The signature header value for ``payload`` (as the API and the reference server send it)."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},{_SCHEME}={_digest(secret, t, payload)}"


def _parse_header(header: str) -> tuple[int, list[str]]:
    """The timestamp (first ``t=`` wins) and every ``v1=`` signature of a header value."""
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if key == "t" and timestamp is None:
            try:
                timestamp = int(value)
            except ValueError:
                raise WebhookVerificationError(
                    "The signature timestamp is not an integer."
                ) from None
        elif key == _SCHEME:
            candidates.append(value)
    if timestamp is None:
        raise WebhookVerificationError("No timestamp (t=) in the signature header.")
    if not candidates:
        raise WebhookVerificationError(f"No {_SCHEME} signatures in the signature header.")
    return timestamp, candidates


def verify_webhook(
    payload: bytes,
    headers_or_signature: Mapping[str, str] | str,
    secret: str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> Any:
    """Check a delivery and return its parsed JSON body.

    ``payload`` must be the raw request body bytes, exactly as received (re-serialised JSON does
    not verify). ``headers_or_signature`` is the request's headers (any case) or the signature
    header's value. Raises WebhookVerificationError, whose message never includes the secret.
    """
    if isinstance(headers_or_signature, str):
        header = headers_or_signature
    else:
        lowered = {k.lower(): v for k, v in headers_or_signature.items()}
        header = lowered.get(SIGNATURE_HEADER, "")
    if not header:
        raise WebhookVerificationError(f"No {SIGNATURE_HEADER} header on the delivery.")

    timestamp, candidates = _parse_header(header)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookVerificationError(
            f"Signature timestamp is {current - timestamp:+.0f}s from now, outside the "
            f"{tolerance:g}s tolerance (replayed delivery, or a clock out of sync)."
        )
    expected = _digest(secret, timestamp, payload)
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise WebhookVerificationError(
            "No signature matches: wrong secret, or the body was altered (verify the raw bytes)."
        )
    try:
        return json.loads(payload)
    except ValueError:
        raise WebhookVerificationError("The signed body is not JSON.") from None
