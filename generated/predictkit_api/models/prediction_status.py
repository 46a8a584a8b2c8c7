from typing import Literal, cast

PredictionStatus = Literal["abandoned", "cancelled", "failed", "pending", "started", "starting", "succeeded"]

PREDICTION_STATUS_VALUES: frozenset[PredictionStatus] = frozenset(
    {
        "abandoned",
        "cancelled",
        "failed",
        "pending",
        "started",
        "starting",
        "succeeded",
    }
)


def check_prediction_status(value: str) -> PredictionStatus:
    """Return ``value`` unchanged when it has the enum's type, known value or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. A value of the wrong type (null, a
    number) still raises TypeError. Compare against ``PREDICTION_STATUS_VALUES``
    to tell known values apart.
    """
    if not isinstance(value, str):
        raise TypeError(f"Expected str, got {type(value).__name__}: {value!r}")
    return cast(PredictionStatus, value)
