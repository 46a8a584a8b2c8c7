"""A server's fault is the server's typed error, saying what is known and what to do (found by
the h24 review): a prediction body with a null or foreign id, a wrong-typed field, a redirect
the client does not follow, an upload host that cannot be reached, a download URL that is not
http(s). Bodies the reference server never sends come from a mocked transport."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from predictkit import (
    APIStatusError,
    Client,
    InvalidInputError,
    ResponseParseError,
    UploadError,
)

PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
OTHER = "11111111-1111-1111-1111-111111111111"
Handler = Callable[[httpx.Request], httpx.Response]


def prediction(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": PID,
        "model": {"owner": "acme", "name": "echo", "version_number": 1},
        "created_at": "2024-08-24T14:15:22Z",
        "updated_at": "2024-08-24T14:15:22Z",
        "status": "starting",
        "setup_time": None,
        "execution_time": None,
        "input": {},
        "output": None,
        "error": None,
        "stream": True,
    }
    body.update(changes)
    return body


def client_for(handle: Handler, requests: list[httpx.Request]) -> Client:
    def logged(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return handle(request)

    return Client(
        access_token="tok_server-faults",
        api_base_url="https://api.test/v1",
        transport=httpx.MockTransport(logged),
        async_transport=httpx.MockTransport(logged),
    )


def call(client: Client, mode: str, name: str, *args: Any, **kwargs: Any) -> Any:
    if mode == "sync":
        return getattr(client.predictions, name)(*args, **kwargs)
    return asyncio.run(getattr(client.predictions, f"async_{name}")(*args, **kwargs))


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("bad_id", [None, "", "not an id!", 42, "missing"])
@pytest.mark.parametrize("wait", [False, True])
def test_a_created_prediction_without_an_id_is_a_response_error(
    mode: str, bad_id: object, wait: bool
) -> None:
    """Was InvalidInputError ("Invalid prediction id None") with wait=True, blaming the user
    after a prediction may exist; without a wait a prediction with a null id was returned."""
    body = prediction(id=bad_id)
    if bad_id == "missing":
        del body["id"]
    requests: list[httpx.Request] = []
    with (
        client_for(lambda _r: httpx.Response(201, json=body), requests) as client,
        pytest.raises(ResponseParseError) as caught,
    ):
        call(client, mode, "create", {"input": {}}, model="acme/echo", wait=wait)
    error = caught.value
    assert not isinstance(error, InvalidInputError)
    assert error.status_code == 201
    assert error.prediction_id is None
    assert "client.predictions.list()" in str(error)  # where to look: it may exist
    assert [r.method for r in requests] == ["POST"]  # sent once, never again


def test_a_created_prediction_without_an_id_names_its_location() -> None:
    headers = {"location": f"https://api.test/v1/predictions/{PID}"}
    requests: list[httpx.Request] = []
    with (
        client_for(
            lambda _r: httpx.Response(201, json=prediction(id=None), headers=headers), requests
        ) as client,
        pytest.raises(ResponseParseError) as caught,
    ):
        client.predictions.create({"input": {}}, model="acme/echo")
    assert caught.value.prediction_id == PID
    assert f"client.predictions.get({PID!r})" in str(caught.value)


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("answered", [OTHER, None])
@pytest.mark.parametrize("name", ["get", "wait"])
def test_a_body_for_another_prediction_is_a_response_error(
    mode: str, answered: object, name: str
) -> None:
    """get(id) returned whatever prediction the server sent, another's or one with a null id."""
    requests: list[httpx.Request] = []
    with (
        client_for(lambda _r: httpx.Response(200, json=prediction(id=answered)), requests) as c,
        pytest.raises(ResponseParseError) as caught,
    ):
        call(c, mode, name, PID)
    assert caught.value.status_code == 200
    assert caught.value.body is not None


def test_the_asked_for_prediction_is_returned() -> None:
    requests: list[httpx.Request] = []
    with client_for(lambda _r: httpx.Response(200, json=prediction()), requests) as client:
        assert client.predictions.get(PID).id == PID


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"model": "acme/echo"}, "field 'model' is a string, expected a JSON object"),
        ({"model": None}, "field 'model' is null, expected a JSON object"),
        ({"created_at": 5}, "field 'created_at' is a number, expected an ISO 8601 date-time"),
        (
            {"model": {"owner": "acme", "name": "echo"}},
            "field 'model.version_number' is missing",
        ),
    ],
)
def test_a_wrong_typed_field_is_named(changes: dict[str, Any], named: str) -> None:
    """Was "JSON this client cannot read (ValueError: dictionary update sequence element #0
    has length 1; 2 is required)": nothing said which field, or what it should have been."""
    requests: list[httpx.Request] = []
    body = prediction(**changes)
    with (
        client_for(lambda _r: httpx.Response(200, json=body), requests) as client,
        pytest.raises(ResponseParseError) as caught,
    ):
        client.predictions.get(PID)
    assert named in str(caught.value)
    assert caught.value.body == httpx.Response(200, json=body).content


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_redirect_says_it_was_not_followed_and_where_without_its_query(mode: str) -> None:
    """Was "GET /v1/predictions/... failed: 302 OK": nothing said the redirect was not
    followed, nor where it pointed."""
    moved = "https://elsewhere.test/v1/predictions/x?token=s3cr3t#frag"
    requests: list[httpx.Request] = []

    def handle(_request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": moved})

    with client_for(handle, requests) as client, pytest.raises(APIStatusError) as caught:
        call(client, mode, "get", PID)
    text = str(caught.value)
    assert caught.value.status_code == 302
    assert "https://elsewhere.test/v1/predictions/x" in text
    assert "not followed" in text
    assert "s3cr3t" not in text
    assert "frag" not in text
    assert len(requests) == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "", 42])
def test_a_completed_upload_whose_download_url_is_not_http_is_a_response_error(
    mode: str, url: object
) -> None:
    """uploads.complete passed javascript:alert(1) from the server on as the file's URL."""
    requests: list[httpx.Request] = []
    answer = {"download_url": url}
    with (
        client_for(lambda _r: httpx.Response(200, json=answer), requests) as client,
        pytest.raises(ResponseParseError) as caught,
    ):
        if mode == "sync":
            client.uploads.complete("up1", etags=['"e1"'])
        else:
            asyncio.run(client.uploads.async_complete("up1", etags=['"e1"']))
    assert "alert" not in str(caught.value)
    assert len(requests) == 1


def test_an_upload_whose_download_url_is_not_http_is_a_response_error() -> None:
    """The whole flow (start, parts, complete) refuses it too, before any prediction uses it."""
    requests: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/uploads"):
            parts = ["https://store.test/u/0?sig=s"]
            return httpx.Response(201, json={"id": "up1", "urls": parts, "part_size": 16})
        if request.url.host == "store.test":
            return httpx.Response(200, headers={"etag": '"e0"'})
        return httpx.Response(200, json={"download_url": "javascript:alert(1)"})

    with client_for(handle, requests) as client, pytest.raises(UploadError) as caught:
        client.predictions.create({"input": {"file": b"0123"}}, model="acme/echo")
    assert isinstance(caught.value.__cause__, ResponseParseError)
    assert caught.value.status_code == 200
    assert caught.value.file == "input['file'] (4 bytes)"
    assert [r.url.path for r in requests][-1] == "/v1/uploads/up1/complete"  # no create
