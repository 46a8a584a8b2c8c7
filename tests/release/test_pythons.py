"""The Pythons we claim are exactly the ones nox tests (issue 13)."""

from __future__ import annotations

import re

from ._project import noxfile_constant, pyproject, readme_section


def by_version(versions: set[str] | list[str]) -> list[str]:
    return sorted(versions, key=lambda v: tuple(map(int, v.split("."))))


def test_noxfile_tests_every_claimed_python_oldest_first() -> None:
    pythons = noxfile_constant("PYTHONS")
    assert pythons == by_version(pythons)


def test_classifiers_list_exactly_the_tested_pythons() -> None:
    classifiers = pyproject()["project"]["classifiers"]
    claimed = [
        c.removeprefix("Programming Language :: Python :: ")
        for c in classifiers
        if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ]
    assert claimed == noxfile_constant("PYTHONS")


def test_requires_python_is_the_oldest_tested() -> None:
    oldest = noxfile_constant("PYTHONS")[0]
    assert pyproject()["project"]["requires-python"] == f">={oldest}"


def test_readme_names_exactly_the_tested_pythons() -> None:
    install = readme_section("Install")
    named = by_version(set(re.findall(r"\b3\.\d+\b", install)))
    assert named == noxfile_constant("PYTHONS"), install
