"""Errors, retries and faults, end to end: what a user sees when the network or server fails."""

from __future__ import annotations

import logging

import httpx
import pytest
from predictkit import (
    APIConnectionError,
    AuthenticationError,
    Client,
    CreateOutcomeUnknownError,
    MissingTokenError,
    NotFoundError,
    RateLimitError,
    ServerError,
    WaitOptions,
    WaitTimeoutError,
)
from predictkit.testing import Fault, RateLimit, ReferenceServer

from .conftest import Api, paths


def _get_count(server: ReferenceServer) -> int:
    return len(paths(server, "get_prediction"))


@pytest.mark.parametrize(
    "fault",
    [
        Fault.status(503, retry_after=0),
        Fault.status(500),
        Fault.html(502),
        Fault.drop(),
        Fault.truncated(),
    ],
    ids=["503", "500", "html-502", "drop", "truncated"],
)
def test_get_is_retried_through_transient_failures(
    api: Api, predictkit_server: ReferenceServer, fault: Fault
) -> None:
    created = api("create", {"input": {}}, model="demo/echo", wait=True)
    predictkit_server.inject("get_prediction", fault, times=2)
    assert api("get", created.id).status == "succeeded"
    assert _get_count(predictkit_server) == 3


def test_persistent_5xx_becomes_server_error_with_details(
    api: Api, predictkit_server: ReferenceServer
) -> None:
    created = api("create", {"input": {}}, model="demo/echo")
    predictkit_server.inject("get_prediction", Fault.html(502), times=10)
    with pytest.raises(ServerError) as caught:
        api("get", created.id)
    err = caught.value
    assert err.status_code == 502
    assert err.prediction_id == created.id
    assert err.body is not None and b"<html" in err.body.lower()
    assert "non-JSON body" in str(err)
    assert _get_count(predictkit_server) == 3  # 1 + max_retries
    predictkit_server.clear_faults()


def test_transient_failures_do_not_end_a_wait(api: Api, predictkit_server: ReferenceServer) -> None:
    created = api("create", {"input": {"sleep": 0.3}}, model="demo/echo")
    predictkit_server.inject("get_prediction", Fault.status(503), times=4)
    predictkit_server.inject("stream_prediction", Fault.drop(), times=2)
    final = api("wait", created.id, WaitOptions(poll_interval=0.05, timeout=20))
    assert final.status == "succeeded"


def test_a_4xx_ends_a_wait_and_names_the_prediction(
    api: Api, predictkit_server: ReferenceServer
) -> None:
    created = api("create", {"input": {"sleep": 5}}, model="demo/echo")
    predictkit_server.inject(
        "get_prediction", Fault.status(404, detail="Prediction not found."), times=1
    )
    predictkit_server.inject(
        "stream_prediction", Fault.status(404, detail="Prediction not found."), times=1
    )
    with pytest.raises(NotFoundError) as caught:
        api("wait", created.id, WaitOptions(timeout=20))
    assert caught.value.prediction_id == created.id
    api("cancel", created.id)


def test_create_is_never_duplicated_when_the_outcome_is_unknown(
    api: Api, predictkit_server: ReferenceServer
) -> None:
    # The answer is lost after the server created it: reconciliation finds it (never a second).
    predictkit_server.inject("create_prediction", Fault.drop(after_handling=True))
    p = api("create", {"input": {"x": 1}}, model="demo/echo")
    assert p.input_ == {"x": 1}
    assert predictkit_server.prediction_count() == 1
    assert len(paths(predictkit_server, "create_prediction")) == 1


def test_create_5xx_is_not_retried_blindly(api: Api, predictkit_server: ReferenceServer) -> None:
    # Without reconciliation a 5xx is reported, never retried (tests/reliability covers it on).
    api.client = api.client.with_options(reconcile_window=0)
    predictkit_server.inject("create_prediction", Fault.status(500))
    with pytest.raises(CreateOutcomeUnknownError) as caught:
        api("create", {"input": {}}, model="demo/echo")
    assert caught.value.status_code == 500
    assert "list()" in str(caught.value)
    assert len(paths(predictkit_server, "create_prediction")) == 1


def test_create_is_retried_after_429(api: Api, predictkit_server: ReferenceServer) -> None:
    predictkit_server.inject("create_prediction", Fault.status(429, retry_after=0))
    p = api("create", {"input": {}}, model="demo/echo")
    assert p.status == "pending"
    assert predictkit_server.prediction_count() == 1
    assert len(paths(predictkit_server, "create_prediction")) == 2


def test_a_429_with_only_x_ratelimit_reset_is_waited_out() -> None:
    # The live API documents only x-ratelimit-* on a 429 (no Retry-After), and so does the
    # reference server. One request per 2 s window (aligned to the clock): the request right
    # after a served one lands in the used-up window (bounded: at most 10 tries), and the client
    # sleeps until x-ratelimit-reset, then retries.
    seen: list[tuple[int, httpx.Headers]] = []

    def record(response: httpx.Response) -> None:
        seen.append((response.status_code, response.headers))

    with (
        ReferenceServer(rate_limit=RateLimit(requests=1, per_seconds=2)) as server,
        httpx.Client(event_hooks={"response": [record]}) as http,
        Client(access_token=server.token, api_base_url=server.url, http_client=http) as client,
    ):
        calls = 0
        while calls < 10 and not any(status == 429 for status, _ in seen):
            client.predictions.list()
            calls += 1
    limited = [headers for status, headers in seen if status == 429]
    assert limited, [status for status, _ in seen]
    assert all("retry-after" not in h and "x-ratelimit-reset" in h for h in limited)
    assert [status for status, _ in seen].count(200) == calls  # every call got through


def test_a_long_rate_limit_wait_is_reported_at_once() -> None:
    # A window far longer than any retry may sleep (60 s), wherever the clock stands in it.
    with (
        ReferenceServer(rate_limit=RateLimit(requests=1, per_seconds=10**10)) as server,
        Client(access_token=server.token, api_base_url=server.url) as client,
    ):
        client.predictions.list()
        with pytest.raises(RateLimitError) as caught:
            client.predictions.list()
    err = caught.value
    assert err.status_code == 429
    assert err.retry_after is not None and err.retry_after > 60
    assert "Retry after" in str(err)
    assert [r.status_code for r in server.requests] == [200, 429]


def test_unreachable_server_is_a_connection_error() -> None:
    with ReferenceServer() as server:
        url, token = server.url, server.token
    with (
        Client(access_token=token, api_base_url=url, max_retries=1) as client,
        pytest.raises(APIConnectionError) as caught,
    ):
        client.predictions.create({"input": {}}, model="demo/echo")
    # Nothing reached a server, so this is not "outcome unknown": safe to retry.
    assert not isinstance(caught.value, CreateOutcomeUnknownError)
    assert "Check the network" in str(caught.value)


def test_wrong_token_is_authentication_error_without_the_token(
    predictkit_server: ReferenceServer,
) -> None:
    secret = "pk-wrong-token-do-not-print"
    with (
        Client(access_token=secret, api_base_url=predictkit_server.url) as client,
        pytest.raises(AuthenticationError) as caught,
    ):
        client.predictions.list()
    err = caught.value
    assert err.status_code == 401 and err.request_id and err.body
    assert not isinstance(err, MissingTokenError)  # a token was sent: it is the wrong one
    assert "WRIFTAI_ACCESS_TOKEN" in str(err)
    assert secret not in str(err) and secret not in repr(err) and secret not in repr(client)


def test_without_a_token_a_public_read_answers_and_a_private_one_raises_missing_token(
    predictkit_server: ReferenceServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """API reference §1.3: some endpoints are public, and the official client sends no
    Authorization header without a token. Every call once raised MissingTokenError unsent,
    so the public catalogue could not be read anonymously."""
    monkeypatch.delenv("WRIFTAI_ACCESS_TOKEN", raising=False)
    with Client(api_base_url=predictkit_server.url) as client:
        models = client.models.list()
        assert [m.name for m in models.items]  # the catalogue, read anonymously
        with pytest.raises(MissingTokenError, match="WRIFTAI_ACCESS_TOKEN") as caught:
            client.predictions.get("00000000-0000-4000-8000-000000000000")
        with pytest.raises(MissingTokenError):
            client.predictions.create({"input": {}}, model="demo/echo")
    err = caught.value
    assert isinstance(err, AuthenticationError)  # `except AuthenticationError` catches it too
    assert err.status_code == 401 and err.request_id and err.body
    assert err.attempts == 1
    sent = predictkit_server.requests
    assert [r.operation_id for r in sent] == ["list_models", "get_prediction", "create_prediction"]
    assert all("authorization" not in r.headers for r in sent)
    assert predictkit_server.prediction_count() == 0  # the server refused the create


def test_cancel_semantics(api: Api, predictkit_server: ReferenceServer) -> None:
    created = api("create", {"input": {"sleep": 30}}, model="demo/echo")
    assert api("cancel", created.id) is None
    # Idempotent however long the repeat takes to arrive (the server's cancel latency is 50 ms).
    assert api("cancel", created.id) is None
    assert api("wait", created.id, WaitOptions(timeout=10)).status == "cancelled"
    assert api("cancel", created.id) is None  # after the cancel took effect, too
    assert (
        paths(predictkit_server, "cancel_prediction")
        == [f"/v1/predictions/{created.id}/cancel"] * 3
    )


def test_logging_says_what_happened_and_never_the_token(
    api: Api, predictkit_server: ReferenceServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="predictkit")
    created = api("create", {"input": {}}, model="demo/echo", wait=True)
    predictkit_server.inject("get_prediction", Fault.status(503, retry_after=0))
    api("get", created.id)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert f"GET /v1/predictions/{created.id} -> 200" in text
    assert "POST /v1/predictions -> 201" in text
    assert "retrying GET" in text and "after 503" in text
    assert predictkit_server.token not in text


def test_a_hung_server_cannot_stretch_a_wait_past_its_deadline(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    p = client.predictions.create(
        {"input": {"sleep": 0.3, "stream_available": False}}, model="demo/echo"
    )
    predictkit_server.inject("get_prediction", Fault.delay(3.0), times=10)
    # Each GET would answer (with the prediction succeeded) only after 3 s; the 0.5 s deadline
    # cuts every attempt short, so the wait ends in WaitTimeoutError with the last state seen.
    with pytest.raises(WaitTimeoutError) as caught:
        p.wait(WaitOptions(timeout=0.5))
    assert caught.value.prediction is not None
    assert caught.value.prediction.status == "pending"
    assert caught.value.prediction_id == p.id
    predictkit_server.clear_faults()


def test_a_create_whose_body_is_cut_is_recovered_through_location(
    api: Api, predictkit_server: ReferenceServer
) -> None:
    predictkit_server.inject("create_prediction", Fault.truncated())
    p = api("create", {"input": {"cut": True}}, model="demo/echo")
    # The 2xx status and Location arrived before the cut: the prediction exists, fetch it.
    assert p.input_ == {"cut": True}
    assert predictkit_server.prediction_count() == 1
    assert len(paths(predictkit_server, "create_prediction")) == 1
    assert paths(predictkit_server, "get_prediction") == [f"/v1/predictions/{p.id}"]


def test_a_long_retry_after_inside_a_wait_pauses_then_times_out(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    p = client.predictions.create(
        {"input": {"sleep": 30, "stream_available": False}}, model="demo/echo"
    )
    predictkit_server.inject("get_prediction", Fault.status(429, retry_after=20), times=50)
    with pytest.raises(WaitTimeoutError) as caught:
        p.wait(WaitOptions(timeout=1.0))
    # The server asked for 20 s: the wait paused to its deadline instead of hammering it.
    assert isinstance(caught.value.__cause__, RateLimitError)
    assert len(paths(predictkit_server, "get_prediction")) <= 3
    predictkit_server.clear_faults()
    client.predictions.cancel(p.id)


def test_a_created_prediction_that_cannot_be_read_is_never_reported_as_retryable(
    client: Client, predictkit_server: ReferenceServer
) -> None:
    predictkit_server.inject("create_prediction", Fault.truncated())
    predictkit_server.inject("get_prediction", Fault.drop(), times=3)
    with pytest.raises(CreateOutcomeUnknownError) as caught:
        client.predictions.create({"input": {}}, model="demo/echo")
    assert caught.value.prediction_id is not None
    assert "Do not create it again" in str(caught.value)
    assert predictkit_server.prediction_count() == 1
