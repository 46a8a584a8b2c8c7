from typing import Literal, cast

PredictionStreamEventType = Literal["done", "error", "init", "output"]

PREDICTION_STREAM_EVENT_TYPE_VALUES: frozenset[PredictionStreamEventType] = frozenset(
    {
        "done",
        "error",
        "init",
        "output",
    }
)


def check_prediction_stream_event_type(value: str) -> PredictionStreamEventType:
    """Return ``value`` unchanged when it has the enum's type, known value or not.

    predictkit override: the server may add values (a new status, say) before this client knows
    them; parsing must pass them through rather than raise. A value of the wrong type (null, a
    number) still raises TypeError. Compare against ``PREDICTION_STREAM_EVENT_TYPE_VALUES``
    to tell known values apart.
    """
    if not isinstance(value, str):
        raise TypeError(f"Expected str, got {type(value).__name__}: {value!r}")
    return cast(PredictionStreamEventType, value)
