"""Every code block in docs/ runs (issue 12), like the README's (test_readme.py), and the site
documents the whole public surface.

Guide pages include README.md's sections (tools/docs_hooks.py), whose blocks test_readme.py
runs; this runs the blocks written in docs/ itself. Each page's Python blocks run in order in
one namespace with WRIFTAI_ACCESS_TOKEN / WRIFTAI_API_BASE_URL set to the reference server and
the names a page leaves to its reader (PAGE_NAMES) made with real calls. `python -m
predictkit.testing` blocks start that server as a shell would and run the rest of the block in
bash against it; The only blocks not run are in
NOT_RUN, each with its reason; a new block fails this test until it is run or listed there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import docs_hooks
import predictkit
import predictkit.testing
import pytest
from predictkit import Client
from predictkit.testing import ReferenceServer

from .test_readme import BLOCK, SUBSTITUTIONS, run_block

ROOT = Path(__file__).parents[2]
DOCS = ROOT / "docs"
SERVE = "python -m predictkit.testing"

NOT_RUN = {
    "python -m nox -s demo": "installs nox from PyPI and runs every CI check (CI runs it as is)",
    "MyClient(base_url=": "shows a reader's own, non-predictkit client; predictkit's is run below",
    # generator.md's worked example adds an operation the API does not have (yet):
    "operationId: get_hardware": "run by tests/generated/test_new_operation.py on a spec copy",
    'client.hardware.get("gpu-a100")': "run by tests/generated/test_new_operation.py, regenerated",
}


def summarise(client: Client, text: str) -> Any:
    """The 'your code' of reference-server.md's example test."""
    return client.predictions.create({"input": {"prompt": text}}, model="demo/echo", wait=True)


def doc_blocks() -> list[tuple[str, int, str, str]]:
    """(page, line, language, code) of every fenced block written in docs/."""
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        text = page.read_text()
        name = str(page.relative_to(ROOT))
        found += [
            (name, text.count("\n", 0, m.start()) + 1, m[1], m[2]) for m in BLOCK.finditer(text)
        ]
    return found


def kind(lang: str, code: str) -> str:
    if any(marker in code for marker in NOT_RUN):
        return "not run"
    if lang == "python":
        return "python"
    if lang == "sh" and code.startswith(SERVE):
        return "shell"
    return "unknown"


def test_every_block_is_run_or_listed_with_a_reason() -> None:
    blocks = doc_blocks()
    assert len(blocks) >= 11
    assert [(p, n) for p, n, lang, code in blocks if kind(lang, code) == "unknown"] == []
    stale = [marker for marker in NOT_RUN if not any(marker in b[3] for b in blocks)]
    assert stale == []


def test_every_included_readme_section_exists() -> None:
    """The build fails on a missing section too; this says which page, without building."""
    directives = [
        (page.name, m[1])
        for page in DOCS.rglob("*.md")
        for m in docs_hooks.DIRECTIVE.finditer(page.read_text())
    ]
    assert len(directives) >= 12
    for page, title in directives:
        section = docs_hooks.readme_section(title)
        assert section.strip(), (page, title)
        assert "](docs/" not in section
    with pytest.raises(ValueError, match="no section '## Nope'"):
        docs_hooks.readme_section("Nope")


README_ONLY = {"Development": "how to work on predictkit itself: the site has its own pages"}


def test_every_readme_section_is_on_a_page() -> None:
    """The site is the README's guide split into pages: a new README section must be included
    by a page (`<!-- readme: TITLE -->` in docs/*.md, listed in mkdocs.yml's nav) or listed in
    README_ONLY. (The README "Command line" section belongs in docs/cli.md.)"""
    sections = re.findall(r"^## (.+)$", (ROOT / "README.md").read_text(), re.MULTILINE)
    included = {
        m[1] for page in DOCS.rglob("*.md") for m in docs_hooks.DIRECTIVE.finditer(page.read_text())
    }
    assert [s for s in sections if s not in included and s not in README_ONLY] == []
    assert set(README_ONLY) <= set(sections)


def test_the_hook_raises_headings_and_rewrites_links() -> None:
    readme = "# t\n## A\ntext [g](docs/generator.md)\n### Sub\nmore\n## B\nnot this\n"
    assert docs_hooks.readme_section("A", readme) == "text [g](generator.md)\n## Sub\nmore\n"


def test_the_api_reference_covers_the_public_surface() -> None:
    documented = {
        m[1]
        for page in (DOCS / "reference").glob("*.md")
        for m in re.finditer(r"^::: ([\w.]+)$", page.read_text(), re.MULTILINE)
    }
    assert "predictkit.webhooks" in documented  # the module page: verify_webhook, sign_webhook

    def covered(module: Any, name: str) -> bool:
        obj = getattr(module, name)
        return f"{module.__name__}.{name}" in documented or (
            callable(obj) and getattr(obj, "__module__", "") in documented
        )

    missing = [n for n in predictkit.__all__ if not covered(predictkit, n)]
    assert missing == ["__version__"]
    assert [n for n in predictkit.testing.__all__ if not covered(predictkit.testing, n)] == []


@pytest.fixture
def reader(
    predictkit_server: ReferenceServer,
    predictkit_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> dict[str, Any]:
    """What the pages' fragments take for granted: a client and a server, as a reader has."""
    monkeypatch.setenv("WRIFTAI_ACCESS_TOKEN", predictkit_server.token)
    monkeypatch.setenv("WRIFTAI_API_BASE_URL", predictkit_server.url)
    monkeypatch.chdir(tmp_path)
    return {
        "client": predictkit_client,
        "server": predictkit_server,
        "predictkit_client": predictkit_client,
        "summarise": summarise,
    }


def test_every_python_block_runs(
    reader: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """Each page's blocks in order in one namespace; a block's `test_*` functions are called
    with the fixtures they name, as pytest would."""
    namespaces: dict[str, dict[str, Any]] = {}
    for page, line, lang, block in doc_blocks():
        if kind(lang, block) != "python":
            continue
        namespace = namespaces.setdefault(page, {"__name__": "docs", **reader})
        code = block
        for old, new in SUBSTITUTIONS.items():
            code = code.replace(old, new)
        run_block(code, namespace, f"{page}:{line}")
        for name in [n for n in namespace if n.startswith("test_")]:
            test = namespace.pop(name)
            params = test.__code__.co_varnames[: test.__code__.co_argcount]
            test(**{param: reader[param] for param in params})
    assert set(namespaces) >= {"docs/index.md", "docs/reference-server.md"}
    out = capsys.readouterr().out
    assert "succeeded {'prompt': 'hi'}" in out  # index.md's offline quick start
    assert "succeeded {'prompt': 'a lake at dawn'}" in out  # index.md's quick start
    assert len(namespaces["docs/reference-server.md"]["deliveries"]) >= 4


def test_the_shell_blocks_run_against_the_server_they_start() -> None:
    blocks = [(p, n, c) for p, n, lang, c in doc_blocks() if kind(lang, c) == "shell"]
    assert len(blocks) >= 1
    for page, line, code in blocks:
        first, *rest = code.splitlines()
        server = subprocess.Popen(
            [sys.executable, "-m", "predictkit.testing", *first.split("#")[0].split()[3:]],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            assert server.stdout is not None
            exports = [server.stdout.readline() for _ in range(2)]
            assert [e.split("=")[0] for e in exports] == [
                "export WRIFTAI_API_BASE_URL",
                "export WRIFTAI_ACCESS_TOKEN",
            ], f"{page}:{line}"
            script = "".join(exports) + "\n".join(rest).replace("python ", f"{sys.executable} ")
            env = {k: v for k, v in os.environ.items() if not k.startswith("WRIFTAI_")}
            result = subprocess.run(
                ["bash", "-euc", script],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env=env,
                timeout=120,
                check=False,
            )
        finally:
            server.terminate()
            server.communicate(timeout=15)
        assert result.returncode == 0, f"{page}:{line}\n{result.stderr}"
        if rest:
            assert " succeeded " in result.stdout, f"{page}:{line}\n{result.stdout}"
