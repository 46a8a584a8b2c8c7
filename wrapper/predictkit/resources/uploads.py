"""client.uploads: upload files, and replace the files in a prediction's input by their URLs.

The API's flow per file: ``POST /uploads`` with its size and MIME type (the server splits it into
parts), PUT each part to its pre-signed URL (see ``predictkit._parts``: no token goes there),
collect the ETags, ``POST /uploads/{id}/complete`` -> the file's download URL.

- Starting an upload is a write that is not repeated blindly (a start whose answer was lost may
  have created an upload): it retries only when the request provably never reached the server.
  Completing is retried like a read: repeating it cannot upload anything twice.
- Parts of every file share one bounded pool (threads for sync, tasks for async) of
  ``max_concurrency`` workers; each part is retried on its own, streamed from its source in
  ``READ_SIZE`` chunks: memory does not grow with the file.
- Identical files in one input are uploaded once: the same object or the same inode (a path
  given twice, or a hard link) without reading it; different files only if they have the same
  size *and* the same SHA-256 (read only when sizes collide).
- Every failure names the file (and the part); see UploadError and FileInputError.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncGenerator, Callable, Generator, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import attrs
import httpx

from predictkit import _aio
from predictkit._errors import APIError, CreateOutcomeUnknownError, UploadError
from predictkit._files import (
    FileInput,
    Part,
    Progress,
    ProgressCallback,
    chunks,
    dedupe,
    find_files,
    is_file,
    plan_parts,
    replace_files,
    where,
)
from predictkit._http import Call, Retry, parse_body
from predictkit._parts import PartSender, without_query
from predictkit._sources import READ_SIZE, Source, open_source

if TYPE_CHECKING:
    from predictkit._client import Client
    from predictkit._types import CreatePredictionParams

__all__ = ["UploadedFile", "Uploads"]

DEFAULT_MAX_CONCURRENCY = 8
"""Parts in flight at once, over all files of one call."""

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


_Job = tuple["_Transfer", Part]


@attrs.define
class _Transfer:
    """One file on its way: its source, the server's upload id and parts, the ETags so far."""

    source: Source
    upload_id: str
    parts: list[Part]
    etags: list[str | None]

    def jobs(self) -> Iterator[_Job]:
        return ((self, part) for part in self.parts)

    def part_error(self, part: Part, exc: APIError) -> UploadError:
        return _named(exc, self.source, f" at part {part.index + 1} of {len(self.parts)}", part)


def _named(
    exc: APIError, source: Source, where_: str = "", part: Part | None = None
) -> UploadError:
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
def _naming(source: Source) -> Iterator[None]:
    """Turn an API error about this file's upload into an UploadError that names it."""
    try:
        yield
    except UploadError:
        raise
    except APIError as exc:
        raise _named(exc, source) from exc


class _Batch:
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
def _opened(files: list[tuple[Any, str]]) -> Iterator[_Batch]:
    """Open every file; close them after (or put a caller's file back at its position)."""
    sources: list[Source] = []
    try:
        for value, label in files:
            sources.append(open_source(value, label))
        yield _Batch(sources)
    finally:
        for source in sources:
            source.close()


# The generated modules load on first upload, not on ``import predictkit``.
# ruff: noqa: PLC0415


def _start_call(source: Source) -> Call:
    from predictkit_api.api.uploads import create_upload
    from predictkit_api.models.create_upload_request import CreateUploadRequest

    body = CreateUploadRequest(size=source.size, mime_type=source.mime_type)
    return Call(create_upload._get_kwargs(body=body), retry=Retry.CREATE)


def _transfer(source: Source, response: httpx.Response) -> _Transfer:
    from predictkit_api.models.upload import Upload

    upload = parse_body(response, Upload.from_dict)
    try:
        parts = plan_parts(source.size, upload.part_size, upload.urls)
    except ValueError as exc:
        raise UploadError(
            f"Uploading {source.file} failed: the server's answer to starting the upload cannot "
            f"be used ({exc}).",
            file=source.file,
            method="POST",
            url=str(response.request.url),
            status_code=response.status_code,
            request_id=response.headers.get("x-request-id"),
        ) from None
    return _Transfer(source, upload.id, parts, [None] * len(parts))


def _complete_call(transfer: _Transfer) -> Call:
    from predictkit_api.api.uploads import complete_upload
    from predictkit_api.models.complete_upload_request import CompleteUploadRequest

    etags = cast("list[str]", transfer.etags)  # every part has succeeded when this is built
    body = CompleteUploadRequest(etags=etags)
    return Call(complete_upload._get_kwargs(transfer.upload_id, body=body))


def _uploaded(transfer: _Transfer, response: httpx.Response) -> UploadedFile:
    from predictkit_api.models.upload_completion_result import UploadCompletionResult

    result = parse_body(response, UploadCompletionResult.from_dict)
    source = transfer.source
    return UploadedFile(result.download_url, transfer.upload_id, source.size, source.mime_type)


def _etag(transfer: _Transfer, part: Part, response: httpx.Response) -> None:
    etag = response.headers.get("etag")
    if not etag:
        raise UploadError(
            f"Uploading {transfer.source.file} failed at part {part.index + 1} of "
            f"{len(transfer.parts)}: the storage answered {response.status_code} without an "
            "ETag, which completing the upload needs.",
            file=transfer.source.file,
            part=part.index,
            method="PUT",
            url=without_query(response.request.url),
            status_code=response.status_code,
        )
    transfer.etags[part.index] = etag


def _labelled(value: object) -> list[tuple[Any, str]]:
    if isinstance(value, str):
        value = Path(value)
    if not is_file(value):
        raise TypeError(
            "upload() takes a path (str or pathlib.Path), an open binary file or bytes, "
            f"not {type(value).__name__}."
        )
    return [(value, "")]


class Uploads:
    """Uploads: ``client.uploads``. Every method has an ``async_`` twin."""

    def __init__(self, client: Client, *, max_concurrency: int = DEFAULT_MAX_CONCURRENCY) -> None:
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise TypeError(f"max_concurrency must be a whole number, not {max_concurrency!r}")
        if max_concurrency < 1:
            raise ValueError(f"max_concurrency must be at least 1, not {max_concurrency}")
        self._client = client
        self._parts = PartSender(client)
        self._workers = max_concurrency

    # public ----------------------------------------------------------------------------------

    def upload(
        self, file: str | FileInput, *, on_progress: ProgressCallback | None = None
    ) -> UploadedFile:
        """Upload a path, an open binary file (from its position to its end) or bytes.

        ``on_progress(sent, total)`` is called as bytes go out (from worker threads, one call at
        a time); ``sent`` goes back by a part's bytes when that part is retried."""
        with _opened(_labelled(file)) as batch:
            return self._upload_all(batch.sources, on_progress)[0]

    async def async_upload(
        self, file: str | FileInput, *, on_progress: ProgressCallback | None = None
    ) -> UploadedFile:
        with _opened(_labelled(file)) as batch:
            return (await self._async_upload_all(batch.sources, on_progress))[0]

    def resolve_files(self, input: P, *, on_progress: ProgressCallback | None = None) -> P:
        """``input`` with every file in it (at any depth in dicts and lists) uploaded and
        replaced by its download URL; ``input`` itself when it holds no file. Identical files
        are uploaded once. ``client.predictions.create`` does this for you; call it yourself to
        follow progress (``on_progress`` as in ``upload``)."""
        found = [(v, where(at)) for v, at in find_files(input)]
        if not found:
            return input
        with _opened(found) as batch:
            return batch.substitute(input, self._upload_all(batch.dedupe(), on_progress))

    async def async_resolve_files(
        self, input: P, *, on_progress: ProgressCallback | None = None
    ) -> P:
        found = [(v, where(at)) for v, at in find_files(input)]
        if not found:
            return input
        with _opened(found) as batch:
            unique = await _aio.to_thread(batch.dedupe)
            return batch.substitute(input, await self._async_upload_all(unique, on_progress))

    def resolve_params(self, params: CreatePredictionParams) -> CreatePredictionParams:
        """Prediction params with the files in their ``input`` uploaded (as ``resolve_files``)."""
        input_ = params.get("input") if isinstance(params, Mapping) else None
        resolved = self.resolve_files(input_)
        return params if resolved is input_ else {**params, "input": resolved}

    async def async_resolve_params(self, params: CreatePredictionParams) -> CreatePredictionParams:
        input_ = params.get("input") if isinstance(params, Mapping) else None
        resolved = await self.async_resolve_files(input_)
        return params if resolved is input_ else {**params, "input": resolved}

    # sync ------------------------------------------------------------------------------------

    def _upload_all(
        self, sources: list[Source], on_progress: ProgressCallback | None
    ) -> list[UploadedFile]:
        progress = Progress(sum(s.size for s in sources), on_progress)
        transfers = []
        for source in sources:
            with _naming(source):
                transfers.append(_transfer(source, self._client._send(_start_call(source))))
        jobs = (job for t in transfers for job in t.jobs())
        workers = min(self._workers, sum(len(t.parts) for t in transfers))
        stop: list[BaseException] = []  # the failures, first first: every worker then stops
        with ThreadPoolExecutor(workers, thread_name_prefix="predictkit-upload") as pool:
            take = _taker(jobs)
            futures = [pool.submit(self._worker, take, progress, stop) for _ in range(workers)]
            try:
                for future in futures:
                    future.exception()  # waits; the workers record their own failures
            except BaseException as exc:  # interrupted here (Ctrl-C): stop the workers too
                stop.append(exc)
                raise
        if stop:
            raise stop[0]
        done = []
        for transfer in transfers:
            with _naming(transfer.source):
                done.append(_uploaded(transfer, self._client._send(_complete_call(transfer))))
        return done

    def _worker(
        self, take: Callable[[], _Job | None], progress: Progress, stop: list[BaseException]
    ) -> None:
        try:
            self._work(take, progress, stop)
        except BaseException as exc:
            stop.append(exc)  # the other workers finish their current part and stop

    def _work(
        self, take: Callable[[], _Job | None], progress: Progress, stop: list[BaseException]
    ) -> None:
        while not stop:
            job = take()
            if job is None:
                return
            transfer, part = job

            def body(
                transfer: _Transfer = transfer, part: Part = part
            ) -> Generator[bytes, None, None]:
                for offset, count in chunks(part.offset, part.length, READ_SIZE):
                    data = transfer.source.read(offset, count)
                    progress.add((transfer.upload_id, part.index), len(data))
                    yield data

            try:
                response = self._parts.put(
                    part.url,
                    body,
                    _part_headers(transfer, part),
                    _restart(progress, transfer, part),
                )
            except UploadError:
                raise
            except APIError as exc:
                raise transfer.part_error(part, exc) from exc
            _etag(transfer, part, response)

    # async -----------------------------------------------------------------------------------

    async def _async_upload_all(
        self, sources: list[Source], on_progress: ProgressCallback | None
    ) -> list[UploadedFile]:
        progress = Progress(sum(s.size for s in sources), on_progress)
        transfers = []
        for source in sources:
            with _naming(source):
                response = await self._client._asend(_start_call(source))
                transfers.append(_transfer(source, response))
        jobs = (job for t in transfers for job in t.jobs())
        workers = min(self._workers, sum(len(t.parts) for t in transfers))
        await _aio.all_or_nothing(self._async_worker(jobs, progress) for _ in range(workers))
        done = []
        for transfer in transfers:
            with _naming(transfer.source):
                response = await self._client._asend(_complete_call(transfer))
                done.append(_uploaded(transfer, response))
        return done

    async def _async_worker(self, jobs: Iterator[_Job], progress: Progress) -> None:
        for transfer, part in jobs:  # one event loop: the shared iterator needs no lock

            async def body(
                transfer: _Transfer = transfer, part: Part = part
            ) -> AsyncGenerator[bytes, None]:
                source = transfer.source
                for offset, count in chunks(part.offset, part.length, READ_SIZE):
                    if source.blocking:
                        data = await _aio.to_thread(source.read, offset, count)
                    else:
                        data = source.read(offset, count)
                    progress.add((transfer.upload_id, part.index), len(data))
                    yield data

            try:
                response = await self._parts.async_put(
                    part.url,
                    body,
                    _part_headers(transfer, part),
                    _restart(progress, transfer, part),
                )
            except UploadError:
                raise
            except APIError as exc:
                raise transfer.part_error(part, exc) from exc
            _etag(transfer, part, response)


def _part_headers(transfer: _Transfer, part: Part) -> dict[str, str]:
    return {"Content-Type": transfer.source.mime_type, "Content-Length": str(part.length)}


def _restart(progress: Progress, transfer: _Transfer, part: Part) -> Callable[[], None]:
    return lambda: progress.restart((transfer.upload_id, part.index))


def _taker(jobs: Iterator[_Job]) -> Callable[[], _Job | None]:
    """The next job, or None when there is none; safe to call from several threads."""
    lock = threading.Lock()

    def take() -> _Job | None:
        with lock:  # a generator must not be advanced by two threads at once
            return next(jobs, None)

    return take
