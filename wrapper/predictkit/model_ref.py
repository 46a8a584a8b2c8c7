"""ModelRef: a parsed ``owner/name`` or ``owner/name:version`` model reference.

Strict where the user gives input: a reference that would not name a model is rejected with an
InvalidInputError (a ValueError) naming the bad part, before any request is sent. The API
publishes no grammar for user and model names, so we accept the characters its names use in
practice — ASCII letters, digits, ``-``, ``_`` and ``.`` — starting with a letter or digit,
without ``..`` or a trailing ``.`` (which would change meaning inside a URL path). Versions are
positive integers below a billion without leading zeros, so ``str(ref)`` round-trips.
"""

from __future__ import annotations

import re
from typing import Self

import attrs

from predictkit._errors import InvalidInputError, InvalidInputTypeError

__all__ = ["ModelRef"]

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_VERSION = re.compile(r"[1-9][0-9]{0,8}")
_MAX_VERSION = 999_999_999
_MAX_OWNER = 64
_MAX_NAME = 100
_FORMS = "expected 'owner/name' or 'owner/name:version' (e.g. 'deepseek-ai/deepseek-r1:1')"


def _check_part(kind: str, value: object, limit: int, ref: str) -> None:
    problem = None
    if not isinstance(value, str):
        raise InvalidInputTypeError(
            f"The model {kind} must be a string, not {type(value).__name__}; {_FORMS}."
        )
    if not value:
        problem = "is empty"
    elif len(value) > limit:
        problem = f"is longer than {limit} characters"
    elif not _NAME.fullmatch(value):
        problem = (
            "may only use ASCII letters, digits, '-', '_' and '.', starting with a letter or digit"
        )
    elif ".." in value or value.endswith("."):
        problem = "may not contain '..' or end with '.'"
    if problem:
        raise InvalidInputError(
            f"Invalid model reference {ref!r}: the {kind} {value!r} {problem}; {_FORMS}."
        )


@attrs.frozen(repr=False)
class ModelRef:
    """A model, and optionally one of its versions (None means the latest)."""

    owner: str
    name: str
    version: int | None = None

    def __attrs_post_init__(self) -> None:
        ref = str(self)
        _check_part("owner", self.owner, _MAX_OWNER, ref)
        _check_part("name", self.name, _MAX_NAME, ref)
        if self.version is not None and (
            isinstance(self.version, bool)
            or not isinstance(self.version, int)
            or not 1 <= self.version <= _MAX_VERSION
        ):
            # The same range parse() accepts, so str(ref) always parses back.
            raise InvalidInputError(
                f"Invalid model reference {ref[:80]!r}: the version must be an integer >= 1 "
                f"and below a billion; {_FORMS}."
            )

    @classmethod
    def parse(cls, ref: str | Self) -> Self:
        """Parse ``owner/name`` or ``owner/name:version``; raise InvalidInputError (a ValueError)
        on anything else."""
        if isinstance(ref, cls):
            return ref
        if not isinstance(ref, str):
            raise InvalidInputTypeError(
                f"A model reference is a string, not {type(ref).__name__}; {_FORMS}."
            )
        path, colon, version = ref.partition(":")
        owner, slash, name = path.partition("/")
        if not slash or "/" in name:
            raise InvalidInputError(
                f"Invalid model reference {ref!r}: it needs exactly one '/' between owner and "
                f"name; {_FORMS}."
            )
        if colon and not _VERSION.fullmatch(version):
            raise InvalidInputError(
                f"Invalid model reference {ref!r}: the version {version[:20]!r} is not a "
                f"positive whole number below a billion; {_FORMS}."
            )
        return cls(owner, name, int(version) if colon else None)

    def __str__(self) -> str:
        base = f"{self.owner}/{self.name}"
        return base if self.version is None else f"{base}:{self.version}"

    def __repr__(self) -> str:
        return f"ModelRef({str(self)!r})"
