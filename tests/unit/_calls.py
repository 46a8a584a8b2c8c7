"""Turn a built Call into the httpx.Request it would send, without sending it."""

from __future__ import annotations

import httpx
from predictkit._call import Call


def to_request(call: Call) -> httpx.Request:
    kwargs = dict(call.kwargs)
    return httpx.Request(
        kwargs.pop("method"),
        "https://api.test/v1" + kwargs.pop("url"),
        params=kwargs.pop("params", None),
        headers=kwargs.pop("headers", None),
        json=kwargs.pop("json", None),
    )
