"""The generated resources' Transport (predictkit.resources._binding): model references and
paging arguments are checked the same way for every operation, before anything is sent."""

from __future__ import annotations

import re

import pytest
from predictkit import ModelRef
from predictkit.resources._binding import model_ref, page_args
from predictkit_api.api import Paging


def test_model_references_are_parsed_by_modelref() -> None:
    assert model_ref("demo/echo", version=False) == ModelRef("demo", "echo")
    assert model_ref(ModelRef("demo", "echo", 2), version=True) == ModelRef("demo", "echo", 2)
    assert model_ref("demo/echo:3", version=True).version == 3


@pytest.mark.parametrize(
    ("ref", "version", "problem"),
    [
        ("demo/echo", True, "needs a version: 'demo/echo:1'"),
        ("demo/echo:2", False, "needs a model: 'demo/echo'"),
        ("demo", False, "exactly one '/'"),
        ("demo/ech o", False, "may only use"),
        ("demo/echo:0", True, "positive whole number"),
    ],
)
def test_bad_references_raise_value_error(ref: str, version: bool, problem: str) -> None:
    with pytest.raises(ValueError, match=re.escape(problem)):
        model_ref(ref, version=version)


def test_a_reference_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="owner/name"):
        model_ref(42, version=False)  # type: ignore[arg-type]


def test_paging_arguments() -> None:
    assert page_args(Paging()) == (None, None)
    assert page_args(Paging(cursor="c", page_size=50)) == ("c", 50)
    assert page_args(Paging(limit=3)) == (None, 5)  # fetch no more than needed (API minimum 5)
    assert page_args(Paging(limit=12)) == (None, 12)
    assert page_args(Paging(limit=100)) == (None, None)
    for bad in (Paging(page_size=4), Paging(page_size=51), Paging(limit=-1), Paging(cursor=3)):  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"page_size|limit|cursor"):
            page_args(bad)
