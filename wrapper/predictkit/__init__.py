"""predictkit: a typed Python client for the WriftAI prediction API.

    from predictkit import Client
    client = Client()                        # WRIFTAI_ACCESS_TOKEN from the environment
    p = client.predictions.create({"input": {"prompt": "hi"}}, model="owner/name", wait=True)
    print(p.status, p.output)

The public surface is exactly ``__all__``; everything else is private.
"""

from typing import TYPE_CHECKING, Any

from predictkit._api import RawResponse
from predictkit._client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, Client, InsecureBaseURLWarning
from predictkit._errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ClientClosedError,
    ConflictError,
    CreateOutcomeUnknownError,
    FileInputError,
    InvalidInputError,
    InvalidInputTypeError,
    MissingTokenError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PredictionFailedError,
    PredictKitError,
    RateLimitError,
    ResponseParseError,
    ResponseTooLargeError,
    ServerError,
    StreamError,
    UnboundPredictionError,
    UnsafeDownloadError,
    UploadError,
    ValidationError,
    ValidationErrorDetail,
    WaitTimeoutError,
    WebhookVerificationError,
)
from predictkit._version import __version__

if TYPE_CHECKING:
    from predictkit._prediction import ListedPrediction, PredictionWithIO
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
    from predictkit._uploading import UploadedFile
    from predictkit.batch import BatchProgress, BatchResult
    from predictkit.model_ref import ModelRef
    from predictkit.pagination import AsyncPage, AsyncPaginator, Page, PaginatedResponse
    from predictkit.resources.predictions import Poller
    from predictkit.streaming import AsyncPredictionStream, PredictionStream, PredictionStreamEvent
    from predictkit.waiting import (
        DEFAULT_ASYNC_WAIT_OPTIONS,
        DEFAULT_WAIT_OPTIONS,
        AsyncWaitOptions,
        WaitOptions,
    )
    from predictkit.webhooks import verify_webhook

_LAZY = {
    "predictkit._prediction": ("ListedPrediction", "PredictionWithIO"),
    "predictkit._types": (
        "CreatePredictionParams",
        "ErrorSource",
        "PaginationOptions",
        "Prediction",
        "PredictionModel",
        "Status",
        "TaskError",
        "Webhook",
        "is_terminal",
    ),
    "predictkit._uploading": ("UploadedFile",),
    "predictkit.batch": ("BatchProgress", "BatchResult"),
    "predictkit.model_ref": ("ModelRef",),
    "predictkit.pagination": ("AsyncPage", "AsyncPaginator", "Page", "PaginatedResponse"),
    "predictkit.resources.predictions": ("Poller",),
    "predictkit.streaming": ("AsyncPredictionStream", "PredictionStream", "PredictionStreamEvent"),
    "predictkit.waiting": (
        "DEFAULT_ASYNC_WAIT_OPTIONS",
        "DEFAULT_WAIT_OPTIONS",
        "AsyncWaitOptions",
        "WaitOptions",
    ),
    "predictkit.webhooks": ("verify_webhook",),
}
"""Public names loaded on first use (PEP 562): ``import predictkit`` loads the Client and the
errors only, so an app pays at start-up for none of waiting, batches, uploads or streaming.
benchmarks/ measures it; tests/unit/test_public_surface.py keeps it so."""
_MODULE_OF = {name: module for module, names in _LAZY.items() for name in names}


if not TYPE_CHECKING:  # a type checker sees the imports above, and flags a misspelt name

    def __getattr__(name: str) -> Any:
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module 'predictkit' has no attribute {name!r}")
        import importlib  # noqa: PLC0415

        value = getattr(importlib.import_module(module), name)
        globals()[name] = value  # the next lookup is a plain one
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "DEFAULT_ASYNC_WAIT_OPTIONS",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "DEFAULT_WAIT_OPTIONS",
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncPage",
    "AsyncPaginator",
    "AsyncPredictionStream",
    "AsyncWaitOptions",
    "AuthenticationError",
    "BadRequestError",
    "BatchProgress",
    "BatchResult",
    "Client",
    "ClientClosedError",
    "ConflictError",
    "CreateOutcomeUnknownError",
    "CreatePredictionParams",
    "ErrorSource",
    "FileInputError",
    "InsecureBaseURLWarning",
    "InvalidInputError",
    "InvalidInputTypeError",
    "ListedPrediction",
    "MissingTokenError",
    "ModelRef",
    "NotFoundError",
    "Page",
    "PaginatedResponse",
    "PaginationOptions",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "Poller",
    "PredictKitError",
    "Prediction",
    "PredictionFailedError",
    "PredictionModel",
    "PredictionStream",
    "PredictionStreamEvent",
    "PredictionWithIO",
    "RateLimitError",
    "RawResponse",
    "ResponseParseError",
    "ResponseTooLargeError",
    "ServerError",
    "Status",
    "StreamError",
    "TaskError",
    "UnboundPredictionError",
    "UnsafeDownloadError",
    "UploadError",
    "UploadedFile",
    "ValidationError",
    "ValidationErrorDetail",
    "WaitOptions",
    "WaitTimeoutError",
    "Webhook",
    "WebhookVerificationError",
    "__version__",
    "is_terminal",
    "verify_webhook",
]
