"""Check that a release tag matches the code: `python tools/check_release.py vX.Y.Z`.

Run by the release workflow (through `nox -s release_check`) before anything is built, so a
release is published only when:

- the tag is `v` + the version in wrapper/predictkit/_version.py (the one place it is written;
  hatchling reads it for the package metadata, the client for its User-Agent), and
- CHANGELOG.md (Keep a Changelog format) has a dated section for that version,
  `## [X.Y.Z] - YYYY-MM-DD`, and its headings follow the format (see changelog_problems).

Exit 1 listing every problem; see docs/releasing.md.
"""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION_FILE = ROOT / "wrapper" / "predictkit" / "_version.py"
CHANGELOG = ROOT / "CHANGELOG.md"

SECTION_KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
"""The `###` headings Keep a Changelog 1.1.0 defines."""
_RELEASE = re.compile(r"^## \[(?P<version>\d+\.\d+\.\d+(?:[-.+][0-9A-Za-z.]+)?)\] - (?P<date>.+)$")


def source_version(text: str) -> str:
    """The version written in _version.py's text."""
    found = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if found is None:
        raise ValueError(f'no __version__ = "..." line in {VERSION_FILE}')
    return found.group(1)


def changelog_problems(text: str) -> tuple[list[str], list[str]]:
    """Check a Keep a Changelog file: `# Changelog` title, an `## [Unreleased]` section first,
    then released versions as `## [X.Y.Z] - YYYY-MM-DD`, newest first, each at most once, and
    `###` headings only of SECTION_KINDS. Returns (problems, released versions newest first)."""
    lines = text.splitlines()
    problems: list[str] = []
    if not lines or lines[0] != "# Changelog":
        problems.append("the first line must be '# Changelog'")
    if "keepachangelog.com" not in text:
        problems.append("say that the format is Keep a Changelog (link keepachangelog.com)")
    versions: list[str] = []
    headings = [line for line in lines if line.startswith("## ")]
    if not headings or headings[0] != "## [Unreleased]":
        problems.append("the first section must be '## [Unreleased]'")
    for heading in headings[1:]:
        release = _RELEASE.match(heading)
        if release is None:
            problems.append(f"not '## [X.Y.Z] - YYYY-MM-DD': {heading!r}")
            continue
        try:
            datetime.date.fromisoformat(release["date"])
        except ValueError:
            problems.append(f"not an ISO date (YYYY-MM-DD): {heading!r}")
        if release["version"] in versions:
            problems.append(f"version listed twice: {release['version']}")
        versions.append(release["version"])
    numeric = [tuple(int(n) for n in re.findall(r"\d+", v)[:3]) for v in versions]
    if numeric != sorted(numeric, reverse=True):
        problems.append(f"versions must be newest first: {versions}")
    problems.extend(
        f"unknown change type {line!r} (one of {sorted(SECTION_KINDS)})"
        for line in lines
        if line.startswith("### ") and line[4:] not in SECTION_KINDS
    )
    return problems, versions


def release_problems(tag: str, version_text: str, changelog_text: str) -> list[str]:
    """Everything that stops ``tag`` from being released (empty when it may be)."""
    version = source_version(version_text)
    problems = []
    if tag != f"v{version}":
        problems.append(
            f"tag {tag!r} does not match the version in _version.py ({version!r}): "
            f"tag v{version}, or change the version first"
        )
    changelog, released = changelog_problems(changelog_text)
    problems += [f"CHANGELOG.md: {p}" for p in changelog]
    if version not in released:
        problems.append(
            f"CHANGELOG.md has no '## [{version}] - YYYY-MM-DD' section: move the [Unreleased] "
            "entries under it"
        )
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    problems = release_problems(
        argv[0], VERSION_FILE.read_text(encoding="utf-8"), CHANGELOG.read_text(encoding="utf-8")
    )
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    print(f"{argv[0]} may be released")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
