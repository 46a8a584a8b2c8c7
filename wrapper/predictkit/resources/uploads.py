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

from collections.abc import Callable, Generator, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar, assert_never, cast

import attrs
from predictkit_api.api import CallOptions
from predictkit_api.api.uploads import UploadsResource, complete_upload

from predictkit import _aio
from predictkit._api import API
from predictkit._errors import InvalidInputError, InvalidInputTypeError
from predictkit._files import FileInput, Progress, ProgressCallback, find_files, where
from predictkit._parts import PartSender
from predictkit._sources import Source
from predictkit._uploading import (
    Job,
    Schedule,
    UploadedFile,
    async_part_body,
    complete_call,
    completion,
    labelled,
    naming,
    opened,
    part_args,
    part_body,
    schedule,
    start_call,
    taker,
    transfer_from,
    uploaded,
)
from predictkit.resources._binding import Binding
from predictkit.resources._creating import Send
from predictkit.waiting import adrive, drive

if TYPE_CHECKING:
    import httpx

    from predictkit._types import CreatePredictionParams

__all__ = ["UploadedFile", "Uploads"]

DEFAULT_MAX_CONCURRENCY = 8
"""Parts in flight at once, over all files of one call."""

P = TypeVar("P")
T = TypeVar("T")


class Uploads(UploadsResource):
    """Uploads: ``client.uploads``. Every method has an ``async_`` twin. ``upload`` runs the
    whole flow for one file; ``create`` and ``complete`` (generated) are its two API calls."""

    def __init__(self, api: API, *, max_concurrency: int = DEFAULT_MAX_CONCURRENCY) -> None:
        if isinstance(max_concurrency, bool) or not isinstance(max_concurrency, int):
            raise InvalidInputTypeError(
                f"max_concurrency must be a whole number, not {max_concurrency!r}"
            )
        if max_concurrency < 1:
            raise InvalidInputError(f"max_concurrency must be at least 1, not {max_concurrency}")
        super().__init__(_UploadsBinding(api))
        self._api = api
        self._parts = PartSender(api)
        self._workers = max_concurrency

    # public ----------------------------------------------------------------------------------

    def upload(
        self, file: str | FileInput, *, on_progress: ProgressCallback | None = None
    ) -> UploadedFile:
        """Upload a path, an open binary file (from its position to its end) or bytes.

        ``on_progress(sent, total)`` is called as bytes go out (from worker threads, one call at
        a time); ``sent`` goes back by a part's bytes when that part is retried."""
        with opened(labelled(file)) as batch:
            return self._upload_all(batch.sources, on_progress)[0]

    async def async_upload(
        self, file: str | FileInput, *, on_progress: ProgressCallback | None = None
    ) -> UploadedFile:
        with opened(labelled(file)) as batch:
            return (await self._async_upload_all(batch.sources, on_progress))[0]

    def resolve_files(self, input: P, *, on_progress: ProgressCallback | None = None) -> P:
        """``input`` with every file in it (at any depth in dicts and lists) uploaded and
        replaced by its download URL; ``input`` itself when it holds no file. Identical files
        are uploaded once. ``client.predictions.create`` does this for you; call it yourself to
        follow progress (``on_progress`` as in ``upload``)."""
        found = [(v, where(at)) for v, at in find_files(input)]
        if not found:
            return input
        with opened(found) as batch:
            return batch.substitute(input, self._upload_all(batch.dedupe(), on_progress))

    async def async_resolve_files(
        self, input: P, *, on_progress: ProgressCallback | None = None
    ) -> P:
        found = [(v, where(at)) for v, at in find_files(input)]
        if not found:
            return input
        with opened(found) as batch:
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

    def _upload_all(
        self, sources: list[Source], on_progress: ProgressCallback | None
    ) -> list[UploadedFile]:
        return drive(_uploading(sources, on_progress, self._workers), self._step)

    async def _async_upload_all(
        self, sources: list[Source], on_progress: ProgressCallback | None
    ) -> list[UploadedFile]:
        return await adrive(_uploading(sources, on_progress, self._workers), self._astep)

    # sync ------------------------------------------------------------------------------------

    def _step(self, step: UploadStep) -> Any:
        match step:
            case Send(call=call, parse=parse):
                return self._api.send(call, parse)
            case SendParts(plan=plan):
                self._send_parts(plan)
                return None
            case _:
                assert_never(step)

    def _send_parts(self, plan: Schedule) -> None:
        stop: list[BaseException] = []  # the failures, first first: every worker then stops
        with ThreadPoolExecutor(plan.workers, thread_name_prefix="predictkit-upload") as pool:
            take = taker(plan.jobs)
            futures = [
                pool.submit(self._worker, take, plan.progress, stop) for _ in range(plan.workers)
            ]
            try:
                for future in futures:
                    future.exception()  # waits; the workers record their own failures
            except BaseException as exc:  # interrupted here (Ctrl-C): stop the workers too
                stop.append(exc)
                raise
        if stop:
            raise stop[0]

    def _worker(
        self, take: Callable[[], Job | None], progress: Progress, stop: list[BaseException]
    ) -> None:
        try:
            self._work(take, progress, stop)
        except BaseException as exc:
            stop.append(exc)  # the other workers finish their current part and stop

    def _work(
        self, take: Callable[[], Job | None], progress: Progress, stop: list[BaseException]
    ) -> None:
        while not stop:
            job = take()
            if job is None:
                return
            transfer, part = job
            body = part_body(transfer, part, progress)
            with transfer.sending(part):
                response = self._parts.put(part.url, body, *part_args(transfer, part, progress))
            transfer.record_etag(part, response)

    # async -----------------------------------------------------------------------------------

    async def _astep(self, step: UploadStep) -> Any:
        match step:
            case Send(call=call, parse=parse):
                return await self._api.asend(call, parse)
            case SendParts(plan=plan):
                workers = (
                    self._async_worker(plan.jobs, plan.progress) for _ in range(plan.workers)
                )
                await _aio.all_or_nothing(workers)
                return None
            case _:
                assert_never(step)

    async def _async_worker(self, jobs: Iterator[Job], progress: Progress) -> None:
        for transfer, part in jobs:  # one event loop: the shared iterator needs no lock
            body = async_part_body(transfer, part, progress)
            with transfer.sending(part):
                args = part_args(transfer, part, progress)
                response = await self._parts.async_put(part.url, body, *args)
            transfer.record_etag(part, response)


@attrs.frozen
class SendParts:
    """PUT every part of the started uploads, ``plan.workers`` at a time -> None."""

    plan: Schedule


UploadStep = Send | SendParts


def _uploading(
    sources: list[Source], on_progress: ProgressCallback | None, workers: int
) -> Generator[UploadStep, Any, list[UploadedFile]]:
    """One call's uploads, as steps: start each file's upload, send every part, complete
    each. A failed start or complete names its file."""
    transfers = []
    for source in sources:
        with naming(source):
            transfers.append(transfer_from(source, (yield Send(start_call(source), _read))))
    yield SendParts(schedule(transfers, on_progress, workers))
    done = []
    for transfer in transfers:
        with naming(transfer.source):
            done.append(uploaded(transfer, (yield Send(complete_call(transfer), _read))))
    return done


def _read(response: httpx.Response) -> httpx.Response:
    """The response itself (read by ``send``), for the upload steps that parse it."""
    return response


class _UploadsBinding(Binding):
    """The generated resource's transport, with one check the spec cannot state: a completed
    upload's ``download_url`` must be http(s) (see ``completion``)."""

    def send(self, request: dict[str, Any], parse: Callable[[Any], T], options: CallOptions) -> T:
        if parse is complete_upload.parse:
            return cast("T", self._api.send(self._call(request, options), completion))
        return super().send(request, parse, options)

    async def asend(
        self, request: dict[str, Any], parse: Callable[[Any], T], options: CallOptions
    ) -> T:
        if parse is complete_upload.parse:
            return cast("T", await self._api.asend(self._call(request, options), completion))
        return await super().asend(request, parse, options)
