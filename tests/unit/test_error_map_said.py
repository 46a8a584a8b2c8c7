"""What the error mapper says, field by field, for the cases the last merges added: a 401/403 to
a call sent without a token (MissingTokenError keeps everything the status error carried), a 3xx
that reached the caller (where it pointed, without query, fragment or user info), and a
connection failure (the API's base URL, or the outside host, to check). Measured gaps of
``nox -s mutation`` on ``_error_map.py``: these were asserted only in end-to-end tests."""

from __future__ import annotations

import httpx
import pytest
from predictkit import AuthenticationError, MissingTokenError, PermissionDeniedError
from predictkit._call import Call, Target
from predictkit._error_map import error_from_exception, error_from_response, tokenless

URL = "https://api.test/v1/predictions/p-1"


def answer(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    """``status`` to GET URL; a 401/403 with a request id, a redirect without one."""
    request = httpx.Request("GET", URL)
    return httpx.Response(
        status,
        headers={"x-request-id": "req-7"} if status in (401, 403) else headers,
        json={"detail": "nope"},
        request=request,
    )


@pytest.mark.parametrize("status", [401, 403])
def test_a_tokenless_refusal_keeps_what_the_status_error_carried(status: int) -> None:
    error = error_from_response(answer(status), prediction_id="p-1", hints=True)
    assert isinstance(error, AuthenticationError | PermissionDeniedError)
    missing = tokenless(error)
    assert isinstance(missing, MissingTokenError)
    assert str(missing) == (
        f"No WriftAI access token was sent, and GET /v1/predictions/p-1 needs one (it answered "
        f"{status}). Pass Client(access_token=...) or set the WRIFTAI_ACCESS_TOKEN environment "
        "variable (create one on the Access Tokens page). (prediction p-1, request id req-7)"
    )
    assert (missing.method, missing.url, missing.status_code) == ("GET", URL, status)
    assert (missing.request_id, missing.prediction_id) == ("req-7", "p-1")
    assert missing.body == error.body
    assert missing.body  # the server's answer is kept


@pytest.mark.parametrize("status", [300, 302, 307])
def test_a_redirect_says_where_it_pointed_without_secrets(status: int) -> None:
    location = "https://user:pw@other.test/v2/x?token=s3cret#frag"
    api = error_from_response(answer(status, {"location": location}), hints=True)
    text = str(api)
    assert text.startswith("GET /v1/predictions/p-1 ")  # the request's own text is kept
    assert text.endswith(
        ". It redirects to https://other.test/v2/x, which was not followed. Check api_base_url "
        "(its scheme or host may be out of date)."
    )
    for secret in ("user", "pw", "s3cret", "frag"):
        assert secret not in text.split(". It redirects")[1]
    outside = error_from_response(answer(status, {"location": location}), hints=False)
    assert str(outside).endswith(
        ". It redirects to https://other.test/v2/x, which was not followed."
    )


def test_a_relative_or_missing_location_is_said_as_such() -> None:
    relative = error_from_response(answer(302, {"location": "/v2/y"}), hints=False)
    assert str(relative).endswith(
        ". It redirects to https://api.test/v2/y, which was not followed."
    )
    for headers in ({}, {"location": "http://[::1"}):
        nowhere = error_from_response(answer(302, headers), hints=False)
        assert str(nowhere).endswith(
            ". It redirects without a usable Location, which was not followed."
        )


def test_a_connection_failure_names_what_to_check() -> None:
    exc = httpx.ConnectError("refused")
    api = Call(kwargs={}, target=Target.API)
    request = httpx.Request("GET", URL)
    assert str(error_from_exception(exc, request, api)).endswith(
        "Check the network and api_base_url."
    )
    for target in (Target.URL, Target.URL_TOKEN_ON_API_ORIGIN):
        outside = httpx.Request("PUT", "https://files.test/part/1?sig=s3cret")
        said = str(error_from_exception(exc, outside, Call(kwargs={}, target=target)))
        assert said.endswith("Check the network and that files.test is reachable.")
        assert "api_base_url" not in said
