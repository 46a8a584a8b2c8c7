"""Predictions bound to the client that fetched them, with the conveniences peers offer.

PredictionWithIO (from get, create, wait) is the generated PredictionWithDetails model plus
reload, wait, cancel, stream_events and output_iterator. ListedPrediction (an item of list())
is the generated Prediction model plus reload, wait, cancel and stream_events; its reload and
wait return the full PredictionWithIO (a listed prediction carries no input or output).

Both pickle and copy: a pickled prediction travels without its client (connections and locks
cannot), so after unpickling it is plain data until fetched again; a copy shares the client.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any, Self, cast

import attrs
from predictkit_api.models.prediction import Prediction
from predictkit_api.models.prediction_with_details import PredictionWithDetails

from predictkit._errors import APIStatusError, PredictionFailedError, UnboundPredictionError
from predictkit._types import Status
from predictkit.streaming import is_stream_unavailable

if TYPE_CHECKING:
    from predictkit._client import Client
    from predictkit.streaming import AsyncPredictionStream, PredictionStream
    from predictkit.waiting import AsyncWaitOptions, WaitOptions

__all__ = ["ListedPrediction", "PredictionWithIO"]


def _field_names(instance: object) -> list[str]:
    return [f.name for f in attrs.fields(cast("Any", type(instance)))]


class _ClientBound:
    """What a prediction bound to a client shares: the binding, pickling and copying, cancel
    and the event stream. Mixed into attrs classes that declare ``_client`` and ``id``."""

    __slots__ = ()
    _client: Client | None
    id: str

    def _bound(self) -> Client:
        if self._client is None:
            raise UnboundPredictionError(
                "This prediction is not bound to a client (built by hand or unpickled); "
                "fetch it with client.predictions.get(id)."
            )
        return self._client

    def __getstate__(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _field_names(self) if name != "_client"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_client", None)

    def __copy__(self) -> Self:
        clone = object.__new__(type(self))
        for name in _field_names(self):
            object.__setattr__(clone, name, getattr(self, name))
        return clone

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        clone = object.__new__(type(self))
        memo[id(self)] = clone
        for name in _field_names(self):
            value = getattr(self, name)
            object.__setattr__(
                clone, name, value if name == "_client" else copy.deepcopy(value, memo)
            )
        return clone

    def cancel(self) -> None:
        """Ask the API to cancel (idempotent: fine on an ended prediction); the status becomes
        ``cancelled`` once that takes effect."""
        self._bound().predictions.cancel(self.id)

    async def async_cancel(self) -> None:
        await self._bound().predictions.async_cancel(self.id)

    def stream_events(self) -> PredictionStream:
        """This prediction's events (see Predictions.stream)."""
        return self._bound().predictions.stream(self.id)

    def async_stream_events(self) -> AsyncPredictionStream:
        return self._bound().predictions.async_stream(self.id)


@attrs.define(getstate_setstate=False)
class ListedPrediction(_ClientBound, Prediction):
    """A prediction as list() yields it (no input, output or error), bound to the client.
    ``reload()`` and ``wait()`` update it and return the full PredictionWithIO."""

    _client: Client | None = attrs.field(default=None, repr=False, eq=False, alias="client")

    def _refresh_from(self, other: PredictionWithDetails) -> PredictionWithIO:
        for field in attrs.fields(Prediction):
            setattr(self, field.name, getattr(other, field.name))
        return cast("PredictionWithIO", other)

    def reload(self) -> PredictionWithIO:
        """Fetch the latest state: updates this item and returns the full prediction."""
        return self._refresh_from(self._bound().predictions.get(self.id))

    async def async_reload(self) -> PredictionWithIO:
        return self._refresh_from(await self._bound().predictions.async_get(self.id))

    def wait(
        self, options: WaitOptions | None = None, *, cancel_on_timeout: bool = False
    ) -> PredictionWithIO:
        """Wait until this prediction ends: updates this item and returns the full one."""
        predictions = self._bound().predictions
        return self._refresh_from(
            predictions.wait(self.id, options, cancel_on_timeout=cancel_on_timeout)
        )

    async def async_wait(
        self,
        options: AsyncWaitOptions | WaitOptions | None = None,
        *,
        cancel_on_timeout: bool = False,
    ) -> PredictionWithIO:
        predictions = self._bound().predictions
        final = await predictions.async_wait(self.id, options, cancel_on_timeout=cancel_on_timeout)
        return self._refresh_from(final)


@attrs.define(getstate_setstate=False)
class PredictionWithIO(_ClientBound, PredictionWithDetails):
    """A prediction with its input, output and error. Attribute access is typed; ``to_dict()``
    gives the API's JSON. Note ``input_``: the generator avoids shadowing the builtin."""

    _client: Client | None = attrs.field(default=None, repr=False, eq=False, alias="client")

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
        plan = predictions._plan_wait(self.id, self, options, True, cancel_on_timeout)
        return self._refresh_from(predictions._wait(plan))

    async def async_wait(
        self,
        options: AsyncWaitOptions | WaitOptions | None = None,
        *,
        cancel_on_timeout: bool = False,
    ) -> Self:
        predictions = self._bound().predictions
        plan = predictions._plan_wait(self.id, self, options, False, cancel_on_timeout)
        final = await predictions._async_wait(plan)
        return self._refresh_from(final)

    def output_iterator(self) -> Iterator[Any]:
        """Each output chunk as it is produced (from the event stream when the prediction has
        one; otherwise the items of the final output). Raises PredictionFailedError if the
        prediction does not succeed."""
        outputs = _Outputs()
        if self.stream is True:
            with outputs, self.stream_events() as events:
                yield from (event.data for event in events if outputs.chunk(event))
        self._refresh_from(self._bound().predictions.wait(self.id, None))
        yield from self._final_output(streamed=outputs.streamed)

    async def async_output_iterator(self) -> AsyncIterator[Any]:
        outputs = _Outputs()
        if self.stream is True:
            with outputs:
                async with self.async_stream_events() as events:
                    async for event in events:
                        if outputs.chunk(event):
                            yield event.data
        self._refresh_from(await self._bound().predictions.async_wait(self.id, None))
        for item in self._final_output(streamed=outputs.streamed):
            yield item

    def _final_output(self, *, streamed: bool) -> Iterator[Any]:
        if self.status != Status.succeeded:
            raise PredictionFailedError(self)
        if not streamed:
            yield from self.output if isinstance(self.output, list) else [self.output]


class _Outputs:
    """What output_iterator and its async twin share. Around the event stream (``with``): a
    stream that ends has carried the whole output (``streamed``), and one that is unavailable
    before any chunk went out falls back to the final output; never once chunks went out,
    they would repeat. ``chunk(event)``: whether the event is an output chunk."""

    def __init__(self) -> None:
        self.streamed = False

    def chunk(self, event: Any) -> bool:
        is_output: bool = event.event == "output"
        self.streamed = self.streamed or is_output
        return is_output

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> bool:
        if exc is None:
            self.streamed = True
            return False
        return isinstance(exc, APIStatusError) and not self.streamed and is_stream_unavailable(exc)
