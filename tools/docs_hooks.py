"""MkDocs hook: guide pages take their text from README.md, so the guide has one source.

A page line `<!-- readme: Waiting -->` is replaced by the README's `## Waiting` section (up to
the next `## ` heading), its heading raised to the page's title level, its links to
`docs/X.md` made relative to the site, and links to other repository files turned into their
path. A section that does not exist fails the build, so a renamed README heading cannot leave
an empty page. Loaded by mkdocs.yml (`hooks:`); the README's
code blocks run in tests/e2e/test_readme.py, the pages' own in tests/e2e/test_docs.py.
"""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).parents[1] / "README.md"
DIRECTIVE = re.compile(r"^<!-- readme: (.+?) -->$", re.MULTILINE)
HEADING = re.compile(r"^(#{2,}) ", re.MULTILINE)
REPO_LINK = re.compile(r"\[([^\]]+)\]\((?!https?:|#|[\w-]+\.md)([\w./-]+)\)")


def readme_section(title: str, readme: str | None = None) -> str:
    """The body of README.md's `## title` section, headings raised one level, links rewritten."""
    text = README.read_text() if readme is None else readme
    start = re.search(rf"^## {re.escape(title)}\n", text, re.MULTILINE)
    if start is None:
        raise ValueError(f"README.md has no section '## {title}' (a docs page includes it)")
    end = re.search(r"^## ", text[start.end() :], re.MULTILINE)
    body = text[start.end() : start.end() + end.start() if end else len(text)]
    body = HEADING.sub(lambda m: m[1][1:] + " ", body)
    body = re.sub(r"\]\(docs/([\w-]+\.md)", r"](\1", body)
    # Links to other files of the repository (benchmark results, say) are not on the site:
    # they become the path as text.
    return REPO_LINK.sub(r"\1 (`\2` in the repository)", body).strip() + "\n"


def on_page_markdown(markdown: str, **_: object) -> str:
    """Expand each `<!-- readme: TITLE -->` line of a page (MkDocs calls this for every page)."""
    return DIRECTIVE.sub(lambda m: readme_section(m[1]), markdown)
