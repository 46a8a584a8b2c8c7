"""The earlier WriftAI SDK's ``predictions`` module, name for name: switch by changing the
import (``from predictkit.predictions import ...``)."""

from predictkit._prediction import PredictionWithIO
from predictkit._types import (
    CreatePredictionParams,
    ErrorSource,
    PaginationOptions,
    Prediction,
    PredictionModel,
    Status,
    TaskError,
    Webhook,
    is_terminal,
)
from predictkit.pagination import PaginatedResponse
from predictkit.resources.predictions import Poller, Predictions
from predictkit.waiting import (
    DEFAULT_ASYNC_WAIT_OPTIONS,
    DEFAULT_WAIT_OPTIONS,
    AsyncWaitOptions,
    WaitOptions,
)

__all__ = [
    "DEFAULT_ASYNC_WAIT_OPTIONS",
    "DEFAULT_WAIT_OPTIONS",
    "AsyncWaitOptions",
    "CreatePredictionParams",
    "ErrorSource",
    "PaginatedResponse",
    "PaginationOptions",
    "Poller",
    "Prediction",
    "PredictionModel",
    "PredictionWithIO",
    "Predictions",
    "Status",
    "TaskError",
    "WaitOptions",
    "Webhook",
    "is_terminal",
]
