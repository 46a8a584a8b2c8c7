"""PredictionWithIO: the generated PredictionWithDetails model plus the conveniences peers offer
(reload, wait, cancel, stream, output_iterator), bound to the client that fetched it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Self

import attrs
from predictkit_api.models.prediction_with_details import PredictionWithDetails

from predictkit._errors import APIStatusError, PredictionFailedError
from predictkit._types import Status
from predictkit.streaming import is_stream_unavailable

if TYPE_CHECKING:
    from predictkit._client import Client
    from predictkit.streaming import AsyncPredictionStream, PredictionStream
    from predictkit.waiting import AsyncWaitOptions, WaitOptions

__all__ = ["PredictionWithIO"]


@attrs.define
class PredictionWithIO(PredictionWithDetails):
    """A prediction with its input, output and error. Attribute access is typed; ``to_dict()``
    gives the API's JSON. Note ``input_``: the generator avoids shadowing the builtin."""

    _client: Client | None = attrs.field(default=None, repr=False, eq=False, alias="client")

    def _bound(self) -> Client:
        if self._client is None:
            raise RuntimeError(
                "This prediction is not bound to a client; "
                "fetch it with client.predictions.get(id)."
            )
        return self._client

    def _refresh_from(self, other: PredictionWithDetails) -> Self:
        for field in attrs.fields(PredictionWithDetails):
            setattr(self, field.name, getattr(other, field.name))
        return self

    def reload(self) -> Self:
        """Fetch the latest state into this object; returns it."""
        return self._refresh_from(self._bound().predictions.get(self.id))

    async def async_reload(self) -> Self:
        return self._refresh_from(await self._bound().predictions.async_get(self.id))

    def wait(self, options: WaitOptions | None = None, *, cancel_on_timeout: bool = False) -> Self:
        """Wait until this prediction ends and load its final state into this object."""
        predictions = self._bound().predictions
        return self._refresh_from(
            predictions._wait(self.id, self, options, cancel_on_timeout=cancel_on_timeout)
        )

    async def async_wait(
        self,
        options: AsyncWaitOptions | WaitOptions | None = None,
        *,
        cancel_on_timeout: bool = False,
    ) -> Self:
        predictions = self._bound().predictions
        final = await predictions._async_wait(
            self.id, self, options, cancel_on_timeout=cancel_on_timeout
        )
        return self._refresh_from(final)

    def cancel(self) -> None:
        """Ask the API to cancel; the status becomes ``cancelled`` once that takes effect."""
        self._bound().predictions.cancel(self.id)

    async def async_cancel(self) -> None:
        await self._bound().predictions.async_cancel(self.id)

    def stream_events(self) -> PredictionStream:
        """This prediction's events (see Predictions.stream)."""
        return self._bound().predictions.stream(self.id)

    def async_stream_events(self) -> AsyncPredictionStream:
        return self._bound().predictions.async_stream(self.id)

    def output_iterator(self) -> Iterator[Any]:
        """Each output chunk as it is produced (from the event stream when the prediction has
        one; otherwise the items of the final output). Raises PredictionFailedError if the
        prediction does not succeed."""
        streamed = False
        if self.stream is True:
            try:
                with self.stream_events() as events:
                    for event in events:
                        if event.event == "output":
                            streamed = True
                            yield event.data
                streamed = True
            except APIStatusError as exc:
                if streamed or not is_stream_unavailable(exc):
                    raise  # never fall back once chunks went out: they would repeat
        self._refresh_from(self._bound().predictions._wait(self.id, None, None))
        yield from self._final_output(streamed=streamed)

    async def async_output_iterator(self) -> AsyncIterator[Any]:
        streamed = False
        if self.stream is True:
            try:
                async with self.async_stream_events() as events:
                    async for event in events:
                        if event.event == "output":
                            streamed = True
                            yield event.data
                streamed = True
            except APIStatusError as exc:
                if streamed or not is_stream_unavailable(exc):
                    raise
        self._refresh_from(await self._bound().predictions._async_wait(self.id, None, None))
        for item in self._final_output(streamed=streamed):
            yield item

    def _final_output(self, *, streamed: bool) -> Iterator[Any]:
        if self.status != Status.succeeded:
            raise PredictionFailedError(self)
        if not streamed:
            yield from self.output if isinstance(self.output, list) else [self.output]
