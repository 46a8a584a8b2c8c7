"""Prediction data types. Response objects are the generated attrs models; statuses and error
sources are also offered as StrEnums (the earlier SDK's names), which compare equal to the
strings the models hold. Unknown values from a newer server stay plain strings."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NotRequired, TypedDict

from predictkit_api.models.prediction import Prediction
from predictkit_api.models.prediction_model import PredictionModel
from predictkit_api.models.task_error import TaskError

__all__ = [
    "TERMINAL_STATUSES",
    "CreatePredictionParams",
    "ErrorSource",
    "PaginationOptions",
    "Prediction",
    "PredictionModel",
    "Status",
    "TaskError",
    "Webhook",
    "is_terminal",
]


class Status(StrEnum):
    """Prediction statuses the API uses today. A newer server may send others: treat any status
    not listed here as still running (``is_terminal`` does)."""

    pending = "pending"
    starting = "starting"
    started = "started"
    failed = "failed"
    succeeded = "succeeded"
    cancelled = "cancelled"
    abandoned = "abandoned"


TERMINAL_STATUSES = frozenset({Status.succeeded, Status.failed, Status.cancelled, Status.abandoned})


def is_terminal(status: str) -> bool:
    """Whether a prediction in ``status`` has ended (unknown statuses have not)."""
    return status in TERMINAL_STATUSES


class ErrorSource(StrEnum):
    """Who caused a task error: the platform (internal) or the model (external)."""

    internal = "internal"
    external = "external"


class Webhook(TypedDict):
    """Where the API POSTs prediction updates; ``secret`` signs each delivery."""

    url: str
    secret: NotRequired[str | None]


class CreatePredictionParams(TypedDict):
    """What to run: ``input`` (a JSON object), an optional ``webhook``, ``validate_input`` to
    check the input against the model's schema before any hardware starts, and ``stream`` to
    ask for the prediction's event stream (output events as they are produced; a wait then
    listens to it instead of polling)."""

    input: dict[str, Any]
    webhook: NotRequired[Webhook | None]
    validate_input: NotRequired[bool]
    stream: NotRequired[bool]


class PaginationOptions(TypedDict, total=False):
    """``cursor`` from a previous page (to resume), and ``page_size`` (5 to 50, default 25)."""

    cursor: str
    page_size: int
