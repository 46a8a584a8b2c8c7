from typing import Literal, cast

PredictionStreamEventType = Literal["done", "error", "init", "output"]

PREDICTION_STREAM_EVENT_TYPE_VALUES: set[PredictionStreamEventType] = {
    "done",
    "error",
    "init",
    "output",
}


def check_prediction_stream_event_type(value: str) -> PredictionStreamEventType:
    """Return ``value`` unchanged, known or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. Compare against
    ``PREDICTION_STREAM_EVENT_TYPE_VALUES`` to tell known values apart.
    """
    return cast(PredictionStreamEventType, value)
