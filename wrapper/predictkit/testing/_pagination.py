"""Cursor pages over an ordered collection, in the envelope the API sends.

A cursor names the boundary item's sort key and a direction, never a position, so it stays valid
while items are added or removed: paging on while new predictions are created neither repeats nor
skips an item. Cursors are opaque to clients (URL-safe base64 of a small JSON value).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from predictkit.testing._validation import ValidationFailed, problem

T = TypeVar("T")
SortKey = tuple[Any, ...]


def _encode(direction: str, key: SortKey) -> str:
    raw = json.dumps([direction, list(key)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


MAX_CURSOR = 1024  # characters; the cursors this server makes are far shorter


def _decode(cursor: str) -> tuple[str, SortKey]:
    try:
        if len(cursor) > MAX_CURSOR or not cursor.isascii():
            raise ValueError("not a cursor of ours")
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        direction, key = json.loads(raw)
        if direction not in {"next", "prev"} or not isinstance(key, list):
            raise ValueError(direction)
        if not all(isinstance(part, str | int) and not isinstance(part, bool) for part in key):
            raise ValueError(key)  # our sort keys are flat strings and integers
        return direction, tuple(key)
    except (ValueError, TypeError, binascii.Error, RecursionError):
        raise ValidationFailed(
            [problem(("query", "cursor"), "Invalid cursor", "value_error")]
        ) from None


def page(
    items: Sequence[T],
    key: Callable[[T], SortKey],
    *,
    descending: bool,
    cursor: str | None,
    page_size: int,
    render: Callable[[T], Any],
) -> dict[str, Any]:
    """One page of ``items`` in the order of their unique ``key``, in the API's envelope.

    The envelope has exactly these three keys, as the live service sends it (the official client
    rejects any other key).
    """
    ordered = sorted(items, key=key, reverse=descending)
    start, stop = 0, page_size
    if cursor is not None:
        direction, boundary = _decode(cursor)
        try:
            before = [
                (key(it) > boundary) if descending else (key(it) < boundary) for it in ordered
            ]
        except TypeError:  # a hand-made cursor whose key does not compare with ours
            raise ValidationFailed(
                [problem(("query", "cursor"), "Invalid cursor", "value_error")]
            ) from None
        if direction == "next":
            start = sum(
                1 for b, it in zip(before, ordered, strict=True) if b or key(it) == boundary
            )
            stop = start + page_size
        else:
            stop = sum(before)
            start = max(0, stop - page_size)
    chosen = ordered[start:stop]
    return {
        "items": [render(it) for it in chosen],
        "next_cursor": _encode("next", key(chosen[-1])) if chosen and stop < len(ordered) else None,
        "previous_cursor": _encode("prev", key(chosen[0])) if chosen and start > 0 else None,
    }
