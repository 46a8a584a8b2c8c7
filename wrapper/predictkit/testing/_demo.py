"""Seeded catalogue (users, hardware, categories, models) and how the demo models behave.

Every model runs the same demo behaviour, driven by its input object:

- the output is the input object itself;
- ``{"sleep": S}`` runs for S seconds;
- ``{"stream": [items]}`` emits each item as an ``output`` event (spread over ``sleep`` when both
  are given) and the output is the list;
- ``{"fail": "MSG"}`` fails with task error ``{"source": "external", "message": MSG, "detail":
  null}`` (``"fail_source": "internal"`` picks the source);
- ``{"output_file": "TEXT"}`` makes the output a URL on the server that serves TEXT as text/plain,
  like a signed file URL (no token needed);
- ``{"stream_available": false}`` marks the prediction's event stream unavailable.

Before running, the input is checked against the version's input schema; a mismatch fails the
prediction with a task error (``demo/validated`` requires a string ``prompt``).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from predictkit.testing._lifecycle import ModelRun, TaskFailure
from predictkit.testing._validation import check_schema

_CREATED = "2024-01-15T09:00:00.000000Z"


def stable_id(name: str) -> str:
    """A UUID that is the same on every run, so seeded ids can be written into tests."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"predictkit-reference/{name}"))


USERS: list[dict[str, Any]] = [
    {
        "name": "demo",
        "display_name": "Demo User",
        "bio": "Owns the demo models.",
        "location": "Localhost",
        "company": "predictkit",
        "urls": ["https://example.com/demo"],
        "created_at": "2024-01-01T00:00:00.000000Z",
    },
    {
        "name": "acme",
        "display_name": "Acme Labs",
        "bio": "Text and image models.",
        "location": None,
        "company": "Acme",
        "urls": None,
        "created_at": "2024-02-01T00:00:00.000000Z",
    },
    {
        "name": "lena",
        "display_name": "Lena Ortiz",
        "bio": None,
        "location": "Lisbon",
        "company": None,
        "urls": [],
        "created_at": "2024-03-01T00:00:00.000000Z",
    },
]

HARDWARE: list[dict[str, Any]] = [
    {
        "name": "CPU",
        "identifier": "cpu",
        "gpus": 0,
        "cpus": 4,
        "vram_gb": 0,
        "ram_gib": 16,
        "created_at": _CREATED,
        "description": "4 vCPUs for light models.",
    },
    {
        "name": "NVIDIA T4",
        "identifier": "gpu-t4",
        "gpus": 1,
        "cpus": 8,
        "vram_gb": 16,
        "ram_gib": 32,
        "created_at": _CREATED,
        "description": None,
    },
    {
        "name": "NVIDIA A100 (80GB)",
        "identifier": "gpu-a100",
        "gpus": 1,
        "cpus": 12,
        "vram_gb": 80,
        "ram_gib": 144,
        "created_at": _CREATED,
        "description": "For large models.",
    },
]

CATEGORIES: list[dict[str, str]] = [
    {"name": "Text generation", "slug": "text-generation", "description": "Models that write."},
    {"name": "Image generation", "slug": "image-generation", "description": "Models that draw."},
    {"name": "Audio", "slug": "audio", "description": "Speech and sound."},
    {"name": "Utilities", "slug": "utilities", "description": "Tools for testing and plumbing."},
]

ANY_OBJECT: dict[str, Any] = {"type": "object"}
PROMPT_INPUT: dict[str, Any] = {
    "type": "object",
    "required": ["prompt"],
    "properties": {"prompt": {"type": "string"}, "max_tokens": {"type": "integer", "minimum": 1}},
}


def _version(number: int, input_schema: Mapping[str, Any], hardware: str = "cpu") -> dict[str, Any]:
    return {
        "number": number,
        "release_notes": f"Version {number}.",
        "created_at": f"2024-04-{number:02d}T12:00:00.000000Z",
        "container_image_digest": "sha256:" + f"{number:x}".rjust(64, "0"),
        "schemas": {"prediction": {"input": dict(input_schema), "output": {}, "stream_output": {}}},
        "compatibilities": {
            "openai_chat_completions": False,
            "openai_embeddings": False,
            "openai_images_generations": False,
            "openai_responses": False,
            "anthropic_messages": False,
        },
        "size": 1_048_576 * number,
        "configuration": {"hardware_identifier": hardware, "variable_names": []},
    }


MODELS: list[dict[str, Any]] = [
    {
        "owner": "demo",
        "name": "echo",
        "visibility": "public",
        "description": "Echoes its input; `sleep`, `fail`, `stream` and `output_file` steer it.",
        "categories": ["utilities"],
        "versions": [_version(1, ANY_OBJECT), _version(2, ANY_OBJECT)],
    },
    {
        "owner": "demo",
        "name": "validated",
        "visibility": "public",
        "description": "Echo with an input schema: a string `prompt` is required.",
        "categories": ["utilities", "text-generation"],
        "versions": [_version(1, PROMPT_INPUT)],
    },
    {
        "owner": "demo",
        "name": "private-notes",
        "visibility": "private",
        "description": "A private model only its owner sees.",
        "categories": [],
        "versions": [_version(1, ANY_OBJECT)],
    },
    {
        "owner": "acme",
        "name": "summarize",
        "visibility": "public",
        "description": "Summarises text.",
        "categories": ["text-generation"],
        "versions": [_version(1, PROMPT_INPUT, "gpu-t4")],
    },
    {
        "owner": "acme",
        "name": "upscale",
        "visibility": "public",
        "description": "Makes images larger.",
        "categories": ["image-generation"],
        "versions": [_version(1, ANY_OBJECT, "gpu-a100")],
    },
    {
        "owner": "lena",
        "name": "chat",
        "visibility": "public",
        "description": "A chat model.",
        "categories": ["text-generation"],
        "versions": [_version(n, PROMPT_INPUT, "gpu-a100") for n in (1, 2, 3)],
    },
]


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    return None


def demo_model(input_schema: Mapping[str, Any], publish_file: Callable[[str], str]) -> ModelRun:
    """The run function every model uses (see the module docstring)."""

    async def run(payload: dict[str, Any], emit: Callable[[Any], None]) -> Any:
        problems = check_schema(input_schema, payload, ("input",))
        if problems:
            fields = ", ".join(".".join(str(p) for p in pr["loc"]) for pr in problems)
            raise TaskFailure(
                f"Input does not match the model's input schema: {fields}", detail=problems
            )
        sleep = _number(payload.get("sleep")) or 0.0
        items = payload.get("stream")
        if isinstance(items, list) and items:
            for item in items:
                await asyncio.sleep(sleep / len(items))
                emit(item)
        elif sleep:
            await asyncio.sleep(sleep)
        if "fail" in payload:
            source = "internal" if payload.get("fail_source") == "internal" else "external"
            raise TaskFailure(str(payload["fail"]), source=source)
        if "output_file" in payload:
            return publish_file(str(payload["output_file"]))
        return items if isinstance(items, list) else payload

    return run
