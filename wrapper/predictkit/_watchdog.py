"""The watchdog that makes a deadline hard for sync reads.

A blocking socket read cannot be cancelled from its own thread, so one daemon thread keeps a
heap of (deadline, socket) and shuts down the connection of any read still armed when its
deadline passes: the blocked recv() returns, the read fails, and the reader, seeing that the
watchdog fired, reports a timeout. Async reads need none of this (asyncio.timeout).
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import math
import os
import socket
import threading
import time

import httpx


class Watchdog:
    """One daemon thread that shuts down the sockets of sync reads whose deadline passed: a
    blocked recv() then returns, so a stalled read ends at the deadline, not after its own
    timeout. Started on first use."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        """Start with nothing armed and no thread. Also what a forked child does (see
        `WATCHDOG`): the parent's thread does not exist there, and its lock may have been
        copied held."""
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, socket.socket]] = []
        self._live: set[int] = set()
        self._fired: set[int] = set()
        self._ids = itertools.count()
        self._thread: threading.Thread | None = None
        self._wakes_at = math.inf
        """When the thread next wakes by itself (inf: only when notified)."""

    def arm(self, deadline: float, sock: socket.socket) -> int:
        """Watch ``sock`` until ``deadline``. The thread is woken only when this deadline comes
        before the one it already sleeps until: on the usual path (one read after another,
        each with the same timeout) arming costs no thread switch."""
        with self._cond:
            self._drop_disarmed()
            key = next(self._ids)
            heapq.heappush(self._heap, (deadline, key, sock))
            self._live.add(key)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="predictkit-deadlines", daemon=True
                )
                self._thread.start()
            if deadline < self._wakes_at:
                self._wakes_at = deadline  # the thread waits at most until then
                self._cond.notify()
            return key

    def _drop_disarmed(self) -> None:
        """Pop the reads already over from the top of the heap (under the lock), so the heap
        holds about as many entries as there are reads in progress."""
        while self._heap and self._heap[0][1] not in self._live:
            heapq.heappop(self._heap)

    def fired(self, key: int) -> bool:
        with self._cond:
            return key in self._fired

    def disarm(self, key: int) -> bool:
        """Forget ``key``; True when its deadline had fired."""
        with self._cond:
            self._live.discard(key)
            if key in self._fired:
                self._fired.discard(key)
                return True
            return False

    def _run(self) -> None:
        with self._cond:
            while True:
                self._drop_disarmed()
                if not self._heap:
                    self._wakes_at = math.inf
                    self._cond.wait()
                    continue
                deadline, key, sock = self._heap[0]
                left = deadline - time.monotonic()
                if left > 0:
                    self._wakes_at = deadline
                    self._cond.wait(left)
                    continue
                heapq.heappop(self._heap)
                self._live.discard(key)
                self._fired.add(key)
                _shut_down(sock)


def _shut_down(sock: socket.socket) -> None:
    """End the connection under ``sock`` so a blocked read returns. Through a duplicate of its
    descriptor: a TLS socket object is not safe to touch from another thread, the connection
    itself is."""
    with contextlib.suppress(OSError):  # already closed
        fd = sock.fileno()
        if fd >= 0:
            with socket.socket(fileno=os.dup(fd)) as dup:
                dup.shutdown(socket.SHUT_RDWR)


WATCHDOG = Watchdog()
if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=WATCHDOG._reset)


def _socket_of(response: httpx.Response) -> socket.socket | None:
    stream = response.extensions.get("network_stream")
    get = getattr(stream, "get_extra_info", None)
    sock = get("socket") if get is not None else None
    return sock if isinstance(sock, socket.socket) else None


class Watched:
    """The watchdog armed over one sync body read; ``fired`` says whether it ended the read."""

    def __init__(self, response: httpx.Response, deadline: float | None) -> None:
        sock = _socket_of(response) if deadline is not None else None
        self._key = None if sock is None or deadline is None else WATCHDOG.arm(deadline, sock)
        self._fired = False

    @property
    def fired(self) -> bool:
        if self._key is not None and not self._fired:
            self._fired = WATCHDOG.fired(self._key)
        return self._fired

    def __enter__(self) -> Watched:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._key is not None:
            self._fired = WATCHDOG.disarm(self._key) or self._fired
            self._key = None
