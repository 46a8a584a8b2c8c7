"""Sender.build sends exactly what httpx's own ``build_request`` would, though it merges the
constant headers (ours, the token, the http client's defaults) once instead of on every call:
per-call headers on top, the token last, and a client's cookies or default query still merged."""

from __future__ import annotations

import attrs
import httpx
import pytest
from predictkit._call import Call
from predictkit._http import RetryPolicy, Sender

BASE = "https://api.test/v1"


def sender(headers: dict[str, str] | None = None) -> Sender:
    return Sender(
        base_url=BASE,
        token="tok-1",
        headers={"User-Agent": "predictkit-test", **(headers or {})},
        timeout=httpx.Timeout(5.0),
        policy=RetryPolicy(),
    )


def reference(s: Sender, http: httpx.Client, call: Call) -> httpx.Request:
    """What the Sender built before it cached anything: httpx merging every header itself."""
    kwargs = dict(call.kwargs)
    headers = {"Accept-Encoding": "gzip, deflate", **s.headers, **kwargs.pop("headers", {})}
    headers["Authorization"] = f"Bearer {s.token}"
    url = BASE + kwargs.pop("url")
    return http.build_request(url=url, headers=headers, timeout=s.timeout, **kwargs)


def same(a: httpx.Request, b: httpx.Request) -> None:
    assert a.method == b.method
    assert str(a.url) == str(b.url)
    assert a.headers.multi_items() == b.headers.multi_items()
    assert a.read() == b.read()


CALLS = [
    Call({"method": "get", "url": "/predictions/p1"}),
    Call({"method": "get", "url": "/predictions", "params": {"page_size": 50, "cursor": "c"}}),
    Call(
        {
            "method": "post",
            "url": "/predictions",
            "json": {"model": "a/b", "input": {"x": 1}},
            "headers": {"Prefer": "wait=60", "X-Extra": "1"},
        }
    ),
]


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize(
    "http_headers", [None, {"X-App": "mine", "User-Agent": "theirs", "Accept": "text/plain"}]
)
def test_a_request_is_what_httpx_would_build(
    call: Call, http_headers: dict[str, str] | None
) -> None:
    s = sender(headers={"X-Team": "t"})
    with httpx.Client(headers=http_headers) as http:
        for _ in range(2):  # the second from the cache
            same(s.build(http, call), reference(s, http, call))


def test_per_call_headers_do_not_leak_into_the_next_call() -> None:
    s = sender()
    with httpx.Client() as http:
        s.build(http, CALLS[2])
        plain = s.build(http, CALLS[0])
    assert "prefer" not in plain.headers
    assert "x-extra" not in plain.headers
    assert plain.headers["authorization"] == "Bearer tok-1"


def test_changed_client_defaults_and_another_client_are_seen() -> None:
    s = sender()
    with httpx.Client() as http, httpx.Client(headers={"X-Other": "2"}) as other:
        s.build(http, CALLS[0])
        http.headers["X-Late"] = "yes"
        assert s.build(http, CALLS[0]).headers["x-late"] == "yes"
        built = s.build(other, CALLS[0])
        assert built.headers["x-other"] == "2"
        assert "x-late" not in built.headers
        same(s.build(http, CALLS[0]), reference(s, http, CALLS[0]))


def test_copies_keep_their_own_token_and_headers() -> None:
    s = sender()
    with httpx.Client() as http:
        s.build(http, CALLS[0])
        copy = attrs.evolve(s, token="tok-2", headers={"User-Agent": "other"})
        built = copy.build(http, CALLS[0])
    assert built.headers["authorization"] == "Bearer tok-2"
    assert built.headers["user-agent"] == "other"
    assert s.build(http, CALLS[0]).headers["authorization"] == "Bearer tok-1"


@pytest.mark.parametrize("call", CALLS)
def test_a_client_with_cookies_or_a_default_query_still_gets_them(call: Call) -> None:
    s = sender()
    with (
        httpx.Client(cookies={"session": "s1"}) as with_cookies,
        httpx.Client(params={"tenant": "t1"}) as with_params,
    ):
        built = s.build(with_cookies, call)
        assert built.headers["cookie"] == "session=s1"
        same(built, reference(s, with_cookies, call))
        built = s.build(with_params, call)
        assert built.url.params["tenant"] == "t1"
        same(built, reference(s, with_params, call))
