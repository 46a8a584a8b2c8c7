"""Checks of user-given values that more than one module applies."""

from __future__ import annotations

import math


def positive_seconds(value: object) -> bool:
    """A positive, finite number of seconds (not a bool, NaN or infinity)."""
    return (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and value > 0
    )
