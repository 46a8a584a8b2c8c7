"""The curated public surface: names, compatibility with the earlier SDK, sync/async parity."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
import textwrap

import predictkit
import predictkit.predictions as legacy
import pytest
from predictkit import (
    DEFAULT_ASYNC_WAIT_OPTIONS,
    DEFAULT_WAIT_OPTIONS,
    AsyncWaitOptions,
    Client,
    ListedPrediction,
    Poller,
    PredictionWithIO,
    Status,
    WaitOptions,
)
from predictkit.resources.predictions import Predictions
from predictkit.resources.uploads import Uploads

EXPECTED_ALL = {
    # client and configuration
    "Client",
    "ClientClosedError",
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "__version__",
    # value types and data
    "ModelRef",
    "CreatePredictionParams",
    "ErrorSource",
    "PaginationOptions",
    "Prediction",
    "PredictionModel",
    "PredictionWithIO",
    "ListedPrediction",
    "Status",
    "TaskError",
    "Webhook",
    "is_terminal",
    # waiting
    "DEFAULT_ASYNC_WAIT_OPTIONS",
    "DEFAULT_WAIT_OPTIONS",
    "AsyncWaitOptions",
    "WaitOptions",
    "Poller",
    # many predictions
    "BatchProgress",
    "BatchResult",
    # paging
    "AsyncPage",
    "AsyncPaginator",
    "Page",
    "PaginatedResponse",
    # resources
    "RawResponse",
    # streaming
    "AsyncPredictionStream",
    "PredictionStream",
    "PredictionStreamEvent",
    # webhooks
    "verify_webhook",
    # errors
    "PredictKitError",
    "APIError",
    "APIConnectionError",
    "APITimeoutError",
    "APIStatusError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "CreateOutcomeUnknownError",
    "MissingTokenError",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "PredictionFailedError",
    "RateLimitError",
    "ResponseParseError",
    "ResponseTooLargeError",
    "ServerError",
    "StreamError",
    "UnsafeDownloadError",
    "InvalidInputError",
    "InvalidInputTypeError",
    "UnboundPredictionError",
    "ValidationError",
    # file inputs
    "FileInputError",
    "UploadError",
    "UploadedFile",
    "ValidationErrorDetail",
    "WaitTimeoutError",
    "WebhookVerificationError",
    "InsecureBaseURLWarning",
}

EARLIER_SDK_NAMES = [
    "Status",
    "ErrorSource",
    "TaskError",
    "PredictionModel",
    "Prediction",
    "PredictionWithIO",
    "Webhook",
    "CreatePredictionParams",
    "WaitOptions",
    "AsyncWaitOptions",
    "DEFAULT_WAIT_OPTIONS",
    "DEFAULT_ASYNC_WAIT_OPTIONS",
    "Predictions",
    "PaginatedResponse",
    "PaginationOptions",
]


def test_all_is_exactly_the_curated_surface() -> None:
    assert set(predictkit.__all__) == EXPECTED_ALL
    assert len(predictkit.__all__) == len(EXPECTED_ALL)  # no duplicates


@pytest.mark.parametrize("name", sorted(EXPECTED_ALL))
def test_every_public_name_resolves(name: str) -> None:
    assert getattr(predictkit, name) is not None


def test_every_error_derives_from_the_one_base() -> None:
    for name in EXPECTED_ALL:
        obj = getattr(predictkit, name)
        if isinstance(obj, type) and issubclass(obj, Exception) and not issubclass(obj, Warning):
            assert issubclass(obj, predictkit.PredictKitError), name


def test_version_is_a_string() -> None:
    assert isinstance(predictkit.__version__, str)
    assert predictkit.__version__[0].isdigit()


@pytest.mark.parametrize("name", EARLIER_SDK_NAMES)
def test_predictions_module_exposes_the_earlier_sdk_names(name: str) -> None:
    assert hasattr(legacy, name)
    if name != "Predictions":
        assert getattr(legacy, name) is getattr(predictkit, name)
    assert name in legacy.__all__


def test_status_members_compare_equal_to_strings() -> None:
    assert Status.succeeded == "succeeded"
    assert Status.pending == "pending"
    assert {s.value for s in Status} == {
        "pending", "starting", "started", "failed", "succeeded", "cancelled", "abandoned",
    }  # fmt: skip
    assert len(Status) == 7
    assert Status("failed") is Status.failed
    assert str(Status.cancelled) == "cancelled"


def test_status_covers_the_generated_values() -> None:
    from predictkit_api.models.prediction_status import PREDICTION_STATUS_VALUES

    assert {s.value for s in Status} == set(PREDICTION_STATUS_VALUES)


def test_is_terminal() -> None:
    assert [s for s in Status if predictkit.is_terminal(s)] == [
        Status.failed, Status.succeeded, Status.cancelled, Status.abandoned,
    ]  # fmt: skip
    assert predictkit.is_terminal("succeeded")
    assert not predictkit.is_terminal("queued")


def test_default_wait_options_repr() -> None:
    assert (
        repr(DEFAULT_WAIT_OPTIONS) == "WaitOptions(poll_interval=1.0, on_poll=None, timeout=None)"
    )
    assert repr(DEFAULT_ASYNC_WAIT_OPTIONS) == (
        "AsyncWaitOptions(poll_interval=1.0, on_poll=None, timeout=None)"
    )


@pytest.mark.parametrize("cls", [WaitOptions, AsyncWaitOptions])
@pytest.mark.parametrize("bad", [0, 0.0, -1, -0.5, float("nan"), float("inf"), True, "1"])
def test_wait_options_reject_bad_poll_interval(cls: type[WaitOptions], bad: object) -> None:
    with pytest.raises(ValueError, match="poll_interval must be a positive, finite number"):
        cls(poll_interval=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", [WaitOptions, AsyncWaitOptions])
@pytest.mark.parametrize("bad", [0, 0.0, -1, float("nan"), float("inf"), 1e308 * 10, False, "10"])
def test_wait_options_reject_bad_timeout(cls: type[WaitOptions], bad: object) -> None:
    with pytest.raises(ValueError, match="timeout must be a positive, finite number"):
        cls(timeout=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("cls", [WaitOptions, AsyncWaitOptions])
def test_wait_options_reject_an_on_poll_that_is_not_callable(cls: type[WaitOptions]) -> None:
    with pytest.raises(TypeError, match="on_poll must be a function"):
        cls(on_poll=5)  # type: ignore[arg-type]


def test_wait_options_accept_and_are_immutable() -> None:
    options = WaitOptions(poll_interval=0.5, timeout=30)
    assert (options.poll_interval, options.timeout) == (0.5, 30)
    with pytest.raises(AttributeError):
        options.timeout = 5  # type: ignore[misc]


# --- sync/async parity ---------------------------------------------------------------------------

# Methods that do no I/O, so need no async twin.
NO_IO = {
    Predictions: {"poller"},
    Poller: {"continuation_token", "status"},
    PredictionWithIO: set(),
    Uploads: set(),
    ListedPrediction: set(),
}


def public_methods(cls: type) -> dict[str, inspect.Signature]:
    # Methods a class defines or inherits from our own mixins (not object's, not generated).
    own = [
        k
        for k in reversed(cls.__mro__)
        if k is not object and not k.__module__.startswith("predictkit_api")
    ]
    return {
        name: inspect.signature(member)
        for klass in own
        for name, member in vars(klass).items()
        if not name.startswith("_")
        and callable(member)
        and not isinstance(member, classmethod | staticmethod)
    }


def parity_problems(cls: type) -> list[str]:
    methods = public_methods(cls)
    problems = []
    for name, sig in methods.items():
        if name.startswith("async_") or name in NO_IO[cls]:
            continue
        twin = methods.get(f"async_{name}")
        if twin is None:
            problems.append(f"{cls.__name__}.{name} has no async_{name}")
        elif list(sig.parameters) != list(twin.parameters):
            problems.append(f"{cls.__name__}.{name}{sig} != async_{name}{twin}")
    problems += [
        f"{cls.__name__}.{name} has no sync twin"
        for name in methods
        if name.startswith("async_") and name.removeprefix("async_") not in methods
    ]
    return problems


def test_predictions_methods_have_async_twins() -> None:
    assert {"get", "create", "wait", "list", "cancel", "stream", "run", "download_output"} <= set(
        public_methods(Predictions)
    )
    assert parity_problems(Predictions) == []


def test_prediction_with_io_methods_have_async_twins() -> None:
    assert {"reload", "wait", "cancel", "stream_events", "output_iterator"} <= set(
        public_methods(PredictionWithIO)
    )
    assert parity_problems(PredictionWithIO) == []


def test_listed_prediction_methods_have_async_twins() -> None:
    assert {"reload", "wait", "cancel", "stream_events"} <= set(public_methods(ListedPrediction))
    assert parity_problems(ListedPrediction) == []


def test_poller_methods_have_async_twins() -> None:
    assert parity_problems(Poller) == []


def test_uploads_methods_have_async_twins() -> None:
    assert {"upload", "resolve_files", "resolve_params"} <= set(public_methods(Uploads))
    assert parity_problems(Uploads) == []


def test_parity_checker_can_fail() -> None:
    class Lopsided:
        def get(self, a: int) -> None: ...
        async def async_get(self, b: int) -> None: ...
        def put(self) -> None: ...

    NO_IO[Lopsided] = set()
    try:
        assert len(parity_problems(Lopsided)) == 2
    finally:
        del NO_IO[Lopsided]


# --- import hygiene and secrets ------------------------------------------------------------------

PROBE = textwrap.dedent(
    """
    import json, sys
    events = []
    def hook(event, args):
        if event.startswith(("socket.", "subprocess.", "os.system", "http.client", "urllib")):
            events.append(event)
    sys.addaudithook(hook)
    import predictkit
    client = predictkit.Client(access_token="x")
    at_import = sorted(sys.modules)
    import httpx
    BODY = {"id": "p1", "model": {"owner": "o", "name": "m", "version_number": 1},
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "status": "succeeded", "setup_time": None, "execution_time": None,
            "input": {}, "output": None, "error": None, "metrics": None, "stream": False}
    answer = httpx.MockTransport(lambda request: httpx.Response(200, json=BODY))
    mocked = predictkit.Client(access_token="x", api_base_url="https://api.test/v1",
                               transport=answer)
    assert mocked.predictions.get("p1").id == "p1"
    print(json.dumps({"modules": at_import, "after_get": sorted(sys.modules), "events": events}))
    """
)

NOT_AT_IMPORT = (
    "predictkit.batch",
    "predictkit.reconcile",
    "predictkit.streaming",
    "predictkit._sse",
    "predictkit.waiting",
    "predictkit.webhooks",
    "predictkit.pagination",
    "predictkit._journal",
    "predictkit._uploading",
    "predictkit._files",
    "predictkit._parts",
    "predictkit._sources",
    "predictkit._prediction",
    "predictkit.resources",
)
"""predictkit modules ``import predictkit`` (and making a Client) must not load: each is loaded
by the first call that needs it (predictkit/__init__.py ``_LAZY``, the Client's resources)."""
NOT_AT_FIRST_GET = (
    "predictkit.webhooks",
    "predictkit.resources.uploads",
    "predictkit._uploading",
    "predictkit._files",
    "predictkit._parts",
    "predictkit._sources",
    "predictkit.batch",
    "predictkit._batching",
    "predictkit._journal",
)
"""Nor does a first ``get()``: uploads, webhooks and create_many wait for their own first use."""


def test_import_is_light_and_does_no_io() -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONNOUSERSITE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    report = json.loads(result.stdout)
    modules = set(report["modules"])
    assert "predictkit" in modules
    for heavy in (
        "predictkit.testing",
        "starlette",
        "uvicorn",
        "anyio",
        "trio",
        "pytest",
        "asyncio",
    ):
        assert not any(m == heavy or m.startswith(heavy + ".") for m in modules), heavy
    loaded = [m for m in modules for lazy in NOT_AT_IMPORT if m == lazy or m.startswith(lazy + ".")]
    assert loaded == []
    # The generated models load on first use: none at import, only those the predictions
    # resource needs at the first get.
    assert not [m for m in modules if m.startswith("predictkit_api.models.")]
    after_get = set(report["after_get"])
    assert not after_get & set(NOT_AT_FIRST_GET), sorted(after_get & set(NOT_AT_FIRST_GET))
    models = {m for m in after_get if m.startswith("predictkit_api.models.")}
    assert 0 < len(models) <= 15, sorted(models)
    assert report["events"] == []


def test_every_public_name_loads_on_first_use() -> None:
    """Names of predictkit.__all__ that ``import predictkit`` does not load (PEP 562) come from
    the module that defines them, and ``dir()`` lists them."""
    for name in predictkit.__all__:
        value = getattr(predictkit, name)
        assert value is not None, name
    assert set(predictkit.__all__) <= set(dir(predictkit))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = predictkit.nope  # type: ignore[attr-defined]


def test_client_repr_hides_the_token() -> None:
    token = "secret-token-123"
    with Client(access_token=token, api_base_url="https://api.test/v1") as client:
        texts = [
            repr(client),
            str(client),
            repr(client._sender),
            repr(client.with_options(max_retries=0)),
        ]
        assert "access_token=<set>" in repr(client)
        assert "https://api.test/v1" in repr(client)
    for text in texts:
        assert token not in text


def test_client_repr_without_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WRIFTAI_ACCESS_TOKEN", raising=False)
    with Client() as client:
        assert "access_token=<missing>" in repr(client)


def test_client_token_from_env_is_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WRIFTAI_ACCESS_TOKEN", "env-secret-999")
    with Client() as client:
        assert "env-secret-999" not in repr(client)
        assert "access_token=<set>" in repr(client)
