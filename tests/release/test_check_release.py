"""tools/check_release.py: a tag is released only when it matches the version and the changelog."""

from __future__ import annotations

import check_release
import predictkit
import pytest

from ._project import ROOT, pyproject

VERSION_PY = '"""The one place the package version is written."""\n\n__version__ = "1.2.0"\n'
HEADER = (
    "# Changelog\n\nFormat: [Keep a Changelog](https://keepachangelog.com/en/1.1.0/).\n\n"
    "## [Unreleased]\n\n"
)
RELEASED = (
    HEADER + "## [1.2.0] - 2026-12-01\n\n### Added\n\n- x\n\n"
    "## [1.1.0] - 2026-11-01\n\n### Fixed\n\n- y\n"
)


def test_a_matching_tag_with_a_dated_section_may_be_released() -> None:
    assert check_release.release_problems("v1.2.0", VERSION_PY, RELEASED) == []


@pytest.mark.parametrize("tag", ["1.2.0", "v1.2.1", "v1.2.0rc1", "release-1.2.0"])
def test_a_tag_other_than_v_plus_the_version_is_refused(tag: str) -> None:
    problems = check_release.release_problems(tag, VERSION_PY, RELEASED)
    assert len(problems) == 1
    assert problems[0].startswith(f"tag {tag!r} does not match the version in _version.py")


def test_a_version_still_unreleased_in_the_changelog_is_refused() -> None:
    changelog = HEADER + "### Added\n\n- x\n\n## [1.1.0] - 2026-11-01\n"
    assert check_release.release_problems("v1.2.0", VERSION_PY, changelog) == [
        "CHANGELOG.md has no '## [1.2.0] - YYYY-MM-DD' section: move the [Unreleased] entries "
        "under it"
    ]


@pytest.mark.parametrize(
    ("changelog", "problem"),
    [
        (RELEASED.replace("# Changelog", "# Changes"), "the first line must be '# Changelog'"),
        (RELEASED.replace("## [Unreleased]\n", ""), "the first section must be '## [Unreleased]'"),
        (RELEASED.replace("[1.2.0] - 2026-12-01", "1.2.0 - 2026-12-01"), "not '## [X.Y.Z] - "),
        (RELEASED.replace("2026-12-01", "1 Dec 2026"), "not an ISO date"),
        (RELEASED.replace("2026-12-01", "2026-13-01"), "not an ISO date"),
        (RELEASED.replace("### Added", "### New"), "unknown change type '### New'"),
        (RELEASED.replace("[1.1.0]", "[1.3.0]"), "versions must be newest first"),
        (RELEASED.replace("[1.1.0]", "[1.2.0]"), "version listed twice: 1.2.0"),
        (RELEASED.replace("keepachangelog.com", "example.com"), "say that the format is Keep"),
    ],
)
def test_a_changelog_off_the_format_is_refused(changelog: str, problem: str) -> None:
    problems, _ = check_release.changelog_problems(changelog)
    assert any(p.startswith(problem) for p in problems), problems


def test_the_projects_changelog_follows_the_format() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert check_release.changelog_problems(text)[0] == []


def test_the_version_has_one_source() -> None:
    """hatchling reads the version from _version.py, which the package imports; pyproject
    writes none of its own."""
    project = pyproject()
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["hatch"]["version"]["path"] == "wrapper/predictkit/_version.py"
    file = check_release.VERSION_FILE.read_text(encoding="utf-8")
    assert predictkit.__version__ == check_release.source_version(file)
