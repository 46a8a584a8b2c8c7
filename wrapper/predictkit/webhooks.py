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
import math
import time
from collections.abc import Mapping
from typing import Any

from predictkit._errors import InvalidInputError, InvalidInputTypeError, WebhookVerificationError

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
    payload: bytes | bytearray,
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
    _check_arguments(payload, headers_or_signature, secret, tolerance, now)
    if isinstance(headers_or_signature, str):
        header = headers_or_signature
    else:
        lowered = {str(k).lower(): v for k, v in headers_or_signature.items()}
        header = lowered.get(SIGNATURE_HEADER, "")
    if not isinstance(header, str) or not header:
        raise WebhookVerificationError(f"No {SIGNATURE_HEADER} header on the delivery.")
    if not header.isascii():
        # Hex signatures are ASCII; compare_digest would raise TypeError on anything else.
        raise WebhookVerificationError("The signature header is malformed (not ASCII).")

    timestamp, candidates = _parse_header(header)
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise WebhookVerificationError(
            f"Signature timestamp is {current - timestamp:+.0f}s from now, outside the "
            f"{tolerance:g}s tolerance (replayed delivery, or a clock out of sync)."
        )
    expected = _digest(secret, timestamp, bytes(payload))
    if not any(hmac.compare_digest(expected, c) for c in candidates):
        raise WebhookVerificationError(
            "No signature matches: wrong secret, or the body was altered (verify the raw bytes)."
        )
    try:
        return json.loads(bytes(payload))
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than Python's stack
        raise WebhookVerificationError("The signed body is not JSON.") from None


def _check_arguments(
    payload: object, headers: object, secret: object, tolerance: object, now: object
) -> None:
    """Mistakes in the call itself (not in the delivery) get errors saying what to pass; an
    empty secret or an unbounded tolerance is refused, since either makes forgery easy."""
    if not isinstance(payload, bytes | bytearray):
        raise InvalidInputTypeError(
            f"payload must be the raw request body as bytes (e.g. await request.body()), not "
            f"{type(payload).__name__}: decoded or re-serialised text may not verify."
        )
    if not isinstance(headers, str) and not callable(getattr(headers, "items", None)):
        raise InvalidInputTypeError(
            "headers_or_signature must be the request's headers (a mapping, e.g. "
            "request.headers) or the "
            f"{SIGNATURE_HEADER} header's value (a str), not {type(headers).__name__}."
        )
    if not isinstance(secret, str):
        raise InvalidInputTypeError(
            f"secret must be the webhook secret as a str (as given in params['webhook']), not "
            f"{type(secret).__name__}."
        )
    if not secret:
        raise InvalidInputError(
            "The webhook secret is empty: anyone could sign a delivery with it. Pass the secret "
            "the prediction was created with (set one: params['webhook']['secret'])."
        )
    if (
        isinstance(tolerance, bool)
        or not isinstance(tolerance, int | float)
        or not math.isfinite(tolerance)
        or tolerance < 0
    ):
        raise InvalidInputError(
            f"tolerance must be a finite number of seconds >= 0 (default {DEFAULT_TOLERANCE:g}), "
            f"not {tolerance!r}: without a bound a captured delivery could be replayed forever."
        )
    if now is not None and (
        isinstance(now, bool) or not isinstance(now, int | float) or not math.isfinite(now)
    ):
        raise InvalidInputError(f"now must be a Unix time in seconds or None, not {now!r}.")
