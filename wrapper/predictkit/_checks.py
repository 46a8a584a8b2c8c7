"""Checks of user-given values that more than one module applies."""

from __future__ import annotations

import math

import httpx


def positive_seconds(value: object) -> bool:
    """A positive, finite number of seconds (not a bool, NaN or infinity)."""
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and value > 0
    )


def sendable_header(name: str, value: str) -> bool:
    """Whether httpx can send this header: a non-empty name of printable ASCII without spaces,
    a value of printable ASCII (spaces allowed). Anything else fails inside httpx at send time
    with an error that may quote the value (a credential)."""
    return bool(name) and _printable_ascii(name) and _printable_ascii(value.replace(" ", "x"))


def _printable_ascii(text: str) -> bool:
    return all(char.isascii() and char.isprintable() and not char.isspace() for char in text)


def is_http_url(url: str) -> bool:
    """An absolute http(s) URL with a host, without whitespace or unprintable characters."""
    if any(c.isspace() or not c.isprintable() for c in url):
        return False
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)
