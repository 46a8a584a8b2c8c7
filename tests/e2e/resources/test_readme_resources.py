"""The README's section on the resources runs as written, against the reference server.

Its Python blocks run in order in one namespace holding ``client`` (bound to the reference
server), as a reader would type them after the README's first example.
"""

from __future__ import annotations

import re
from pathlib import Path

from predictkit import Client

README = Path(__file__).parents[3] / "README.md"
SECTION = "## Models, versions, users and the rest of the API"
BLOCK = re.compile(r"^```python\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def section_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.index("\n## ", start + len(SECTION))
    return BLOCK.findall(text[start:end])


def test_the_resources_section_runs(predictkit_client: Client) -> None:
    blocks = section_blocks()
    assert len(blocks) >= 6
    namespace: dict[str, object] = {"client": predictkit_client}
    for code in blocks:
        exec(compile(code, str(README), "exec"), namespace)  # noqa: S102 - our own README
    assert namespace["people"] == ["demo", "acme", "lena"]
    assert namespace["numbers"] == [3, 2, 1]  # newest first
    assert namespace["users_named_len"] == ["lena"]
    assert predictkit_client.variables.list().items == []
    assert "my-model" not in {m.name for m in predictkit_client.authenticated_user.list_models()}
