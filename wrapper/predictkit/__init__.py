"""predictkit: a typed Python client for the WriftAI prediction API.

    from predictkit import Client
    client = Client()                        # WRIFTAI_ACCESS_TOKEN from the environment
    p = client.predictions.create({"input": {"prompt": "hi"}}, model="owner/name", wait=True)
    print(p.status, p.output)

The public surface is exactly ``__all__``; everything else is private.
"""

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
from predictkit._version import __version__
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
