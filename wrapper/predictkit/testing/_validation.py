"""Request checks that answer like the API: FastAPI-style 422 detail lists.

Each check returns a list of ``{"loc", "msg", "type"}`` problems (empty when fine) or raises
``ValidationFailed``. Types are checked strictly, as JSON types (``true`` is not an integer, ``"5"``
is not a number in a body), so requests that break the OpenAPI description are always rejected.
Input schemas of model versions are checked with a small JSON Schema subset: ``type``,
``required``, ``properties``, ``items``, ``enum``, ``minimum``, ``maximum``, ``minLength``,
``maxLength`` and ``pattern``; other keywords are accepted without checking.
"""

from __future__ import annotations

import json
import math
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Loc = tuple[str | int, ...]
Problem = dict[str, Any]


class ValidationFailed(Exception):
    """Raised by a route to answer 422 with ``problems`` as the detail list."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems)
        self.problems = problems


def problem(loc: Loc, msg: str, type_: str) -> Problem:
    return {"loc": list(loc), "msg": msg, "type": type_}


_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "string": ("Input should be a valid string", "string_type"),
    "integer": ("Input should be a valid integer", "int_type"),
    "number": ("Input should be a valid number", "float_type"),
    "boolean": ("Input should be a valid boolean", "bool_type"),
    "object": ("Input should be a valid dictionary", "dict_type"),
    "array": ("Input should be a valid list", "list_type"),
    "null": ("Input should be None", "none_required"),
}


_IS_TYPE: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    # JSON Schema: 5.0 is an integer too; true is not.
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def _is_type(value: Any, type_: str) -> bool:
    check = _IS_TYPE.get(type_)
    return check is None or check(value)


def _string_problems(schema: Mapping[str, Any], value: str, loc: Loc) -> list[Problem]:
    problems = []
    if len(value) < schema.get("minLength", 0):
        msg = f"String should have at least {schema['minLength']} characters"
        problems.append(problem(loc, msg, "string_too_short"))
    if "maxLength" in schema and len(value) > schema["maxLength"]:
        msg = f"String should have at most {schema['maxLength']} characters"
        problems.append(problem(loc, msg, "string_too_long"))
    if "pattern" in schema and re.search(schema["pattern"], value) is None:
        msg = f"String should match pattern '{schema['pattern']}'"
        problems.append(problem(loc, msg, "string_pattern_mismatch"))
    return problems


def _number_problems(schema: Mapping[str, Any], value: float, loc: Loc) -> list[Problem]:
    problems = []
    if "minimum" in schema and value < schema["minimum"]:
        msg = f"Input should be greater than or equal to {schema['minimum']}"
        problems.append(problem(loc, msg, "greater_than_equal"))
    if "maximum" in schema and value > schema["maximum"]:
        msg = f"Input should be less than or equal to {schema['maximum']}"
        problems.append(problem(loc, msg, "less_than_equal"))
    return problems


def _container_problems(schema: Mapping[str, Any], value: Any, loc: Loc) -> list[Problem]:
    problems: list[Problem] = []
    if isinstance(value, dict):
        problems.extend(
            problem((*loc, name), "Field required", "missing")
            for name in schema.get("required", [])
            if name not in value
        )
        for name, sub in schema.get("properties", {}).items():
            if name in value and isinstance(sub, Mapping):
                problems.extend(check_schema(sub, value[name], (*loc, name)))
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for i, item in enumerate(value):
            problems.extend(check_schema(schema["items"], item, (*loc, i)))
    return problems


def check_schema(schema: Mapping[str, Any], value: Any, loc: Loc) -> list[Problem]:
    """Problems of ``value`` against a JSON Schema (the subset named in the module docstring)."""
    types = schema.get("type")
    if types is not None:
        allowed = [types] if isinstance(types, str) else list(types)
        if not any(_is_type(value, t) for t in allowed):
            msg, kind = _TYPE_NAMES.get(allowed[0], ("Input has the wrong type", "type_error"))
            return [problem(loc, msg, kind)]
    problems: list[Problem] = []
    if "enum" in schema and value not in schema["enum"]:
        options = " or ".join(repr(o) for o in schema["enum"])
        problems.append(problem(loc, f"Input should be {options}", "enum"))
    if isinstance(value, str):
        problems.extend(_string_problems(schema, value, loc))
    if isinstance(value, int | float) and not isinstance(value, bool):
        problems.extend(_number_problems(schema, value, loc))
    problems.extend(_container_problems(schema, value, loc))
    return problems


MAX_DEPTH = 64  # nesting levels of arrays and objects a request body may have


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 overflows to inf
        raise ValueError(f"number out of range: {text}")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _sendable(value: Any) -> bool:
    """Whether every string encodes as UTF-8 and nesting stays within ``MAX_DEPTH`` levels.

    Iterative, so no input can exhaust the stack; a value that passes can be stored and sent back.
    """
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode()
                except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
                    return False
            continue
        if isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                return False
            members = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((member, depth + 1) for member in members)
    return True


def parse_json_body(body: bytes) -> Any:
    """The decoded JSON body, or 422 as FastAPI answers a body that is not JSON.

    Strict JSON only: ``NaN``, ``Infinity`` and numbers that overflow a float are not JSON, and a
    body nested deeper than ``MAX_DEPTH`` or with a string that is not valid Unicode is refused
    too, so everything stored can be sent back.
    """
    try:
        value = json.loads(body, parse_float=_finite, parse_constant=_no_constant)
    except (ValueError, RecursionError) as exc:
        pos = exc.pos if isinstance(exc, json.JSONDecodeError) else 0
        raise ValidationFailed(
            [problem(("body", pos), "JSON decode error", "json_invalid")]
        ) from None
    if not _sendable(value):
        msg = f"JSON decode error: nested deeper than {MAX_DEPTH} levels or not valid Unicode"
        raise ValidationFailed([problem(("body",), msg, "json_invalid")])
    return value


def check_body(schema: Mapping[str, Any], body: bytes) -> dict[str, Any]:
    """The JSON object body, checked against ``schema``; 422 on any problem."""
    if not body:
        raise ValidationFailed([problem(("body",), "Field required", "missing")])
    value = parse_json_body(body)
    if not isinstance(value, dict):
        msg = "Input should be a valid dictionary or object to extract fields from"
        raise ValidationFailed([problem(("body",), msg, "model_attributes_type")])
    problems = check_schema(schema, value, ("body",))
    if problems:
        raise ValidationFailed(problems)
    return value


# ASCII digits only (str.isdigit() and int() also take other scripts' digits), within int64.
_ASCII_INT = re.compile(r"-?[0-9]{1,18}")


def ascii_int(raw: str) -> int | None:
    """``raw`` as an integer when it is one written in ASCII digits, else None."""
    return int(raw) if _ASCII_INT.fullmatch(raw) else None


def _int_param(loc: Loc, raw: str) -> int:
    value = ascii_int(raw)
    if value is None:
        msg = "Input should be a valid integer, unable to parse string as an integer"
        raise ValidationFailed([problem(loc, msg, "int_parsing")])
    return value


def page_size(query: Mapping[str, str]) -> int:
    """``page_size`` from the query: default 25, 5 to 50."""
    raw = query.get("page_size")
    if raw is None:
        return 25
    value = _int_param(("query", "page_size"), raw)
    problems = check_schema({"minimum": 5, "maximum": 50}, value, ("query", "page_size"))
    if problems:
        raise ValidationFailed(problems)
    return value


def enum_param(loc: Loc, raw: str | None, options: Sequence[str]) -> str | None:
    """A query value that must be one of ``options`` (None when absent)."""
    if raw is None:
        return None
    problems = check_schema({"enum": list(options)}, raw, loc)
    if problems:
        raise ValidationFailed(problems)
    return raw


def enum_list(loc: Loc, raws: Sequence[str], options: Sequence[str]) -> list[str]:
    """A repeated query key whose every value must be one of ``options``."""
    problems: list[Problem] = []
    for i, raw in enumerate(raws):
        problems.extend(check_schema({"enum": list(options)}, raw, (*loc, i)))
    if problems:
        raise ValidationFailed(problems)
    return list(raws)


def required_param(loc: Loc, raw: str | None) -> str:
    if raw is None:
        raise ValidationFailed([problem(loc, "Field required", "missing")])
    return raw


def uuid_path(name: str, raw: str) -> str:
    """A path id that must be a UUID, in canonical lower-case form."""
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        msg = "Input should be a valid UUID, unable to parse string as a UUID"
        raise ValidationFailed([problem(("path", name), msg, "uuid_parsing")]) from None


def int_path(name: str, raw: str) -> int:
    return _int_param(("path", name), raw)


def bool_header(name: str, raw: str | None) -> bool:
    """A boolean header such as ``Validate-Input: true``; absent means false."""
    if raw is None:
        return False
    lowered = raw.strip().lower()
    if lowered in {"true", "1", "yes", "on"}:
        return True
    if lowered in {"false", "0", "no", "off"}:
        return False
    msg = "Input should be a valid boolean, unable to interpret input"
    raise ValidationFailed([problem(("header", name), msg, "bool_parsing")])
