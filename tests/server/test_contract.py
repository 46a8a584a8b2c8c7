"""A scripted tour of every endpoint; each exchange is validated against openapi.yaml.

The tour covers each operation's success and its main errors, so the server cannot send what
the spec does not describe (or stop sending what it does) without this test failing.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from openapi_core.exceptions import OpenAPIError
from predictkit.testing import ReferenceServer

from ._spec import check, check_lenient, document
from .conftest import create, finished

SHA = "sha256:" + "ab" * 32


def spec_operation_ids() -> set[str]:
    return {
        op["operationId"]
        for item in document()["paths"].values()
        for method, op in item.items()
        if method in {"get", "post", "patch", "put", "delete"}
    }


def tour_predictions(server: ReferenceServer, client: httpx.Client) -> None:
    created = check(client.post("/predictions", json={"model": "demo/echo", "input": {"a": 1}}))
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "pending"
    assert created.headers["location"] == f"{server.url}/predictions/{body['id']}"

    waited = check(
        client.post(
            "/predictions",
            json={"model": "demo/echo:1", "input": {"b": 2}, "webhook": None, "stream": False},
            headers={"prefer": "wait=5", "validate-input": "true"},
        )
    )
    assert waited.json()["status"] == "succeeded"
    assert waited.json()["model"]["version_number"] == 1

    latest = check(client.post("/models/demo/echo/predictions", json={"input": {}}))
    assert latest.status_code == 201
    assert latest.json()["model"]["version_number"] == 2
    pinned = check(client.post("/models/demo/echo/versions/1/predictions", json={"input": {}}))
    assert pinned.json()["model"]["version_number"] == 1
    assert pinned.headers["location"].endswith(pinned.json()["id"])

    bad_ref = check(client.post("/predictions", json={"model": "echo", "input": {}}))
    assert bad_ref.status_code == 422
    assert bad_ref.json()["detail"][0]["loc"] == ["body", "model"]
    missing = check(client.post("/predictions", json={"model": "demo/echo"}), request=False)
    assert missing.status_code == 422
    assert missing.json()["detail"] == [
        {"loc": ["body", "input"], "msg": "Field required", "type": "missing"}
    ]
    assert (
        check(client.post("/predictions", json={"model": "demo/nope", "input": {}})).status_code
        == 404
    )
    assert (
        check(client.post("/predictions", json={"model": "demo/echo:9", "input": {}})).status_code
        == 404
    )
    assert check(client.post("/models/nobody/x/predictions", json={"input": {}})).status_code == 404
    assert (
        check(
            client.post("/models/demo/echo/versions/7/predictions", json={"input": {}})
        ).status_code
        == 404
    )

    listed = check(client.get("/predictions", params={"page_size": 5, "statuses": ["succeeded"]}))
    assert set(listed.json()) == {"items", "next_cursor", "previous_cursor"}
    assert all(item["status"] == "succeeded" for item in listed.json()["items"])
    assert (
        check(client.get("/predictions", params={"page_size": 51}), request=False).status_code
        == 422
    )
    assert (
        check(client.get("/predictions", params={"statuses": "bogus"}), request=False).status_code
        == 422
    )

    got = check(client.get(f"/predictions/{body['id']}"))
    assert got.json()["id"] == body["id"]
    unknown = "00000000-0000-4000-8000-000000000000"
    assert check(client.get(f"/predictions/{unknown}")).status_code == 404
    not_uuid = check(client.get("/predictions/not-a-uuid"))
    assert not_uuid.status_code == 422
    assert not_uuid.json()["detail"][0]["loc"] == ["path", "prediction_id"]

    slow = create(client, {"sleep": 30})
    cancelled = check(client.post(f"/predictions/{slow['id']}/cancel"))
    assert (cancelled.status_code, cancelled.json()) == (200, None)
    done = finished(client, waited.json()["id"])
    conflict = check(client.post(f"/predictions/{done['id']}/cancel"))
    assert conflict.status_code == 409
    assert check(client.post(f"/predictions/{unknown}/cancel")).status_code == 404

    stream = check(client.get(f"/predictions/{done['id']}/stream"))
    assert stream.status_code == 200
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert check(client.get(f"/predictions/{unknown}/stream")).status_code == 404
    assert (
        check(client.get(f"/predictions/{done['id']}/stream", params={"after_id": "x"})).status_code
        == 422
    )

    sse = check(
        client.post(
            "/predictions",
            json={"model": "demo/echo", "input": {}, "stream": True},
            headers={"prefer": "wait=5"},
        )
    )
    assert sse.status_code == 201
    assert sse.headers["content-type"].startswith("text/event-stream")
    assert sse.text.startswith("id: 1\nevent: init\n")


def tour_catalogue(server: ReferenceServer, client: httpx.Client) -> None:
    for path in (
        "/models",
        "/models/demo",
        "/model_categories",
        "/hardware",
        "/users",
        "/user/models",
    ):
        page = check(client.get(path, params={"page_size": 5}))
        assert page.status_code == 200, path
        assert set(page.json()) == {"items", "next_cursor", "previous_cursor"}
    assert (
        check(
            client.get(
                "/models",
                params={
                    "sort_by": "predictions_count",
                    "sort_direction": "desc",
                    "category_slugs": ["utilities"],
                },
            )
        ).status_code
        == 200
    )
    assert check(client.get("/models/nobody")).status_code == 404
    assert (
        check(client.get("/models", params={"sort_by": "name"}), request=False).status_code == 422
    )
    assert (
        check(
            client.get("/users", params={"sort_by": "created_at", "sort_direction": "desc"})
        ).status_code
        == 200
    )

    model = check(client.get("/models/demo/echo")).json()
    assert model["latest_version"]["number"] == 2
    assert model["owner"]["name"] == "demo"
    assert check(client.get("/models/demo/ghost")).status_code == 404
    assert (
        check(client.get("/search/models", params={"q": "echo"})).json()["items"][0]["name"]
        == "echo"
    )
    assert (
        check(client.get("/search/users", params={"q": "acme"})).json()["items"][0]["name"]
        == "acme"
    )
    assert check(client.get("/search/models"), request=False).status_code == 422

    assert check(client.get("/users/lena")).json()["name"] == "lena"
    assert check(client.get("/users/ghost")).status_code == 404
    me = check(client.get("/user")).json()
    assert me["name"] == "demo"
    patched = check(client.patch("/user", json={"bio": "Testing.", "urls": None}))
    assert patched.json()["bio"] == "Testing."
    assert check(client.patch("/user", json={"name": "acme"})).status_code == 409
    assert check(client.patch("/user", json={"bio": 5}), request=False).status_code == 422

    new = check(
        client.post(
            "/models", json={"name": "tour", "visibility": "public", "category_slugs": ["audio"]}
        )
    )
    assert new.status_code == 201
    assert new.json()["latest_version"] is None
    assert check(client.post("/models", json={"name": "tour"})).status_code == 409
    assert (
        check(client.post("/models", json={"name": "x", "category_slugs": ["nope"]})).status_code
        == 422
    )
    renamed = check(
        client.patch(
            "/models/demo/tour",
            json={"description": "A tour.", "source_url": "https://example.com"},
        )
    )
    assert renamed.json()["description"] == "A tour."
    assert check(client.patch("/models/acme/summarize", json={})).status_code == 403
    assert check(client.patch("/models/demo/ghost", json={})).status_code == 404

    version_body = {
        "release_notes": "First.",
        "schemas": {"prediction": {"input": {"type": "object"}, "output": {}}},
        "container_image_digest": SHA,
    }
    version = check(client.post("/models/demo/tour/versions", json=version_body))
    assert version.status_code == 201
    assert version.json()["number"] == 1
    assert version.json()["configuration"] == {"hardware_identifier": "cpu", "variable_names": []}
    bad_digest = {**version_body, "container_image_digest": "sha256:xyz"}
    assert (
        check(client.post("/models/demo/tour/versions", json=bad_digest), request=False).status_code
        == 422
    )
    assert (
        check(client.post("/models/acme/summarize/versions", json=version_body)).status_code == 403
    )
    versions = check(client.get("/models/demo/echo/versions")).json()["items"]
    assert [v["number"] for v in versions] == [2, 1]
    assert check(client.get("/models/demo/echo/versions/1")).json()["schemas"]["prediction"]
    assert check(client.get("/models/demo/echo/versions/9")).status_code == 404
    assert check(client.get("/models/demo/echo/versions/x"), request=False).status_code == 422
    config = check(client.get("/models/demo/tour/versions/1/configuration")).json()
    assert config["hardware_identifier"] == "cpu"
    assert check(client.get("/models/acme/summarize/versions/1/configuration")).status_code == 403
    updated = check(
        client.patch(
            "/models/demo/tour/versions/1/configuration", json={"hardware_identifier": "gpu-t4"}
        )
    )
    assert updated.json() == {"hardware_identifier": "gpu-t4", "variable_names": []}
    assert (
        check(
            client.patch(
                "/models/demo/tour/versions/1/configuration", json={"hardware_identifier": "tpu"}
            )
        ).status_code
        == 422
    )
    assert (check(client.delete("/models/demo/tour/versions/1")).json(), True) == (None, True)
    assert check(client.delete("/models/demo/tour/versions/1")).status_code == 404
    assert check(client.delete("/models/demo/tour")).json() is None
    assert check(client.delete("/models/demo/tour")).status_code == 404
    assert check(client.delete("/models/acme/summarize")).status_code == 403


def tour_uploads_and_variables(server: ReferenceServer, client: httpx.Client) -> None:
    data = b"x" * 300_000 + b"tail"
    upload = check(client.post("/uploads", json={"size": len(data), "mime_type": "text/plain"}))
    assert upload.status_code == 201
    started = upload.json()
    size = started["part_size"]
    etags = []
    with httpx.Client(timeout=10.0) as plain:  # part URLs are pre-signed: no token
        for i, url in enumerate(started["urls"]):
            part = plain.put(url, content=data[i * size : (i + 1) * size])
            assert part.status_code == 200
            etags.append(part.headers["etag"])
        assert (
            check(
                client.post(f"/uploads/{started['id']}/complete", json={"etags": etags[:1]})
            ).status_code
            == 422
        )
        completed = check(client.post(f"/uploads/{started['id']}/complete", json={"etags": etags}))
        assert completed.status_code == 200
        assert plain.get(completed.json()["download_url"]).content == data
    assert check(client.post("/uploads/nope/complete", json={"etags": []})).status_code == 404
    assert (
        check(
            client.post("/uploads", json={"size": -1, "mime_type": "a/b"}), request=False
        ).status_code
        == 422
    )

    secret = check(
        client.post(
            "/variables", json={"name": "hf", "key": "HF_TOKEN", "value": "s3cret", "secret": True}
        )
    )
    assert secret.status_code == 201
    assert secret.json()["value"] == ""
    plain_var = check(
        client.post(
            "/variables", json={"name": "region", "key": "REGION", "value": "eu", "secret": False}
        )
    )
    assert plain_var.json()["value"] == "eu"
    assert (
        check(
            client.post(
                "/variables", json={"name": "hf", "key": "K", "value": "v", "secret": False}
            )
        ).status_code
        == 409
    )
    listed = check(client.get("/variables")).json()["items"]
    assert [(v["name"], v["value"]) for v in listed] == [("hf", ""), ("region", "eu")]
    changed = check(client.patch("/variables/region", json={"value": "us"}))
    assert changed.json()["value"] == "us"
    assert changed.json()["updated_at"] is not None
    assert check(client.patch("/variables/ghost", json={})).status_code == 404
    assert check(client.delete("/variables/region")).json() is None
    assert check(client.delete("/variables/region")).status_code == 404


def test_auth_tour(server: ReferenceServer) -> None:
    with (
        httpx.Client(base_url=server.url, timeout=10.0) as anonymous,
        httpx.Client(
            base_url=server.url, headers={"authorization": "Bearer wrong"}, timeout=10.0
        ) as wrong,
    ):
        # Public reads: the spec's global security cannot say "token optional" without changing
        # the generated client, so only the answers are validated here.
        assert check(anonymous.get("/models"), request=False).status_code == 200
        version = anonymous.get("/models/demo/echo/versions/2")
        assert check(version, request=False).status_code == 200
        private = anonymous.get("/models/demo/private-notes")
        assert check(private, request=False).status_code == 404
        users = anonymous.get("/search/users", params={"q": "d"})
        assert check(users, request=False).status_code == 200
        for response in (
            anonymous.get("/predictions"),
            anonymous.post("/predictions", json={"model": "demo/echo", "input": {}}),
            anonymous.get("/user"),
            anonymous.get("/variables"),
            anonymous.post("/uploads", json={"size": 1, "mime_type": "a/b"}),
            anonymous.delete("/models/demo/echo"),
            wrong.get("/models"),
            wrong.get("/users/demo"),
            wrong.get("/predictions"),
        ):
            check(response, request=False)
            assert response.status_code == 401, response.request.url
            assert isinstance(response.json()["detail"], str)
            assert response.headers["x-request-id"]


def test_tour_of_every_operation(server: ReferenceServer, client: httpx.Client) -> None:
    tour_predictions(server, client)
    tour_catalogue(server, client)
    tour_uploads_and_variables(server, client)
    toured = {r.operation_id for r in server.requests if r.operation_id}
    assert toured == spec_operation_ids()
    for recorded in server.requests:
        assert recorded.status_code is not None


def _altered(response: httpx.Response, body: Any) -> httpx.Response:
    """``response`` with another JSON body (same request, status and headers)."""
    headers = {k: v for k, v in response.headers.items() if k != "content-length"}
    return httpx.Response(
        response.status_code, json=body, headers=headers, request=response.request
    )


def test_the_strict_view_holds_the_server_to_the_live_shapes(client: httpx.Client) -> None:
    prediction = check(client.post("/predictions", json={"model": "demo/echo", "input": {}}))
    body = prediction.json()
    page = check(client.get("/predictions"))
    created = check(
        client.post(
            "/models/demo/echo/versions",
            json={
                "release_notes": "r",
                "container_image_digest": SHA,
                "schemas": {"prediction": {"input": {}, "output": {}}},
            },
        )
    )
    user = check(client.get("/user"))
    drifts = [
        _altered(prediction, {k: v for k, v in body.items() if k != "stream"}),
        _altered(prediction, {k: v for k, v in body.items() if k != "metrics"}),
        _altered(prediction, body | {"url": "https://api.wrift.ai/v1/predictions/x"}),
        _altered(prediction, body | {"logs": []}),
        _altered(page, page.json() | {"next_url": None, "previous_url": None}),
        _altered(created, {k: v for k, v in created.json().items() if k != "configuration"}),
        _altered(user, user.json() | {"username": "demo"}),
    ]
    for drift in drifts:
        # The client keeps parsing every documented shape (the spec accepts it) ...
        check_lenient(drift)
        # ... but the reference server may not send it.
        with pytest.raises(OpenAPIError):
            check(drift, request=False)
