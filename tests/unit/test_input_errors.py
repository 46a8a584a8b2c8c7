"""What a rejected model reference or webhook delivery tells the user: the whole input and the
bad part, bounded; and the webhook header parts a sender may add that must not break a check."""

from __future__ import annotations

import pytest
from predictkit import ModelRef, WebhookVerificationError, verify_webhook
from predictkit.webhooks import sign_webhook

SECRET = "whsec_test-secret"
NOW = 1_700_000_000
BODY = b'{"id": "p1"}'


@pytest.mark.parametrize(
    ("owner", "name", "whole", "part"),
    [
        ("ac me", "echo", "'ac me/echo'", "the owner 'ac me'"),
        ("acme", "ec ho", "'acme/ec ho'", "the name 'ec ho'"),
    ],
)
def test_a_direct_construction_error_names_the_whole_reference_and_the_bad_part(
    owner: str, name: str, whole: str, part: str
) -> None:
    with pytest.raises(ValueError, match="Invalid model reference") as info:
        ModelRef(owner, name)
    assert whole in str(info.value)
    assert part in str(info.value)


@pytest.mark.parametrize(("owner", "name", "kind"), [(3, "echo", "owner"), ("acme", 4.5, "name")])
def test_a_part_of_the_wrong_type_is_named_with_its_type(
    owner: object, name: object, kind: str
) -> None:
    with pytest.raises(TypeError) as info:
        ModelRef(owner, name)  # type: ignore[arg-type]
    assert f"model {kind}" in str(info.value)
    assert type(owner if kind == "owner" else name).__name__ in str(info.value)


def test_a_long_bad_version_is_named_by_its_first_20_characters() -> None:
    with pytest.raises(ValueError, match="Invalid model reference") as info:
        ModelRef.parse("acme/echo:x" + "9" * 100)
    # The bad part is quoted by its first 20 characters (the whole reference is quoted too).
    assert f"the version {'x' + '9' * 19!r} is" in str(info.value)


def test_header_parts_without_a_value_are_skipped() -> None:
    header = "junk," + sign_webhook(BODY, SECRET, timestamp=NOW) + ",also-junk"
    assert verify_webhook(BODY, header, SECRET, now=NOW) == {"id": "p1"}


@pytest.mark.parametrize("age", [400, -400])
def test_a_stale_delivery_says_how_far_off_its_timestamp_is(age: int) -> None:
    header = sign_webhook(BODY, SECRET, timestamp=NOW - age)
    with pytest.raises(WebhookVerificationError, match="tolerance") as info:
        verify_webhook(BODY, header, SECRET, now=NOW)
    assert f"{age:+d}s from now" in str(info.value)
