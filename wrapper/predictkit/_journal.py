"""The batch journal: an append-only text file so a crashed create_many resumes without
creating anything twice.

One line per fact, flushed before the fact is acted on:

    predictkit-batch 1 <model>     first line: what the batch runs
    s <index> <unix time> <input>  the create of input <index> (its input as canonical JSON)
                                   is about to be sent
    d <index> <prediction id>      input <index> made that prediction
    f <index>                      input <index> failed and certainly created nothing

On resume, an input with ``d`` is not created again (its id is reported); one with ``f`` is
tried again; one with an ``s`` but neither is *open*: its create may have reached the server
before the crash. Before creating anything, the batch looks for each open one (the search of
predictkit.reconcile: that model and input, among predictions created since the time in the
``s`` line and not claimed by a ``d`` line) and sends it again only if it is not there. An
open one that cannot be settled (several candidates) is reported as an error and stays open.

Each line is flushed to the OS before the create is sent, which survives a crashed or killed
process; a power cut may lose the last lines.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import IO

MAGIC = "predictkit-batch 1"


class JournalError(ValueError):
    """The journal file belongs to another batch, or is not a predictkit journal."""


class Journal:
    """Reads what an earlier run recorded, then appends this run's facts (thread-safe).

    Memory: the earlier run's created ids (about 100 bytes each); this run's are only written."""

    def __init__(self, path: str | os.PathLike[str], model: str) -> None:
        self.path = Path(path)
        self.done: dict[int, str] = {}
        self.started: dict[int, tuple[float, str]] = {}
        header = f"{MAGIC} {model}"
        if self.path.exists() and self.path.stat().st_size > 0:
            self._load(header)
        self._lock = threading.Lock()
        self._file: IO[str] = self.path.open("a", encoding="utf-8")
        if self.path.stat().st_size == 0:
            self._write(header)

    def _load(self, header: str) -> None:
        with self.path.open(encoding="utf-8") as lines:
            first = lines.readline().rstrip("\n")
            if first != header:
                raise JournalError(
                    f"{self.path} is not the journal of a create_many on this model "
                    f"(its first line is {first[:80]!r}, expected {header!r}): pass another path."
                )
            for line in lines:
                if line.endswith("\n"):  # a line the crash cut has no newline: ignored
                    self._apply(line[:-1].split(" ", 3))

    def _apply(self, fields: list[str]) -> None:
        """One recorded fact."""
        if len(fields) < 2 or not fields[1].isdigit():
            return
        index = int(fields[1])
        if fields[0] == "s" and len(fields) == 4:
            try:
                self.started[index] = (float(fields[2]), fields[3])
            except ValueError:
                return
        elif fields[0] == "d" and len(fields) == 3:
            self.done[index] = fields[2]
            self.started.pop(index, None)
        elif fields[0] == "f":
            self.started.pop(index, None)

    def settle(self, index: int, prediction_id: str | None) -> None:
        """An open create was looked for: found (its id), or not (None: it will be sent)."""
        self.started.pop(index, None)
        if prediction_id is not None:
            self.created(index, prediction_id)
            self.done[index] = prediction_id

    def claimed(self) -> frozenset[str]:
        """Prediction ids the journal already gives to some input."""
        return frozenset(self.done.values())

    def sending(self, index: int, input_json: str) -> None:
        self._write(f"s {index} {time.time():.3f} {input_json}")

    def created(self, index: int, prediction_id: str) -> None:
        self._write(f"d {index} {prediction_id}")  # not kept in memory: this run moves on

    def failed(self, index: int) -> None:
        self._write(f"f {index}")

    def _write(self, line: str) -> None:
        with self._lock:
            self._file.write(line + "\n")
            self._file.flush()

    def close(self) -> None:
        with self._lock:
            self._file.close()
