"""schemathesis against the running server: generated requests, every answer checked by the spec.

Bounded and repeatable: deterministic generation, a few examples per operation and a 15 s time
budget, one worker (schemathesis's generator is not thread-safe on CPython 3.11). A dedicated
server is used because the fuzzer renames the user, deletes models and so on.

Two adjustments, both written out below: the public catalogue reads answer without a token,
which the spec's global security cannot express without changing the generated client, so the
two "auth is enforced" checks skip them; and ``positive_data_acceptance`` is off because the
server rightly rejects schema-valid but meaningless values (made-up cursors, model references
without a slash, ETags of parts never uploaded). Event streams are checked event by event: in
OpenAPI 3.1 a stream's ``schema`` describes each event, so the copy of the spec given to
schemathesis describes one event as it is framed on the wire.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from predictkit.testing import ReferenceServer

from ._spec import strict_document

PUBLIC = [
    "list_models", "list_owner_models", "get_model", "list_model_versions", "get_model_version",
    "list_model_categories", "list_hardware", "list_users", "get_user", "search_models",
    "search_users",
]  # fmt: skip

CONFIG = f"""
[checks]
positive_data_acceptance.enabled = false

[parameters]
"path.model_owner" = "demo"
"path.model_name" = "echo"
"path.number" = 1

[[operations]]
include-operation-id = {PUBLIC!r}
checks.ignored_auth.enabled = false
checks.missing_required_header.enabled = false
"""

SSE_EVENT = {
    "type": "object",
    "required": ["id", "event", "data"],
    "properties": {
        "id": {"type": "string", "pattern": "^[0-9]+$"},
        "event": {"enum": ["init", "output", "error", "done"]},
        "data": {"type": "string"},
    },
}


def _per_event_streams(node: Any) -> None:
    if isinstance(node, dict):
        stream = node.get("text/event-stream")
        if isinstance(stream, dict):
            stream["schema"] = SSE_EVENT
            stream.pop("example", None)
        for value in node.values():
            _per_event_streams(value)
    elif isinstance(node, list):
        for value in node:
            _per_event_streams(value)


def test_schemathesis_finds_no_violation(tmp_path: Path) -> None:
    adjusted = strict_document()  # responses are held to the live shapes
    _per_event_streams(adjusted)
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(adjusted))
    config = tmp_path / "schemathesis.toml"
    config.write_text(CONFIG)
    st = Path(sys.executable).with_name("st")
    with ReferenceServer(wait_ceiling=0.1, stream_idle_timeout=0.1) as server:
        argv = [
            str(st), "--config-file", str(config), "run", str(spec),
            "--url", server.url,
            "--header", f"Authorization: Bearer {server.token}",
            "--max-examples", "3",
            "--generation-deterministic",
            "--phases", "examples,coverage,fuzzing",
            "--workers", "1",
            "--max-time", "15",
            "--request-timeout", "60",
            "--no-shrink",
            "--no-color",
            "--report-dir", str(tmp_path / "reports"),
        ]  # fmt: skip
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=900, check=False, cwd=tmp_path
        )
        assert server.token not in result.stdout
    assert result.returncode == 0, result.stdout[-20_000:] + result.stderr[-5_000:]
