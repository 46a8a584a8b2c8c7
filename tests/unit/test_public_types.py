"""User code reads models with plain `is not None` checks, and mypy --strict agrees.

The functions below are written the way an application would: they import only `predictkit`
(never the generator's `Unset`) and narrow optional fields with `is not None`. `nox -s
typecheck` runs mypy --strict over this file, so `assert_type` pins each attribute's static
type; the tests run the same functions on real bodies so the runtime agrees with the types.
Before the model template override, `p.url` was `str | Unset` and these lines failed mypy.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any, assert_type

from predictkit import Prediction, PredictionWithIO, TaskError
from predictkit_api.models import ModelWithDetails, UserWithDetails

DATA = Path(__file__).parents[1] / "generated" / "data"


def load(name: str) -> dict[str, Any]:
    body = json.loads((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(body, dict)
    return body


# ---- user-style code ---------------------------------------------------------------------


def failure_reason(p: PredictionWithIO) -> str | None:
    if p.error is not None:
        assert_type(p.error, TaskError)
        return f"{p.error.source}: {p.error.message}"
    return None


def legacy_url(p: Prediction) -> str:
    if p.url is not None:
        assert_type(p.url, str)
        return p.url.lower()
    return "(none)"


def can_stream(p: PredictionWithIO) -> bool:
    assert_type(p.stream, bool | None)
    return p.stream is True


def log_lines(p: PredictionWithIO) -> int:
    return len(p.logs) if p.logs is not None else 0


def profile_line(user: UserWithDetails) -> str:
    assert_type(user.updated_at, datetime.datetime | None)
    bio = user.bio if user.bio is not None else ""
    seen = user.updated_at.year if user.updated_at is not None else "never"
    return f"{user.name} ({bio}) updated {seen}"


def hardware_name(model: ModelWithDetails) -> str | None:
    return model.hardware.name if model.hardware is not None else None


# ---- the same code on bodies the API sends -----------------------------------------------


def test_error_narrows_with_is_not_none() -> None:
    body = load("get_prediction.response.json")
    p = PredictionWithIO.from_dict(body)
    assert failure_reason(p) == "internal: string"
    body["error"] = None
    assert failure_reason(PredictionWithIO.from_dict(body)) is None


def test_absent_fields_read_none_in_user_code() -> None:
    body = load("get_prediction.response.json")
    p = PredictionWithIO.from_dict(body)
    assert can_stream(p) is False  # `stream` absent: None, not a sentinel
    assert log_lines(p) == 0

    item = load("list_predictions.response.json")["items"][0]
    assert legacy_url(Prediction.from_dict(item)) == "string"
    del item["url"]
    assert legacy_url(Prediction.from_dict(item)) == "(none)"


def test_nested_and_nullable_fields_in_user_code() -> None:
    user = UserWithDetails.from_dict(load("update_user.response.json"))
    assert profile_line(user) == "string (string) updated 2019"
    sparse = {"name": "ada", "avatar_url": "https://a/ada.png", "created_at": "2025-03-18T10:00Z"}
    assert profile_line(UserWithDetails.from_dict(sparse)) == "ada () updated never"

    model = ModelWithDetails.from_dict(load("create_model.response.json"))
    assert hardware_name(model) == "string"
    body = load("create_model.response.json")
    del body["hardware"]
    assert hardware_name(ModelWithDetails.from_dict(body)) is None
