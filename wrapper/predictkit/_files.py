"""File inputs, the pure part: find files in a prediction's input, dedupe them, plan parts, count
progress. Nothing here reads a file or touches the network (that is ``resources/uploads.py``).

A *file* is a ``pathlib.Path`` (any ``os.PathLike``), ``bytes``/``bytearray``, or an object with
a ``read`` method (an open binary file). Strings are never files: a string may be a URL, a
prompt or a path the model should see verbatim.
"""

from __future__ import annotations

import functools
import io
import mimetypes
import os
import threading
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import IO, Any

import attrs
import httpx

from predictkit._errors import FileInputError, InvalidInputError


class UnusablePlanError(ValueError):
    """The server's answer to starting an upload cannot be used; never reaches the user (the
    upload turns it into an UploadError naming the file)."""


MAX_DEPTH = 200
"""Deepest nesting walked: far beyond any real input, well inside Python's recursion limit."""

Location = tuple[str | int, ...]

FileInput = os.PathLike[str] | bytes | bytearray | IO[bytes]
"""What is uploaded when found in an input (``upload()`` also takes a ``str`` path)."""


@functools.cache
def _mime_table() -> mimetypes.MimeTypes:
    """Python's built-in table only (no /etc/mime.types): the same answer on every machine
    running the same Python version (versions differ in a few entries, e.g. ``.rtf``).
    Built on first use: importing predictkit reads no file."""
    return mimetypes.MimeTypes()


def is_file(value: object) -> bool:
    """Whether ``value`` is uploaded when it appears in an input (see the module docstring)."""
    if isinstance(value, str | Mapping | list | tuple):
        return False
    return isinstance(value, os.PathLike | bytes | bytearray) or callable(
        getattr(value, "read", None)
    )


def where(location: Location) -> str:
    """``input['images'][0]``: where a file sits, for error messages."""
    return "input" + "".join(f"[{part!r}]" for part in location)


def replace_files(value: Any, found: Callable[[Any, Location], Any]) -> Any:
    """A copy of ``value`` with each file replaced by ``found(file, location)``, in a fixed
    depth-first order. Dicts and lists are rebuilt (tuples become lists, as JSON would); other
    values are kept as they are. The caller's objects are never modified."""
    return _replace(value, found, (), set())


def _replace(
    value: Any, found: Callable[[Any, Location], Any], at: Location, seen: set[int]
) -> Any:
    if is_file(value):
        return found(value, at)
    if not isinstance(value, Mapping | list | tuple):
        return value
    if len(at) >= MAX_DEPTH:
        raise InvalidInputError(f"{where(at)} is nested more than {MAX_DEPTH} levels deep.")
    if id(value) in seen:
        raise InvalidInputError(
            f"{where(at)} contains itself; an input must be a tree (like JSON)."
        )
    seen.add(id(value))
    try:
        if isinstance(value, Mapping):
            return {k: _replace(v, found, (*at, k), seen) for k, v in value.items()}
        return [_replace(v, found, (*at, i), seen) for i, v in enumerate(value)]
    finally:
        seen.discard(id(value))


def find_files(value: Any) -> list[tuple[Any, Location]]:
    """Every file in ``value`` with its location, in the order ``replace_files`` visits them."""
    files: list[tuple[Any, Location]] = []

    def note(file: Any, at: Location) -> Any:
        files.append((file, at))
        return file

    replace_files(value, note)
    return files


def check_binary(file: Any, name: str) -> None:
    """Refuse a text-mode file before anything is read (its bytes depend on an encoding)."""
    if isinstance(file, io.TextIOBase) or "b" not in str(getattr(file, "mode", "b")):
        raise FileInputError(
            f"{name} is a file opened in text mode; open it in binary mode ('rb').", file=name
        )


def mime_type(name: str | None) -> str:
    """The MIME type sent when starting an upload; ``application/octet-stream`` when unknown."""
    guessed = _mime_table().guess_type(name, strict=False)[0] if name else None
    return guessed or "application/octet-stream"


@attrs.frozen
class Candidate:
    """What dedupe knows of one file: who it is (the same object or inode) and its size."""

    identity: Hashable
    size: int


def dedupe(candidates: Sequence[Candidate], digest: Callable[[int], bytes]) -> list[int]:
    """For each candidate, the index of the first candidate with the same content.

    Files with the same identity are the same. Files of different identity are compared by
    ``digest(index)`` (a content hash, read from disk by the caller) only when their sizes
    collide, so a typical input with files of distinct sizes is never read twice."""
    first_by_identity: dict[Hashable, int] = {}
    by_size: dict[int, list[int]] = {}
    for index, candidate in enumerate(candidates):
        first_by_identity.setdefault(candidate.identity, index)
        if first_by_identity[candidate.identity] == index:
            by_size.setdefault(candidate.size, []).append(index)
    first_by_content: dict[int, int] = {}
    for same_size in by_size.values():
        if len(same_size) == 1:
            first_by_content[same_size[0]] = same_size[0]
            continue
        first_by_digest: dict[bytes, int] = {}
        for index in same_size:
            first_by_content[index] = first_by_digest.setdefault(digest(index), index)
    return [first_by_content[first_by_identity[c.identity]] for c in candidates]


@attrs.frozen
class Part:
    """Part ``index`` of an upload: ``length`` bytes from ``offset``, PUT to ``url``."""

    index: int
    offset: int
    length: int
    url: str = attrs.field(repr=False)  # pre-signed: its query is a credential


def plan_parts(size: int, part_size: object, urls: object) -> list[Part]:
    """Split a file of ``size`` bytes as the server's start answer says: part i is bytes
    ``[i*part_size, min((i+1)*part_size, size))`` and goes to ``urls[i]``. A plan that does not
    cover the file exactly (wrong URL count, bad part size) raises ValueError, so a bad answer
    can never upload a truncated file; so does a part URL that is not https (plain http only on
    loopback, as for downloads): the file would travel unencrypted."""
    if not isinstance(urls, list) or not all(isinstance(u, str) and u for u in urls):
        raise UnusablePlanError(f"the part URLs are not a list of strings ({type(urls).__name__})")
    for url in urls:
        _check_part_url(url)
    if isinstance(part_size, bool) or not isinstance(part_size, int) or part_size < 0:
        raise UnusablePlanError(f"the part size {part_size!r} is not a whole number of bytes")
    if part_size == 0 and size > 0:
        raise UnusablePlanError("the part size is 0 for a non-empty file")
    count = 1 if size == 0 else -(-size // part_size)
    if len(urls) != count:
        raise UnusablePlanError(
            f"{len(urls)} part URLs for {size} bytes in parts of {part_size} (expected {count})"
        )
    return [
        Part(i, i * part_size, min(part_size, size - i * part_size) if size else 0, url)
        for i, url in enumerate(urls)
    ]


_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _check_part_url(url: str) -> None:
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise UnusablePlanError("a part URL is not a valid URL") from None
    shown = parsed.copy_with(query=None, fragment=None)  # the query is the URL's credential
    secure = parsed.scheme == "https" or (parsed.scheme == "http" and parsed.host in _LOOPBACK)
    if not secure or not parsed.host:
        raise UnusablePlanError(f"the part URL {shown} is not https")


def chunks(offset: int, length: int, chunk_size: int) -> Iterator[tuple[int, int]]:
    """(offset, length) of each read that streams ``length`` bytes from ``offset``."""
    end = offset + length
    while offset < end:
        step = min(chunk_size, end - offset)
        yield offset, step
        offset += step


ProgressCallback = Callable[[int, int], object]
"""``on_progress(sent, total)``: bytes handed to the network so far, of all files' bytes."""


class Progress:
    """Bytes sent over every part of every file, reported as ``(sent, total)``.

    Each part counts the bytes it has handed to the network; when a part is retried its count
    restarts at 0, so ``sent`` goes back by what must be sent again (never past ``total``).
    Calls to the callback are serialised (parts run on several threads)."""

    def __init__(self, total: int, callback: ProgressCallback | None) -> None:
        self.total = total
        self.sent = 0
        self._callback = callback
        self._by_part: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def add(self, part: Hashable, count: int) -> None:
        with self._lock:
            self._by_part[part] = self._by_part.get(part, 0) + count
            self.sent += count
            self._report()

    def restart(self, part: Hashable) -> None:
        with self._lock:
            undone = self._by_part.pop(part, 0)
            if undone:
                self.sent -= undone
                self._report()

    def _report(self) -> None:
        if self._callback is not None:
            self._callback(self.sent, self.total)
