"""What the API answers for one prediction, for unit tests that build their own responses."""

from __future__ import annotations

from typing import Any

PID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"


def prediction_body(status: str, pid: str = PID, **extra: Any) -> dict[str, Any]:
    """A prediction's JSON as ``GET /predictions/{id}`` returns it; ``extra`` adds or replaces
    fields."""
    return {
        "id": pid,
        "model": {"owner": "acme", "name": "echo", "version_number": 3},
        "created_at": "2024-08-24T14:15:22Z",
        "status": status,
        "updated_at": "2024-08-24T14:15:23Z",
        "setup_time": None,
        "execution_time": None,
        "input": {"prompt": "hi"},
        "output": None,
        "error": None,
        **extra,
    }
