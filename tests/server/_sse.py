"""Read a text/event-stream body into events, as a strict client would."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

TERMINAL = {"done", "error"}


@dataclass(frozen=True)
class Event:
    id: str
    event: str
    data: Any


def parse(lines: Iterable[str]) -> list[Event]:
    """Events from SSE lines; checks that every event has id, event and one JSON data line."""
    events: list[Event] = []
    fields: dict[str, list[str]] = {}
    for line in lines:
        if line.startswith(":"):
            continue
        if line == "":
            if fields:
                assert set(fields) == {"id", "event", "data"}, fields
                assert all(len(v) == 1 for v in fields.values()), fields
                events.append(
                    Event(fields["id"][0], fields["event"][0], json.loads(fields["data"][0]))
                )
                fields = {}
            continue
        name, _, value = line.partition(":")
        fields.setdefault(name, []).append(value.removeprefix(" "))
    assert not fields, f"unterminated event: {fields}"
    return events
