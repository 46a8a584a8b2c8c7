"""openapi.yaml as a test oracle: validate real httpx exchanges with openapi-core.

The spec names the production server; exchanges are checked as if they went there, so the local
host and port do not matter, only the path under ``/v1``.
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from openapi_core import Config, OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"
_PRODUCTION = "https://api.wrift.ai"


def _text(data: bytes, **params: str) -> str:
    return data.decode(params.get("charset", "utf-8"))


@cache
def spec() -> Any:
    # An event stream is validated as the string the spec declares.
    config = Config(extra_media_type_deserializers={"text/event-stream": _text})
    return OpenAPI.from_file_path(str(SPEC_PATH), config=config)


def document() -> dict[str, Any]:
    """A fresh copy of the parsed spec (references not resolved)."""
    return copy.deepcopy(dict(spec().spec.read_value()))


# The strict view: openapi.yaml accepts every documented shape (legacy keys, keys the docs lack)
# so the client parses leniently; the server must send exactly the live shapes, so its responses
# are checked against this narrower spec (shared/api/wriftai-v1.md sections 2 and 9).
_COMPATIBILITIES = [
    "openai_chat_completions",
    "openai_embeddings",
    "openai_images_generations",
    "openai_responses",
    "anthropic_messages",
]
STRICT_REQUIRED: dict[str, list[str]] = {
    # Keys the official client reads (sdk 0.34.0), which the docs' samples may lack.
    "PredictionWithDetails": ["metrics", "stream"],
    "BaseUser": ["account_id", "name"],
    "User": ["display_name", "bio", "location", "company", "updated_at"],
    "UserWithDetails": ["urls"],
    "Model": ["cover_image_url"],
    "ModelVersionWithDetails": ["compatibilities"],
    "ModelVersionWithDetailsAndConfiguration": ["configuration"],
    "Compatibilities": _COMPATIBILITIES,
}
_ENVELOPE_LEGACY = ["next_url", "previous_url"]  # the official client fails on either
STRICT_ABSENT: dict[str, list[str]] = {
    # Legacy keys only older docs pages show; the live service no longer sends them.
    "Prediction": ["url"],
    "PredictionWithDetails": ["logs", "setup_logs"],
    "BaseUser": ["id", "username"],
    "ModelWithDetails": ["hardware"],
    **dict.fromkeys(
        (
            "PredictionList",
            "ModelList",
            "ModelVersionList",
            "UserList",
            "ModelCategoryList",
            "HardwareList",
            "VariableList",
        ),
        _ENVELOPE_LEGACY,
    ),
}


def strict_document() -> dict[str, Any]:
    """The spec with ``STRICT_REQUIRED`` keys required and ``STRICT_ABSENT`` keys forbidden."""
    doc = document()
    schemas = doc["components"]["schemas"]
    for name, keys in STRICT_REQUIRED.items():
        schemas[name] = {"allOf": [schemas[name], {"required": keys}]}
    for name, keys in STRICT_ABSENT.items():
        schemas[name] = {
            "allOf": [schemas[name], {"not": {"anyOf": [{"required": [k]} for k in keys]}}]
        }
    return doc


@cache
def strict_spec() -> Any:
    config = Config(extra_media_type_deserializers={"text/event-stream": _text})
    return OpenAPI.from_dict(strict_document(), config=config)


class _Request:
    def __init__(self, request: httpx.Request) -> None:
        self._request = request
        url = urlsplit(str(request.url))
        self.path = url.path
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(request.url.params.multi_items()),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )

    host_url = _PRODUCTION

    @property
    def method(self) -> str:
        return self._request.method.lower()

    @property
    def body(self) -> bytes | None:
        return self._request.content or None

    @property
    def content_type(self) -> str:
        return str(self._request.headers.get("content-type", "")).lower()


class _Response:
    def __init__(self, response: httpx.Response) -> None:
        self.status_code = response.status_code
        self.headers = Headers(list(response.headers.items()))
        self.content_type = response.headers.get("content-type", "").lower()
        self.data = response.content


def check(response: httpx.Response, *, request: bool = True) -> httpx.Response:
    """Raise if ``response`` breaks the strict view, or (unless ``request=False``) its request
    breaks the spec.

    ``request=False`` is for deliberately invalid or unauthenticated requests, whose answer must
    still match the spec.
    """
    openapi_request = _Request(response.request)
    if request:
        spec().validate_request(openapi_request)
    strict_spec().validate_response(openapi_request, _Response(response))
    return response


def check_lenient(response: httpx.Response) -> None:
    """Raise if ``response`` breaks openapi.yaml itself: what the client accepts."""
    spec().validate_response(_Request(response.request), _Response(response))
