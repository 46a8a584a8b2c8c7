"""Everything the gate and the routes share, built once per server run."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from predictkit.testing._connections import ConnectionRegistry
from predictkit.testing._faults import FaultQueue
from predictkit.testing._ratelimit import FixedWindow
from predictkit.testing._recording import RequestLog
from predictkit.testing._store import Store


@dataclass
class Context:
    base_url: str
    token: str
    store: Store
    faults: FaultQueue
    log: RequestLog
    window: FixedWindow
    connections: ConnectionRegistry
    wait_ceiling: float
    stream_idle_timeout: float
    max_body_bytes: int
    streams: str = "all"
    """Which predictions have an event stream: "all", or "requested" (``"stream": true``)."""
    closing: asyncio.Event = field(default_factory=asyncio.Event)
