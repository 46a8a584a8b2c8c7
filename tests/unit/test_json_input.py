"""An input JSON cannot carry (NaN, a set, an arbitrary object, a tuple key) is refused with
InvalidInputError naming the input, before any request or upload: httpx's own encoder would
raise a bare ValueError/TypeError from deep inside json (found by the h24 review)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from predictkit import Client, InvalidInputError
from predictkit.predictions import CreatePredictionParams

TOKEN = "tok_json-input-test"


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def create(mode: str, params: CreatePredictionParams, seen: list[str]) -> None:
    """Create through a transport that records every request in ``seen`` (and answers none
    usefully)."""

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        return httpx.Response(500)

    client = Client(
        access_token=TOKEN,
        api_base_url="https://api.test/v1",
        transport=httpx.MockTransport(record),
        async_transport=httpx.MockTransport(record),
        reconcile_window=0,
    )
    with client:
        if mode == "sync":
            client.predictions.create(params, model="acme/echo")
        else:
            asyncio.run(client.predictions.async_create(params, model="acme/echo"))


@pytest.mark.parametrize(
    ("value", "named"),
    [
        (float("nan"), "float"),
        (float("inf"), "float"),
        ({1, 2}, "set"),
        (object(), "object"),
        ({(1, 2): "tuple key"}, "tuple"),
    ],
    ids=["nan", "inf", "set", "object", "tuple-key"],
)
def test_an_input_json_cannot_carry_is_refused_before_sending(
    mode: str, value: object, named: str, tmp_path: Path
) -> None:
    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG")
    seen: list[str] = []
    with pytest.raises(InvalidInputError) as info:
        create(mode, {"input": {"image": photo, "deep": [{"x": value}]}}, seen)
    assert seen == []  # neither the upload nor the create was sent
    message = str(info.value)
    assert "params['input']" in message
    assert named in message.lower()
    assert isinstance(info.value, ValueError)  # compatible with the earlier bare ValueError


def test_files_and_json_values_together_pass_the_check(tmp_path: Path) -> None:
    """Files are set aside before encoding: a Path, bytes or a binary file is not JSON but is a
    valid input value."""
    from predictkit.resources._prediction_calls import check_json_input

    photo = tmp_path / "photo.png"
    photo.write_bytes(b"\x89PNG")
    with photo.open("rb") as handle:
        check_json_input({"a": photo, "b": b"raw", "c": handle, "d": [1, 2.5, None, True, "s"]})
