"""One file's upload, between the requests: what to send and what the answers mean.

Shared by the sync and async paths of ``client.uploads`` (predictkit.resources.uploads), which
only move bytes and wait. Errors name the file (``Source.file``) and the part.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncGenerator, Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs
import httpx

from predictkit import _aio
from predictkit._call import Call, Retry
from predictkit._checks import is_http_url
from predictkit._error_map import parse_body, unreadable
from predictkit._errors import (
    APIError,
    CreateOutcomeUnknownError,
    InvalidInputTypeError,
    UploadError,
)
from predictkit._files import (
    Part,
    Progress,
    ProgressCallback,
    UnusablePlanError,
    chunks,
    dedupe,
    is_file,
    plan_parts,
    replace_files,
)
from predictkit._parts import without_query
from predictkit._sources import READ_SIZE, Source, open_source

if TYPE_CHECKING:
    from predictkit_api.models.upload_completion_result import UploadCompletionResult

P = TypeVar("P")


def _hidden_query(url: str) -> str:
    return repr(without_query(httpx.URL(url)) + "?…" if "?" in url else url)


@attrs.frozen
class UploadedFile:
    """A completed upload. ``url`` is its time-limited download URL (usable without a token)."""

    url: str = attrs.field(repr=_hidden_query)
    upload_id: str
    size: int
    mime_type: str


Job = tuple["Transfer", Part]


@attrs.define
class Transfer:
    """One file on its way: its source, the server's upload id and parts, the ETags so far."""

    source: Source
    upload_id: str
    parts: list[Part]
    etags: list[str | None]

    def jobs(self) -> Iterator[Job]:
        return ((self, part) for part in self.parts)

    def record_etag(self, part: Part, response: httpx.Response) -> None:
        """Keep the part's ETag; a part answered without one cannot be completed."""
        etag = response.headers.get("etag")
        if not etag:
            raise UploadError(
                f"Uploading {self.source.file} failed at part {part.index + 1} of "
                f"{len(self.parts)}: the storage answered {response.status_code} without an "
                "ETag, which completing the upload needs.",
                file=self.source.file,
                part=part.index,
                method="PUT",
                url=without_query(response.request.url),
                status_code=response.status_code,
            )
        self.etags[part.index] = etag

    @contextlib.contextmanager
    def sending(self, part: Part) -> Iterator[None]:
        """Turn a failure to send ``part`` into an UploadError naming the file and the part."""
        try:
            yield
        except APIError as exc:
            at = f" at part {part.index + 1} of {len(self.parts)}"
            raise named(exc, self.source, at, part) from exc


def named(exc: APIError, source: Source, where_: str = "", part: Part | None = None) -> UploadError:
    if isinstance(exc, CreateOutcomeUnknownError):
        reason = (
            "starting its upload may or may not have reached the server, so it was not "
            "repeated; retrying uploads the file anew"
        )
    else:
        reason = exc.message
    return UploadError(
        f"Uploading {source.file} failed{where_}: {reason}",
        file=source.file,
        part=None if part is None else part.index,
        method=exc.method,
        url=exc.url,
        status_code=exc.status_code,
        request_id=exc.request_id,
        body=exc.body,
    )


@contextlib.contextmanager
def naming(source: Source) -> Iterator[None]:
    """Turn an API error about this file's upload into an UploadError that names it."""
    try:
        yield
    except UploadError:
        raise
    except APIError as exc:
        raise named(exc, source) from exc


class Batch:
    """The files of one call, opened (nothing is sent if one is bad). ``dedupe()`` picks, for
    each, the first identical one (it may read files: async code runs it in a thread)."""

    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources
        self.first = list(range(len(sources)))

    def dedupe(self) -> list[Source]:
        """The distinct files, in order of first appearance."""
        self.first = dedupe([s.candidate for s in self.sources], lambda i: self.sources[i].digest())
        return [self.sources[i] for i in sorted(set(self.first))]

    def substitute(self, input: P, uploaded: list[UploadedFile]) -> P:
        """``input`` with each file replaced by the URL its distinct file was uploaded to."""
        done = dict(zip(sorted(set(self.first)), uploaded, strict=True))
        urls = iter([done[i].url for i in self.first])
        return cast("P", replace_files(input, lambda _value, _at: next(urls)))


@contextlib.contextmanager
def opened(files: list[tuple[Any, str]]) -> Iterator[Batch]:
    """Open every file; close them after (or put a caller's file back at its position)."""
    sources: list[Source] = []
    try:
        for value, label in files:
            sources.append(open_source(value, label))
        yield Batch(sources)
    finally:
        for source in sources:
            source.close()


# The generated modules load on first upload, not on ``import predictkit``.
# ruff: noqa: PLC0415


def start_call(source: Source) -> Call:
    from predictkit_api.api.uploads import create_upload
    from predictkit_api.models.create_upload_request import CreateUploadRequest

    body = CreateUploadRequest(size=source.size, mime_type=source.mime_type)
    return Call(create_upload.build_request(body=body), retry=Retry.CREATE)


def transfer_from(source: Source, response: httpx.Response) -> Transfer:
    from predictkit_api.models.upload import Upload

    upload = parse_body(response, Upload.from_dict)
    try:
        parts = plan_parts(source.size, upload.part_size, upload.urls)
    except UnusablePlanError as exc:
        raise UploadError(
            f"Uploading {source.file} failed: the server's answer to starting the upload cannot "
            f"be used ({exc}).",
            file=source.file,
            method="POST",
            url=str(response.request.url),
            status_code=response.status_code,
            request_id=response.headers.get("x-request-id"),
        ) from None
    return Transfer(source, upload.id, parts, [None] * len(parts))


def complete_call(transfer: Transfer) -> Call:
    from predictkit_api.api.uploads import complete_upload
    from predictkit_api.models.complete_upload_request import CompleteUploadRequest

    etags = cast("list[str]", transfer.etags)  # every part has succeeded when this is built
    body = CompleteUploadRequest(etags=etags)
    return Call(complete_upload.build_request(transfer.upload_id, body=body))


def uploaded(transfer: Transfer, response: httpx.Response) -> UploadedFile:
    result = completion(response)
    source = transfer.source
    return UploadedFile(result.download_url, transfer.upload_id, source.size, source.mime_type)


def completion(response: httpx.Response) -> UploadCompletionResult:
    """A completed upload's answer. Its ``download_url`` must be http(s): any other (a
    ``javascript:`` or ``file:`` URL from a hostile server) is a ResponseParseError, never
    passed on. Only its scheme is quoted: it goes nowhere."""
    from predictkit_api.models.upload_completion_result import UploadCompletionResult

    result = parse_body(response, UploadCompletionResult.from_dict)
    url: object = result.download_url
    if isinstance(url, str) and is_http_url(url):
        return result
    shown = url.partition(":")[0][:20] + ":" if isinstance(url, str) else type(url).__name__
    raise unreadable(response, f"whose download_url is not an http(s) URL ({shown}...)")


def labelled(value: object) -> list[tuple[Any, str]]:
    if isinstance(value, str):
        value = Path(value)
    if not is_file(value):
        raise InvalidInputTypeError(
            "upload() takes a path (str or pathlib.Path), an open binary file or bytes, "
            f"not {type(value).__name__}."
        )
    return [(value, "")]


@attrs.frozen
class Schedule:
    """The parts of started transfers, as jobs for a bounded pool of workers."""

    progress: Progress
    jobs: Iterator[Job]
    workers: int


def schedule(
    transfers: list[Transfer], on_progress: ProgressCallback | None, max_workers: int
) -> Schedule:
    """Every part of ``transfers``, their progress, and how many workers to run (never more
    than the parts, never more than ``max_workers``): the same for sync and async uploads."""
    return Schedule(
        progress=Progress(sum(t.source.size for t in transfers), on_progress),
        jobs=(job for t in transfers for job in t.jobs()),
        workers=min(max_workers, sum(len(t.parts) for t in transfers)),
    )


def part_args(
    transfer: Transfer, part: Part, progress: Progress
) -> tuple[dict[str, str], Callable[[], None]]:
    """The part's headers, and what to do before it is sent again (take back its progress)."""
    headers = {"Content-Type": transfer.source.mime_type, "Content-Length": str(part.length)}
    return headers, lambda: progress.restart((transfer.upload_id, part.index))


def taker(jobs: Iterator[Job]) -> Callable[[], Job | None]:
    """The next job, or None when there is none; safe to call from several threads."""
    lock = threading.Lock()

    def take() -> Job | None:
        with lock:  # a generator must not be advanced by two threads at once
            return next(jobs, None)

    return take


def part_body(
    transfer: Transfer, part: Part, progress: Progress
) -> Callable[[], Generator[bytes, None, None]]:
    """A fresh stream of the part's bytes for each attempt, counted as they go out."""

    def body() -> Generator[bytes, None, None]:
        for offset, count in chunks(part.offset, part.length, READ_SIZE):
            data = transfer.source.read(offset, count)
            progress.add((transfer.upload_id, part.index), len(data))
            yield data

    return body


def async_part_body(
    transfer: Transfer, part: Part, progress: Progress
) -> Callable[[], AsyncGenerator[bytes, None]]:
    """``part_body`` for async code: disk reads run in a worker thread."""

    async def body() -> AsyncGenerator[bytes, None]:
        source = transfer.source
        for offset, count in chunks(part.offset, part.length, READ_SIZE):
            if source.blocking:
                data = await _aio.to_thread(source.read, offset, count)
            else:
                data = source.read(offset, count)
            progress.add((transfer.upload_id, part.index), len(data))
            yield data

    return body
