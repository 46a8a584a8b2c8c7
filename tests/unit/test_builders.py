"""Pure request builders of client.predictions: validation first, then the exact request."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from predictkit import Client, ModelRef, Status, UnsafeDownloadError
from predictkit._call import Retry
from predictkit.resources._downloads import _download_target, _plan_download
from predictkit.resources._prediction_calls import (
    _list_args,
    _statuses,
    cancel_call,
    check_prediction_id,
    create_call,
    get_call,
    list_call,
)

from ._calls import to_request

PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
TOKEN = "tok_builder_secret_42"


# --- create_call ---------------------------------------------------------------------------------


def test_create_call_builds_the_body() -> None:
    call = create_call({"input": {"prompt": "hi", "n": 2}}, "owner/name:3", server_wait=None)
    assert call.kwargs["method"] == "post"
    assert call.kwargs["url"] == "/predictions"
    assert call.kwargs["json"] == {"model": "owner/name:3", "input": {"prompt": "hi", "n": 2}}
    assert call.retry is Retry.CREATE
    assert call.timeout is None
    headers = call.kwargs["headers"]
    assert "Prefer" not in headers
    assert "Validate-Input" not in headers
    assert headers["Content-Type"] == "application/json"


def test_create_call_accepts_a_model_ref_and_latest_version() -> None:
    assert (
        create_call({"input": {}}, ModelRef("a", "b", 7), server_wait=None).kwargs["json"]["model"]
        == "a/b:7"
    )
    assert create_call({"input": {}}, "a/b", server_wait=None).kwargs["json"]["model"] == "a/b"


def test_create_call_copies_the_input() -> None:
    inp: dict[str, Any] = {"prompt": "hi"}
    call = create_call({"input": inp}, "a/b", server_wait=None)
    inp["prompt"] = "changed"
    assert call.kwargs["json"]["input"] == {"prompt": "hi"}


@pytest.mark.parametrize(
    "webhook",
    [
        {"url": "https://hooks.example.com/wrift"},
        {"url": "http://localhost:9000/h", "secret": "s3"},
    ],
)
def test_create_call_includes_the_webhook(webhook: dict[str, Any]) -> None:
    call = create_call({"input": {}, "webhook": webhook}, "a/b", server_wait=None)  # type: ignore[typeddict-item]
    assert call.kwargs["json"]["webhook"] == webhook


def test_create_call_webhook_none_is_omitted() -> None:
    call = create_call({"input": {}, "webhook": None}, "a/b", server_wait=None)
    assert "webhook" not in call.kwargs["json"]


@pytest.mark.parametrize(
    ("wait", "prefer", "read"), [(60.0, "wait=60", 70.0), (2.5, "wait=2.5", 12.5)]
)
def test_create_call_server_wait(wait: float, prefer: str, read: float) -> None:
    call = create_call({"input": {}}, "a/b", server_wait=wait)
    assert call.kwargs["headers"]["Prefer"] == prefer
    assert call.timeout is not None
    assert call.timeout.read == read
    assert call.timeout.connect == 10.0
    assert call.retry is Retry.CREATE


def test_create_call_validate_input_header() -> None:
    on = create_call({"input": {}, "validate_input": True}, "a/b", server_wait=None)
    assert to_request(on).headers["Validate-Input"] == "true"
    assert "validate_input" not in on.kwargs["json"]
    off = create_call({"input": {}, "validate_input": False}, "a/b", server_wait=None)
    assert off.kwargs["headers"].get("Validate-Input") in (None, "false")


def test_create_call_request_on_the_wire() -> None:
    request = to_request(create_call({"input": {"x": 1}}, "o/n:1", server_wait=5))
    assert request.method == "POST"
    assert request.url.path == "/v1/predictions"
    assert request.headers["Prefer"] == "wait=5"
    assert json.loads(request.read()) == {"model": "o/n:1", "input": {"x": 1}}


def test_create_call_with_stream_sends_the_flag_and_no_prefer() -> None:
    # With "stream": True a Prefer: wait create would be answered with the event stream itself.
    request = to_request(create_call({"input": {}, "stream": True}, "o/n", server_wait=5))
    assert "Prefer" not in request.headers
    assert json.loads(request.read()) == {"model": "o/n", "input": {}, "stream": True}


BAD_PARAMS: list[tuple[Any, Any, type[Exception], str]] = [
    ({"input": {}, "stream": "yes"}, "a/b", ValueError, "params['stream'] must be True or False"),
    ({"input": {}, "streams": True}, "a/b", ValueError, "Unknown prediction params ['streams']"),
    ({"inputs": {}}, "a/b", ValueError, "Unknown prediction params ['inputs']"),
    ({}, "a/b", ValueError, "needs an 'input' object"),
    ({"webhook": None}, "a/b", ValueError, "needs an 'input' object"),
    ({"input": ["a"]}, "a/b", ValueError, "must be a JSON object"),
    ({"input": "prompt"}, "a/b", ValueError, "must be a JSON object"),
    ({"input": None}, "a/b", ValueError, "must be a JSON object"),
    ([("input", {})], "a/b", TypeError, "params must be a dict"),
    ("input", "a/b", TypeError, "params must be a dict"),
    (None, "a/b", TypeError, "params must be a dict"),
    ({"input": {}, "webhook": {"url": "ftp://h.example/x"}}, "a/b", ValueError, "http(s) URL"),
    ({"input": {}, "webhook": {"url": "not a url"}}, "a/b", ValueError, "http(s) URL"),
    ({"input": {}, "webhook": {"url": "https://"}}, "a/b", ValueError, "http(s) URL"),
    ({"input": {}, "webhook": {"url": "/relative"}}, "a/b", ValueError, "http(s) URL"),
    ({"input": {}, "webhook": {"url": 5}}, "a/b", ValueError, "http(s) URL"),
    ({"input": {}, "webhook": {}}, "a/b", ValueError, "http(s) URL"),
    ({"input": {}, "webhook": "https://h.example"}, "a/b", ValueError, "must be {'url'"),
    (
        {"input": {}, "webhook": {"url": "https://h.example", "x": 1}},
        "a/b",
        ValueError,
        "must be {'url'",
    ),
    (
        {"input": {}, "webhook": {"url": "https://h.example", "secret": 5}},
        "a/b",
        ValueError,
        "secret",
    ),
    ({"input": {}, "validate_input": "yes"}, "a/b", ValueError, "validate_input"),
    ({"input": {}, "validate_input": 1}, "a/b", ValueError, "validate_input"),
    ({"input": {}, "validate_input": None}, "a/b", ValueError, "validate_input"),
    ({"input": {}}, "a", ValueError, "Invalid model reference"),
    ({"input": {}}, "a/b:0", ValueError, "Invalid model reference"),
    ({"input": {}}, 5, TypeError, "model reference is a string"),
]


@pytest.mark.parametrize(("params", "model", "exc", "fragment"), BAD_PARAMS)
def test_create_call_rejects_bad_params(
    params: Any, model: Any, exc: type[Exception], fragment: str
) -> None:
    with pytest.raises(exc) as info:
        create_call(params, model, server_wait=None)
    assert fragment in str(info.value)


@pytest.mark.parametrize("url", ["http://[::1", "https://ho\nst.example/", "https://\x00x/"])
def test_create_call_malformed_webhook_url_is_a_value_error(url: str) -> None:
    with pytest.raises(ValueError, match="http"):
        create_call({"input": {}, "webhook": {"url": url}}, "a/b", server_wait=None)


def test_bad_model_is_rejected_before_params() -> None:
    bogus: Any = {"bogus": 1}
    with pytest.raises(ValueError, match="Invalid model reference"):
        create_call(bogus, "nope", server_wait=None)


# --- ids, get, cancel ----------------------------------------------------------------------------


@pytest.mark.parametrize("good", [PID, "abc", "A1_b-2", "x" * 128])
def test_check_prediction_id_accepts(good: str) -> None:
    assert check_prediction_id(good) == good


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "../x",
        "..",
        "a b",
        "x/y",
        "x?y=1",
        "x#y",
        "-abc",
        "_abc",
        "abc\n",
        "é",
        "a%2Fb",
        "x" * 129,
        None,
        5,
        b"abc",
    ],
)
def test_check_prediction_id_rejects(bad: object) -> None:
    with pytest.raises(ValueError, match="Invalid prediction id") as info:
        check_prediction_id(bad)
    assert repr(bad) in str(info.value)


def test_get_and_cancel_calls() -> None:
    get = to_request(get_call(PID))
    assert (get.method, get.url.path) == ("GET", f"/v1/predictions/{PID}")
    assert get_call(PID).retry is Retry.IDEMPOTENT
    assert get_call(PID).prediction_id == PID
    cancel = to_request(cancel_call(PID))
    assert (cancel.method, cancel.url.path) == ("POST", f"/v1/predictions/{PID}/cancel")
    assert cancel_call(PID).retry is Retry.IDEMPOTENT
    with pytest.raises(ValueError, match="Invalid prediction id"):
        get_call("../models")
    with pytest.raises(ValueError, match="Invalid prediction id"):
        cancel_call("a/b")


# --- list ----------------------------------------------------------------------------------------


def test_list_call_params() -> None:
    request = to_request(list_call("cur-1", 10, ["pending", "started"]))
    assert request.method == "GET"
    assert request.url.path == "/v1/predictions"
    assert request.url.params["cursor"] == "cur-1"
    assert request.url.params["page_size"] == "10"
    assert request.url.params.get_list("statuses") == ["pending", "started"]
    assert to_request(list_call(None, None, None)).url.params == httpx.QueryParams()


def test_list_args_defaults() -> None:
    assert _list_args(None, None, None) == (None, None, None)
    assert _list_args({}, None, None) == (None, None, None)


def test_list_args_passes_options_through() -> None:
    assert _list_args({"cursor": "c", "page_size": 50}, ["failed"], 100) == ("c", 50, ["failed"])


@pytest.mark.parametrize(
    ("limit", "page_size"), [(3, 5), (10, 10), (24, 24), (25, None), (100, None), (0, 5)]
)
def test_list_args_small_limit_shrinks_the_page(limit: int, page_size: int | None) -> None:
    assert _list_args(None, None, limit)[1] == page_size


def test_list_args_explicit_page_size_wins_over_limit() -> None:
    assert _list_args({"page_size": 40}, None, 3)[1] == 40


@pytest.mark.parametrize(
    ("options", "statuses", "limit", "fragment"),
    [
        ({"page_size": 4}, None, None, "page_size"),
        ({"page_size": 51}, None, None, "page_size"),
        ({"page_size": "10"}, None, None, "page_size"),
        ({"page_size": True}, None, None, "page_size"),
        ({"cursor": 5}, None, None, "cursor must be a string"),
        ({"cursor": b"c"}, None, None, "cursor must be a string"),
        ({"size": 10}, None, None, "Unknown pagination options ['size']"),
        ({"page": 2, "cursor": "c"}, None, None, "Unknown pagination options ['page']"),
        (None, None, -1, "limit"),
        (None, None, 2.5, "limit"),
        (None, ["pending", "queued"], None, "Unknown status filter ['queued']"),
        (None, "Succeeded", None, "Unknown status filter ['Succeeded']"),
        (None, [""], None, "Unknown status filter"),
    ],
)
def test_list_args_rejects(options: Any, statuses: Any, limit: Any, fragment: str) -> None:
    with pytest.raises(ValueError, match=re.escape(fragment)):
        _list_args(options, statuses, limit)


def test_statuses_normalisation() -> None:
    assert _statuses(None) is None
    assert _statuses("pending") == ["pending"]
    assert _statuses([Status.succeeded, "failed"]) == ["succeeded", "failed"]
    assert _statuses(iter(["abandoned"])) == ["abandoned"]
    assert _statuses(list(Status)) == [s.value for s in Status]


# --- download target -----------------------------------------------------------------------------


@pytest.fixture
def client() -> Iterator[Client]:
    with Client(access_token=TOKEN, api_base_url="https://api.test/v1") as c:
        yield c


@pytest.mark.parametrize(
    "url",
    [
        "ftp://files.example/out.png",
        "file:///etc/passwd",
        "data:text/plain,hi",
        "javascript:alert(1)",
        "/relative",
        "https://",
        "",
    ],
)
def test_download_refuses_non_http(client: Client, url: str) -> None:
    with pytest.raises(UnsafeDownloadError, match="only http"):
        _download_target(client._api, url)


@pytest.mark.parametrize(
    "url", ["http://cdn.example.com/out.png", "http://10.0.0.5/x", "http://api.test/v1/files/x"]
)
def test_download_refuses_plain_http_to_other_hosts(client: Client, url: str) -> None:
    with pytest.raises(UnsafeDownloadError, match="plain-http"):
        _download_target(client._api, url)


def _hop_authorization(client: Client, url: str) -> str | None:
    """The Authorization header the Sender puts on a download's first hop to ``url``."""
    plan = _plan_download(client._api, url, None, None, None)  # type: ignore[arg-type]
    request = client._api._sender.build(client._api._pool.sync(), plan.hop(client._api, plan.url))
    value: str | None = request.headers.get("authorization")
    return value


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/out.png", "http://localhost/out.png", "http://[::1]:9/x"]
)
def test_download_allows_plain_http_to_loopback_without_token(client: Client, url: str) -> None:
    assert _download_target(client._api, url) == httpx.URL(url)
    assert _hop_authorization(client, url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://cdn.example.com/out.png",
        "https://api.test.evil.com/x",
        "https://api.test@evil.com/x",
        "https://evil.com/?next=https://api.test/v1",
        "https://api.test:8443/v1/files/x",
        "https://sub.api.test/v1/files/x",
    ],
)
def test_download_sends_no_token_off_origin(client: Client, url: str) -> None:
    assert _hop_authorization(client, url) is None


@pytest.mark.parametrize(
    "url", ["https://api.test/v1/files/out.png", "https://API.test/other", "https://api.test:443/x"]
)
def test_download_sends_the_token_to_the_api_origin(client: Client, url: str) -> None:
    assert _hop_authorization(client, url) == f"Bearer {TOKEN}"


def test_download_without_token_sends_no_header() -> None:
    with Client(access_token="", api_base_url="https://api.test/v1") as c:
        assert _hop_authorization(c, "https://api.test/v1/files/x") is None


def test_download_refusal_messages_do_not_leak_the_token(client: Client) -> None:
    for url in ("ftp://x/y", "http://cdn.example.com/y"):
        with pytest.raises(UnsafeDownloadError) as info:
            _download_target(client._api, url)
        assert TOKEN not in str(info.value)
        assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("url", ["http://[::1", "https://ho\nst.example/x"])
def test_download_malformed_url_is_refused(client: Client, url: str) -> None:
    with pytest.raises(UnsafeDownloadError):
        _download_target(client._api, url)


def test_an_empty_status_filter_is_refused() -> None:
    with pytest.raises(ValueError, match="statuses is empty"):
        _list_args(None, [], None)


@pytest.mark.parametrize("bad", [5, "", "a\nb"])
def test_stream_refuses_a_bad_after_id(bad: object) -> None:
    client = Client(access_token=TOKEN, api_base_url="https://api.test/v1")
    with client, pytest.raises(ValueError, match="after_id"):
        client.predictions.stream(PID, after_id=bad)  # type: ignore[arg-type]


def test_a_coroutine_on_poll_is_refused_by_blocking_waits() -> None:
    from predictkit import WaitOptions
    from predictkit.resources._prediction_calls import checked_wait_options

    async def on_poll(p: object) -> None: ...

    with pytest.raises(TypeError, match="must be awaited"):
        checked_wait_options(WaitOptions(on_poll=on_poll), sync=True)  # type: ignore[arg-type]
    assert checked_wait_options(WaitOptions(on_poll=on_poll), sync=False).on_poll is on_poll  # type: ignore[arg-type]
