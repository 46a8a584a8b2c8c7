"""Regenerate when the API changes: an operation added to openapi.yaml becomes a typed method
on Client, with predictkit's retries, errors and paging, without any handwritten code.

The test adds two operations to a copy of the spec — the worked example of docs/generator.md
(its YAML block, read from the doc) and a cursor-paged list — runs tools/regen.py on the copy,
then, in a fresh interpreter that imports the regenerated package ahead of the committed one,
runs the doc's Python block and calls the new methods against a mock transport that answers
like the API: the request, the typed result, paging, retries and error mapping are checked.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]

GUIDE = REPO / "docs" / "generator.md"


def worked_example() -> tuple[str, str]:
    """The YAML and Python blocks of the guide's worked example."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("## Worked example: adding an operation")
    section = text[start : text.index("\n## ", start + 1)]
    blocks = dict(re.findall(r"^```(yaml|python)\n(.*?)^```", section, re.M | re.S))
    return blocks["yaml"], blocks["python"]


NEW_OPERATIONS = {
    "/hardware/{identifier}/models": {
        "get": {
            "operationId": "list_hardware_models",
            "tags": ["hardware"],
            "summary": "Models that run on one hardware type",
            "parameters": [
                {"name": "identifier", "in": "path", "required": True, "schema": {"type": "string"}},
                {"$ref": "#/components/parameters/Cursor"},
                {"$ref": "#/components/parameters/PageSize"},
            ],
            "responses": {
                "200": {
                    "description": "One page of models.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ModelList"}}
                    },
                }
            },
        }
    },
}

USE_THE_NEW_METHODS = r'''
import asyncio, json, typing
import httpx
import predictkit_api
from predictkit import Client, NotFoundError
from predictkit_api.api import Pages
from predictkit_api.models import Hardware, Model

HARDWARE = {"name": "Tiny", "identifier": "tiny", "gpus": 0, "cpus": 1, "vram_gb": 0,
            "ram_gib": 1, "created_at": "2024-01-15T09:00:00Z", "description": None}
MODEL = json.loads(MODEL_JSON)
seen = []
failures = iter([503])

def answer(request):
    seen.append(request)
    path = request.url.path
    if path == "/v1/hardware/tiny" and next(failures, None):
        return httpx.Response(503, json={"detail": "busy"}, headers={"retry-after": "0"})
    if path in ("/v1/hardware/tiny", "/v1/hardware/gpu-a100"):
        return httpx.Response(200, json={**HARDWARE, "identifier": path.rpartition("/")[2]})
    if path == "/v1/hardware/tiny/models":
        cursor = request.url.params.get("cursor")
        if cursor is None:
            return httpx.Response(200, json={"items": [MODEL], "next_cursor": "c2", "previous_cursor": None})
        return httpx.Response(200, json={"items": [MODEL], "next_cursor": None, "previous_cursor": "c1"})
    return httpx.Response(404, json={"detail": "no such hardware"})

transport = httpx.MockTransport(answer)
client = Client(access_token="t", api_base_url="https://api.test/v1", transport=transport,
                async_transport=transport)
assert predictkit_api.__file__.startswith(REGENERATED), predictkit_api.__file__

hardware = client.hardware.get("tiny")
assert isinstance(hardware, Hardware) and hardware.name == "Tiny", hardware
assert len(seen) == 2, "a 503 is retried"
assert typing.get_type_hints(client.hardware.get)["return"] is Hardware

page = client.hardware.list_models("tiny", page_size=5)
assert typing.get_type_hints(client.hardware.list_models)["return"] == Pages[Model]
names = [m.name for m in page]
assert names == [MODEL["name"]] * 2, names
assert seen[-1].url.params["cursor"] == "c2"

try:
    client.hardware.get("huge")
except NotFoundError as exc:
    assert "no such hardware" in str(exc)
else:
    raise AssertionError("404 not mapped")

async def main():
    assert (await client.hardware.async_get("tiny")).identifier == "tiny"
    return [m.name async for m in client.hardware.async_list_models("tiny")]

assert len(asyncio.run(main())) == 2
raw = client.hardware.with_raw_response.get("tiny")
assert raw.status_code == 200 and raw.parsed.name == "Tiny"
exec(GUIDE_PYTHON)
assert gpu.identifier == "gpu-a100" and raw.parsed.identifier == "gpu-a100"
print("NEW METHODS OK")
'''


def test_an_operation_added_to_the_spec_becomes_a_client_method(tmp_path: Path) -> None:
    root = tmp_path / "checkout"
    root.mkdir()
    for name in ["openapi.yaml", "generator-config.yml", "generator-ruff.toml"]:
        shutil.copy2(REPO / name, root / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ["generator-templates", "tools"]:
        shutil.copytree(REPO / name, root / name, ignore=ignore)
    spec = yaml.safe_load((root / "openapi.yaml").read_text(encoding="utf-8"))
    assert not NEW_OPERATIONS.keys() & spec["paths"].keys()
    assert "/hardware/{identifier}" not in spec["paths"]
    guide_yaml, guide_python = worked_example()
    spec["paths"].update(yaml.safe_load(guide_yaml))
    spec["paths"].update(NEW_OPERATIONS)
    (root / "openapi.yaml").write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")

    regen = subprocess.run(  # noqa: S603 - our own interpreter and script, no shell
        [sys.executable, str(root / "tools" / "regen.py"), "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert regen.returncode == 0, regen.stdout + regen.stderr
    regenerated = root / "generated"
    resource = (regenerated / "predictkit_api" / "api" / "hardware" / "__init__.py").read_text()
    assert "def get(" in resource and "async def async_get(" in resource
    assert "def list_models(" in resource

    # a model as the API sends it (published example; a detailed model reads as a Model too)
    model_json = (REPO / "tests" / "generated" / "data" / "create_model.response.json").read_text()
    script = (
        f"REGENERATED = {str(regenerated)!r}\nMODEL_JSON = {model_json!r}\n"
        f"GUIDE_PYTHON = {guide_python!r}\n" + USE_THE_NEW_METHODS
    )
    env = {**os.environ, "PYTHONPATH": str(regenerated)}
    run = subprocess.run(  # noqa: S603 - our own interpreter, no shell
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "NEW METHODS OK" in run.stdout

