"""The bytes of one file to upload: a path, an open binary file, or bytes in memory.

A source is checked once (its size and identity are known before anything is sent), then read in
bounded chunks at any offset, from several threads at once: parts stream from disk in constant
memory, and a retried part simply reads its range again. A path is opened for each read, so an
input with thousands of files never holds more open files than there are part workers.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import stat
import threading
from collections.abc import Hashable
from typing import IO, Any

from predictkit._errors import FileInputError
from predictkit._files import Candidate, check_binary, mime_type

READ_SIZE = 256 * 1024
"""Bytes read (and held) per chunk; memory in flight is at most this times the part workers."""


class Source:
    """One file's bytes from ``start``, ``size`` long. Read with ``read(offset, count)``."""

    def __init__(
        self,
        file: str,
        *,
        size: int,
        mime: str,
        identity: Hashable,
        blocking: bool,
        data: memoryview | None = None,
        path: str | bytes | None = None,
        stream: IO[bytes] | None = None,
        start: int = 0,
    ) -> None:
        self.file = file
        """How errors name this file, e.g. ``input['image'] (/data/cat.png)``."""
        self.size = size
        self.mime_type = mime
        self.candidate = Candidate(identity, size)
        self.blocking = blocking
        """Reads touch the disk: async code runs them in a worker thread."""
        self._data = data
        self._path = path
        self._stream = stream
        self._start = start
        self._lock = threading.Lock()

    def read(self, offset: int, count: int) -> bytes:
        """Exactly ``count`` bytes at ``offset``; a file that shrank is a FileInputError."""
        if self._data is not None:
            return bytes(self._data[offset : offset + count])
        try:
            if self._path is not None:  # opened per read: files in flight never exceed workers
                with open(self._path, "rb") as stream:
                    data = _read_at(stream, offset, count)
            else:
                assert self._stream is not None
                with self._lock:  # seek + read must not interleave between part threads
                    data = _read_at(self._stream, self._start + offset, count)
        except OSError as exc:
            raise FileInputError(f"Reading {self.file} failed: {exc}", file=self.file) from exc
        if not isinstance(data, bytes) or len(data) != count:
            raise FileInputError(
                f"{self.file} changed while it was being uploaded (it is shorter than the "
                f"{self.size} bytes it had at the start); upload it again once it is complete.",
                file=self.file,
            )
        return data

    def digest(self) -> bytes:
        """SHA-256 of the content, read in chunks (used only to dedupe same-size files)."""
        hasher = hashlib.sha256()
        for offset in range(0, self.size, READ_SIZE):
            hasher.update(self.read(offset, min(READ_SIZE, self.size - offset)))
        return hasher.digest()

    def close(self) -> None:
        """Put a caller's open file back at the position it was given at."""
        if self._stream is not None:
            with contextlib.suppress(OSError, ValueError):  # closed by the caller meanwhile
                self._stream.seek(self._start)


def _read_at(stream: IO[bytes], offset: int, count: int) -> bytes | None:
    """Up to ``count`` bytes at ``offset`` (fewer only at the end of the file)."""
    stream.seek(offset)
    data = stream.read(count)
    while data is not None and 0 < len(data) < count:
        more = stream.read(count - len(data))
        if not more:
            break
        data += more
    return data


def open_source(value: Any, label: str) -> Source:
    """A Source for a file value (see ``predictkit._files.is_file``); ``label`` says where it
    came from. Bad files raise FileInputError before anything is sent."""
    if isinstance(value, bytes | bytearray):
        name = f"{label} ({len(value)} bytes)" if label else f"{len(value)} bytes"
        return Source(
            name,
            size=len(value),
            mime="application/octet-stream",
            identity=("object", id(value)),
            blocking=False,
            data=memoryview(value).toreadonly(),
        )
    if isinstance(value, os.PathLike):
        return _open_path(os.fspath(value), label)
    return _open_stream(value, label)


def _open_path(path: str | bytes, label: str) -> Source:
    shown = os.fsdecode(path)
    name = f"{label} ({shown})" if label else shown
    try:
        info = os.stat(path)
    except OSError as exc:
        raise FileInputError(f"Cannot read {name}: {exc.strerror or exc}.", file=name) from exc
    if not stat.S_ISREG(info.st_mode):  # a directory, or a FIFO that would block a read
        raise FileInputError(f"{name} is not a regular file.", file=name)
    if not os.access(path, os.R_OK):
        raise FileInputError(f"Cannot read {name}: permission denied.", file=name)
    return Source(
        name,
        size=info.st_size,
        mime=mime_type(shown),
        identity=("inode", info.st_dev, info.st_ino),
        blocking=True,
        path=path,
    )


def _open_stream(stream: Any, label: str) -> Source:
    file_name = getattr(stream, "name", None)
    shown = file_name if isinstance(file_name, str) else type(stream).__name__
    name = f"{label} ({shown})" if label else shown
    check_binary(stream, name)
    seekable = getattr(stream, "seekable", None)
    if not callable(seekable) or not seekable():
        raise FileInputError(
            f"{name} is not seekable, so its size is unknown before sending (the API needs it): "
            "pass its bytes, or save it to a file and pass the Path.",
            file=name,
        )
    try:
        start = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(start)
    except (OSError, ValueError) as exc:
        raise FileInputError(f"Cannot read {name}: {exc}", file=name) from exc
    return Source(
        name,
        size=max(0, end - start),
        mime=mime_type(shown if isinstance(file_name, str) else None),
        identity=("object", id(stream)),
        blocking=True,
        stream=stream,
        start=start,
    )
