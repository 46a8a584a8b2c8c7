"""client.variables and client.uploads end to end; the write-once rule on every create; per-call
options and with_raw_response on generated resources. Sync and async."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from predictkit import (
    APITimeoutError,
    Client,
    ConflictError,
    CreateOutcomeUnknownError,
    NotFoundError,
)
from predictkit.testing import Fault, ReferenceServer
from predictkit_api.models import Schemas

from .conftest import Resources

SECRET = "s3cret-value-do-not-log"


def test_variables_lifecycle_never_shows_a_secret(
    res: Resources, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="predictkit")
    created = res("variables.create", name="API_KEY", key="KEY", value=SECRET, secret=True)
    assert (created.name, created.key, created.secret, created.value) == (
        "API_KEY",
        "KEY",
        True,
        "",
    )
    plain = res("variables.create", name="REGION", key="REGION", value="eu", secret=False)
    assert plain.value == "eu"
    listed = res.items("variables.list")
    assert [v.name for v in listed] == ["API_KEY", "REGION"]
    updated = res("variables.update", "API_KEY", value=SECRET + "-2")
    assert updated.value == ""
    with pytest.raises(ConflictError):
        res("variables.create", name="API_KEY", key="KEY", value=SECRET, secret=True)
    assert res("variables.delete", "API_KEY") is None
    with pytest.raises(NotFoundError):
        res("variables.update", "API_KEY", value="x")
    shown = caplog.text + repr(created) + repr(listed) + repr(updated)
    assert SECRET not in shown
    assert "POST /v1/variables" in caplog.text  # the calls were logged, without bodies


def test_variables_attach_to_a_version_configuration(res: Resources) -> None:
    res("variables.create", name="TOKEN", key="TOKEN", value=SECRET, secret=True)
    configured = res(
        "models.versions.update_configuration", "demo/echo:1", variable_names=["TOKEN"]
    )
    assert configured.variable_names == ["TOKEN"]


def test_uploads_start_parts_complete(res: Resources, predictkit_client: Client) -> None:
    data = b"hello, uploads" * 3
    upload = res("uploads.create", size=len(data), mime_type="text/plain")
    assert upload.urls
    api = predictkit_client._api
    part = -(-len(data) // len(upload.urls))
    etags = []
    for i, url in enumerate(upload.urls):
        chunk = data[i * part : (i + 1) * part]
        call = api.url_call("PUT", url, content=chunk, headers={"Content-Type": "text/plain"})
        etags.append(api.send(call, lambda r: r.headers["etag"]))
    done = res("uploads.complete", upload.id, etags=etags)
    fetched = api.send(api.url_call("GET", done.download_url), lambda r: r.content)
    assert fetched == data


CREATES: dict[str, tuple[str, dict[str, Any], str]] = {
    "create_model": ("models.create", {"name": "once"}, "check client.models.get("),
    "create_variable": (
        "variables.create",
        {"name": "V", "key": "K", "value": SECRET, "secret": True},
        "check client.variables.list()",
    ),
    "create_upload": ("uploads.create", {"size": 3, "mime_type": "a/b"}, "start a new upload"),
}


@pytest.mark.parametrize("operation_id", sorted(CREATES))
def test_a_create_that_may_have_run_is_not_repeated(
    res: Resources, predictkit_server: ReferenceServer, operation_id: str
) -> None:
    path, kwargs, advice = CREATES[operation_id]
    predictkit_server.inject(operation_id, Fault.status(503), times=3)
    with pytest.raises(CreateOutcomeUnknownError) as caught:
        res(path, **kwargs)
    assert advice in str(caught.value)
    assert "prediction" not in str(caught.value)
    assert SECRET not in str(caught.value)
    sent = [r for r in predictkit_server.requests if r.operation_id == operation_id]
    assert len(sent) == 1


def test_a_version_create_that_may_have_run_is_not_repeated(
    res: Resources, predictkit_server: ReferenceServer
) -> None:
    predictkit_server.inject("create_model_version", Fault.drop(after_handling=True))
    with pytest.raises(CreateOutcomeUnknownError, match=r"a version may or may not have been"):
        res(
            "models.versions.create",
            "demo/echo",
            release_notes="x",
            schemas=Schemas.from_dict({"prediction": {"input": {}, "output": {}}}),
            container_image_digest="sha256:" + "b" * 64,
        )
    sent = [r for r in predictkit_server.requests if r.operation_id == "create_model_version"]
    assert len(sent) == 1


def test_a_create_refused_before_any_work_is_retried(
    res: Resources, predictkit_server: ReferenceServer
) -> None:
    predictkit_server.inject("create_model", Fault.status(429, retry_after=0))
    assert res("models.create", name="after-429").name == "after-429"
    assert len([r for r in predictkit_server.requests if r.operation_id == "create_model"]) == 2


def test_reads_are_retried(res: Resources, predictkit_server: ReferenceServer) -> None:
    predictkit_server.inject("get_model", Fault.status(503, retry_after=0))
    assert res("models.get", "demo/echo").name == "echo"
    assert len([r for r in predictkit_server.requests if r.operation_id == "get_model"]) == 2


def test_extra_headers_reach_the_server(res: Resources, predictkit_server: ReferenceServer) -> None:
    res("hardware.list", extra_headers={"X-Trace": "t-1"})
    res("models.get", "demo/echo", extra_headers={"X-Trace": "t-2"}, timeout=5)
    traces = [r.headers.get("x-trace") for r in predictkit_server.requests]
    assert traces == ["t-1", "t-2"]


def test_a_short_per_call_timeout_applies(
    res: Resources, predictkit_server: ReferenceServer
) -> None:
    predictkit_server.inject("get_user", Fault.delay(5), times=3)
    with pytest.raises(APITimeoutError):
        res("users.get", "acme", timeout=0.05)


def test_with_raw_response_gives_headers_and_the_typed_result(res: Resources) -> None:
    raw = res.raw("models.get", "demo/echo")
    assert raw.status_code == 200
    assert raw.request_id and raw.headers["x-request-id"] == raw.request_id
    assert int(raw.headers["x-ratelimit-remaining"]) >= 0
    assert raw.parsed.name == "echo" and raw.parse() is raw.parsed
    page = res.raw("users.list", page_size=5)
    assert [u.name for u in page.parsed.items] == ["demo", "acme", "lena"]
    assert page.request_id


def test_with_options_copies_keep_the_resources_bound(predictkit_client: Client) -> None:
    quick = predictkit_client.with_options(max_retries=0)
    assert quick.models is not predictkit_client.models
    assert quick.models.get("demo/echo").name == "echo"
