"""Every code block in README.md runs (issue 8, item 10), against the reference server.

The Python blocks run in order in one namespace, as a reader would type them, after setting
WRIFTAI_ACCESS_TOKEN and WRIFTAI_API_BASE_URL to the reference server. Fragments use names the
README leaves to the reader (``params``, ``prediction_id``, ``saved_cursor``, a webhook
request); FIXTURES provides them, from real calls. Model names the reference server does not
seed are mapped to its demo model (SUBSTITUTIONS), and the README's example webhook URL to a
local receiver, so nothing leaves the machine. The block with pytest tests runs under pytest in
a subprocess; the curl block runs in bash against the server started the way the README says.
The only blocks not run are those in NOT_RUN, each with its reason; a new block fails this test
until it is run or listed there.
"""

from __future__ import annotations

import ast
import asyncio
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import predictkit
import pytest
from predictkit import Client
from predictkit.testing import ReferenceServer, WebhookReceiver

README = Path(__file__).parents[2] / "README.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)

NOT_RUN = {
    "python -m nox -s demo": "installs nox from PyPI and runs every CI check (CI runs it as is)",
    'pip install "predictkit[testing]"': "installs from PyPI",
    "python -m nox -s check_generated": "the development commands; each is a CI session",
    'predictkit run demo/echo -i prompt="a lake at dawn"': (
        "the CLI tour: run by tests/cli/test_readme_cli.py against predictkit serve"
    ),
}
SUBSTITUTIONS = {
    '"deepseek-ai/deepseek-r1:1"': '"demo/echo:1"',
    '"owner/model"': '"demo/echo"',
    '"owner/name"': '"demo/echo"',
}
WEBHOOK_URL = "https://example.com/hook"


def readme_blocks() -> list[tuple[int, str, str]]:
    """(line, language, code) of every fenced block."""
    text = README.read_text()
    return [(text.count("\n", 0, m.start()) + 1, m[1], m[2]) for m in BLOCK.finditer(text)]


def kind(lang: str, code: str) -> str:
    if any(marker in code for marker in NOT_RUN):
        return "not run"
    if lang == "python":
        return "pytest" if re.search(r"^def test_|^async def test_", code, re.M) else "python"
    if lang == "sh" and code.lstrip().startswith("curl"):
        return "curl"
    return "unknown"


def test_every_block_is_run_or_listed_with_a_reason() -> None:
    blocks = readme_blocks()
    assert len(blocks) >= 14
    unknown = [(line, lang) for line, lang, code in blocks if kind(lang, code) == "unknown"]
    assert unknown == []
    listed = [marker for marker in NOT_RUN if not any(marker in c for _, _, c in blocks)]
    assert listed == []  # no stale entries
    assert sum(kind(lang, code) == "not run" for _, lang, code in blocks) == len(NOT_RUN)


def test_the_exception_table_lists_every_public_exception() -> None:
    text = README.read_text()
    table = text[text.index("| Error | When |") : text.index("API errors carry")]
    named = set(re.findall(r"`(\w+(?:Error|Warning))`", table))
    exported = {
        name
        for name in predictkit.__all__
        if isinstance(obj := getattr(predictkit, name), type) and issubclass(obj, BaseException)
    }
    assert exported - {"PredictKitError", "APIError", "APIStatusError"} <= named
    assert named <= exported | {"ValueError", "TypeError"}


@pytest.fixture
def namespace(
    predictkit_server: ReferenceServer,
    predictkit_client: Client,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Iterator[dict[str, Any]]:
    """What the README's fragments take for granted, made with real calls."""
    monkeypatch.setenv("WRIFTAI_ACCESS_TOKEN", predictkit_server.token)
    monkeypatch.setenv("WRIFTAI_API_BASE_URL", predictkit_server.url)
    monkeypatch.chdir(tmp_path)
    predictions = predictkit_client.predictions
    streamed = predictions.create(
        {"input": {"prompt": "hi", "stream": ["a", "b"]}, "stream": True},
        model="demo/echo",
        wait=True,
    )
    for n in range(6):
        predictions.create({"input": {"n": n}}, model="demo/echo")
    with WebhookReceiver() as receiver:
        yield {
            "__name__": "readme",
            "params": {"input": {"prompt": "hi"}},
            "prediction_id": streamed.id,
            "saved_cursor": predictions.list({"page_size": 5}).next_cursor,
            "receiver": receiver,
            "file_prediction": predictions.create(
                {"input": {"output_file": "a lake at dawn"}}, model="demo/echo", wait=True
            ),
        }


def prepare(code: str, ns: dict[str, Any]) -> str:
    """The block as run: model names mapped, and what a block needs that the README leaves to
    its reader (a prediction whose output is a file; a webhook delivery)."""
    for old, new in SUBSTITUTIONS.items():
        code = code.replace(old, new)
    code = code.replace(WEBHOOK_URL, ns["receiver"].url)
    if "download_output(p.output" in code:
        ns["p"] = ns["file_prediction"]
    if "verify_webhook(raw_request_body" in code:
        headers, body = ns["receiver"].wait_for(1, timeout=30)[0]
        ns.update(raw_request_body=body, request=SimpleNamespace(headers=headers), secret="…")
    return code


def run_block(code: str, ns: dict[str, Any], line: int | str) -> None:
    """Run a block; top-level ``await``/``async for``/``async with`` run in asyncio.run.

    ``line`` names the block in tracebacks: a README line number, or ``page:line``."""
    where = line if isinstance(line, str) else f"README.md:{line}"
    compiled = compile(code, where, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
    outcome = eval(compiled, ns)  # noqa: S307 - the README's own code
    if asyncio.iscoroutine(outcome):
        asyncio.run(outcome)


def test_every_python_block_runs_in_order(
    namespace: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    ran = []
    for line, lang, code in readme_blocks():
        if kind(lang, code) == "python":
            run_block(prepare(code, namespace), namespace, line)
            ran.append(line)
    assert len(ran) >= 10
    out = capsys.readouterr().out
    assert "succeeded {'prompt': 'a lake at dawn'}" in out  # the opening example's print
    assert "ab" in out  # the streaming example printed the output events
    assert Path("result.png").read_text() == "a lake at dawn"
    assert namespace["body"]["status"]  # verify_webhook returned the parsed delivery
    namespace["client"].close()


def test_the_pytest_block_passes_under_pytest(tmp_path: Path) -> None:
    [(line, code)] = [(n, c) for n, lang, c in readme_blocks() if kind(lang, c) == "pytest"]
    (tmp_path / "test_readme_example.py").write_text(code)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"README.md:{line}\n{result.stdout}\n{result.stderr}"
    assert "2 passed" in result.stdout


@pytest.mark.skipif(shutil.which("bash") is None or shutil.which("curl") is None, reason="curl")
def test_the_curl_block_runs_against_the_server_as_the_readme_starts_it() -> None:
    [(line, code)] = [(n, c) for n, lang, c in readme_blocks() if kind(lang, c) == "curl"]
    server = subprocess.Popen(
        [sys.executable, "-m", "predictkit.testing", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        exports = [server.stdout.readline() for _ in range(2)]
        assert [e.split("=")[0] for e in exports] == [
            "export WRIFTAI_API_BASE_URL",
            "export WRIFTAI_ACCESS_TOKEN",
        ]
        script = "".join(exports) + code  # the lines pasted, then the README's command
        env = {k: v for k, v in os.environ.items() if not k.startswith("WRIFTAI_")}
        result = subprocess.run(
            ["bash", "-euc", script],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        server.terminate()
        server.communicate(timeout=15)
    assert result.returncode == 0, f"README.md:{line}\n{result.stderr}"
    assert '"status":"succeeded"' in result.stdout.replace(" ", "")
    assert '"output":{"prompt":"hi"}' in result.stdout.replace(" ", "")
