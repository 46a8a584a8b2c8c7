"""The one exception tree. Everything predictkit raises on purpose derives from PredictKitError.

API errors carry the HTTP status, the server's request id and the raw body; errors raised after a
prediction exists carry its id, so no work is ever lost to an exception.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from predictkit_api.models.prediction_with_details import PredictionWithDetails

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientClosedError",
    "ConflictError",
    "CreateOutcomeUnknownError",
    "FileInputError",
    "InvalidInputError",
    "InvalidInputTypeError",
    "MissingTokenError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PredictKitError",
    "PredictionFailedError",
    "RateLimitError",
    "ResponseParseError",
    "ResponseTooLargeError",
    "ServerError",
    "StreamError",
    "UnboundPredictionError",
    "UnsafeDownloadError",
    "UploadError",
    "ValidationError",
    "ValidationErrorDetail",
    "WaitTimeoutError",
    "WebhookVerificationError",
]


def _restore(cls: type[PredictKitError], args: tuple[Any, ...]) -> PredictKitError:
    """Rebuild an error without calling its __init__ (whose signature differs per class)."""
    error = cls.__new__(cls, *args)
    error.args = args
    return error


class PredictKitError(Exception):
    """Base of every error predictkit raises on purpose."""

    prediction_id: str | None = None
    """The prediction this error concerns, when one exists (look it up; never lost)."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exception's default pickling calls cls(*args), which fails for every subclass whose
        # __init__ takes other arguments (a worker process would then die with
        # BrokenProcessPool): rebuild from args and restore the fields instead.
        return (_restore, (type(self), self.args), self.__dict__)


class InvalidInputError(PredictKitError, ValueError):
    """An argument is not valid (model reference, params, page size, options): nothing was
    sent. Still a ValueError, as before."""


class InvalidInputTypeError(InvalidInputError, TypeError):
    """An argument has the wrong type: nothing was sent. Still a TypeError, as before."""


class UnboundPredictionError(PredictKitError, RuntimeError):
    """A prediction not bound to a client (built by hand or unpickled) was asked to make a
    request; fetch it with ``client.predictions.get(id)``."""


class ClientClosedError(PredictKitError, RuntimeError):
    """The Client was closed; create a new one."""


class APIError(PredictKitError):
    """A request failed, at the network or at the server. Carries what is known about it."""

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        url: str | None = None,
        status_code: int | None = None,
        request_id: str | None = None,
        body: bytes | None = None,
        prediction_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.method = method
        self.url = url
        self.status_code = status_code
        self.request_id = request_id
        self.body = body
        self.prediction_id = prediction_id

    attempts: int | None = None
    """How many times the request was sent before this error (retries included), when known."""

    def __str__(self) -> str:
        extras = []
        if self.prediction_id:
            extras.append(f"prediction {self.prediction_id}")
        if self.request_id:
            extras.append(f"request id {self.request_id}")
        if self.attempts is not None:
            extras.append(f"{self.attempts} attempt{'' if self.attempts == 1 else 's'}")
        return f"{self.message} ({', '.join(extras)})" if extras else self.message


class APIConnectionError(APIError):
    """The server could not be reached, or the connection broke before a full response."""


class APITimeoutError(APIConnectionError):
    """The request took longer than the client's timeout."""


class ResponseParseError(APIError):
    """The server answered, but the body is not what the API documents (see ``body``)."""


class ResponseTooLargeError(APIError):
    """A response (a JSON body, its decompressed size, or one stream event) is larger than the
    client holds in memory; ``limit`` is the cap in bytes (raise it with
    ``Client(max_response_bytes=...)``). Not retried: the same request would get the same."""

    def __init__(self, message: str, *, limit: int, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.limit = limit


class APIStatusError(APIError):
    """The server answered with an error status (4xx or 5xx)."""

    status_code: int

    @property
    def detail(self) -> Any:
        """The body's ``detail`` value when the body is the API's JSON error shape, else None."""
        data = json_or_none(self.body)
        return data.get("detail") if isinstance(data, dict) else None


class BadRequestError(APIStatusError):
    """400: the request is malformed."""


class AuthenticationError(APIStatusError):
    """401: the access token is missing or not valid. Check WRIFTAI_ACCESS_TOKEN."""


class MissingTokenError(AuthenticationError):
    """A call sent without a token (none given, WRIFTAI_ACCESS_TOKEN unset) was refused: 401,
    or 403 (``status_code`` says which). Public endpoints answer without a token; the others
    need one: pass ``Client(access_token=...)`` or set WRIFTAI_ACCESS_TOKEN."""

    def __init__(self, message: str | None = None, **fields: Any) -> None:
        super().__init__(
            message
            or "No WriftAI access token. Pass Client(access_token=...) or set the "
            "WRIFTAI_ACCESS_TOKEN environment variable (create one on the Access Tokens page).",
            **fields,
        )


class PermissionDeniedError(APIStatusError):
    """403: the token's user may not do this."""


class NotFoundError(APIStatusError):
    """404: no such resource, or it is not visible to this token."""


class ConflictError(APIStatusError):
    """409: the resource's state forbids this (e.g. cancelling a prediction that already ended)."""


class PayloadTooLargeError(APIStatusError):
    """413: the request body is larger than the server accepts."""


@attrs.frozen
class ValidationErrorDetail:
    """One entry of a 422 body: where (``loc``), what (``msg``) and the error ``type``."""

    loc: tuple[str | int, ...]
    msg: str
    type: str


class ValidationError(APIStatusError):
    """422: the request or the prediction input is not valid; ``details`` says where and why."""

    def __init__(self, message: str, *, details: list[ValidationErrorDetail], **kw: Any) -> None:
        super().__init__(message, **kw)
        self.details = details


class RateLimitError(APIStatusError):
    """429: too many requests. ``retry_after`` is how long the server asks to wait, in seconds."""

    def __init__(self, message: str, *, retry_after: float | None, **kw: Any) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """5xx: the service failed. Retried automatically where that is safe."""


class CreateOutcomeUnknownError(APIError):
    """A create request may or may not have created a prediction, so it was not retried.

    This happens when the connection broke after the request was sent, or the server answered
    5xx. Retrying blindly could run (and bill) the prediction twice. Look for it first:
    ``client.predictions.list()`` returns your newest predictions first.
    """

    candidates: tuple[str, ...] = ()
    """Ids of predictions that may be this create's (when reconciliation found several)."""


class WaitTimeoutError(PredictKitError, TimeoutError):
    """A wait's deadline passed. ``prediction`` is the last state seen (still running remotely
    unless ``cancelled``: the wait, or ``run()`` leaving its block, asked to cancel it)."""

    def __init__(
        self,
        prediction: PredictionWithDetails | None,
        timeout: float,
        *,
        cancelled: bool,
        prediction_id: str | None = None,
    ) -> None:
        pid = prediction.id if prediction is not None else prediction_id
        super().__init__(f"Prediction {pid} did not finish within {timeout:g}s.")
        self.prediction = prediction
        """The last state seen; None when no request for it succeeded before the deadline."""
        self.prediction_id = pid
        self.timeout = timeout
        self.cancelled = cancelled

    def __str__(self) -> str:
        # Built when shown, so a cancel made after the wait (run() leaving its block) is told.
        state = "cancel requested" if self.cancelled else "still running; wait again or cancel it"
        seen = (
            f"last status {self.prediction.status!r}"
            if self.prediction is not None
            else "its state could not be fetched"
        )
        return (
            f"Prediction {self.prediction_id} did not finish within {self.timeout:g}s "
            f"({seen}, {state})."
        )


class PredictionFailedError(PredictKitError):
    """The prediction ended without output (failed, cancelled or abandoned)."""

    def __init__(self, prediction: PredictionWithDetails) -> None:
        from predictkit_api.models.task_error import TaskError  # noqa: PLC0415 - keeps import light

        error = prediction.error
        # The generated union parser keeps a malformed error object as a plain dict.
        reason = f": {error.source} error: {error.message}" if isinstance(error, TaskError) else ""
        super().__init__(f"Prediction {prediction.id} ended {prediction.status}{reason}")
        self.prediction = prediction
        self.prediction_id = prediction.id


class StreamError(APIError):
    """A prediction's event stream could not be read to its end, even after resuming."""


class UnsafeDownloadError(PredictKitError, ValueError):
    """An output URL was refused: not http(s), or plain http to a host other than loopback."""


class FileInputError(PredictKitError, ValueError):
    """A file in a prediction's input cannot be uploaded as given (missing, not a regular file,
    opened in text mode, not seekable, changed while uploading). ``file`` says which."""

    def __init__(self, message: str, *, file: str) -> None:
        super().__init__(message)
        self.file = file


class UploadError(APIError):
    """Uploading a file failed at the network or at the server. ``file`` names it, ``part`` is
    the failed part (0-based) when a part failed; ``__cause__`` is the underlying typed error.
    ``url`` never carries a pre-signed URL's query (its signature)."""

    def __init__(self, message: str, *, file: str, part: int | None = None, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.file = file
        self.part = part


class WebhookVerificationError(PredictKitError, ValueError):
    """A webhook delivery's signature is missing, malformed, stale or does not match."""


def json_or_none(body: bytes | None) -> Any:
    """The body parsed as JSON, or None when it is empty or not JSON."""
    if not body:
        return None
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        return None
