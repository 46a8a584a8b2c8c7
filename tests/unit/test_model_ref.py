"""ModelRef: strict parsing of ``owner/name[:version]`` with messages that say what is wrong."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from predictkit import ModelRef

FORMS = "expected 'owner/name' or 'owner/name:version'"


@pytest.mark.parametrize(
    ("text", "owner", "name", "version"),
    [
        ("deepseek-ai/deepseek-r1", "deepseek-ai", "deepseek-r1", None),
        ("deepseek-ai/deepseek-r1:1", "deepseek-ai", "deepseek-r1", 1),
        ("acme/echo:3", "acme", "echo", 3),
        ("a/b", "a", "b", None),
        ("A1/b_2.c-d", "A1", "b_2.c-d", None),
        ("0wner/9name:12345", "0wner", "9name", 12345),
        ("o" * 64 + "/" + "n" * 100 + ":7", "o" * 64, "n" * 100, 7),
    ],
)
def test_parse_valid_forms_round_trip(
    text: str, owner: str, name: str, version: int | None
) -> None:
    ref = ModelRef.parse(text)
    assert (ref.owner, ref.name, ref.version) == (owner, name, version)
    assert str(ref) == text
    assert ModelRef.parse(str(ref)) == ref


def test_equality_and_hash() -> None:
    a = ModelRef.parse("acme/echo:3")
    b = ModelRef("acme", "echo", 3)
    assert a == b
    assert hash(a) == hash(b)
    assert a != ModelRef.parse("acme/echo")
    assert a != ModelRef.parse("acme/echo:4")
    assert a != ModelRef.parse("Acme/echo:3")
    assert len({a, b, ModelRef.parse("acme/echo")}) == 2


def test_repr_shows_the_reference() -> None:
    assert repr(ModelRef.parse("acme/echo:3")) == "ModelRef('acme/echo:3')"
    assert repr(ModelRef.parse("acme/echo")) == "ModelRef('acme/echo')"


def test_is_immutable() -> None:
    ref = ModelRef.parse("acme/echo")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ref.owner = "evil"  # type: ignore[misc]


def test_parse_returns_an_existing_ref_unchanged() -> None:
    ref = ModelRef("acme", "echo", 2)
    assert ModelRef.parse(ref) is ref


@pytest.mark.parametrize("value", [None, 3, 3.0, b"acme/echo", ["acme", "echo"], {"a": "b"}])
def test_non_string_raises_type_error(value: Any) -> None:
    with pytest.raises(TypeError, match="A model reference is a string") as info:
        ModelRef.parse(value)
    assert FORMS in str(info.value)
    assert type(value).__name__ in str(info.value)


# (reference, the bad part the message must name)
PART_REJECTIONS = [
    ("/echo", "the owner ''"),
    ("acme/", "the name ''"),
    ("/", "the owner ''"),
    (" acme/echo", "the owner ' acme'"),
    ("acme/echo ", "the name 'echo '"),
    ("ac me/echo", "the owner 'ac me'"),
    ("acme/ec\tho", "the name 'ec\\tho'"),
    ("acme/echo\n", "the name 'echo\\n'"),
    ("ac\x00me/echo", "the owner 'ac\\x00me'"),
    ("acme/ec\x7fho", "the name 'ec\\x7fho'"),
    ("acme/a..b", "the name 'a..b'"),
    ("a..b/echo", "the owner 'a..b'"),
    ("acme/echo.", "the name 'echo.'"),
    ("acme./echo", "the owner 'acme.'"),
    ("acme/..", "the name '..'"),
    ("acme/.hidden", "the name '.hidden'"),
    ("acme/-dash", "the name '-dash'"),
    ("acme/ec%2Fho", "the name 'ec%2Fho'"),
    ("acme/%2e%2e", "the name '%2e%2e'"),
    ("acmé/echo", "the owner 'acmé'"),
    ("acme/\u0435cho", "the name '\u0435cho'"),  # a Cyrillic small ie
    ("acme/echo\u200b", "the name 'echo\\u200b'"),
    ("o" * 65 + "/echo", "is longer than 64 characters"),
    ("acme/" + "n" * 101, "is longer than 100 characters"),
]


@pytest.mark.parametrize(("text", "names"), PART_REJECTIONS)
def test_bad_owner_or_name_is_rejected_with_a_clear_message(text: str, names: str) -> None:
    with pytest.raises(ValueError, match="Invalid model reference") as info:
        ModelRef.parse(text)
    message = str(info.value)
    assert names in message
    assert FORMS in message


@pytest.mark.parametrize(
    "text", ["acme", "acme/echo/extra", "acme/echo/", "a/b/c:1", "acme:1/echo", "", "acme\\echo"]
)
def test_slash_count_is_checked(text: str) -> None:
    with pytest.raises(ValueError, match="exactly one '/'") as info:
        ModelRef.parse(text)
    assert FORMS in str(info.value)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize(
    "version",
    ["0", "-1", "03", "+3", "x", "", " 3", "3 ", "1.0", "1e3", "1_0", "3:4", "\u0663", "\uff13"],
)
def test_bad_version_is_rejected_with_a_clear_message(version: str) -> None:
    with pytest.raises(ValueError, match="Invalid model reference") as info:
        ModelRef.parse(f"acme/echo:{version}")
    message = str(info.value)
    assert f"the version {version!r}" in message
    assert FORMS in message


def test_absurdly_long_version_gets_the_same_clear_message() -> None:
    with pytest.raises(ValueError, match="Invalid model reference") as info:
        ModelRef.parse("acme/echo:" + "1" * 5000)
    assert FORMS in str(info.value)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("", "echo"), "the owner ''"),
        (("acme", ""), "the name ''"),
        (("acme/x", "echo"), "the owner 'acme/x'"),
        (("acme", "echo:1"), "the name 'echo:1'"),
        (("acme", "a..b"), "the name 'a..b'"),
        (("acme", "echo", 0), "version must be an integer >= 1"),
        (("acme", "echo", -1), "version must be an integer >= 1"),
        (("acme", "echo", True), "version must be an integer >= 1"),
        (("acme", "echo", 1.5), "version must be an integer >= 1"),
        (("acme", "echo", "3"), "version must be an integer >= 1"),
    ],
)
def test_direct_construction_validates_too(args: tuple[Any, ...], fragment: str) -> None:
    with pytest.raises(ValueError, match="Invalid model reference") as info:
        ModelRef(*args)
    assert fragment in str(info.value)


def test_direct_construction_accepts_valid_parts() -> None:
    ref = ModelRef("acme", "echo", 1)
    assert str(ref) == "acme/echo:1"
    assert ModelRef("acme", "echo").version is None
