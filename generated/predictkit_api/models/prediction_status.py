from typing import Literal, cast

PredictionStatus = Literal["abandoned", "cancelled", "failed", "pending", "started", "starting", "succeeded"]

PREDICTION_STATUS_VALUES: set[PredictionStatus] = {
    "abandoned",
    "cancelled",
    "failed",
    "pending",
    "started",
    "starting",
    "succeeded",
}


def check_prediction_status(value: str) -> PredictionStatus:
    """Return ``value`` unchanged, known or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. Compare against
    ``PREDICTION_STATUS_VALUES`` to tell known values apart.
    """
    return cast(PredictionStatus, value)
