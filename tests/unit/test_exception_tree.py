"""The exception tree keeps its promises (issue 8, item 6): everything predictkit raises is a
PredictKitError, input errors stay ValueError/TypeError, and every public error pickles with
its fields (so a worker process raising one does not break the pool)."""

from __future__ import annotations

import ast
import copy
import pickle
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import predictkit
import pytest
from predictkit import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Client,
    ClientClosedError,
    ConflictError,
    CreateOutcomeUnknownError,
    FileInputError,
    InvalidInputError,
    InvalidInputTypeError,
    MissingTokenError,
    ModelRef,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    PredictionFailedError,
    PredictionWithIO,
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
from predictkit._call import Call, Retry
from predictkit._error_map import error_from_exception

PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
PACKAGE = Path(predictkit.__file__).parent
PREDICTION: dict[str, Any] = {
    "id": PID,
    "model": {"owner": "acme", "name": "echo", "version_number": 3},
    "created_at": "2024-08-24T14:15:22Z",
    "status": "failed",
    "updated_at": "2024-08-24T14:15:23Z",
    "setup_time": None,
    "execution_time": "1.2",
    "input": {"prompt": "hi"},
    "output": None,
    "error": {"source": "external", "message": "boom"},
    "stream": True,
}


def prediction() -> PredictionWithIO:
    return PredictionWithIO.from_dict(PREDICTION)


API: dict[str, Any] = {
    "method": "GET",
    "url": "https://api.test/v1/x",
    "request_id": "req-1",
    "body": b'{"detail": "no"}',
    "prediction_id": PID,
}

# One instance of every public exception class, with its fields set.
EXAMPLES: dict[type[PredictKitError], Callable[[], PredictKitError]] = {
    PredictKitError: lambda: PredictKitError("base"),
    InvalidInputError: lambda: InvalidInputError("bad page size"),
    InvalidInputTypeError: lambda: InvalidInputTypeError("not a dict"),
    UnboundPredictionError: lambda: UnboundPredictionError("unbound"),
    ClientClosedError: lambda: ClientClosedError("closed"),
    MissingTokenError: MissingTokenError,
    APIError: lambda: APIError("failed", **API),
    APIConnectionError: lambda: APIConnectionError("down", **API),
    APITimeoutError: lambda: APITimeoutError("slow", **API),
    ResponseParseError: lambda: ResponseParseError("html", status_code=200, **API),
    APIStatusError: lambda: APIStatusError("418", status_code=418, **API),
    BadRequestError: lambda: BadRequestError("400", status_code=400, **API),
    AuthenticationError: lambda: AuthenticationError("401", status_code=401, **API),
    PermissionDeniedError: lambda: PermissionDeniedError("403", status_code=403, **API),
    NotFoundError: lambda: NotFoundError("404", status_code=404, **API),
    ConflictError: lambda: ConflictError("409", status_code=409, **API),
    PayloadTooLargeError: lambda: PayloadTooLargeError("413", status_code=413, **API),
    ValidationError: lambda: ValidationError(
        "422",
        details=[ValidationErrorDetail(loc=("body", "input", 0), msg="bad", type="value_error")],
        status_code=422,
        **API,
    ),
    RateLimitError: lambda: RateLimitError("429", retry_after=1.5, status_code=429, **API),
    ServerError: lambda: ServerError("503", status_code=503, **API),
    CreateOutcomeUnknownError: lambda: CreateOutcomeUnknownError("maybe", **API),
    StreamError: lambda: StreamError("dropped", **API),
    WaitTimeoutError: lambda: WaitTimeoutError(prediction(), 2.5, cancelled=True),
    PredictionFailedError: lambda: PredictionFailedError(prediction()),
    UnsafeDownloadError: lambda: UnsafeDownloadError("ftp"),
    WebhookVerificationError: lambda: WebhookVerificationError("stale"),
    ResponseTooLargeError: lambda: ResponseTooLargeError("big", limit=1024, status_code=200, **API),
    FileInputError: lambda: FileInputError("missing", file="in.png"),
    UploadError: lambda: UploadError("part failed", file="in.png", part=2, **API),
}


def roundtrip(obj: Any) -> Any:
    return pickle.loads(pickle.dumps(obj))  # noqa: S301 - bytes we just made


def exported_errors() -> set[type[BaseException]]:
    return {
        obj
        for name in predictkit.__all__
        if isinstance(obj := getattr(predictkit, name), type)
        and issubclass(obj, BaseException)
        and not issubclass(obj, Warning)  # warnings are not raised
    }


def fields(error: BaseException) -> dict[str, Any]:
    """An error's fields, with predictions compared as their JSON."""
    out = {}
    for key, value in vars(error).items():
        out[key] = value.to_dict() if isinstance(value, PredictionWithIO) else value
    return out


def test_every_exported_error_has_an_example() -> None:
    assert set(EXAMPLES) == exported_errors()


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda c: c.__name__)
def test_every_public_error_survives_pickle_with_its_fields(cls: type[PredictKitError]) -> None:
    error = EXAMPLES[cls]()
    error.add_note("a note")
    assert type(error) is cls
    copy_ = roundtrip(error)
    assert type(copy_) is cls
    assert str(copy_) == str(error)
    assert copy_.args == error.args
    assert fields(copy_) == fields(error)
    assert fields(copy.deepcopy(error)) == fields(error)


def test_pickled_errors_keep_typed_fields() -> None:
    rate = roundtrip(EXAMPLES[RateLimitError]())
    assert isinstance(rate, RateLimitError)
    assert rate.retry_after == 1.5
    assert rate.status_code == 429
    assert rate.request_id == "req-1"
    invalid = roundtrip(EXAMPLES[ValidationError]())
    assert isinstance(invalid, ValidationError)
    assert invalid.details[0].loc == ("body", "input", 0)
    timeout = roundtrip(EXAMPLES[WaitTimeoutError]())
    assert isinstance(timeout, WaitTimeoutError)
    assert timeout.prediction is not None
    assert timeout.prediction.error is not None
    assert timeout.prediction.to_dict() == prediction().to_dict()
    assert timeout.cancelled


def _raise_in_worker(kind: str) -> None:
    if kind == "rate":
        raise RateLimitError("slow down", retry_after=2.0, status_code=429, prediction_id=PID)
    raise ValidationError(
        "invalid", details=[ValidationErrorDetail(("input",), "bad", "t")], status_code=422
    )


@pytest.mark.parametrize("kind", ["rate", "validation"])
def test_a_worker_process_raising_an_api_error_does_not_break_the_pool(kind: str) -> None:
    with ProcessPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_raise_in_worker, kind)
        error = future.exception(timeout=60)
    assert isinstance(error, RateLimitError | ValidationError)
    if isinstance(error, RateLimitError):
        assert (error.retry_after, error.prediction_id) == (2.0, PID)
    else:
        assert error.details == [ValidationErrorDetail(("input",), "bad", "t")]


# --- input errors are PredictKitErrors too -------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda: ModelRef.parse("no-slash"),
        lambda: ModelRef.parse(42),  # type: ignore[arg-type]
        lambda: ModelRef("a", "b", 10**30),
        lambda: Client(access_token="t", max_retries=-1),
        lambda: Client(access_token="t", timeout=float("nan")),
        lambda: Client(access_token="t").predictions.get("../etc"),
        lambda: Client(access_token="t").predictions.list({"page_size": 500}),
        lambda: Client(access_token="t").predictions.create({"nope": 1}, model="a/b"),  # type: ignore[typeddict-item,typeddict-unknown-key]
        lambda: Client(access_token="t").predictions.create([], model="a/b"),  # type: ignore[arg-type]
        lambda: predictkit.WaitOptions(timeout=-1),
    ],
)
def test_input_errors_are_predictkit_errors_and_still_value_or_type_errors(
    call: Callable[[], object],
) -> None:
    with pytest.raises(PredictKitError) as info:
        call()
    error: BaseException = info.value
    assert isinstance(error, ValueError | TypeError)
    assert isinstance(error, InvalidInputError)


def test_an_input_type_error_is_a_type_error_and_an_input_error() -> None:
    with pytest.raises(TypeError) as info:
        ModelRef.parse(42)  # type: ignore[arg-type]
    assert isinstance(info.value, InvalidInputTypeError)
    assert isinstance(info.value, ValueError)  # one class catches every bad input


BUILTIN = {"ValueError", "TypeError", "RuntimeError", "KeyError", "Exception", "AssertionError"}


def _builtin_raises(source: str, name: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, name)):
        if isinstance(node, ast.Raise) and node.exc is not None:
            target = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(target, ast.Name) and target.id in BUILTIN:
                found.append(f"{name}:{node.lineno} raises {target.id}")
    return found


def test_the_client_package_raises_no_builtin_exception_directly() -> None:
    """Everything predictkit raises derives from PredictKitError (the reference server under
    predictkit/testing is a separate tool and keeps its own errors)."""
    files = [p for p in PACKAGE.rglob("*.py") if "testing" not in p.relative_to(PACKAGE).parts]
    assert len(files) > 10
    hits = [h for p in files for h in _builtin_raises(p.read_text(), str(p.relative_to(PACKAGE)))]
    assert hits == []


def test_the_raise_scanner_can_fail() -> None:
    source = "def f():\n    raise ValueError('x')\n\ndef g():\n    raise TypeError\n"
    assert _builtin_raises(source, "m.py") == [
        "m.py:2 raises ValueError",
        "m.py:5 raises TypeError",
    ]


def test_an_unbound_prediction_says_how_to_get_a_bound_one() -> None:
    with pytest.raises(UnboundPredictionError, match=r"client\.predictions\.get") as info:
        prediction().reload()
    assert isinstance(info.value, RuntimeError)


# --- the token -----------------------------------------------------------------------------------

SECRET = "tok_S3cr3t-Value-1234567890"
BAD_TOKENS = [
    SECRET + "\n",
    SECRET + "\r\n",
    " " + SECRET,
    SECRET[:5] + " " + SECRET[5:],
    SECRET + "\t",
    SECRET + "\x01",
    SECRET + "\x7f",
    SECRET + "é",
    SECRET + "\u00a0",
]


# Plain-word ids: ids made with repr hold backslashes that a second pytest run in the same
# process (mutmut's, `nox -s mutation`) no longer matches, and they would print the token.
BAD_TOKEN_IDS = [
    "trailing-lf",
    "trailing-crlf",
    "leading-space",
    "inner-space",
    "trailing-tab",
    "control-char",
    "del-char",
    "non-ascii",
    "no-break-space",
]


@pytest.mark.parametrize("token", BAD_TOKENS, ids=BAD_TOKEN_IDS)
def test_a_bad_token_is_refused_when_the_client_is_built_without_showing_it(
    token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InvalidInputError) as given:
        Client(access_token=token)
    monkeypatch.setenv("WRIFTAI_ACCESS_TOKEN", token)
    with pytest.raises(InvalidInputError) as from_env:
        Client()
    assert "access_token=" in str(given.value)
    assert "WRIFTAI_ACCESS_TOKEN" in str(from_env.value)
    for error in (given.value, from_env.value):
        text = f"{error} {error!r} {error.args}"
        assert SECRET not in text
        assert SECRET[:8] not in text
        assert ".strip()" in text


def test_a_good_token_and_no_token_are_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WRIFTAI_ACCESS_TOKEN", raising=False)
    assert "access_token=<set>" in repr(Client(access_token=SECRET))
    assert "access_token=<missing>" in repr(Client())


@pytest.mark.parametrize(
    "headers",
    [{"X-Key": "v\n"}, {"X-Key": "vé"}, {"X\nKey": "v"}, {"": "v"}],
    ids=["newline-in-value", "non-ascii-value", "newline-in-name", "empty-name"],  # see above
)
def test_extra_headers_that_httpx_cannot_send_are_refused_without_showing_the_value(
    headers: dict[str, str],
) -> None:
    with pytest.raises(InvalidInputError) as info:
        Client(access_token=SECRET, headers=headers)
    assert "v\n" not in str(info.value)
    with pytest.raises(InvalidInputError):
        Client(access_token=SECRET).with_options(headers=headers)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.LocalProtocolError(f"Illegal header value b'Bearer {SECRET}\\n'"),
        httpx.UnsupportedProtocol("Request URL has an unsupported protocol 'ftp://'"),
    ],
)
def test_a_create_refused_before_sending_is_not_an_unknown_outcome(exc: httpx.RequestError) -> None:
    request = httpx.Request("POST", "https://api.test/v1/predictions")
    call = Call({"method": "post", "url": "/predictions"}, retry=Retry.CREATE)
    error = error_from_exception(exc, request, call)
    assert not isinstance(error, CreateOutcomeUnknownError)
    assert isinstance(error, APIConnectionError)
    assert SECRET not in str(error)
