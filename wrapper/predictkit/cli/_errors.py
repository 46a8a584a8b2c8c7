"""Exit codes: the one place that maps what went wrong to the number a script sees.

``EXIT_CODES`` is read top to bottom and the first class that matches wins, so subclasses come
before their bases. The README's "Command line" table is checked against it by a test.
"""

from __future__ import annotations

from predictkit._error_map import AUTH_ADVICE
from predictkit._errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    CreateOutcomeUnknownError,
    FileInputError,
    MissingTokenError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PredictionFailedError,
    PredictKitError,
    RateLimitError,
    ServerError,
    StreamError,
    UnsafeDownloadError,
    UploadError,
    ValidationError,
    WaitTimeoutError,
)

__all__ = [
    "BROKEN_PIPE",
    "CANCELLED",
    "EXIT_CODES",
    "FAILED",
    "INTERRUPTED",
    "OK",
    "UNEXPECTED",
    "USAGE",
    "CliError",
    "exit_code",
    "one_line",
]

OK = 0
UNEXPECTED = 1
"""A bug: an exception nothing below describes (``--debug`` shows its traceback)."""
USAGE = 2
"""Bad options or input (click's own code for usage errors): nothing was sent."""
FAILED = 13
"""The prediction ran and failed."""
CANCELLED = 14
"""The prediction ended cancelled (by someone else, or an earlier ``cancel``)."""
INTERRUPTED = 130
"""Ctrl-C (128 + SIGINT, as shells report it)."""
BROKEN_PIPE = 141
"""Whoever read stdout stopped reading (128 + SIGPIPE, as shells report it)."""


_CLI_AUTH_ADVICE = "Check the access token (--token or WRIFTAI_ACCESS_TOKEN)."
"""What a 401 tells a CLI user, in place of the library's ``Client(access_token=...)``."""


class CliError(Exception):
    """A problem the CLI itself found in what it was asked to do: a usage error."""


EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (CliError, USAGE),
    (FileInputError, USAGE),
    (MissingTokenError, 3),
    (AuthenticationError, 3),
    (PermissionDeniedError, 3),
    (NotFoundError, 4),
    (ConflictError, 5),
    (ValidationError, 6),
    (BadRequestError, 6),
    (PayloadTooLargeError, 6),
    (RateLimitError, 7),
    (CreateOutcomeUnknownError, 11),
    (UploadError, 12),
    (UnsafeDownloadError, 12),
    (StreamError, 9),
    (APIConnectionError, 9),
    (ServerError, 8),
    (APIError, 8),
    (WaitTimeoutError, 10),
    (PredictionFailedError, FAILED),
    (ValueError, USAGE),
    (TypeError, USAGE),
    (PredictKitError, UNEXPECTED),
)
"""(exception class, exit code), most specific first. ValueError/TypeError are what predictkit
raises for bad input before sending anything (a bad model reference, page size, status)."""


def exit_code(exc: BaseException) -> int:
    """The exit code for ``exc``: the first matching row of EXIT_CODES, else UNEXPECTED."""
    for cls, code in EXIT_CODES:
        if isinstance(exc, cls):
            return code
    return UNEXPECTED


def one_line(exc: BaseException) -> str:
    """What to print for ``exc``: its message on one line (never a token: predictkit's messages
    carry none), and for the unexpected, its class so a bug report can name it."""
    if isinstance(exc, MissingTokenError):
        return "No WriftAI access token: set WRIFTAI_ACCESS_TOKEN or pass --token."
    message = " ".join(str(exc).split())
    if isinstance(exc, AuthenticationError):
        message = message.replace(AUTH_ADVICE, _CLI_AUTH_ADVICE)
    if exit_code(exc) == UNEXPECTED and not isinstance(exc, PredictKitError):
        return f"unexpected {type(exc).__name__}: {message} (run with --debug for the traceback)"
    return message or type(exc).__name__
