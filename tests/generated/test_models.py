"""Tests of the generated layer (generated/predictkit_api), as the wrapper uses it.

The wrapper calls only the endpoint modules' ``_get_kwargs`` and the models' ``from_dict`` /
``to_dict`` (docs/generator.md). These tests pin what it relies on:

- every published example body (copied into ``data/``, see ``data/README.md``) parses into its
  model, and ``to_dict()`` gives back the same JSON value, legacy and unknown keys included;
- leniency: unknown enum values, extra keys at every level and nulls in optional fields parse;
- the parse failures the wrapper must wrap (KeyError, ValueError, TypeError) and the one it
  must check for itself (a malformed nullable nested object is kept as a plain dict);
- the requests ``_get_kwargs`` builds, and one module per operationId in openapi.yaml.
"""

from __future__ import annotations

import datetime
import importlib
import inspect
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol, cast

import httpx
import pytest
import yaml
from predictkit_api.api.model_versions import create_model_version_prediction
from predictkit_api.api.models import (
    create_model_prediction,
    get_model,
    list_models,
)
from predictkit_api.api.predictions import (
    cancel_prediction,
    create_prediction,
    get_prediction,
    list_predictions,
    stream_prediction,
)
from predictkit_api.api.users import get_user
from predictkit_api.models import (
    BaseUser,
    CreateModelPredictionRequest,
    CreateModelPredictionRequestInput,
    CreateModelRequest,
    CreateModelVersionRequest,
    CreatePredictionRequest,
    HTTPValidationError,
    LegacyModelHardware,
    ModelVersionConfiguration,
    ModelVersionList,
    ModelVersionWithDetails,
    ModelVersionWithDetailsAndConfiguration,
    ModelWithDetails,
    Prediction,
    PredictionList,
    PredictionWithDetails,
    TaskError,
    UserList,
    UserWithDetails,
    Webhook,
)
from predictkit_api.models.error_source import ERROR_SOURCE_VALUES
from predictkit_api.models.model_visibility import MODEL_VISIBILITY_VALUES
from predictkit_api.models.prediction_status import PREDICTION_STATUS_VALUES
from predictkit_api.client import AuthenticatedClient
from predictkit_api.types import UNSET

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parents[2]
SPEC_PATH = REPO / "openapi.yaml"
API_PACKAGE_DIR = REPO / "generated" / "predictkit_api" / "api"

UTC_EXAMPLE_TIME = datetime.datetime(2019, 8, 24, 14, 15, 22, tzinfo=datetime.UTC)
EXAMPLE_UUID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"

# An RFC 3339 timestamp: compared as an instant, because to_dict() writes `+00:00` for `Z`.
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class JSONModel(Protocol):
    def to_dict(self) -> dict[str, Any]: ...


Parser = Callable[[Mapping[str, Any]], JSONModel]


def load_spec() -> dict[str, Any]:
    spec = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    assert isinstance(spec, dict)
    return spec


def load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def load_object(name: str) -> dict[str, Any]:
    value = load(name)
    assert isinstance(value, dict)
    return value


def assert_same_json(expected: Any, actual: Any, path: str = "$") -> None:
    """Compare two JSON values key by key; timestamps compare as instants."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: {actual!r} is not an object"
        assert sorted(actual) == sorted(expected), f"{path}: keys differ"
        for key, value in expected.items():
            assert_same_json(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: {actual!r} is not an array"
        assert len(actual) == len(expected), f"{path}: lengths differ"
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            assert_same_json(left, right, f"{path}[{index}]")
    elif isinstance(expected, str) and TIMESTAMP.match(expected):
        assert isinstance(actual, str), f"{path}: {actual!r} is not a string"
        parsed = datetime.datetime.fromisoformat(actual)
        assert parsed.tzinfo is not None, f"{path}: {actual!r} lost its offset"
        assert parsed == datetime.datetime.fromisoformat(expected), f"{path}: {actual!r}"
    else:
        assert type(actual) is type(expected), f"{path}: {actual!r} vs {expected!r}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


# --------------------------------------------------------------------------------------------
# Published examples: parse and round-trip
# --------------------------------------------------------------------------------------------

EXAMPLES: dict[str, Parser] = {
    "get_prediction.response.json": PredictionWithDetails.from_dict,
    "get_prediction_older_page.response.json": PredictionWithDetails.from_dict,
    "list_predictions.response.json": PredictionList.from_dict,
    "list_model_versions.response.json": ModelVersionList.from_dict,
    "list_users.response.json": UserList.from_dict,
    "create_model.response.json": ModelWithDetails.from_dict,
    "update_model.response.json": ModelWithDetails.from_dict,
    "update_user.response.json": UserWithDetails.from_dict,
    "validation_error.error422.json": HTTPValidationError.from_dict,
    "create_prediction.request.json": CreatePredictionRequest.from_dict,
    "create_prediction_changelog_validate_input.request.json": CreatePredictionRequest.from_dict,
    "create_prediction_changelog_webhook.request.json": CreatePredictionRequest.from_dict,
    "create_model.request.json": CreateModelRequest.from_dict,
    "create_model_version.request.json": CreateModelVersionRequest.from_dict,
}


# Examples that are not an object: the operation's generated parser reads them.
NON_OBJECT_EXAMPLES = {"cancel_prediction.response.json"}


def test_every_data_file_is_covered() -> None:
    on_disk = {p.name for p in DATA.glob("*.json")}
    assert on_disk == set(EXAMPLES) | NON_OBJECT_EXAMPLES


def test_cancel_example_null_body_parses() -> None:
    body = (DATA / "cancel_prediction.response.json").read_bytes()
    assert json.loads(body) is None
    client = AuthenticatedClient(base_url="https://api.wrift.ai/v1", token="t")
    response = httpx.Response(200, content=body)
    assert cancel_prediction._parse_response(client=client, response=response) is None


def test_create_version_answer_without_configuration_parses() -> None:
    # The reference's create-version sample (catalog 4.8) carries only number, release_notes,
    # created_at, container_image_digest and schemas: no `configuration`, no `compatibilities`.
    # The values are the reference's placeholders; the schemas are its request sample's.
    request = load_object("create_model_version.request.json")
    body = {
        "number": 0,
        "release_notes": "string",
        "created_at": "2019-08-24T14:15:22Z",
        "container_image_digest": "string",
        "schemas": request["schemas"],
    }
    version = ModelVersionWithDetailsAndConfiguration.from_dict(body)
    assert version.configuration is None
    assert version.compatibilities is None
    assert version.created_at == UTC_EXAMPLE_TIME
    assert_same_json(body, version.to_dict())
    full = ModelVersionWithDetailsAndConfiguration.from_dict(
        body | {"configuration": {"hardware_identifier": "cpu", "variable_names": ["K"]}}
    )
    assert isinstance(full.configuration, ModelVersionConfiguration)
    assert full.configuration.variable_names == ["K"]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_round_trips(name: str) -> None:
    body = load_object(name)
    model = EXAMPLES[name](body)
    assert_same_json(body, model.to_dict())
    # from_dict must not consume its argument.
    assert body == load_object(name)


def test_get_prediction_example_values() -> None:
    p = PredictionWithDetails.from_dict(load_object("get_prediction.response.json"))
    assert p.id == EXAMPLE_UUID
    assert (p.model.owner, p.model.name, p.model.version_number) == ("string", "string", 0)
    assert p.status == "pending"
    assert p.created_at == UTC_EXAMPLE_TIME
    assert p.created_at.tzinfo is not None
    assert p.updated_at == UTC_EXAMPLE_TIME
    assert (p.setup_time, p.execution_time) == ("string", "string")
    assert p.input_ is None
    assert p.output is None
    assert isinstance(p.error, TaskError)
    assert (p.error.source, p.error.message, p.error.detail) == ("internal", "string", None)
    assert p.url == "string"  # legacy key, declared optional
    assert p.metrics is None
    assert p.stream is None
    assert p.logs is None
    assert p.additional_properties == {}


def test_get_prediction_older_page_legacy_logs() -> None:
    p = PredictionWithDetails.from_dict(load_object("get_prediction_older_page.response.json"))
    assert p.logs == ["string"]
    assert p.setup_logs == ["string"]
    assert p.url == "string"
    assert p.to_dict()["logs"] == ["string"]


def test_list_predictions_example_values() -> None:
    page = PredictionList.from_dict(load_object("list_predictions.response.json"))
    assert len(page.items) == 1
    item = page.items[0]
    assert isinstance(item, Prediction)
    assert item.id == EXAMPLE_UUID
    assert item.status == "pending"
    assert item.url == "string"
    assert (page.next_cursor, page.previous_cursor) == ("string", "string")
    assert (page.next_url, page.previous_url) == ("http://example.com", "http://example.com")


def test_list_model_versions_example_values() -> None:
    page = ModelVersionList.from_dict(load_object("list_model_versions.response.json"))
    assert [v.number for v in page.items] == [0]
    assert page.items[0].container_image_digest == "string"
    assert page.items[0].created_at == UTC_EXAMPLE_TIME
    assert page.next_url == "http://example.com"


def test_users_examples_keep_older_field_names() -> None:
    page = UserList.from_dict(load_object("list_users.response.json"))
    user = page.items[0]
    assert user.id == EXAMPLE_UUID
    assert user.username == "string"
    assert user.name == "string"
    assert user.account_id is None
    assert user.updated_at == UTC_EXAMPLE_TIME
    assert user.additional_properties == {"urls": ["string"]}  # list item type has no `urls`

    me = UserWithDetails.from_dict(load_object("update_user.response.json"))
    assert me.id == EXAMPLE_UUID
    assert me.urls == ["string"]
    assert me.additional_properties == {}


@pytest.mark.parametrize("name", ["create_model.response.json", "update_model.response.json"])
def test_model_example_values(name: str) -> None:
    m = ModelWithDetails.from_dict(load_object(name))
    assert m.visibility == "private"
    assert isinstance(m.owner, BaseUser)
    assert (m.owner.id, m.owner.username, m.owner.avatar_url) == (EXAMPLE_UUID, "string", "string")
    assert m.owner.account_id is None
    assert [(c.name, c.slug) for c in m.categories] == [("string", "string")]
    assert isinstance(m.latest_version, ModelVersionWithDetails)
    assert m.latest_version.schemas.prediction.input_.additional_properties == {}
    assert m.latest_version.container_image_digest == "string"
    assert isinstance(m.hardware, LegacyModelHardware)
    assert (m.hardware.identifier, m.hardware.name) == ("string", "string")
    assert m.cover_image_url is None
    assert m.predictions_count == 0


def test_validation_error_example_values() -> None:
    err = HTTPValidationError.from_dict(load_object("validation_error.error422.json"))
    assert [(d.loc, d.msg, d.type_) for d in err.detail] == [(["string"], "string", "string")]


def test_validation_error_loc_keeps_integers() -> None:
    body = {"detail": [{"loc": ["body", "input", 0], "msg": "bad", "type": "value_error"}]}
    err = HTTPValidationError.from_dict(body)
    assert err.detail[0].loc == ["body", "input", 0]
    assert err.to_dict() == body


def test_request_examples_values() -> None:
    webhook = CreatePredictionRequest.from_dict(
        load_object("create_prediction_changelog_webhook.request.json")
    )
    assert webhook.model == "owner/model_name"
    assert webhook.input_.additional_properties == {
        "prompt": "a photo of a mountain lake at sunset"
    }
    assert isinstance(webhook.webhook, Webhook)
    assert webhook.webhook.url == "https://your-server.com/webhooks/wriftai"
    assert webhook.webhook.secret is None

    # The reference marks `hardware_identifier` required; the SDK has no such field. It survives.
    model = CreateModelRequest.from_dict(load_object("create_model.request.json"))
    assert model.name == "string"
    assert model.additional_properties == {"hardware_identifier": "string"}

    version = CreateModelVersionRequest.from_dict(load_object("create_model_version.request.json"))
    assert version.container_image_digest == "string"  # the pattern is not enforced client-side
    assert version.compatibilities is None


def test_constructed_prediction_request_sends_stream_false() -> None:
    """`stream` has a schema default, so a request built in code always carries it."""
    body = CreatePredictionRequest(
        input_=CreateModelPredictionRequestInput.from_dict({"prompt": "hi"}), model="o/m"
    )
    assert body.to_dict() == {"input": {"prompt": "hi"}, "model": "o/m", "stream": False}


# --------------------------------------------------------------------------------------------
# Leniency: unknown enum values, extra keys at every level, nulls
# --------------------------------------------------------------------------------------------


def prediction_body(**changes: Any) -> dict[str, Any]:
    body = load_object("get_prediction.response.json")
    body.update(changes)
    return body


def test_unknown_status_passes_through() -> None:
    p = PredictionWithDetails.from_dict(prediction_body(status="queued"))
    status: str = p.status  # a Literal type, but at runtime the plain string received
    assert status == "queued"
    assert p.status not in PREDICTION_STATUS_VALUES
    assert p.to_dict()["status"] == "queued"

    page = PredictionList.from_dict(
        {
            "items": [prediction_body(status="queued")],
            "next_cursor": None,
            "previous_cursor": None,
        }
    )
    item_status: str = page.items[0].status
    assert item_status == "queued"


def test_known_status_values() -> None:
    assert {
        "starting",
        "pending",
        "started",
        "succeeded",
        "failed",
        "cancelled",
        "abandoned",
    } == PREDICTION_STATUS_VALUES
    p = PredictionWithDetails.from_dict(prediction_body(status="succeeded"))
    assert p.status == "succeeded"
    assert p.status in PREDICTION_STATUS_VALUES


def test_enum_value_sets_match_the_spec() -> None:
    schemas = load_spec()["components"]["schemas"]
    assert set(schemas["PredictionStatus"]["enum"]) == PREDICTION_STATUS_VALUES
    assert set(schemas["ModelVisibility"]["enum"]) == MODEL_VISIBILITY_VALUES
    assert set(schemas["ErrorSource"]["enum"]) == ERROR_SOURCE_VALUES


def test_unknown_error_source_and_extra_keys_in_prediction() -> None:
    body = prediction_body(
        status="queued",
        queue_position=3,
        model={"owner": "o", "name": "m", "version_number": 2, "hardware": "gpu-xl"},
        error={"source": "upstream_vendor", "message": "boom", "detail": {"a": 1}, "code": "E1"},
        metrics={"predict_time": 1.5},
        stream=True,
    )
    p = PredictionWithDetails.from_dict(body)
    assert p.additional_properties == {"queue_position": 3}
    assert p.model.additional_properties == {"hardware": "gpu-xl"}
    assert isinstance(p.error, TaskError)
    source: str = p.error.source
    assert source == "upstream_vendor"
    assert p.error.source not in ERROR_SOURCE_VALUES
    assert p.error.detail == {"a": 1}
    assert p.error.additional_properties == {"code": "E1"}
    assert p.metrics == {"predict_time": 1.5}
    assert p.stream is True
    assert_same_json(body, p.to_dict())


def test_unknown_visibility_and_extra_keys_in_model() -> None:
    body = load_object("create_model.response.json")
    body["visibility"] = "unlisted"
    body["stars"] = 12
    body["owner"]["badge"] = "pro"
    body["categories"][0]["icon"] = "x.png"
    body["hardware"]["gpus"] = 2
    body["latest_version"]["size"] = 1024
    body["latest_version"]["signed_by"] = "ci"
    body["latest_version"]["schemas"]["sbom"] = {"format": "spdx"}
    body["latest_version"]["schemas"]["prediction"]["examples"] = [{"input": {}}]
    body["latest_version"]["schemas"]["prediction"]["input"] = {"type": "object"}

    m = ModelWithDetails.from_dict(body)
    visibility: str = m.visibility
    assert visibility == "unlisted"
    assert m.visibility not in MODEL_VISIBILITY_VALUES
    assert m.additional_properties == {"stars": 12}
    assert m.owner.additional_properties == {"badge": "pro"}
    assert m.categories[0].additional_properties == {"icon": "x.png"}
    assert isinstance(m.hardware, LegacyModelHardware)
    assert m.hardware.additional_properties == {"gpus": 2}
    version = m.latest_version
    assert isinstance(version, ModelVersionWithDetails)
    assert version.size == 1024
    assert version.additional_properties == {"signed_by": "ci"}
    assert version.schemas.additional_properties == {"sbom": {"format": "spdx"}}
    assert version.schemas.prediction.additional_properties == {"examples": [{"input": {}}]}
    assert version.schemas.prediction.input_.additional_properties == {"type": "object"}
    assert_same_json(body, m.to_dict())


def test_extra_keys_in_list_envelopes() -> None:
    body = load_object("list_users.response.json")
    body["total"] = 1
    body["items"][0]["followers"] = 7
    page = UserList.from_dict(body)
    assert page.additional_properties == {"total": 1}
    assert page.items[0].additional_properties == {"urls": ["string"], "followers": 7}
    assert_same_json(body, page.to_dict())


def test_null_optional_fields_parse() -> None:
    p = PredictionWithDetails.from_dict(
        prediction_body(
            setup_time=None, execution_time=None, error=None, input=None, output=None, metrics=None
        )
    )
    assert (p.setup_time, p.execution_time, p.error, p.input_, p.output) == (None,) * 5
    assert p.metrics is None

    model_body = load_object("create_model.response.json")
    nulls = {
        "description": None,
        "updated_at": None,
        "overview": None,
        "latest_version": None,
        "source_url": None,
        "license_url": None,
        "paper_url": None,
        "cover_image_url": None,
    }
    model_body.update(nulls)
    m = ModelWithDetails.from_dict(model_body)
    assert m.description is None
    assert m.updated_at is None
    assert m.latest_version is None
    assert m.cover_image_url is None
    assert_same_json(model_body, m.to_dict())

    user_body = load_object("update_user.response.json")
    user_body.update(
        display_name=None, bio=None, location=None, company=None, updated_at=None, urls=None
    )
    u = UserWithDetails.from_dict(user_body)
    assert (u.display_name, u.bio, u.updated_at, u.urls) == (None, None, None, None)
    assert_same_json(user_body, u.to_dict())

    page_body: dict[str, Any] = {
        "items": [],
        "next_cursor": None,
        "previous_cursor": None,
        "next_url": None,
    }
    page = PredictionList.from_dict(page_body)
    assert (page.items, page.next_cursor, page.previous_cursor, page.next_url) == (
        [],
        None,
        None,
        None,
    )
    assert page.previous_url is None
    assert page.to_dict() == page_body


def test_current_shapes_parse() -> None:
    """What the live service sends now: no legacy keys, SDK owner/user names, new fields."""
    body = prediction_body(metrics={"predict_time": 0.2}, stream=False)
    del body["url"]
    p = PredictionWithDetails.from_dict(body)
    assert p.url is None
    assert "url" not in p.to_dict()

    user = UserWithDetails.from_dict(
        {
            "account_id": "acc_1",
            "name": "ada",
            "display_name": "Ada",
            "avatar_url": "https://a/ada.png",
            "created_at": "2025-03-18T10:00:00.123456Z",
        }
    )
    assert (user.account_id, user.name, user.display_name) == ("acc_1", "ada", "Ada")
    assert user.id is None
    assert user.created_at == datetime.datetime(2025, 3, 18, 10, 0, 0, 123456, datetime.UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-08-24T14:15:22Z", UTC_EXAMPLE_TIME),
        ("2019-08-24T14:15:22.5Z", UTC_EXAMPLE_TIME.replace(microsecond=500000)),
        # Nanoseconds are truncated to microseconds (Python >= 3.11).
        ("2019-08-24T14:15:22.123456789Z", UTC_EXAMPLE_TIME.replace(microsecond=123456)),
        ("2019-08-24T16:15:22+02:00", UTC_EXAMPLE_TIME),
    ],
)
def test_timestamps_with_z_parse_on_oldest_python(text: str, expected: datetime.datetime) -> None:
    """requires-python >=3.11: fromisoformat accepts `Z` and long fractions from 3.11 on."""
    p = PredictionWithDetails.from_dict(prediction_body(created_at=text))
    assert p.created_at == expected
    assert p.created_at.utcoffset() is not None


# --------------------------------------------------------------------------------------------
# Traps the wrapper must wrap (it turns these into ResponseParseError carrying the raw body)
# --------------------------------------------------------------------------------------------

PREDICTION_REQUIRED = [
    "id",
    "model",
    "created_at",
    "status",
    "updated_at",
    "setup_time",
    "execution_time",
    "input",
    "output",
    "error",
]


def required_keys(schemas: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    """A schema's required keys, following `allOf` and local `$ref`s."""
    if "$ref" in schema:
        return required_keys(schemas, schemas[schema["$ref"].rsplit("/", 1)[-1]])
    keys = set(schema.get("required", []))
    for part in schema.get("allOf", []):
        keys |= required_keys(schemas, part)
    return keys


def test_required_list_matches_spec() -> None:
    schemas = load_spec()["components"]["schemas"]
    required = required_keys(schemas, schemas["PredictionWithDetails"])
    assert required == set(PREDICTION_REQUIRED)


@pytest.mark.parametrize("key", PREDICTION_REQUIRED)
def test_missing_required_field_raises_key_error(key: str) -> None:
    body = prediction_body()
    del body[key]
    with pytest.raises(KeyError) as excinfo:
        PredictionWithDetails.from_dict(body)
    assert excinfo.value.args == (key,)


def test_missing_required_field_in_nested_object_raises_key_error() -> None:
    body = prediction_body(model={"owner": "o", "name": "m"})
    with pytest.raises(KeyError) as excinfo:
        PredictionWithDetails.from_dict(body)
    assert excinfo.value.args == ("version_number",)

    page = load_object("list_predictions.response.json")
    del page["items"][0]["status"]
    with pytest.raises(KeyError):
        PredictionList.from_dict(page)


def test_malformed_nullable_nested_object_is_kept_as_dict() -> None:
    """Trap: for `anyOf: [Object, null]` the generator swallows the nested parse error.

    A TaskError without `message` does not raise; `error` holds the raw dict despite its
    `TaskError | None` annotation. Code reading it must check isinstance(…, TaskError).
    """
    broken = {"source": "internal"}
    p = PredictionWithDetails.from_dict(prediction_body(error=broken))
    error: object = p.error
    assert not isinstance(error, TaskError)
    assert error == {"source": "internal"}

    model_body = load_object("create_model.response.json")
    del model_body["latest_version"]["schemas"]
    m = ModelWithDetails.from_dict(model_body)
    latest: object = m.latest_version
    assert not isinstance(latest, ModelVersionWithDetails)
    assert isinstance(latest, dict)


@pytest.mark.parametrize("bad", [None, 3, ["pending"]])
def test_enum_value_of_the_wrong_type_raises_type_error(bad: object) -> None:
    """Our template override passes unknown strings through, but not other types: a null or
    numeric status is a parse failure (TypeError, wrapped by the wrapper), never a silent None."""
    with pytest.raises(TypeError, match="Expected str"):
        PredictionWithDetails.from_dict(prediction_body(status=bad))


@pytest.mark.parametrize(
    "text", ["yesterday", "2019-13-45T00:00:00Z", "2019-08-24T14:15:22 UTC", ""]
)
def test_malformed_timestamp_raises_value_error(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message is the stdlib's
        PredictionWithDetails.from_dict(prediction_body(created_at=text))


def test_wrong_types_raise_type_or_value_error() -> None:
    with pytest.raises(TypeError):
        PredictionWithDetails.from_dict(prediction_body(created_at=1566656122))
    with pytest.raises(TypeError):
        PredictionWithDetails.from_dict(prediction_body(model=5))
    with pytest.raises(ValueError, match="dictionary update sequence"):
        PredictionWithDetails.from_dict(prediction_body(model="owner/name"))
    with pytest.raises(TypeError):
        PredictionList.from_dict({"items": None, "next_cursor": None, "previous_cursor": None})


# --------------------------------------------------------------------------------------------
# Requests built by _get_kwargs
# --------------------------------------------------------------------------------------------

BASE_URL = "https://api.wrift.ai/v1"


def build(kwargs: dict[str, Any]) -> httpx.Request:
    """Build the request the way the wrapper does: on its own httpx client (no network)."""
    with httpx.Client(base_url=BASE_URL) as client:
        return client.build_request(**kwargs)


def test_create_prediction_kwargs() -> None:
    body_json = load_object("create_prediction_changelog_validate_input.request.json")
    body = CreatePredictionRequest.from_dict(body_json)
    kwargs = create_prediction._get_kwargs(body=body, prefer="wait=5", validate_input=True)
    assert kwargs == {
        "method": "post",
        "url": "/predictions",
        "json": body_json,
        "headers": {
            "Prefer": "wait=5",
            "Validate-Input": "true",
            "Content-Type": "application/json",
        },
    }
    request = build(kwargs)
    assert request.method == "POST"
    assert str(request.url) == f"{BASE_URL}/predictions"
    assert request.headers["prefer"] == "wait=5"
    assert request.headers["validate-input"] == "true"
    assert json.loads(request.content) == body_json


def test_create_prediction_kwargs_defaults() -> None:
    body = CreatePredictionRequest.from_dict(load_object("create_prediction.request.json"))
    kwargs = create_prediction._get_kwargs(body=body)
    # No Prefer header unless asked; Validate-Input defaults to an explicit "false".
    assert kwargs["headers"] == {"Validate-Input": "false", "Content-Type": "application/json"}
    assert kwargs["json"] == {"model": "string", "input": {}}

    kwargs = create_prediction._get_kwargs(body=body, validate_input=False)
    assert kwargs["headers"]["Validate-Input"] == "false"
    kwargs = create_prediction._get_kwargs(body=body, validate_input=UNSET)
    assert "Validate-Input" not in kwargs["headers"]


def test_model_scoped_prediction_kwargs_quote_path_segments() -> None:
    body = CreateModelPredictionRequest.from_dict({"input": {"prompt": "hi"}})
    kwargs = create_model_prediction._get_kwargs(
        "my org", "name/with?odd#chars", body=body, prefer="wait", validate_input=True
    )
    assert kwargs["method"] == "post"
    assert kwargs["url"] == "/models/my%20org/name%2Fwith%3Fodd%23chars/predictions"
    assert kwargs["headers"]["Prefer"] == "wait"
    assert kwargs["headers"]["Validate-Input"] == "true"
    assert kwargs["json"] == {"input": {"prompt": "hi"}}
    request = build(kwargs)
    assert request.url.raw_path == b"/v1/models/my%20org/name%2Fwith%3Fodd%23chars/predictions"

    kwargs = create_model_version_prediction._get_kwargs("o", "m", 3, body=body)
    assert kwargs["url"] == "/models/o/m/versions/3/predictions"


def test_path_parameters_are_quoted() -> None:
    assert get_prediction._get_kwargs("a/b c") == {
        "method": "get",
        "url": "/predictions/a%2Fb%20c",
    }
    assert cancel_prediction._get_kwargs("p1") == {
        "method": "post",
        "url": "/predictions/p1/cancel",
    }
    assert get_model._get_kwargs("owner", "..")["url"] == "/models/owner/.."
    assert get_user._get_kwargs("ü@x")["url"] == "/users/%C3%BC%40x"
    request = build(get_prediction._get_kwargs("a/b c"))
    assert request.method == "GET"
    assert request.url.raw_path == b"/v1/predictions/a%2Fb%20c"


def test_optional_header_none_is_not_unset() -> None:
    """Trap: optional headers take UNSET, not None. None reaches httpx, which refuses it."""
    body = CreatePredictionRequest.from_dict(load_object("create_prediction.request.json"))
    kwargs = create_prediction._get_kwargs(body=body, prefer=cast("Any", None))
    assert kwargs["headers"]["Prefer"] is None
    with pytest.raises((TypeError, AttributeError)):  # httpx 0.28 / 0.27
        build(kwargs)
    assert "Prefer" not in create_prediction._get_kwargs(body=body, prefer=UNSET)["headers"]


def test_list_predictions_repeats_statuses_key() -> None:
    kwargs = list_predictions._get_kwargs(
        cursor="c1", page_size=10, statuses=["succeeded", "failed"]
    )
    assert kwargs == {
        "method": "get",
        "url": "/predictions",
        "params": {"cursor": "c1", "page_size": 10, "statuses": ["succeeded", "failed"]},
    }
    request = build(kwargs)
    assert request.url.params.get_list("statuses") == ["succeeded", "failed"]
    assert request.url.query == b"cursor=c1&page_size=10&statuses=succeeded&statuses=failed"


def test_list_predictions_defaults() -> None:
    kwargs = list_predictions._get_kwargs()
    # cursor and statuses are left out when unset; page_size has a schema default of 25.
    assert kwargs["params"] == {"page_size": 25}
    assert build(kwargs).url.query == b"page_size=25"
    assert list_predictions._get_kwargs(page_size=UNSET)["params"] == {}
    assert list_predictions._get_kwargs(statuses=[])["params"] == {
        "page_size": 25,
        "statuses": [],
    }


def test_list_models_repeats_category_slugs() -> None:
    kwargs = list_models._get_kwargs(
        page_size=50, sort_by="created_at", sort_direction="desc", category_slugs=["a", "b"]
    )
    request = build(kwargs)
    assert request.url.params.get_list("category_slugs") == ["a", "b"]
    assert request.url.params["sort_by"] == "created_at"
    assert request.url.params["sort_direction"] == "desc"
    assert request.url.params["page_size"] == "50"


def test_stream_prediction_kwargs() -> None:
    kwargs = stream_prediction._get_kwargs("p 1", after_id="17", prefer="wait=10")
    assert kwargs == {
        "method": "get",
        "url": "/predictions/p%201/stream",
        "params": {"after_id": "17"},
        "headers": {"Prefer": "wait=10"},
    }
    kwargs = stream_prediction._get_kwargs("p1")
    assert kwargs["params"] == {}
    assert kwargs["headers"] == {}


# --------------------------------------------------------------------------------------------
# One generated module per operationId
# --------------------------------------------------------------------------------------------

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


def spec_operations() -> list[tuple[str, str, str, dict[str, Any]]]:
    """(tag, method, path, operation) for every operation in openapi.yaml."""
    spec = load_spec()
    ops: list[tuple[str, str, str, dict[str, Any]]] = []
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                assert len(op["tags"]) == 1, f"{op['operationId']}: one tag expected"
                ops.append((op["tags"][0], method, path, op))
    return ops


OPERATIONS = spec_operations()


def test_spec_has_operations() -> None:
    assert len(OPERATIONS) >= 30
    ids = [op["operationId"] for _, _, _, op in OPERATIONS]
    assert len(ids) == len(set(ids))


def test_no_stale_endpoint_modules() -> None:
    generated = {
        f"{p.parent.name}/{p.stem}"
        for p in API_PACKAGE_DIR.glob("*/*.py")
        if p.name != "__init__.py"
    }
    expected = {f"{tag}/{op['operationId']}" for tag, _, _, op in OPERATIONS}
    assert generated == expected


def test_spec_avoids_generator_traps() -> None:
    """No schema shape the generator mishandles (docs/generator.md, traps table)."""
    problems: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            kind = node.get("type")
            kinds = kind if isinstance(kind, list) else [kind]
            if "array" in kinds and "items" not in node:
                problems.append(f"{where}: array without items")
            if "enum" in node and "null" in kinds:
                problems.append(f"{where}: nullable enum not written as anyOf [$ref, null]")
            ignored = ("discriminator", "readOnly", "writeOnly")
            problems.extend(f"{where}: {key} is ignored" for key in ignored if key in node)
            if node.get("style") == "deepObject" or node.get("explode") is False:
                problems.append(f"{where}: unsupported parameter style")
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}[{index}]")

    spec = load_spec()
    walk(spec["paths"], "#/paths")
    walk(spec["components"], "#/components")
    for _, _, path, op in OPERATIONS:
        if "default" in op["responses"]:
            problems.append(f"{path}: `default` response (JSONDecodeError on HTML pages)")
    assert problems == []


class _StandInBody:
    def to_dict(self) -> dict[str, Any]:
        return {"k": "v"}


@pytest.mark.parametrize(
    ("tag", "method", "path", "op"),
    OPERATIONS,
    ids=[op["operationId"] for _, _, _, op in OPERATIONS],
)
def test_operation_module_builds_its_request(
    tag: str, method: str, path: str, op: dict[str, Any]
) -> None:
    module = importlib.import_module(f"predictkit_api.api.{tag}.{op['operationId']}")
    get_kwargs: Callable[..., dict[str, Any]] = module._get_kwargs

    args: dict[str, Any] = {}
    path_values: dict[str, Any] = {}
    for name, param in inspect.signature(get_kwargs).parameters.items():
        if param.default is not inspect.Parameter.empty:
            continue
        if name == "body":
            args[name] = _StandInBody()
        elif param.annotation is int or param.annotation == "int":
            args[name] = path_values[name] = 7
        else:
            args[name] = path_values[name] = "seg x"
    kwargs = get_kwargs(**args)

    assert kwargs["method"] == method
    expected_url = path.format(**{k: str(v).replace(" ", "%20") for k, v in path_values.items()})
    assert kwargs["url"] == expected_url
    assert ("json" in kwargs) == ("requestBody" in op)
    if "requestBody" in op:
        assert kwargs["json"] == {"k": "v"}
        assert kwargs["headers"]["Content-Type"] == "application/json"
    spec_path_params = set(re.findall(r"\{(\w+)\}", path))
    assert spec_path_params <= set(path_values)
